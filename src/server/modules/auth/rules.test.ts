import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_LOGINS, ADDRESS_LOGINS, PASSWORD_CHECKS, shouldRefreshSession } from './rules.js';

const t0 = new Date('2026-11-23T08:00:00.000Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

test('five wrong passwords lock an address out of an account for fifteen minutes; an address has room for a floor of agents', () => {
  assert.deepEqual(ACCOUNT_LOGINS, { limit: 5, windowMinutes: 15 });
  assert.deepEqual(PASSWORD_CHECKS, { limit: 5, windowMinutes: 15 });
  assert.ok(ADDRESS_LOGINS.limit > ACCOUNT_LOGINS.limit * 4, 'a shared gateway is not locked by a few agents mistyping');
});

test('a session is refreshed at most once a minute', () => {
  assert.equal(shouldRefreshSession(t0.toISOString(), new Date(t0.getTime() + 59_000)), false);
  assert.equal(shouldRefreshSession(t0.toISOString(), later(1)), true);
});
