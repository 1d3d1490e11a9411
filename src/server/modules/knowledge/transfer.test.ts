import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { lyingWorkbook, unzipParts, zipParts } from '../../../../test/helpers/xlsx-fixtures.js';
import { faqFromText, faqToText, parseMarkdown, parseWorkbook, toMarkdown, toWorkbook, type ExportArticle } from './transfer.js';

const article: ExportArticle = {
  id: 7,
  title: '居民阶梯电价: 计算与查询',
  category: 'supply_service',
  tags: ['电费电价', '阶梯电价'],
  audience: 'public',
  publishedAt: null,
  sections: {
    rule: '居民生活用电实行阶梯电价，按年累计。\n\n- 第一档：年用电量2160千瓦时以内',
    script: '1. 核实户号：“您好，请提供户号。”',
    reminders: '- 以本省价格主管部门文件为准',
    documents: '- 《供电营业规则》',
    cases: '2025年3月，某客户来电……',
    faq: [
      { q: '按月还是按年计算？', a: '按年累计计算。' },
      { q: '多人口家庭怎么办？', a: '可申请增加基数。\n需提供户口簿。' },
    ],
    attachments: [3],
    caseDemands: ['D202611230001'],
  },
  files: [{ name: '阶梯电价 文件.pdf', path: 'attachments/3-阶梯电价_文件.pdf' }],
};

test('an article written as Markdown reads back the same, its files as links under 相关文件', () => {
  const text = toMarkdown(article);
  assert.match(
    text,
    /^---\ntitle: "居民阶梯电价: 计算与查询"\ncategory: supply_service\ntags: \[电费电价, 阶梯电价\]\naudience: public\ncaseDemands: \[D202611230001\]\n---\n/,
  );
  const { item, issues } = parseMarkdown(text, 'a.md');
  assert.match(text, /^- \[阶梯电价 文件\.pdf\]\(attachments\/3-阶梯电价_文件\.pdf\)$/m);
  assert.deepEqual(issues, []);
  const { attachments: _, ...sections } = article.sections;
  assert.deepEqual(item!.body, { title: article.title, category: 'supply_service', tags: article.tags, audience: 'public', sections });
  assert.deepEqual(item!.links, [{ name: '阶梯电价 文件.pdf', path: 'attachments/3-阶梯电价_文件.pdf' }]);
});

test('Markdown as people write it: an H1 title, Chinese category and audience names, CRLF, web links kept as text', () => {
  const text =
    '# 欠费停电与复电\r\n\r\n## 业务规则描述\r\n欠费停电应提前通知。\r\n\r\n## 应答话术\r\n您好。\r\n\r\n## 相关文件\r\n- [政策原文](https://example.com/rule.pdf)\r\n';
  const { item, issues } = parseMarkdown(`---\ncategory: 停电与电压质量\naudience: 公开\ntags: 欠费、复电\n---\n${text}`, 'b.md');
  assert.deepEqual(issues, []);
  assert.equal(item!.body.title, '欠费停电与复电');
  assert.equal(item!.body.category, 'outage_voltage');
  assert.equal(item!.body.audience, 'public');
  assert.deepEqual(item!.body.tags, ['欠费', '复电']);
  assert.equal(item!.body.sections.script, '您好。');
  assert.equal(item!.body.sections.documents, '- [政策原文](https://example.com/rule.pdf)');
  assert.deepEqual(item!.links, []);
});

