import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { knowledgeCommand } from '../src/server/modules/knowledge/commands.js';
import { seedDemo } from '../src/server/modules/demo/seed.js';
import { testDatabases } from './helpers/databases.js';
import { DEMO_PASSWORD, startTestApp, type Client, type TestApp } from './helpers/app.js';
import { issueRow, synonymProblems } from '../src/web/pages/knowledge/synonyms.js';

// Moving knowledge in and out: Markdown files or a workbook imported all or
// nothing, a title already in the base revised, the same content left alone;
// the published base exported and read back unchanged; the demo base of 64
// articles loaded by the seed; the command line for a folder with its files.

/** An article as Markdown, all six sections filled (a version goes to review only so); `documents` is 相关文件's text and links. */
const md = (title: string, rule: string, documents = '- 《供电营业规则》') => `---
title: ${title}
category: 供电服务
tags: [电费电价]
audience: public
---

## 业务规则描述

${rule}

## 应答步骤及话术

1. 核实户号：“您好，请提供您的户号。”

## 坐席提醒

核实户号后再答复。

## 相关文件

${documents}

## 实际案例

客户来电询问办理进度，坐席按流程答复。

## 常见问题

### 何时生效？

次月生效。
`;

/** The Markdown without one of its "## " sections. */
const without = (text: string, heading: string) =>
  text
    .split(/^(?=## )/m)
    .filter((part) => !part.startsWith(`## ${heading}\n`))
    .join('');

for (const target of testDatabases()) {
  describe(`knowledge import and export (${target.name})`, () => {
    let t: TestApp;
    let editor: Client;
    let reviewer: Client;
    let agent: Client;
    const articles = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('articles')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      t = await startTestApp(target, { knowledge: true });
      editor = await t.login('kb_editor');
      reviewer = await t.login('kb_reviewer');
      agent = await t.login('agent');
    });
    after(() => t.close());

    test('the demo base: at least 60 published articles over the four categories and the common business, searchable; seeding again adds none', async () => {
      const rows = await t.database.db.selectFrom('articles').select(['id', 'category', 'published_version_id']).execute();
      assert.ok(rows.length >= 60, `${rows.length} demo articles`);
      assert.ok(
        rows.every((r) => r.published_version_id !== null),
        'all published',
      );
      for (const category of ['outage_voltage', 'supply_service', 'supply_safety', 'grid_construction'])
        assert.ok(rows.filter((r) => r.category === category).length >= 5, category);
      for (const tag of ['电费电价', '业扩报装', '计量', '缴费方式', '有偿服务与产权分界']) {
        const found = await agent.get(`/api/articles/search?q=${encodeURIComponent(tag.slice(0, 2))}&tag=${encodeURIComponent(tag)}`);
        assert.ok(found.json().total >= 3, `${tag}: ${found.body}`);
      }
      const outage = (await agent.get(`/api/articles/search?q=${encodeURIComponent('停电')}`)).json();
      assert.ok(outage.total >= 10 && /停电/.test(outage.items[0].title), 'an article on 停电 first');
      const again = await seedDemo(t.database, { customers: 50, password: DEMO_PASSWORD, knowledge: { dataDir: t.config.dataDir } });
      assert.equal(again.articlesCreated, 0);
      assert.equal(await articles(), rows.length);
    });

    test('everyday words find the articles: 家里没电了 finds the outage articles through the synonym list, which the knowledge group edits', async () => {
      const said = (await agent.get(`/api/articles/search?q=${encodeURIComponent('家里没电了')}`)).json();
      assert.ok(said.total >= 5, said.total);
      assert.match(said.items[0].title, /停电/);
      // No article has every word: those with any come, the most words first.
      const some = (await agent.get(`/api/articles/search?q=${encodeURIComponent('停电 火星')}`)).json();
      assert.ok(some.total > 0 && /停电/.test(some.items[0].title), 'any word, when not all');
      const list = (await agent.get('/api/knowledge/synonyms')).json().items;
      assert.ok(list.some((s: any) => s.phrase === '没电' && s.words === '停电'));
      assert.equal((await agent.put('/api/knowledge/synonyms', { items: list })).statusCode, 403);
      const twice = await editor.put('/api/knowledge/synonyms', { items: [...list, list[0]] });
      assert.equal(twice.statusCode, 400);
      assert.match(twice.body, /listed twice/);
      // The editor (web) marks the same row before sending, and puts the server's issue on it too.
      assert.deepEqual(synonymProblems([...list, list[0]]), [
        { index: 0, field: 'phrase', kind: 'twice', otherRow: list.length + 1 },
        { index: list.length, field: 'phrase', kind: 'twice', otherRow: 1 },
      ]);
      assert.deepEqual(
        twice.json().issues.map((i: any) => issueRow(i.path)),
        [{ index: list.length, field: 'phrase' }],
      );
      const blank = await editor.put('/api/knowledge/synonyms', { items: [...list, { phrase: ' ', words: '停电' }] });
      assert.equal(blank.statusCode, 400);
      assert.deepEqual(
        blank.json().issues.map((i: any) => issueRow(i.path)),
        [{ index: list.length, field: 'phrase' }],
      );
      assert.deepEqual(synonymProblems([...list, { phrase: ' ', words: '停电' }]), [{ index: list.length, field: 'phrase', kind: 'required' }]);
      assert.equal((await agent.get(`/api/articles/search?q=${encodeURIComponent('光板子')}`)).json().total, 0, 'a word no article has');
      const saved = await editor.put('/api/knowledge/synonyms', { items: [...list, { phrase: '光板子', words: '光伏' }] });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.ok((await agent.get(`/api/articles/search?q=${encodeURIComponent('光板子')}`)).json().total > 0, 'the edited list applies at once');
    });

    test('Markdown: refused whole with every problem named; then imported for review; again unchanged; a changed one revised while its published version stays', async () => {
      const before_ = await articles();
      const bad = await editor.post('/api/articles/import/markdown', {
        files: [
          { name: '01-峰谷.md', text: md('峰谷分时电价的申请', '居民客户可申请峰谷分时电价。') },
          { name: '02-坏.md', text: md('电费发票的开具', '').replace('## 常见问题', '## 附录') },
          { name: '03-重复.md', text: md('峰谷分时电价的申请', '重复的标题。') },
        ],
      });
      assert.equal(bad.statusCode, 400);
      const problems = bad.json().issues.map((i: any) => i.path);
      assert.deepEqual(problems, ['02-坏.md: ## 附录', '02-坏.md: sections.rule', '03-重复.md: title']);
      assert.match(bad.json().message, /3 problems, and nothing was saved/);
      assert.equal(await articles(), before_, 'nothing saved');

      // Sections left empty: the import is refused whole, naming them by file (the test at the end).
      const incomplete = await editor.post('/api/articles/import/markdown', {
        files: [
          { name: '01-峰谷.md', text: md('峰谷分时电价的申请', '居民客户可申请峰谷分时电价。') },
          { name: '04-缺节.md', text: without(without(md('电费发票的开具', '客户可开具电子发票。'), '坐席提醒'), '实际案例') },
        ],
      });
      assert.ok([400, 409].includes(incomplete.statusCode), incomplete.body);
      assert.match(incomplete.json().message, /reminders.*cases|坐席提醒.*实际案例/);
      assert.equal(await articles(), before_, 'nothing saved');

      const files = [
        { name: '01-峰谷.md', text: md('峰谷分时电价的申请', '居民客户可申请峰谷分时电价，次月生效。') },
        { name: '02-发票.md', text: md('电费发票的开具', '客户可在网上营业厅开具电子发票。') },
      ];
      const first = await editor.post('/api/articles/import/markdown', { files });
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual([first.json().created.map((e: any) => e.title), first.json().outcome], [['峰谷分时电价的申请', '电费发票的开具'], 'submitted']);
      const [peak, invoice] = first.json().created.map((e: any) => e.id);
      assert.equal((await editor.get(`/api/articles/${peak}`)).json().draft.status, 'submitted');
      assert.equal((await agent.get(`/api/articles/${peak}`)).statusCode, 404, 'not public before review');
      const told = await t.database.db
        .selectFrom('notifications')
        .select('title')
        .where('role', '=', 'kb_reviewer')
        .where('title', 'like', '知识导入%')
        .execute();
      assert.deepEqual(
        told.map((n) => n.title),
        ['知识导入待审核: 2 篇'],
        'the reviewers hear once',
      );

      const again = (await editor.post('/api/articles/import/markdown', { files })).json();
      assert.deepEqual([again.created.length, again.unchanged.length], [0, 2], 'the same files twice change nothing');

      assert.equal((await reviewer.post(`/api/articles/${peak}/approve`, {})).statusCode, 200);
      const changed = await editor.post('/api/articles/import/markdown', {
        files: [{ name: '01-峰谷.md', text: md('峰谷分时电价的申请', '居民客户可申请峰谷分时电价，申请的次月起执行。') }],
      });
      assert.deepEqual(
        changed.json().revised.map((e: any) => e.id),
        [peak],
      );
      const revised = (await editor.get(`/api/articles/${peak}`)).json();
      assert.deepEqual(
        [revised.published.number, revised.published.sections.rule, revised.draft.number, revised.draft.status],
        [1, '居民客户可申请峰谷分时电价，次月生效。', 2, 'submitted'],
      );
      // The invoice article is still under review with the content imported: a different import of it is refused, naming why.
      const busy = await editor.post('/api/articles/import/markdown', { files: [{ name: '02-发票.md', text: md('电费发票的开具', '另一种说法。') }] });
      assert.equal(busy.statusCode, 400);
      assert.match(busy.json().issues[0].message, /under review/);
      assert.equal((await agent.post('/api/articles/import/markdown', { files })).statusCode, 403);
      assert.ok(invoice > 0);
    });

    test('the published base exported as a workbook reads back unchanged; a bad row is named by its number', async () => {
      assert.equal((await agent.get('/api/articles/export')).statusCode, 403);
      const exported = await reviewer.get('/api/articles/export');
      assert.equal(exported.statusCode, 200);
      assert.equal(exported.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      assert.match(String(exported.headers['content-disposition']), /^attachment; .*filename\*=UTF-8''/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      const published = (await t.database.db.selectFrom('articles').select('id').where('published_version_id', 'is not', null).execute()).length;
      assert.equal(sheet.rowCount - 1, published, 'one row per published article');
      assert.deepEqual((sheet.getRow(1).values as string[]).slice(1, 6), ['标题', '分类', '标签', '受众', '业务规则描述']);

      const upload = (bytes: Buffer, name: string) =>
        editor.request({
          method: 'POST',
          url: `/api/articles/import/spreadsheet?name=${encodeURIComponent(name)}`,
          headers: { 'content-type': 'application/octet-stream' },
          payload: bytes,
        });
      const back = await upload(exported.rawPayload, 'kb.xlsx');
      assert.equal(back.statusCode, 200, back.body);
      assert.deepEqual([back.json().unchanged.length, back.json().created.length, back.json().revised.length], [published, 0, 0]);

      // A row whose 坐席提醒 is emptied would revise its article with that section empty: refused, nothing saved.
      assert.equal(sheet.getRow(1).getCell(7).value, '坐席提醒');
      const reminders = sheet.getRow(4).getCell(7).value;
      sheet.getRow(4).getCell(7).value = '';
      const versions = async () => (await t.database.db.selectFrom('article_versions').select('id').execute()).length;
      const versionsBefore = await versions();
      const emptied = await upload(Buffer.from(await workbook.xlsx.writeBuffer()), 'kb.xlsx');
      assert.ok([400, 409].includes(emptied.statusCode), emptied.body);
      assert.match(emptied.json().message, /reminders|坐席提醒/);
      assert.equal(await versions(), versionsBefore, 'nothing saved');
      sheet.getRow(4).getCell(7).value = reminders;

      sheet.getRow(3).getCell(2).value = '抄表';
      sheet.getRow(5).getCell(5).value = '';
      const broken = await upload(Buffer.from(await workbook.xlsx.writeBuffer()), 'kb.xlsx');
      assert.equal(broken.statusCode, 400);
      assert.deepEqual(
        broken.json().issues.map((i: any) => i.path),
        ['kb.xlsx row 3: category', 'kb.xlsx row 5: sections.rule'],
      );
      assert.equal((await upload(Buffer.from('%PDF-1.4'), 'kb.pdf')).statusCode, 415);
    });

    test('the command line: a folder with the files its articles link to, published by a second person; the export writes them back', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'suqiu-kb-'));
      mkdirSync(join(folder, 'files'));
      writeFileSync(join(folder, 'files', 'rules.pdf'), '%PDF-1.4\n%%EOF\n');
      writeFileSync(
        join(folder, '充电桩.md'),
        md('居民充电桩报装', '居民自用充电桩按居民电价执行。', '- 《供电营业规则》\n- [充电桩报装须知](files/rules.pdf)'),
      );
      const lines: string[] = [];
      const run = (...args: string[]) => knowledgeCommand(t.database, t.config, args, (l) => lines.push(l));
      assert.equal(
        await run('import', folder, '--as', 'kb_editor', '--publish-by', 'kb_editor').catch((e: Error) => e.message),
        'imported articles are published only by a reviewer other than the importer',
      );
      assert.equal(await run('import', folder, '--as', 'kb_editor', '--publish-by', 'kb_reviewer'), 0, lines.join('\n'));
      assert.match(lines.at(-1)!, /1 new, 0 revised, 0 unchanged; published, approved by kb_reviewer/);
      const id = (await t.database.db.selectFrom('articles').select('id').where('title', '=', '居民充电桩报装').executeTakeFirstOrThrow()).id;
      const seen = (await agent.get(`/api/articles/${id}`)).json().published;
      assert.deepEqual(
        [seen.files.map((f: any) => [f.name, f.contentType]), seen.sections.documents, seen.reviewerName],
        [[['充电桩报装须知.pdf', 'application/pdf']], '- 《供电营业规则》', '杨静'],
      );
      assert.equal((await agent.get(`/api/articles/files/${seen.files[0].id}`)).statusCode, 200);
      // A workbook cannot carry files: read back, the article is unchanged and keeps its file; changed, its revision keeps it too.
      const book = join(folder, 'kb.xlsx');
      lines.length = 0;
      assert.equal(await run('export', book, '--as', 'kb_editor'), 0);
      assert.equal(await run('import', book, '--as', 'kb_editor'), 0, lines.join('\n'));
      assert.match(lines.at(-1)!, /0 new, 0 revised, \d+ unchanged/);
      const sheet = new ExcelJS.Workbook();
      await sheet.xlsx.readFile(book);
      const rowOf = sheet.worksheets[0]!.getRows(2, sheet.worksheets[0]!.rowCount - 1)!.find((r) => r.getCell(1).text === '居民充电桩报装')!;
      rowOf.getCell(5).value = '居民自用充电桩按居民合表电价执行。';
      await sheet.xlsx.writeFile(book);
      lines.length = 0;
      assert.equal(await run('import', book, '--as', 'kb_editor'), 0, lines.join('\n'));
      assert.match(lines.at(-1)!, /0 new, 1 revised/);
      const draft = (await editor.get(`/api/articles/${id}`)).json().draft;
      assert.deepEqual([draft.sections.rule, draft.files.map((f: any) => f.name)], ['居民自用充电桩按居民合表电价执行。', ['充电桩报装须知.pdf']]);
      await reviewer.post(`/api/articles/${id}/reject`, { comment: '不改' });
      rmSync(book);

      // Published at once or not, an article with a section empty is not imported: the command fails, naming it.
      writeFileSync(join(folder, '缺节.md'), without(md('缺节的文章', '规则'), '常见问题'));
      lines.length = 0;
      const said = await run('import', folder, '--as', 'kb_editor', '--publish-by', 'kb_reviewer').then(
        (code) => `exit ${code}: ${lines.join('\n')}`,
        (error: Error) => error.message,
      );
      assert.doesNotMatch(said, /^exit 0/);
      assert.match(said, /faq|常见问题/);
      assert.equal((await t.database.db.selectFrom('articles').select('id').where('title', '=', '缺节的文章').execute()).length, 0, 'nothing saved');
      rmSync(join(folder, '缺节.md'));

      // A link that leaves the folder, through a symbolic link too, is refused.
      symlinkSync('/etc/hostname', join(folder, 'files', 'outside.pdf'));
      writeFileSync(join(folder, '外链.md'), md('外链文章', '规则', '- [外部](files/outside.pdf)'));
      lines.length = 0;
      assert.equal(await run('import', folder, '--as', 'kb_editor'), 1);
      assert.deepEqual(lines, ['nothing was imported: 1 problem', '  外链.md: 相关文件: "files/outside.pdf" is outside the folder being imported']);
      rmSync(join(folder, '外链.md'));

      writeFileSync(join(folder, '坏.md'), md('坏的文章', '规则', '- [不存在](files/none.pdf)'));
      lines.length = 0;
      assert.equal(await run('import', folder, '--as', 'kb_editor'), 1);
      assert.deepEqual(lines, ['nothing was imported: 1 problem', '  坏.md: 相关文件: links to "files/none.pdf", which is not there']);

      const out = mkdtempSync(join(tmpdir(), 'suqiu-kb-out-'));
      lines.length = 0;
      assert.equal(await run('export', out, '--as', 'kb_reviewer'), 0);
      assert.match(lines[0]!, /published articles \(1 attached files\)/);
      lines.length = 0;
      assert.equal(await run('import', out, '--as', 'kb_editor'), 0, lines.join('\n'));
      assert.match(lines[0]!, /0 new, 0 revised, \d+ unchanged/, 'the export reads back as the base it came from');
    });

    test('an import refused for empty sections names the file or row, with its other problems, as one 400', async () => {
      const markdown = await editor.post('/api/articles/import/markdown', {
        files: [{ name: '05-缺节.md', text: without(md('缺节的文章二', '规则'), '坐席提醒') }],
      });
      assert.equal(markdown.statusCode, 400, markdown.body);
      assert.ok(
        markdown.json().issues.some((i: any) => i.path.startsWith('05-缺节.md')),
        markdown.body,
      );

      const book = new ExcelJS.Workbook();
      const rows = book.addWorksheet('知识');
      rows.addRow(['标题', '分类', '标签', '受众', '业务规则描述', '应答步骤及话术', '坐席提醒', '相关文件', '实际案例', '常见问题']);
      rows.addRow(['缺节的文章三', '供电服务', '电费电价', '坐席', '规则', '话术', '', '《供电营业规则》', '案例', '问：何时生效？\n答：次月。']);
      const sheet = await editor.request({
        method: 'POST',
        url: `/api/articles/import/spreadsheet?name=${encodeURIComponent('new.xlsx')}`,
        headers: { 'content-type': 'application/octet-stream' },
        payload: Buffer.from(await book.xlsx.writeBuffer()),
      });
      assert.equal(sheet.statusCode, 400, sheet.body);
      assert.ok(
        sheet.json().issues.some((i: any) => i.path.startsWith('new.xlsx row 2')),
        sheet.body,
      );

      const folder = mkdtempSync(join(tmpdir(), 'suqiu-kb-'));
      try {
        writeFileSync(join(folder, '缺节.md'), without(md('缺节的文章四', '规则'), '常见问题'));
        const lines: string[] = [];
        assert.equal(
          await knowledgeCommand(t.database, t.config, ['import', folder, '--as', 'kb_editor', '--publish-by', 'kb_reviewer'], (l) => lines.push(l)),
          1,
        );
        assert.match(lines.join('\n'), /缺节\.md/);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });
}
