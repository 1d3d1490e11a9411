import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import {
  cellsWorkbook,
  lyingWorkbook,
  minimalWorkbook,
  SHEET_HEAD,
  SHEET_TAIL,
  STRINGS_HEAD,
  stringsWorkbook,
  zipParts,
} from '../../../test/helpers/xlsx-fixtures.js';
import { formatKind, serialToDate } from './xlsx-cells.js';
import { cellText, CELL_MAX_CHARS, fitCells, packCells, readWorkbook, type CellValue, type Sheet, type WorkbookRead } from './xlsx.js';

// Reading workbooks an import is given (issue 13): in a worker, within limits
// counted while reading, every cell as the spreadsheet shows it; and the
// limit of a cell when writing one.

const sheetsOf = (read: WorkbookRead): Sheet[] => {
  assert.ok('sheets' in read, 'refused' in read ? read.refused : '');
  return read.sheets;
};
const texts = (sheet: Sheet) => sheet.rows.map((r) => [r.number, ...r.cells.map(cellText)]);
const refusal = (read: WorkbookRead) => ('refused' in read ? read.refused : 'read');

/** Runs `work` while a timer asks for the event loop every 10 ms: how long the loop was held at most, in ms. */
async function loopHeld<T>(work: () => Promise<T>): Promise<{ result: T; heldMs: number; ms: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  delay.disable();
  return { result, heldMs: delay.max / 1e6, ms };
}

test('every kind of cell reads as the spreadsheet shows it: text, rich text, numbers, booleans, formulas by their result, hyperlinks, errors, dates and times', async () => {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('一览');
  sheet.addRow(['文字', 1.5, true, new Date(Date.UTC(2026, 11, 6)), new Date(Date.UTC(2026, 11, 6, 9, 30)), new Date(Date.UTC(2026, 11, 6, 9, 30, 15))]);
  sheet.addRow([
    { richText: [{ text: '阶梯' }, { font: { bold: true }, text: '电价' }] },
    { formula: 'A1&"x"', result: '文字x' },
    { formula: '1+1', result: 2 },
    { text: '政策原文', hyperlink: 'https://example.com/a.pdf' },
    { error: '#N/A' },
    { formula: 'B1>1', result: false },
  ]);
  sheet.getCell('G5').value = 0.1 + 0.2;
  sheet.getCell('H5').value = { formula: 'NOW()' };
  sheet.getCell('A6').value = 0.395833333333333; // 09:30, as a time of day
  sheet.getCell('A6').numFmt = 'h:mm';
  sheet.getCell('B6').value = 46362; // 2026-12-06 as Excel keeps it, under a Chinese built-in format
  sheet.getCell('B6').numFmt = 'yyyy"年"m"月"d"日"';
  sheet.getCell('C6').value = 46362;
  sheet.getCell('C6').numFmt = '#,##0.00';
  book.addWorksheet('二').addRow(['second']);
  const [first, second] = sheetsOf(await readWorkbook(Buffer.from(await book.xlsx.writeBuffer())));
  assert.equal(first!.name, '一览');
  assert.deepEqual(texts(first!), [
    [1, '文字', '1.5', 'TRUE', '2026-12-06', '2026-12-06 09:30', '2026-12-06 09:30:15'],
    [2, '阶梯电价', '文字x', '2', '政策原文', '#N/A', 'FALSE'],
    [5, '', '', '', '', '', '', '0.3'],
    [6, '09:30', '2026-12-06', '46362'],
  ]);
  assert.deepEqual(first!.rows[1]!.cells[3], { kind: 'link', text: '政策原文', target: 'https://example.com/a.pdf' } satisfies CellValue);
  assert.deepEqual(first!.rows[0]!.cells[4], { kind: 'date', date: '2026-12-06', time: '09:30:00' } satisfies CellValue);
  assert.deepEqual(texts(second!), [[1, 'second']]);

  // The 1904 date system (old Mac workbooks): the same day, from another epoch.
  const mac = new ExcelJS.Workbook();
  mac.properties.date1904 = true;
  mac.addWorksheet('x').addRow([new Date(Date.UTC(2026, 11, 6, 8))]);
  assert.deepEqual(texts(sheetsOf(await readWorkbook(Buffer.from(await mac.xlsx.writeBuffer())))[0]!), [[1, '2026-12-06 08:00']]);
});

