import { test } from 'node:test';
import assert from 'node:assert/strict';
import { afterFailedLogin, afterSuccessfulLogin, isLocked, LOCK_MINUTES, MAX_FAILED_LOGINS, shouldRefreshSession } from './rules.js';

const t0 = new Date('2026-11-23T08:00:00.000Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

test('four wrong passwords do not lock; the fifth locks for fifteen minutes', () => {
  let state = afterSuccessfulLogin();
  for (let i = 1; i < MAX_FAILED_LOGINS; i++) {
    state = afterFailedLogin(state, t0);
    assert.equal(isLocked(state, t0), false, `after ${i} failures`);
  }
  state = afterFailedLogin(state, t0);
  assert.equal(isLocked(state, t0), true);
  assert.equal(isLocked(state, later(LOCK_MINUTES - 1)), true);
  assert.equal(isLocked(state, later(LOCK_MINUTES)), false);
});

test('after a lock runs out, one more failure does not lock again at once', () => {
  let state = afterSuccessfulLogin();
  for (let i = 0; i < MAX_FAILED_LOGINS; i++) state = afterFailedLogin(state, t0);
  state = afterFailedLogin(state, later(LOCK_MINUTES + 1));
  assert.equal(state.failedLogins, 1);
  assert.equal(isLocked(state, later(LOCK_MINUTES + 1)), false);
});

test('a session is refreshed at most once a minute', () => {
  assert.equal(shouldRefreshSession(t0.toISOString(), new Date(t0.getTime() + 59_000)), false);
  assert.equal(shouldRefreshSession(t0.toISOString(), later(1)), true);
});