test('what a Markdown file gets wrong is named: an unknown or repeated section, text outside the sections, broken front matter', () => {
  const { issues } = parseMarkdown(
    '---\ntitle: [unclosed\n---\n开头的说明\n## 业务规则\nx\n## 规则\ny\n## 业务规则描述\nz\n## 常见问题\n没有问题标题\n',
    'c.md',
  );
  const paths = issues.map((i) => i.path);
  assert.deepEqual(paths, ['c.md: front matter', 'c.md', 'c.md: ## 规则', 'c.md: ## 业务规则描述', 'c.md: 常见问题']);
  assert.match(issues[2]!.message, /not one of the six sections \(业务规则描述, 应答步骤及话术/);
});

test('FAQ in a cell: 问/答 lines, answers over several lines, and back', () => {
  const faq = faqFromText('问：何时生效？\n答：次月生效。\n逢节假日顺延。\n\nQ: How?\nA: Online.');
  assert.deepEqual(faq, [
    { q: '何时生效？', a: '次月生效。\n逢节假日顺延。' },
    { q: 'How?', a: 'Online.' },
  ]);
  assert.deepEqual(faqFromText(faqToText(faq)), faq);
});

test('a workbook written by the export reads back the same; unknown columns and missing ones are named', async () => {
  const { bytes, continued } = await toWorkbook([article], { category: () => '供电服务', audience: () => '公开' });
  assert.deepEqual(continued, []);
  const { items, issues } = await parseWorkbook(bytes, 'kb.xlsx');
  assert.deepEqual(issues, []);
  const { attachments: _, ...sections } = article.sections;
  assert.deepEqual(
    items.map((i) => [i.source, i.body]),
    [['kb.xlsx row 2', { title: article.title, category: 'supply_service', tags: article.tags, audience: 'public', sections }]],
  );

  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('x');
  sheet.addRow(['标题', '分类', '备注', '应答步骤及话术']);
  sheet.addRow(['a', '供电服务', 'x', 'y']);
  sheet.addRow([]);
  const bad = await parseWorkbook(Buffer.from(await workbook.xlsx.writeBuffer()), 'bad.xlsx');
  assert.deepEqual(
    bad.issues.map((i) => `${i.path}: ${i.message}`).map((m) => m.split(' (')[0]),
    ['bad.xlsx column 3 "备注": is not a known column', 'bad.xlsx: has no "业务规则描述" column'],
  );
  assert.equal(bad.items.length, 1, 'the empty row is passed over');
  assert.deepEqual((await parseWorkbook(Buffer.from('not a workbook'), 'x.xlsx')).issues, [{ path: 'x.xlsx', message: 'is not an Excel workbook (.xlsx)' }]);

  // A workbook whose directory says it unpacks to 300 MB is refused before it is opened.
  const bomb = Buffer.from(bytes);
  const entry = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  bomb.writeUInt32LE(300 * 1024 * 1024, entry + 24);
  assert.match((await parseWorkbook(bomb, 'bomb.xlsx')).issues[0]!.message, /^unpacks to 300 MB, more than a workbook of articles needs/);
});

test('what would break a round trip is escaped: heading-like lines in a section, brackets in a file name; FAQ answers keep their paragraphs', () => {
  const odd: ExportArticle = {
    ...article,
    sections: { ...article.sections, rule: '## 不是标题\n#也不是\n\\## 反斜杠', faq: [{ q: '问题？', a: '第一段。\n\n第二段。\n### 不是问题' }] },
    files: [{ name: '附件[1].pdf', path: 'attachments/3-附件_1_.pdf' }],
  };
  const { item, issues } = parseMarkdown(toMarkdown(odd), 'odd.md');
  assert.deepEqual(issues, []);
  assert.equal(item!.body.sections.rule, odd.sections.rule);
  assert.deepEqual(item!.body.sections.faq, odd.sections.faq);
  assert.deepEqual(item!.links, [{ name: '附件[1].pdf', path: 'attachments/3-附件_1_.pdf' }]);
  assert.deepEqual(faqFromText(faqToText(odd.sections.faq)), odd.sections.faq);
});

test('a workbook whose zip directory understates its size is refused once 200 MB is really unpacked, naming the file', async () => {
  // 1.3 MB whose directory says 2 KB, unpacking to 1,300 MB (issue 13: 1.1 MB reached 1.3 GB).
  const bomb = lyingWorkbook(1300);
  assert.ok(bomb.length < 1.5 * 1024 * 1024);
  const { items, issues } = await parseWorkbook(bomb, 'bomb.xlsx');
  assert.deepEqual([items, issues], [[], [{ path: 'bomb.xlsx', message: 'unpacks to more than 200 MB' }]]);
});

test('a FAQ longer than a cell holds continues in the columns after it, whole pairs to a cell, and reads back the same', async () => {
  // 100 pairs of 4,000-character answers: 400,000 characters, thirteen cells.
  const faq = Array.from({ length: 100 }, (_, i) => ({ q: `第${i + 1}个问题？`, a: `${'答'.repeat(3990)}${i}\n\n末段。` }));
  const long: ExportArticle = { ...article, id: 8, title: '很长的问答', sections: { ...article.sections, faq } };
  const { bytes, continued } = await toWorkbook([article, long], { category: () => '供电服务', audience: () => '公开' });
  assert.deepEqual(continued, [{ id: 8, title: '很长的问答', sections: ['常见问题'] }]);

  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const [sheet, notes] = book.worksheets;
  const headers = (sheet!.getRow(1).values as string[]).slice(1);
  const faqColumns = headers.flatMap((h, i) => (h.startsWith('常见问题') ? [i + 1] : []));
  assert.deepEqual(headers.slice(9, 12), ['常见问题', '常见问题（续）', '常见问题（续）']);
  for (const col of faqColumns) {
    const text = sheet!.getRow(3).getCell(col).text;
    assert.ok(text.length <= 32_767, `column ${col} holds ${text.length} characters`);
    assert.ok(text === '' || text.startsWith('问：'), 'each cell starts with a question');
  }
  assert.equal(notes!.name, '导出说明');
  assert.deepEqual((notes!.getRow(3).values as string[]).slice(1), ['很长的问答', '常见问题']);

  const { items, issues } = await parseWorkbook(bytes, 'kb.xlsx');
  assert.deepEqual(issues, []);
  assert.deepEqual(items[1]!.body.sections.faq, faq);
  assert.deepEqual(items[0]!.body.sections.faq, article.sections.faq, 'a short FAQ is not joined to its empty continuations');
});

test('cells as a spreadsheet holds them: dates as the dates typed, numbers, formulas, rich text; a web link in 相关文件 kept with its name', async () => {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('知识');
  sheet.addRow(['标题', '分类', '标签', '业务规则描述', '应答步骤及话术', '坐席提醒', '相关文件', '实际案例', '常见问题']);
  // exceljs writes a Date as Excel's serial in the UTC wall clock: what Excel shows for a date typed in.
  sheet.addRow([
    { richText: [{ text: '阶梯' }, { font: { bold: true }, text: '电价' }] },
    '供电服务',
    2026,
    { formula: '"按年"&"累计"', result: '按年累计' },
    new Date(Date.UTC(2026, 11, 6)),
    new Date(Date.UTC(2026, 11, 6, 9, 30)),
    { text: '政策原文', hyperlink: 'https://example.com/rule.pdf' },
    0.1 + 0.2,
    '问：何时？\n答：次月。',
  ]);
  sheet.getCell('F2').numFmt = 'yyyy-mm-dd hh:mm';
  const { items, issues } = await parseWorkbook(Buffer.from(await book.xlsx.writeBuffer()), 'cells.xlsx');
  assert.deepEqual(issues, []);
  const body = items[0]!.body;
  assert.deepEqual(
    [body.title, body.tags, body.sections.rule, body.sections.script, body.sections.reminders, body.sections.documents, body.sections.cases],
    ['阶梯电价', ['2026'], '按年累计', '2026-12-06', '2026-12-06 09:30', '[政策原文](https://example.com/rule.pdf)', '0.3'],
  );
});

test('a sheet written by another tool reads the same: inline strings, rich text with phonetic guides, CDATA, rows and cells without references', async () => {
  const bytes = Buffer.from(
    await (async () => {
      const book = new ExcelJS.Workbook();
      book.addWorksheet('x').addRow(['标题']);
      return book.xlsx.writeBuffer();
    })(),
  );
  const parts = unzipParts(bytes);
  const sheet = parts.find((p) => p.name === 'xl/worksheets/sheet1.xml')!;
  sheet.data = Buffer.from(
    sheet.data
      .toString()
      .replace(
        /<sheetData>[\s\S]*<\/sheetData>/,
        '<sheetData><row><c t="inlineStr"><is><t>标题</t></is></c><c t="inlineStr"><is><t>分类</t></is></c><c t="inlineStr"><is><t>业务规则描述</t></is></c><c t="inlineStr"><is><t>应答话术</t></is></c></row><row><c t="inlineStr"><is><r><t>a &amp; </t></r><r><t xml:space="preserve">b_x000D_</t></r><rPh><t>ふりがな</t></rPh></is></c><c t="inlineStr"><is><t><![CDATA[供电服务]]></t></is></c><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c></row></sheetData>',
      ),
  );
  const { items, issues } = await parseWorkbook(zipParts(parts), 'other.xlsx');
  assert.deepEqual(issues, []);
  assert.deepEqual(
    [items[0]!.source, items[0]!.body.title, items[0]!.body.category, items[0]!.body.sections.rule, items[0]!.body.sections.script],
    ['other.xlsx row 2', 'a & b', 'supply_service', 'TRUE', '#N/A'],
  );
});
