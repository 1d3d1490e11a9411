import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFor, MISSING_KEPT_MS, takePoll, type PollMark } from './rules.js';

const handler = { userId: 5, roles: ['handler'], visibleUnits: new Set([10, 11]) };

test('a notification for one user reaches that user only', () => {
  assert.equal(isFor({ user_id: 5, role: null, unit_id: null }, handler), true);
  assert.equal(isFor({ user_id: 6, role: null, unit_id: null }, handler), false);
});

test('a notification for a role in a unit reaches that role’s holders who see the unit', () => {
  assert.equal(isFor({ user_id: null, role: 'handler', unit_id: 11 }, handler), true);
  assert.equal(isFor({ user_id: null, role: 'handler', unit_id: 12 }, handler), false, 'a sibling unit');
  assert.equal(isFor({ user_id: null, role: 'team_lead', unit_id: 11 }, handler), false, 'another role');
  assert.equal(isFor({ user_id: null, role: 'handler', unit_id: null }, handler), true, 'every handler');
});

test('a poll takes each id once, also one that commits after a higher id was read', () => {
  const mark: PollMark = { lastId: 10, missing: new Map() };
  assert.deepEqual(takePoll(mark, [11, 13, 14], 0), [11, 13, 14]);
  assert.deepEqual([...mark.missing.keys()], [12], '12 was skipped over: its transaction is still open, or rolled back');
  assert.deepEqual(takePoll(mark, [12, 15], 1_000), [12, 15], 'the late one is delivered');
  assert.equal(mark.missing.size, 0);
  assert.deepEqual(takePoll(mark, [12, 15], 2_000), [], 'nothing twice');
});

test('a poll gives up on an id that never comes (a rolled-back insert) after a while', () => {
  const mark: PollMark = { lastId: 0, missing: new Map() };
  takePoll(mark, [1, 3], 0);
  takePoll(mark, [], MISSING_KEPT_MS - 1);
  assert.deepEqual([...mark.missing.keys()], [2]);
  takePoll(mark, [4], MISSING_KEPT_MS + 1);
  assert.equal(mark.missing.size, 0);
  assert.deepEqual(takePoll(mark, [2], MISSING_KEPT_MS + 2), [], 'too late: left to the list and the replay');
});
