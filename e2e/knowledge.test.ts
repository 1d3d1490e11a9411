import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabases } from '../test/helpers/databases.js';
import type { Page } from 'playwright-core';
import { browserSkipReason, choose, desk, saveDialog, startBrowserEnv, type BrowserEnv } from './browser.js';

// The knowledge base at the agent's hand, in Chromium: while a demand is
// registered, the articles for what the caller says appear beside the form;
// one opens in a side panel with the script first, is used, and is linked to
// the demand when it is saved. The search page marks the words it found.
// An editor attaches a file to an article; once published, agents open it.
// An article goes to review only with all six sections filled: the form and
// the article's page say which are still empty. The synonym list lets an
// agent find 停电 by what the caller says (家里没电了).

/** The four sections beyond the rule and the script: a draft is saved without them, but goes to review only with them. */
async function fillTheRest(page: Page, faq = { q: '多久能处理？', a: '一般三个工作日内。' }) {
  await page.getByTestId('article-form-reminders').fill('答复前先核实户号。');
  await page.getByTestId('article-form-documents').fill('《供电营业规则》');
  await page.getByTestId('article-form-cases').fill('客户来电咨询，坐席按规则答复，客户满意。');
  await page.getByTestId('article-form-faq-add').click();
  await page.getByTestId('article-form-faq-q').last().fill(faq.q);
  await page.getByTestId('article-form-faq-a').last().fill(faq.a);
}

const COMPLETE = { documents: '《供电营业规则》', cases: '客户来电反映停电，抢修人员按时到达。' };

const target = testDatabases()[0]!;
const skip = browserSkipReason();

