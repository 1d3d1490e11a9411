import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LADDER, ladderIssue, ladderProblem } from './ladder.js';

test('a ladder is refused for one reason, which the API says in English and the web in its own words from the same issue', () => {
  assert.equal(ladderIssue(DEFAULT_LADDER), null);
  assert.equal(ladderProblem(DEFAULT_LADDER), null);
  assert.deepEqual(
    ladderIssue([
      { level: 1, calls: 3 },
      { level: 2, calls: 5 },
    ]),
    { kind: 'levels' },
  );
  assert.deepEqual(
    ladderIssue([
      { level: 1, calls: 1 },
      { level: 2, calls: 5 },
      { level: 3, calls: 7 },
    ]),
    { kind: 'first' },
  );
  const late = [
    { level: 1, calls: 3 },
    { level: 2, calls: 6 },
    { level: 3, calls: 6 },
  ];
  assert.deepEqual(ladderIssue(late), { kind: 'order', level: 3, previous: 2 });
  assert.equal(ladderProblem(late), 'level 3 must be reached at a later call than level 2');
});