test('dates are wall-clock and never shifted; formats say date, time or neither; serials in both systems', () => {
  assert.equal(formatKind(14, undefined), 'date');
  assert.equal(formatKind(31, undefined), 'date', 'yyyy"年"m"月"d"日" (zh-CN built-in)');
  assert.equal(formatKind(20, undefined), 'time');
  assert.equal(formatKind(32, undefined), 'time', 'h"时"mm"分"');
  assert.equal(formatKind(0, undefined), null);
  assert.equal(formatKind(49, undefined), null, '@ text');
  assert.equal(formatKind(164, 'yyyy/mm/dd hh:mm'), 'date');
  assert.equal(formatKind(165, '[$-804]aaaa'), null, 'a weekday alone, by locale, has no y, m or d');
  assert.equal(formatKind(166, 'hh:mm AM/PM'), 'time');
  assert.equal(formatKind(167, '[Red]#,##0.00"天";"-"'), null, 'a literal "天" is no day');
  assert.equal(formatKind(168, '0.00E+00'), null);
  assert.equal(formatKind(169, 'mmm'), 'date');
  assert.equal(formatKind(170, '[h]:mm:ss'), 'time');
  assert.deepEqual(serialToDate(46362, false, 'date'), { kind: 'date', date: '2026-12-06', time: null });
  assert.deepEqual(serialToDate(46362.75, false, 'date'), { kind: 'date', date: '2026-12-06', time: '18:00:00' });
  assert.deepEqual(serialToDate(44900, true, 'date'), { kind: 'date', date: '2026-12-06', time: null });
  assert.deepEqual(serialToDate(1, false, 'date'), { kind: 'date', date: '1900-01-01', time: null });
  assert.deepEqual(serialToDate(0.5, false, 'time'), { kind: 'date', date: null, time: '12:00:00' });
  assert.equal(serialToDate(-1, false, 'date'), null);
  assert.equal(cellText({ kind: 'date', date: '2026-12-06', time: '00:00:01' }), '2026-12-06 00:00:01');
});

test('a zip directory that understates its parts is refused by the bytes really unpacked, not by its word', async () => {
  // 1.3 MB, its directory claiming 2 KB, unpacking to 1,300 MB: issue 13's 1.1 MB that reached 1.3 GB.
  const bomb = lyingWorkbook(1300);
  const { result, ms } = await loopHeld(() => readWorkbook(bomb));
  assert.equal(refusal(result), 'unpacks to more than 100 MB');
  assert.equal(refusal(await readWorkbook(bomb, { maxUnpackedBytes: 20 * 1024 * 1024 })), 'unpacks to more than 20 MB');
  assert.ok(ms < 10_000, `refused in ${Math.round(ms)} ms`);

  // What the directory does claim is checked before a worker starts.
  const claims = minimalWorkbook(`${SHEET_HEAD}${SHEET_TAIL}`, undefined, { 'xl/worksheets/sheet1.xml': 300 * 1024 * 1024 });
  assert.equal(
    refusal(await readWorkbook(claims, { purpose: 'a workbook of articles needs', maxUnpackedBytes: 200 * 1024 * 1024 })),
    'unpacks to 300 MB, more than a workbook of articles needs (200 MB)',
  );

  for (const bytes of [Buffer.from('not a workbook'), bomb.subarray(0, 1000), zipParts([{ name: 'word/document.xml', data: '<w:document/>' }])]) {
    assert.equal(refusal(await readWorkbook(bytes)), 'is not an Excel workbook (.xlsx)');
  }
  // Two parts of one name: which one a reader takes is how a look-alike gets past a check.
  const twice = zipParts([
    { name: 'xl/workbook.xml', data: '<workbook/>' },
    { name: 'xl/workbook.xml', data: '<workbook/>' },
  ]);
  assert.equal(refusal(await readWorkbook(twice)), 'is not an Excel workbook (.xlsx)');
});

