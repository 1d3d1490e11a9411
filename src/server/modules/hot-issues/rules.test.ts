import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  countCases,
  daysBefore,
  daysOfPeriod,
  DEFAULT_STOP_WORDS,
  excerptOf,
  groupTerms,
  isIssueWord,
  normaliseStopWords,
  previousPeriod,
  rankItems,
  termsOf,
  trendOf,
  weeksOf,
  type HotCase,
  type SampleCase,
} from './rules.js';

const STOP = new Set(DEFAULT_STOP_WORDS);
const local = (date: string) => new Date(`${date}T00:00:00+08:00`).toISOString();

test('words: two characters or more, no numbers or punctuation, no stop words', () => {
  assert.equal(isIssueWord('停电', STOP), true);
  assert.equal(isIssueWord('电', STOP), false);
  assert.equal(isIssueWord('2026', STOP), false);
  assert.equal(isIssueWord('客户', STOP), false);
  assert.deepEqual(termsOf(['电压', '不', '稳', '电压', '灯泡', '，', '2026', '闪烁']), ['电压', '灯泡', '闪烁'], 'distinct, in order');
  assert.deepEqual(normaliseStopWords([' 客户 ', 'APP', '', '客户']), ['app', '客户']);
});

test('the rollups count each case once, per day of its first call × unit, and per category × sub-category', () => {
  let n = 0;
  const c = (at: string, unitId: number, terms: string[], over: Partial<HotCase> = {}): HotCase => ({
    id: ++n,
    number: `N${n}`,
    createdAt: at,
    unitId,
    category: 'outage_voltage',
    subcategory: null,
    terms,
    closed: false,
    ...over,
  });
  const rows = countCases(
    [
      c('2026-11-02T01:00:00Z', 7, ['停电', '频繁'], { closed: true }),
      c('2026-11-02T03:00:00Z', 7, ['停电']),
      // 17:00 UTC on the 2nd is the 3rd in Beijing
      c('2026-11-02T17:00:00Z', 7, ['停电'], { category: null }),
      c('2026-11-02T04:00:00Z', 8, ['电费', '多扣'], { category: 'supply_service', subcategory: 'fee' }),
    ],
    'Asia/Shanghai',
  );
  const term = (day: string, unit: number, t: string) => rows.terms.find((r) => r.day === day && r.unitId === unit && r.term === t);
  assert.deepEqual([term('2026-11-02', 7, '停电')?.cases, term('2026-11-02', 7, '停电')?.closed], [2, 1]);
  assert.equal(term('2026-11-03', 7, '停电')?.cases, 1);
  assert.equal(term('2026-11-02', 8, '多扣')?.cases, 1);
  assert.equal(rows.terms.length, 5);
  assert.deepEqual(
    rows.cases.map((r) => [r.day, r.unitId, r.category, r.subcategory, r.cases, r.closed]).sort(),
    [
      ['2026-11-02', 7, 'outage_voltage', '', 2, 1],
      ['2026-11-02', 8, 'supply_service', 'fee', 1, 0],
      ['2026-11-03', 7, '', '', 1, 0],
    ].sort(),
  );
});

test('trend: rising or falling by 2 cases or more and by a fifth of the larger count; else steady', () => {
  assert.equal(trendOf(12, 10), 'steady', '+2 of 12 is less than a fifth');
  assert.equal(trendOf(13, 10), 'rising', '+3 of 13 is at least a fifth');
  assert.equal(trendOf(3, 2), 'steady', 'a move of one case is noise');
  assert.equal(trendOf(2, 0), 'rising', 'new with two cases');
  assert.equal(trendOf(1, 0), 'steady', 'new with one case');
  assert.equal(trendOf(0, 2), 'falling', 'gone');
  assert.equal(trendOf(100, 125), 'falling', '−25 of 125 is a fifth');
  assert.equal(trendOf(101, 125), 'steady');
});

test('items: the most frequent first, ties by the larger rise, against the period before, with the share resolved', () => {
  const current = new Map([
    ['停电', { cases: 4, closed: 2 }],
    ['频繁', { cases: 4, closed: 0 }],
    ['电费', { cases: 1, closed: 1 }],
  ]);
  const items = rankItems(current, new Map([['停电', 6]]), 2, (k) => [{ id: 1, number: k }]);
  assert.deepEqual(
    items.map((i) => [i.key, i.count, i.previousCount, i.change, i.trend, i.resolvedRate]),
    [
      ['频繁', 4, 0, 4, 'rising', 0],
      ['停电', 4, 6, -2, 'falling', 0.5],
    ],
  );
  assert.deepEqual(items[0]!.examples, [{ id: 1, number: '频繁' }]);
});

