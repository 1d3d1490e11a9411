import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFor } from './rules.js';

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
