import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, choose, desk, saveDialog, startBrowserEnv, type BrowserEnv } from './browser.js';

// The knowledge base at the agent's hand, in Chromium: while a demand is
// registered, the articles for what the caller says appear beside the form;
// one opens in a side panel with the script first, is used, and is linked to
// the demand when it is saved. The search page marks the words it found.
// An editor attaches a file to an article; once published, agents open it.

const target = testDatabases()[0]!;
const skip = browserSkipReason();

describe('the knowledge base in Chromium', { skip }, () => {
  let env: BrowserEnv;
  let articleId: number;

  before(async () => {
    env = await startBrowserEnv(target, { customers: 100 });
    const editor = await env.t.login('kb_editor');
    const reviewer = await env.t.login('kb_reviewer');
    const created = await editor.post('/api/articles', {
      title: '停电抢修指引',
      category: 'outage_voltage',
      tags: ['停电'],
      sections: { rule: '客户报修停电的，城区抢修人员四十五分钟内到达现场。', script: '您好，抢修人员正在赶往现场，请您保持电话畅通。', reminders: '核实是否为欠费停电。', faq: [{ q: '多久到？', a: '城区四十五分钟。' }] },
    });
    assert.equal(created.statusCode, 201, created.body);
    articleId = created.json().id;
    await editor.post(`/api/articles/${articleId}/submit`);
    assert.equal((await reviewer.post(`/api/articles/${articleId}/approve`, {})).statusCode, 200);
  });
  after(() => env?.close());

  test('registering a demand, the agent opens the matching article beside the form, script first, uses it, and it is linked to the demand', async () => {
    const agent = await desk(env, 'agent');
    await agent.goto(`${env.baseUrl}/demands/new`);
    await agent.getByTestId('demand-phone').fill('13900000077');
    await choose(agent, 'demand-type', '', '故障报修');
    await choose(agent, 'demand-category', '', '停电与电压质量');
    await agent.getByTestId('demand-content').fill('家里突然停电了，什么时候来抢修？');
    const suggestion = agent.locator(`[data-testid="knowledge-suggestion"][data-id="${articleId}"]`);
    await suggestion.waitFor({ timeout: 10_000 });
    assert.match(await suggestion.innerHTML(), /<em>(停电|抢修)<\/em>/);
    await suggestion.getByTestId('knowledge-open').click();
    const view = agent.getByTestId('article-view');
    await view.waitFor();
    const sections = await view.locator('[data-testid^="article-section-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    assert.equal(sections[0], 'article-section-script', `the script first: ${sections.join()}`);
    await agent.locator('.ant-drawer').getByTestId('knowledge-cite').click();
    await agent.locator('.ant-drawer-close').click();
    await agent.getByTestId('knowledge-panel').getByText('已引用 1 篇').waitFor();
    await agent.getByTestId('demand-submit').click();
    await agent.getByTestId('demand-page').waitFor();
    const demandId = Number(agent.url().split('/').at(-1));

    const api = await env.t.login('agent');
    assert.equal((await api.get(`/api/articles/${articleId}`)).json().useCount, 1);
    assert.deepEqual(
      (await api.get(`/api/articles/${articleId}/uses`)).json().map((u: any) => u.id),
      [demandId],
    );
    await agent.context().close();
  });

  test('the knowledge group: an editor writes an article in the six sections and submits it; the reviewer sends it back, then publishes it; a revision shows what changed', async () => {
    const editor = await desk(env, 'kb_editor');
    await editor.goto(`${env.baseUrl}/knowledge/new`);
    await editor.getByTestId('article-form-title').fill('电能表校验申请');
    await choose(editor, 'article-form-category', '', '供电服务');
    await editor.getByTestId('article-form-rule').fill('客户对电能表准确性有异议的，可申请校验。');
    await editor.getByTestId('article-form-script').fill('您好，电能表校验一般在五个工作日内完成。');
    await editor.getByTestId('article-form-save').click();
    await editor.locator('[data-testid="article-page"][data-status="draft"]').waitFor();
    await editor.getByTestId('article-submit').click();
    await editor.locator('[data-testid="article-page"][data-status="submitted"]').waitFor();
    const id = Number(editor.url().split('/').at(-1));

    const reviewer = await desk(env, 'kb_reviewer');
    await reviewer.goto(`${env.baseUrl}/knowledge/review`);
    await reviewer.locator(`[data-testid="knowledge-review-queue"] [data-testid="knowledge-list-item"][data-id="${id}"]`).getByRole('link').click();
    await reviewer.getByTestId('article-reject').click();
    await reviewer.getByTestId('article-reject-comment').fill('请补充校验费用的说明');
    await saveDialog(reviewer);
    await reviewer.locator('[data-testid="article-page"][data-status="rejected"]').waitFor();

    await editor.reload();
    await editor.getByTestId('article-review-comment').getByText('请补充校验费用的说明').waitFor();
    await editor.getByTestId('article-edit').click();
    await editor.getByTestId('article-form-rule').fill('客户对电能表准确性有异议的，可申请校验；校验合格的由客户承担校验费用。');
    await editor.getByTestId('article-form-save').click();
    await editor.locator('[data-testid="article-page"][data-status="draft"]').waitFor();
    await editor.getByTestId('article-submit').click();
    await editor.locator('[data-testid="article-page"][data-status="submitted"]').waitFor();
    assert.equal(await editor.getByTestId('article-approve').count(), 0, 'an editor is offered no approval');

    await reviewer.reload();
    await reviewer.getByTestId('article-approve').click();
    await reviewer.locator('[data-testid="article-page"][data-status="approved"]').waitFor();
    assert.equal(await reviewer.getByTestId('article-revision').textContent(), '有效');

    // A revision: the published version stays, the new one is compared with it.
    await editor.reload();
    await editor.getByTestId('article-revise').click();
    await editor.getByTestId('article-draft-status').getByText('草稿').waitFor();
    await editor.getByTestId('article-edit').click();
    await editor.getByTestId('article-form-script').fill('您好，电能表校验一般在三个工作日内完成。');
    await editor.getByTestId('article-form-save').click();
    await editor.locator('[data-testid="article-page"][data-status="draft"]').waitFor();
    await choose(editor, 'article-compare', '', '第 1 版 → 第 2 版');
    const script = editor.locator('[data-testid="diff-script"][data-changed="true"]');
    await script.waitFor();
    assert.equal(await script.locator('del').textContent(), '五');
    assert.equal(await script.locator('ins').textContent(), '三');
    assert.equal(await editor.locator('[data-testid="diff-rule"]').getAttribute('data-changed'), 'false');
    await editor.context().close();
    await reviewer.context().close();
  });

  test('the search page finds the article by a word and marks it', async () => {
    const agent = await desk(env, 'agent');
    await agent.goto(`${env.baseUrl}/knowledge?q=${encodeURIComponent('抢修')}`);
    const result = agent.locator(`[data-testid="knowledge-result"][data-id="${articleId}"]`);
    await result.waitFor();
    assert.match(await result.innerHTML(), /<em>抢修<\/em>/);
    await result.getByText('停电抢修指引').click();
    await agent.getByTestId('article-section-script').getByText('请您保持电话畅通').waitFor();
    await agent.context().close();
  });

  test('an editor attaches a PDF to an article; once it is published the agent finds the file under 相关文件 and can open it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'suqiu-e2e-'));
    const pdf = join(dir, '居民峰谷电价办理须知.pdf');
    await writeFile(pdf, '%PDF-1.4\n%%EOF\n'); // 15 bytes
    try {
      const editor = await desk(env, 'kb_editor');
      await editor.goto(`${env.baseUrl}/knowledge/new`);
      await editor.getByTestId('article-form-title').fill('峰谷分时电价申请');
      await choose(editor, 'article-form-category', '', '供电服务');
      await editor.getByTestId('article-form-rule').fill('居民客户可申请执行峰谷分时电价，次月抄表日起执行。');
      await editor.getByTestId('article-form-script').fill('您好，峰谷分时电价可通过网上国网申请，次月起执行。');
      const attachments = editor.getByTestId('article-form-attachments');
      await attachments.locator('input[type="file"]').setInputFiles(pdf);
      const uploaded = attachments.locator('.ant-upload-list-item-done').filter({ hasText: '居民峰谷电价办理须知.pdf' });
      await uploaded.waitFor();
      assert.match((await uploaded.textContent()) ?? '', /15 B/);

      // A demand number that does not exist is named on its field, and nothing is saved.
      await editor.getByTestId('article-form-caseDemands').click();
      await editor.keyboard.type('NOPE-0000');
      await editor.keyboard.press('Enter');
      await editor.getByTestId('article-form-save').click();
      await editor.getByText('there is no demand numbered NOPE-0000').waitFor();
      await editor.getByTestId('article-form-caseDemands').click();
      await editor.keyboard.press('Backspace');
      await editor.getByText('there is no demand numbered NOPE-0000').waitFor({ state: 'detached' });

      await editor.getByTestId('article-form-save').click();
      await editor.locator('[data-testid="article-page"][data-status="draft"]').waitFor();
      const id = Number(editor.url().split('/').at(-1));
      await editor.getByTestId('article-file').getByText('居民峰谷电价办理须知.pdf').waitFor();

      // Edited again, the file is still there and stays attached.
      await editor.getByTestId('article-edit').click();
      await editor.getByTestId('article-form-attachments').locator('.ant-upload-list-item-done').filter({ hasText: '居民峰谷电价办理须知.pdf' }).waitFor();
      await editor.getByTestId('article-form-save').click();
      await editor.locator('[data-testid="article-page"][data-status="draft"]').waitFor();
      await editor.getByTestId('article-submit').click();
      await editor.locator('[data-testid="article-page"][data-status="submitted"]').waitFor();
      await editor.context().close();

      const reviewer = await env.t.login('kb_reviewer');
      const approved = await reviewer.post(`/api/articles/${id}/approve`, {});
      assert.equal(approved.statusCode, 200, approved.body);
      const files = approved.json().published.files as { id: number; name: string }[];
      assert.deepEqual(
        files.map((f) => f.name),
        ['居民峰谷电价办理须知.pdf'],
      );

      const agent = await desk(env, 'agent');
      await agent.goto(`${env.baseUrl}/knowledge/articles/${id}`);
      const link = agent.getByTestId('article-section-documents').getByRole('link', { name: '居民峰谷电价办理须知.pdf' });
      await link.waitFor();
      assert.equal(await link.getAttribute('href'), `/api/articles/files/${files[0]!.id}`);
      assert.equal(await link.getAttribute('target'), '_blank');
      assert.match((await agent.getByTestId('article-file').textContent()) ?? '', /15 B/);
      // The link serves the file to the agent, as the PDF it is.
      const served = await agent.request.get(`${env.baseUrl}${await link.getAttribute('href')}`);
      assert.equal(served.status(), 200);
      assert.equal(served.headers()['content-type'], 'application/pdf');
      assert.equal(await served.text(), '%PDF-1.4\n%%EOF\n');
      await agent.context().close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
