import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextOrderActions, WORK_ORDER_STATUSES } from './work-orders.js';

test('the steps a handler is offered: a repair order records the arrival before it is handled, another is handled once taken', () => {
  assert.deepEqual(nextOrderActions('dispatched', 'fault_repair'), ['accept', 'return']);
  assert.deepEqual(nextOrderActions('accepted', 'fault_repair'), ['arrive', 'return']);
  assert.deepEqual(nextOrderActions('arrived', 'fault_repair'), ['handle']);
  assert.deepEqual(nextOrderActions('dispatched', 'complaint'), ['accept', 'return']);
  assert.deepEqual(nextOrderActions('accepted', 'complaint'), ['handle', 'return']);
  for (const done of ['handled', 'returned', 'closed'] as const) assert.deepEqual(nextOrderActions(done, 'fault_repair'), [], done);
  assert.deepEqual(nextOrderActions('lost', 'complaint'), [], 'a status it does not know offers nothing');
  assert.equal(WORK_ORDER_STATUSES.length, 6);
});