test('9 million shared strings in 380 KB are refused at the cap while the event loop runs on; so are too many rows, cells, columns, over-long cells and rows out of order', async () => {
  const bomb = stringsWorkbook(9);
  assert.ok(bomb.length < 400 * 1024, `${bomb.length} bytes`);
  // Its directory is honest (147 MB): read under the knowledge import's 200 MB, the count is what stops it.
  const { result, heldMs, ms } = await loopHeld(() => readWorkbook(bomb, { maxUnpackedBytes: 200 * 1024 * 1024 }));
  assert.equal(refusal(result), 'has more than 1,000,000 different texts (shared strings), more than an import reads');
  assert.ok(ms < 10_000, `refused in ${Math.round(ms)} ms`);
  assert.ok(heldMs < 250, `the event loop was held ${Math.round(heldMs)} ms`);
  // A workbook that says how many it holds is refused before reading them.
  const said = minimalWorkbook(`${SHEET_HEAD}${SHEET_TAIL}`, STRINGS_HEAD.replace('<sst ', '<sst uniqueCount="5000000" ') + '</sst>');
  assert.equal(refusal(await readWorkbook(said)), 'has more than 1,000,000 different texts (shared strings), more than an import reads');

  const rows = (n: number, cells = 1) =>
    minimalWorkbook(`${SHEET_HEAD}${Array.from({ length: n }, () => `<row>${'<c><v>1</v></c>'.repeat(cells)}</row>`).join('')}${SHEET_TAIL}`);
  assert.equal(refusal(await readWorkbook(rows(11), { maxRows: 10 })), 'has more than 10 rows, more than an import reads');
  assert.equal(refusal(await readWorkbook(rows(4, 3), { maxCells: 10 })), 'has more than 10 filled cells, more than an import reads');
  assert.equal(refusal(await readWorkbook(rows(1, 27), { maxColumns: 26 })), 'has a value in cell AA1, past column Z (26 columns are read)');
  assert.equal(sheetsOf(await readWorkbook(rows(10, 2), { maxRows: 10, maxCells: 20 }))[0]!.rows.length, 10, 'at the limits, read');
  const shuffled = minimalWorkbook(`${SHEET_HEAD}<row r="5"><c><v>1</v></c></row><row r="2"><c><v>1</v></c></row>${SHEET_TAIL}`);
  assert.equal(refusal(await readWorkbook(shuffled)), 'is not an Excel workbook (.xlsx): row 2 comes after row 5');
  const long = minimalWorkbook(`${SHEET_HEAD}<row><c t="inlineStr"><is><t>${'长'.repeat(1024 * 1024 + 1)}</t></is></c></row>${SHEET_TAIL}`);
  assert.equal(refusal(await readWorkbook(long)), 'has a cell of more than 1,048,576 characters (Excel holds 32,767)');
});

test('a workbook that takes too long is stopped at the time limit, one that needs too much memory at the memory limit; the process goes on', async () => {
  // 20 million cells in 2 MB: seconds to read, stopped at 1.5 s while the event loop stays free.
  const slow = cellsWorkbook(20);
  const unlimited = { maxRows: 1e9, maxCells: 1e9, maxSharedStrings: 1e9, maxUnpackedBytes: 2 ** 31 };
  const { result, heldMs, ms } = await loopHeld(() => readWorkbook(slow, { ...unlimited, timeoutMs: 1500 }));
  assert.equal(refusal(result), 'took longer than 1.5 s to read, and was stopped');
  assert.ok(ms < 3000, `answered after ${Math.round(ms)} ms`);
  assert.ok(heldMs < 250, `the event loop was held ${Math.round(heldMs)} ms`);

  assert.equal(refusal(await readWorkbook(cellsWorkbook(2), { ...unlimited, memoryMb: 16 })), 'needs more than 16 MB of memory to read, and was stopped');
  // And the next workbook is read as ever.
  assert.deepEqual(texts(sheetsOf(await readWorkbook(minimalWorkbook(`${SHEET_HEAD}<row r="2"><c r="B2"><v>7</v></c></row>${SHEET_TAIL}`)))[0]!), [
    [2, '', '7'],
  ]);
});

test('five workbooks read at once all come back: two readers at a time, the others waiting their turn', async () => {
  const book = minimalWorkbook(`${SHEET_HEAD}<row><c t="inlineStr"><is><t>ok</t></is></c></row>${SHEET_TAIL}`);
  const reads = await Promise.all(Array.from({ length: 5 }, () => readWorkbook(book)));
  assert.deepEqual(
    reads.map((r) => texts(sheetsOf(r)[0]!)),
    Array.from({ length: 5 }, () => [[1, 'ok']]),
  );
});

test('writing: text longer than a cell holds is spread over cells that join back, or cut with a note that says so', async () => {
  const paragraphs = Array.from({ length: 30 }, (_, i) => `${i}：${'段'.repeat(2000)}`);
  const cells = packCells(paragraphs, '\n\n');
  assert.ok(cells.length > 1 && cells.every((c) => c.length <= CELL_MAX_CHARS));
  assert.equal(cells.join('\n\n'), paragraphs.join('\n\n'));
  assert.ok(
    cells.every((c) => /^\d+：/.test(c)),
    'each cell starts with a whole part',
  );
  assert.deepEqual(packCells([''], '\n'), ['']);
  const emoji = packCells(['😀'.repeat(20_000)], '\n');
  assert.ok(
    emoji.every((c) => !/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(c)),
    'never between the halves of a character',
  );

  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('报表');
  sheet.addRow(['短', 'x'.repeat(40_000), { richText: [{ text: 'y'.repeat(33_000) }] }]);
  assert.deepEqual(fitCells(book), [
    { sheet: '报表', cell: 'B1', length: 40_000 },
    { sheet: '报表', cell: 'C1', length: 33_000 },
  ]);
  const cut = sheet.getCell('B1').text;
  assert.ok(cut.length <= CELL_MAX_CHARS);
  assert.match(cut, /此处截断：全文 40,000 字，超出 Excel 单元格上限 32,767 字/);
  assert.equal(sheet.getCell('A1').text, '短');
});