describe('the knowledge base in Chromium', { skip }, () => {
  let env: BrowserEnv;
  let articleId: number;
  let plannedId: number;

  before(async () => {
    env = await startBrowserEnv(target, { customers: 100 });
    const editor = await env.t.login('kb_editor');
    const reviewer = await env.t.login('kb_reviewer');
    const publish = async (body: Record<string, unknown>) => {
      const created = await editor.post('/api/articles', body);
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id as number;
      assert.equal((await editor.post(`/api/articles/${id}/submit`)).statusCode, 200);
      assert.equal((await reviewer.post(`/api/articles/${id}/approve`, {})).statusCode, 200);
      return id;
    };
    articleId = await publish({
      title: '停电抢修指引',
      category: 'outage_voltage',
      tags: ['停电'],
      sections: {
        rule: '客户报修停电的，城区抢修人员四十五分钟内到达现场。',
        script: '您好，抢修人员正在赶往现场，请您保持电话畅通。',
        reminders: '核实是否为欠费停电。',
        ...COMPLETE,
        faq: [{ q: '多久到？', a: '城区四十五分钟。' }],
      },
    });
    plannedId = await publish({
      title: '计划停电通知',
      category: 'outage_voltage',
      tags: ['停电'],
      sections: {
        rule: '计划停电应提前七天通知客户。',
        script: '您好，您所在台区因检修计划停电。',
        reminders: '告知停电的起止时间。',
        ...COMPLETE,
        faq: [{ q: '何时来电？', a: '按公告的时间恢复送电。' }],
      },
    });
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
    await fillTheRest(editor);
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

  test('an editor cannot submit an article with sections empty and sees which; the reviewer is told why a version cannot be published', async () => {
    const editor = await desk(env, 'kb_editor');
    await editor.goto(`${env.baseUrl}/knowledge/new`);
    await editor.locator('[data-testid="article-checklist"][data-empty="rule,script,reminders,documents,cases,faq"]').waitFor();
    await editor.getByTestId('article-form-title').fill('电费发票开具');
    await choose(editor, 'article-form-category', '', '供电服务');
    await editor.getByTestId('article-form-rule').fill('客户可在网上国网开具电子发票。');
    await editor.getByTestId('article-form-script').fill('您好，电子发票可在网上国网下载。');
    // The checklist and the headings' marks follow what is typed; the form will not submit yet, and says why.
    await editor.locator('[data-testid="article-checklist"][data-empty="reminders,documents,cases,faq"]').waitFor();
    assert.equal(await editor.getByTestId('article-form-mark-script').getAttribute('data-filled'), 'true');
    assert.equal(await editor.getByTestId('article-form-mark-reminders').getAttribute('data-filled'), 'false');
    assert.equal(await editor.getByTestId('article-checklist-summary').textContent(), '尚未填写：坐席提醒、相关文件、实际案例、常见问题');
    assert.equal(await editor.getByTestId('article-form-save-submit').isDisabled(), true);
    assert.equal(await editor.getByTestId('article-form-submit-blocked').textContent(), '提交审核前还需填写：坐席提醒、相关文件、实际案例、常见问题');

    // Saved as a draft all the same; its page names what is empty, and its submit button waits for them.
    await editor.getByTestId('article-form-save').click();
    await editor.locator('[data-testid="article-page"][data-status="draft"]').waitFor();
    const id = Number(editor.url().split('/').at(-1));
    const missing = editor.getByTestId('article-missing');
    assert.equal(await missing.getAttribute('data-sections'), 'reminders,documents,cases,faq');
    assert.match((await missing.textContent()) ?? '', /提交审核前还需填写：坐席提醒、相关文件、实际案例、常见问题/);
    assert.equal(await editor.getByTestId('article-submit').isDisabled(), true);
    const api = await env.t.login('kb_editor');
    assert.equal((await api.post(`/api/articles/${id}/submit`)).statusCode, 409, 'nor does the API take it');

    // Filled in, it goes to review from the form.
    await editor.getByTestId('article-edit').click();
    await fillTheRest(editor);
    await editor.locator('[data-testid="article-checklist"][data-empty=""]').waitFor();
    assert.equal(await editor.getByTestId('article-checklist-summary').textContent(), '六个部分均已填写，可以提交审核');
    await editor.getByTestId('article-form-save-submit').click();
    await editor.locator('[data-testid="article-page"][data-status="submitted"]').waitFor();
    assert.equal(await editor.getByTestId('article-missing').count(), 0);
    await editor.context().close();

    // A version that lost sections after the reviewer opened it (as one submitted before the rule): the server refuses, and the reviewer reads why in words.
    const reviewer = await desk(env, 'kb_reviewer');
    await reviewer.goto(`${env.baseUrl}/knowledge/articles/${id}`);
    const approve = reviewer.getByTestId('article-approve');
    await approve.waitFor();
    assert.equal(await approve.isDisabled(), false);
    const version = (await api.get(`/api/articles/${id}`)).json().draft.id as number;
    await env.t.database.db
      .updateTable('article_versions')
      .set({
        sections_json: JSON.stringify({
          rule: '客户可在网上国网开具电子发票。',
          script: '您好。',
          reminders: '',
          documents: '',
          cases: '客户来电。',
          faq: [{ q: '问', a: '答' }],
        }),
      })
      .where('id', '=', version)
      .execute();
    await approve.click();
    await reviewer.locator('.ant-message').getByText('未能发布：坐席提醒、相关文件 为空，请退回由编辑补充').waitFor();
    await reviewer
      .locator('[data-testid="article-missing"][data-sections="reminders,documents"]')
      .getByText('无法发布：坐席提醒、相关文件 为空。请退回，由编辑补充后重新提交。')
      .waitFor();
    assert.equal(await approve.isDisabled(), true, 'the approve button waits, saying why');
    assert.equal(await reviewer.getByTestId('article-reject').isDisabled(), false, 'sending it back is the way on');
    assert.equal((await (await env.t.login('agent')).get(`/api/articles/${id}`)).statusCode, 404, 'not published');
    await reviewer.context().close();
  });

  test('an agent searching 家里没电了 finds the outage articles, through the synonym list', async () => {
    const agent = await desk(env, 'agent');
    await agent.goto(`${env.baseUrl}/knowledge?q=${encodeURIComponent('家里没电了')}`);
    const results = agent.getByTestId('knowledge-result');
    await results.first().waitFor();
    const found = await results.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))));
    assert.ok(found.includes(articleId) && found.includes(plannedId), `both outage articles: ${found.join()}`);
    assert.match(await results.first().innerHTML(), /<em>停电<\/em>/, 'the articles’ word marked');
    await agent.context().close();
  });

  test('the knowledge editors keep the synonym list: a row added, a phrase listed twice marked at its row, saved whole; reviewers read it', async () => {
    const editor = await desk(env, 'kb_editor');
    await editor.goto(`${env.baseUrl}/knowledge/maintenance`);
    const card = editor.getByTestId('knowledge-synonyms');
    await card.getByTestId('synonym-row').first().waitFor();
    assert.equal(await card.getByTestId('synonyms-save').isDisabled(), true, 'nothing to save yet');
    await card.getByTestId('synonym-add').click();
    const added = card.getByTestId('synonym-row').first();
    await added.getByTestId('synonym-phrase').fill('没电');
    await added.getByTestId('synonym-words').fill('停电');
    await card.getByTestId('synonyms-save').click();
    await added
      .getByTestId('synonym-error')
      .getByText(/“没电”也列在第 \d+ 行/)
      .waitFor();
    await added.getByTestId('synonym-phrase').fill('光板子');
    await added.getByTestId('synonym-error').waitFor({ state: 'detached' });
    await added.getByTestId('synonym-words').fill('光伏  分布式光伏');
    await card.getByTestId('synonyms-save').click();
    await editor.getByText('近义词表已保存').waitFor();
    assert.equal(await card.getByTestId('synonyms-save').isDisabled(), true);
    const api = await env.t.login('agent');
    const items = (await api.get('/api/knowledge/synonyms')).json().items as { phrase: string; words: string }[];
    assert.deepEqual(
      items.find((i) => i.phrase === '光板子'),
      { phrase: '光板子', words: '光伏 分布式光伏' },
    );
    await editor.context().close();

    const reviewer = await desk(env, 'kb_reviewer');
    await reviewer.goto(`${env.baseUrl}/knowledge/maintenance`);
    const read = reviewer.getByTestId('knowledge-synonyms');
    await read.getByText('近义词表由知识库编辑维护。').waitFor();
    assert.equal(await read.getByTestId('synonym-add').count(), 0);
    assert.equal(await read.getByTestId('synonym-phrase').count(), 0, 'no inputs');
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
      await fillTheRest(editor);
      // 相关文件 without text is filled by its file alone.
      await editor.getByTestId('article-form-documents').fill('');
      await editor.locator('[data-testid="article-form-mark-documents"][data-filled="false"]').waitFor();
      const attachments = editor.getByTestId('article-form-attachments');
      await attachments.locator('input[type="file"]').setInputFiles(pdf);
      const uploaded = attachments.locator('.ant-upload-list-item-done').filter({ hasText: '居民峰谷电价办理须知.pdf' });
      await uploaded.waitFor();
      await editor.locator('[data-testid="article-form-mark-documents"][data-filled="true"]').waitFor();
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
