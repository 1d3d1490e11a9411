import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hotIssues, isIssueWord, previousPeriod, DEFAULT_STOP_WORDS, type HotDemand } from './rules.js';

let n = 0;
const d = (words: string[], over: Partial<HotDemand> = {}): HotDemand => ({
  id: n + 1,
  caseId: ++n,
  number: `20261102${String(n).padStart(5, '0')}`,
  category: 'outage_voltage',
  subcategory: null,
  words,
  closed: false,
  ...over,
});

test('words: two characters or more, no numbers or punctuation, no stop words', () => {
  assert.equal(isIssueWord('停电', DEFAULT_STOP_WORDS), true);
  assert.equal(isIssueWord('电', DEFAULT_STOP_WORDS), false);
  assert.equal(isIssueWord('2026', DEFAULT_STOP_WORDS), false);
  assert.equal(isIssueWord('客户', DEFAULT_STOP_WORDS), false);
});

test('terms count demands, once per case, against the previous period, with the share resolved', () => {
  const current = [d(['频繁', '停电', '停电'], { closed: true }), d(['频繁', '停电']), d(['电压', '低电压'], { category: 'supply_service' })];
  const repeat = { ...current[1]!, number: 'repeat' };
  const previous = [d(['停电']), d(['停电']), d(['停电']), d(['电费'])];
  const issues = hotIssues([...current, repeat], previous);
  assert.equal(issues.total, 3);
  assert.equal(issues.previousTotal, 4);
  const stop = issues.terms.find((t) => t.key === '停电')!;
  assert.deepEqual([stop.count, stop.previousCount, stop.change, stop.resolvedRate], [2, 3, -1, 0.5]);
  assert.deepEqual(issues.terms.map((t) => t.key).slice(0, 2), ['频繁', '停电'], 'equal counts: the rising one first');
  const categories = issues.categories.map((c) => [c.key, c.count, c.previousCount]);
  assert.deepEqual(categories, [
    ['outage_voltage', 2, 4],
    ['supply_service', 1, 0],
  ]);
});

test('a month is set against the whole calendar month before it, a quarter against the quarter before', () => {
  const local = (date: string) => new Date(`${date}T00:00:00+08:00`).toISOString();
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

test('examples carry the demand to open, newest first, at most five', () => {
  const current = Array.from({ length: 7 }, () => d(['线损']));
  const term = hotIssues(current, []).terms.find((t) => t.key === '线损')!;
  assert.equal(term.examples.length, 5);
  assert.deepEqual(term.examples[0], { id: current[0]!.id, number: current[0]!.number });
});