test('groups: terms that meet in the same cases far more than chance are one issue; a term in every case joins none', () => {
  const sample: SampleCase[] = [];
  let n = 0;
  const add = (count: number, terms: string[]) => {
    for (let i = 0; i < count; i++) sample.push({ id: ++n, number: `N${n}`, terms: ['停电', ...terms] });
  };
  // Every case says 停电; 电压 + 灯泡 + 闪烁 go together, 电费 + 多扣 go together; 抢修 comes alone.
  add(8, ['电压', '灯泡', '闪烁']);
  add(2, ['电压']);
  add(1, ['灯泡', '闪烁']);
  add(6, ['电费', '多扣']);
  add(1, ['电费']);
  add(10, ['抢修']);
  add(3, ['抢修', '电压']);
  const ranked = ['停电', '电压', '抢修', '灯泡', '闪烁', '电费', '多扣'];
  const groups = groupTerms(ranked, sample);
  assert.deepEqual(
    groups.map((g) => g.terms),
    [
      ['电压', '灯泡', '闪烁'],
      ['电费', '多扣'],
    ],
  );
  // Of the 13 cases with 电压, 8 have 灯泡 or 闪烁 too.
  assert.equal(groups[0]!.cohesion, 8 / 13);
  assert.equal(groups[0]!.examples.length, 5);
  assert.deepEqual(
    groups[0]!.examples.map((e) => e.id),
    [1, 2, 3, 4, 5],
  );
  // Too few cases together: no group.
  assert.deepEqual(groupTerms(ranked, sample.slice(0, 2)), []);
});

test('groups never grow beyond four terms: the weakest link is left out', () => {
  const sample: SampleCase[] = [];
  for (let i = 0; i < 10; i++) sample.push({ id: i + 1, number: `N${i}`, terms: ['a1', 'a2', 'a3', 'a4', 'a5'] });
  for (let i = 0; i < 30; i++) sample.push({ id: 100 + i, number: `M${i}`, terms: ['other'] });
  const groups = groupTerms(['a1', 'a2', 'a3', 'a4', 'a5', 'other'], sample);
  assert.equal(groups.length, 1);
  assert.deepEqual(groups[0]!.terms, ['a1', 'a2', 'a3', 'a4']);
});

test('weeks: Monday to Sunday, cut at the period’s ends; each set against as many days just before', () => {
  // November 2026 begins on a Sunday.
  assert.deepEqual(weeksOf('2026-11-01', '2026-12-01'), [
    { fromDay: '2026-11-01', toDay: '2026-11-02' },
    { fromDay: '2026-11-02', toDay: '2026-11-09' },
    { fromDay: '2026-11-09', toDay: '2026-11-16' },
    { fromDay: '2026-11-16', toDay: '2026-11-23' },
    { fromDay: '2026-11-23', toDay: '2026-11-30' },
    { fromDay: '2026-11-30', toDay: '2026-12-01' },
  ]);
  assert.deepEqual(daysBefore({ fromDay: '2026-11-02', toDay: '2026-11-09' }), { fromDay: '2026-10-26', toDay: '2026-11-02' });
  assert.deepEqual(daysOfPeriod({ from: local('2026-11-01'), to: local('2026-12-01') }, 'Asia/Shanghai'), { fromDay: '2026-11-01', toDay: '2026-12-01' });
  assert.deepEqual(daysOfPeriod({ from: '2026-11-01T04:00:00.000Z', to: '2026-11-02T04:00:00.000Z' }, 'Asia/Shanghai'), {
    fromDay: '2026-11-01',
    toDay: '2026-11-03',
  });
});

test('a month is set against the whole calendar month before it, a quarter against the quarter before', () => {
  // November (30 days) against all of October (31 days): 1 October is not dropped.
  assert.deepEqual(previousPeriod({ from: local('2026-11-01'), to: local('2026-12-01') }), { from: local('2026-10-01'), to: local('2026-11-01') });
  // March against February (28 days), across a year for January.
  assert.deepEqual(previousPeriod({ from: local('2026-03-01'), to: local('2026-04-01') }), { from: local('2026-02-01'), to: local('2026-03-01') });
  assert.deepEqual(previousPeriod({ from: local('2026-01-01'), to: local('2026-02-01') }), { from: local('2025-12-01'), to: local('2026-01-01') });
  // The fourth quarter against the third; a whole year against the year before.
  assert.deepEqual(previousPeriod({ from: local('2026-10-01'), to: local('2027-01-01') }), { from: local('2026-07-01'), to: local('2026-10-01') });
  assert.deepEqual(previousPeriod({ from: local('2026-01-01'), to: local('2027-01-01') }), { from: local('2025-01-01'), to: local('2026-01-01') });
  // Any other period: the same length just before it.
  assert.deepEqual(previousPeriod({ from: local('2026-11-09'), to: local('2026-11-16') }), { from: local('2026-11-02'), to: local('2026-11-09') });
  const noon = { from: '2026-11-01T04:00:00.000Z', to: '2026-12-01T04:00:00.000Z' };
  assert.deepEqual(previousPeriod(noon), { from: '2026-10-02T04:00:00.000Z', to: noon.from }, 'not at local midnight: the same length');
});

test('an excerpt shows the words around the term', () => {
  assert.equal(excerptOf('电压不稳', '电压'), '电压不稳');
  const long = `${'甲'.repeat(50)}电费多扣${'乙'.repeat(50)}`;
  assert.equal(excerptOf(long, '多扣', 5), '…甲甲甲电费多扣乙乙乙乙乙…');
});
