import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hotIssues, isIssueWord, DEFAULT_STOP_WORDS, type HotDemand } from './rules.js';

let n = 0;
const d = (words: string[], over: Partial<HotDemand> = {}): HotDemand => ({ caseId: ++n, number: `20261102${String(n).padStart(5, '0')}`, category: 'outage_voltage', subcategory: null, words, closed: false, ...over });

test('words: two characters or more, no numbers or punctuation, no stop words', () => {
  assert.equal(isIssueWord('停电', DEFAULT_STOP_WORDS), true);
  assert.equal(isIssueWord('电', DEFAULT_STOP_WORDS), false);
  assert.equal(isIssueWord('2026', DEFAULT_STOP_WORDS), false);
  assert.equal(isIssueWord('客户', DEFAULT_STOP_WORDS), false);
});

test('terms count demands, once per case, against the previous period, with the share resolved', () => {
  const current = [
    d(['频繁', '停电', '停电'], { closed: true }),
    d(['频繁', '停电']),
    d(['电压', '低电压'], { category: 'supply_service' }),
  ];
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
