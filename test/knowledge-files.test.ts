import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, type Client, type TestApp } from './helpers/app.js';

// 相关文件 and 实际案例: files uploaded, checked by their content, kept on disk
// and served with their type; real demands cited as cases, linked by number.

// All six sections filled (a version goes to review only so); the tests below change 相关文件 and 实际案例.
const sections = (rule: string, extra: Record<string, unknown> = {}) => ({
  rule,
  script: '您好，请问有什么可以帮您？',
  reminders: '答复前先核实户号。',
  documents: '《供电营业规则》',
  cases: '客户来电咨询，坐席按规则答复。',
  faq: [{ q: '在哪里查询？', a: '可拨打95598查询。' }],
  ...extra,
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('0000000dIHDR-not-a-real-image')]);

for (const target of testDatabases()) {
  describe(`knowledge files and cases (${target.name})`, () => {
    let t: TestApp;
    let editor: Client;
    let reviewer: Client;
    let agent: Client;

    const upload = (client: Client, name: string, bytes: Buffer, contentType = 'application/octet-stream') =>
      client.request({ method: 'POST', url: `/api/articles/files?name=${encodeURIComponent(name)}`, headers: { 'content-type': contentType }, payload: bytes });

    before(async () => {
      t = await startTestApp(target);
      editor = await t.login('kb_editor');
      reviewer = await t.login('kb_reviewer');
      agent = await t.login('agent');
    });
    after(() => t.close());

    test('files are accepted by their content, kept on disk, listed by a version and served with their type', async () => {
      const pdf = await upload(editor, '供电营业规则.pdf', PDF);
      assert.equal(pdf.statusCode, 201, pdf.body);
      assert.deepEqual(
        { ...(pdf.json() as object), id: 0, createdAt: '' },
        { id: 0, name: '供电营业规则.pdf', contentType: 'application/pdf', size: PDF.length, createdAt: '' },
      );
      const workbook = new ExcelJS.Workbook();
      workbook.addWorksheet('收费标准').addRow(['项目', '收费']);
      const xlsxBytes = Buffer.from(await workbook.xlsx.writeBuffer());
      const xlsx = await upload(editor, '有偿服务收费标准.xlsx', xlsxBytes);
      assert.equal(xlsx.statusCode, 201, xlsx.body);
      assert.equal(xlsx.json().contentType, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const png = await upload(editor, 'C:\\Users\\editor\\产权分界示意图.PNG', PNG);
      assert.equal(png.statusCode, 201, png.body);
      assert.equal(png.json().name, '产权分界示意图.PNG', 'the folders of the name are dropped');
      const sha = (await t.database.db.selectFrom('article_files').select('sha256').where('id', '=', pdf.json().id).executeTakeFirstOrThrow()).sha256;
      assert.ok(existsSync(join(t.config.dataDir, 'attachments', sha.slice(0, 2), sha)), 'the bytes are on disk under SUQIU_DATA_DIR');

      // Refused: what is not a document or an image, a name that lies about the content, an empty or too large file, a browser form.
      const exe = await upload(editor, 'setup.exe', Buffer.from('MZ\x90\x00'));
      assert.equal(exe.statusCode, 415);
      assert.match(exe.json().message, /setup\.exe.*PDF, Word/);
      const html = await upload(editor, '规则.pdf', Buffer.from('<html><script>alert(1)</script></html>'));
      assert.equal(html.statusCode, 415);
      assert.match(html.json().message, /not a PDF/);
      const renamed = await upload(editor, '示意图.docx', PNG);
      assert.equal(renamed.statusCode, 415);
      assert.match(renamed.json().message, /named \.docx but its content is PNG/);
      assert.equal((await upload(editor, '空.pdf', Buffer.alloc(0))).statusCode, 400);
      const big = await upload(editor, '大文件.pdf', Buffer.concat([PDF, Buffer.alloc(t.config.attachmentMaxBytes)]));
      assert.equal(big.statusCode, 413);
      assert.match(big.json().message, /at most 20 MB/);
      const form = await upload(editor, 'x.pdf', PDF, 'application/pdf');
      assert.equal(form.statusCode, 415);
      assert.match(form.json().message, /application\/octet-stream/);
      assert.equal((await upload(agent, '供电营业规则.pdf', PDF)).statusCode, 403, 'only editors upload');
      assert.equal(
        (await editor.request({ method: 'POST', url: '/api/articles/files', headers: { 'content-type': 'application/octet-stream' }, payload: PDF }))
          .statusCode,
        400,
        'the name is needed',
      );

      const created = await editor.post('/api/articles', {
        title: '表后线路故障处理',
        category: 'supply_service',
        tags: ['有偿服务与产权分界'],
        sections: sections('产权分界点以下的表后线路由客户维护。', { documents: '《供电营业规则》', attachments: [pdf.json().id, png.json().id] }),
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id;
      assert.deepEqual(
        created.json().draft.files.map((f: any) => f.name),
        ['供电营业规则.pdf', '产权分界示意图.PNG'],
      );
      assert.equal((await agent.get(`/api/articles/files/${pdf.json().id}`)).statusCode, 404, 'not public while its article is a draft');
      const missing = await editor.put(`/api/articles/${id}`, {
        title: '表后线路故障处理',
        category: 'supply_service',
        sections: sections('x', { attachments: [pdf.json().id, 999_999] }),
      });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.json().message, /sections\.attachments.*999999/);
      assert.equal(
        (
          await editor.put(`/api/articles/${id}`, {
            title: '表后线路故障处理',
            category: 'supply_service',
            sections: sections('x', { attachments: [2 ** 40] }),
          })
        ).statusCode,
        400,
      );
      assert.deepEqual(
        (await editor.get(`/api/articles/${id}`)).json().draft.sections.rule,
        '产权分界点以下的表后线路由客户维护。',
        'the refused edit changed nothing',
      );

      await editor.post(`/api/articles/${id}/submit`);
      assert.equal((await reviewer.post(`/api/articles/${id}/approve`, {})).statusCode, 200);
      const served = await agent.get(`/api/articles/files/${pdf.json().id}`);
      assert.equal(served.statusCode, 200);
      assert.equal(served.headers['content-type'], 'application/pdf');
      assert.equal(served.headers['x-content-type-options'], 'nosniff');
      assert.match(String(served.headers['content-disposition']), /^inline; .*filename\*=UTF-8''%E4%BE%9B%E7%94%B5/);
      assert.deepEqual(served.rawPayload, PDF);
      assert.equal(
        (await agent.get(`/api/articles/files/${xlsx.json().id}`)).statusCode,
        404,
        'a file no published version lists stays with the knowledge group',
      );
      const sheet = await editor.get(`/api/articles/files/${xlsx.json().id}`);
      assert.match(String(sheet.headers['content-disposition']), /^attachment;/);
      assert.equal((await agent.get(`/api/articles/search?q=${encodeURIComponent('产权分界示意图')}`)).json().items[0]?.id, id, 'a file’s name is searched');

      // A revision drops a file and adds another: the published version keeps its own, and the diff names them.
      await editor.post(`/api/articles/${id}/revise`);
      const revised = await editor.put(`/api/articles/${id}`, {
        title: '表后线路故障处理',
        category: 'supply_service',
        sections: sections('产权分界点以下的表后线路由客户维护。', { documents: '《供电营业规则》', attachments: [pdf.json().id, xlsx.json().id] }),
      });
      assert.equal(revised.statusCode, 200, revised.body);
      assert.deepEqual(
        revised.json().published.files.map((f: any) => f.name),
        ['供电营业规则.pdf', '产权分界示意图.PNG'],
      );
      const diff = (await editor.get(`/api/articles/${id}/diff?from=1&to=2`)).json();
      const documents = diff.sections.find((s: any) => s.section === 'documents');
      assert.equal(documents.changed, true);
      assert.deepEqual(
        documents.pieces.filter((p: any) => p.op !== 'same').map((p: any) => [p.op, p.text.trim()]),
        [
          ['removed', '附件：产权分界示意图.PNG'],
          ['added', '附件：有偿服务收费标准.xlsx'],
        ],
      );
    });

    test('real demands cited as cases: by number, refused when there is none, shown in full to those who may see the demand', async () => {
      const customer = await t.database.db.selectFrom('customers').select(['account_no', 'phone']).orderBy('id').executeTakeFirstOrThrow();
      const registered = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'consultation',
        category: 'supply_service',
        customer: { accountNo: customer.account_no, phone: customer.phone },
        content: '客户表后线烧坏，询问是否由供电局免费维修',
      });
      assert.equal(registered.statusCode, 201, registered.body);
      const demand = registered.json();

      const none = await editor.post('/api/articles', {
        title: '表后线烧坏谁来修',
        category: 'supply_service',
        sections: sections('表后线属客户资产。', { cases: '客户来电询问表后线维修。', caseDemands: ['NO-SUCH-1'] }),
      });
      assert.equal(none.statusCode, 400);
      assert.match(none.json().message, /sections\.caseDemands.*NO-SUCH-1/);
      assert.equal((await t.database.db.selectFrom('articles').select('id').where('title', '=', '表后线烧坏谁来修').execute()).length, 0, 'nothing saved');

      // 相关文件 and 实际案例 left empty: a draft, refused for review naming both.
      const created = await editor.post('/api/articles', {
        title: '表后线烧坏谁来修',
        category: 'supply_service',
        sections: sections('表后线属客户资产。', { documents: '', cases: '' }),
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id;
      const refused = await editor.post(`/api/articles/${id}/submit`);
      assert.equal(refused.statusCode, 409);
      assert.match(refused.json().message, /all six sections filled; empty: 相关文件 \(documents\), 实际案例 \(cases\)$/);
      // A file alone fills 相关文件, a cited demand alone 实际案例.
      const pdf = await upload(editor, '产权分界规定.pdf', PDF);
      const filled = await editor.put(`/api/articles/${id}`, {
        title: '表后线烧坏谁来修',
        category: 'supply_service',
        sections: sections('表后线属客户资产。', { documents: '', attachments: [pdf.json().id], cases: '', caseDemands: [demand.number] }),
      });
      assert.equal(filled.statusCode, 200, filled.body);
      assert.equal((await editor.post(`/api/articles/${id}/submit`)).statusCode, 200, 'a file and a demand fill the two sections');
      assert.equal((await reviewer.post(`/api/articles/${id}/approve`, {})).statusCode, 200);
      const seen = (await agent.get(`/api/articles/${id}`)).json().published.caseLinks;
      assert.deepEqual(
        seen.map((c: any) => [c.number, c.demandId, c.category]),
        [[demand.number, demand.id, 'supply_service']],
      );
      assert.match(seen[0].excerpt, /表后线烧坏/);
      // A county bureau's handler does not see the centre's demand: the number only.
      const handler = await t.login('handler');
      const hidden = (await handler.get(`/api/articles/${id}`)).json().published.caseLinks;
      assert.deepEqual(hidden, [{ number: demand.number, demandId: null, category: null, status: null, excerpt: null }]);
    });
  });
}
