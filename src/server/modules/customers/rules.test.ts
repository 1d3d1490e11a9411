import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConsumptionRows, consumptionColumns, defaultYear, monthsUpTo, normalMonth, parseCsv, rankByConsumption } from './rules.js';

test('the ranking: largest first, ties by id, each share and the cumulative share of the year’s total', () => {
  const items = [
    { customerId: 3, kwh: 100 },
    { customerId: 1, kwh: 500 },
    { customerId: 2, kwh: 100 },
    { customerId: 4, kwh: 300 },
  ];
  const ranked = rankByConsumption(items, 1000, 3);
  assert.deepEqual(
    ranked.map((r) => [r.item.customerId, r.rank]),
    [
      [1, 1],
      [4, 2],
      [2, 3],
    ],
  );
  assert.deepEqual(
    ranked.map((r) => r.share),
    [0.5, 0.3, 0.1],
  );
  assert.deepEqual(
    ranked.map((r) => Math.round(r.cumulativeShare * 1000) / 1000),
    [0.5, 0.8, 0.9],
  );
  assert.deepEqual(rankByConsumption([], 0, 100), []);
  assert.equal(rankByConsumption([{ customerId: 1, kwh: 0 }], 0, 1)[0]!.share, 0, 'no energy: no share, never NaN');
});

test('the year defaults to the latest whose twelve months are imported, else the latest with any', () => {
  const y = (year: number, months: number) => ({ year, months });
  assert.equal(defaultYear([y(2024, 12), y(2025, 12), y(2026, 11)]), 2025, 'not a year still being imported');
  assert.equal(defaultYear([y(2025, 12), y(2026, 12)]), 2026);
  assert.equal(defaultYear([y(2025, 1), y(2026, 11)]), 2026, 'no whole year yet: the latest');
  assert.equal(defaultYear([]), null);
});

test('months as people write them', () => {
  assert.equal(normalMonth('2026-01'), '2026-01');
  assert.equal(normalMonth('2026/1'), '2026-01');
  assert.equal(normalMonth('202612'), '2026-12');
  assert.equal(normalMonth('2026年3月'), '2026-03');
  assert.equal(normalMonth('2026-03-01'), '2026-03', 'a date cell of the month’s first day');
  assert.equal(normalMonth('2026-13'), null);
  assert.equal(normalMonth('March'), null);
});

test('each bad row is named with its problem; a repeated account and month names the first row', () => {
  const { rows, rejected } = checkConsumptionRows([
    { row: 2, accountNo: '5300000001', month: '2026-01', kwh: '1,200.5' },
    { row: 3, accountNo: '5300000001', month: '2026-13', kwh: '10' },
    { row: 4, accountNo: '5300000002', month: '2026-01', kwh: '-5' },
    { row: 5, accountNo: '5300000002', month: '2026-02', kwh: 'abc' },
    { row: 6, accountNo: '5300000001', month: '2026/1', kwh: '7' },
    { row: 7, accountNo: '', month: '2026-01', kwh: '7' },
  ]);
  assert.deepEqual(rows, [{ row: 2, accountNo: '5300000001', month: '2026-01', kwh: 1200.5 }]);
  assert.deepEqual(
    rejected.map((r) => r.row),
    [3, 4, 5, 6, 7],
  );
  assert.match(rejected[0]!.problem, /month "2026-13"/);
  assert.match(rejected[1]!.problem, /negative/);
  assert.match(rejected[2]!.problem, /not a number/);
  assert.match(rejected[3]!.problem, /already in row 2/);
  assert.match(rejected[4]!.problem, /户号/);
});

test('CSV: quotes, a BOM, CRLF; Chinese or English headers', () => {
  assert.deepEqual(parseCsv('\uFEFF户号,月份,电量\r\n"53,1",2026-01,"1,0"\r\n5302,2026-02,"a ""b"""\n'), [
    ['户号', '月份', '电量'],
    ['53,1', '2026-01', '1,0'],
    ['5302', '2026-02', 'a "b"'],
  ]);
  assert.deepEqual(consumptionColumns(['户号', '月份', '电量']), { columns: { accountNo: 0, month: 1, kwh: 2 } });
  assert.deepEqual(consumptionColumns(['month', 'accountNo', 'kWh']), { columns: { accountNo: 1, month: 0, kwh: 2 } });
  assert.deepEqual(consumptionColumns(['户号', 'x']), { missing: ['month (月份)', 'kwh (电量)'] });
});

test('a record’s chart months', () => {
  assert.deepEqual(monthsUpTo('2026-02', 3), ['2025-12', '2026-01', '2026-02']);
});
