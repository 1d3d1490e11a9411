import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayStartingAt, rollupTotalOf } from './totals.js';

const zone = 'Asia/Shanghai';
const base = { page: 1, pageSize: 20 };

test('the rollup answers the list’s total only where it counts what the list shows', () => {
  assert.deepEqual(rollupTotalOf(base, true, zone), { fromDay: '0000-01-01', toDay: '9999-12-31', count: 'cases' });
  assert.equal(rollupTotalOf(base, false, zone), null, 'a handler’s units: the list holds their orders’ demands too');
  assert.equal(rollupTotalOf({ ...base, unitId: 3 }, true, zone), null);
  for (const q of [
    { q: '停电' },
    { phone: '13800000000' },
    { accountNo: '0530001' },
    { overdue: 'true' as const },
    { escalated: 'true' as const },
    { status: 'open' as const },
  ])
    assert.equal(rollupTotalOf({ ...base, ...q }, true, zone), null, JSON.stringify(q));
  assert.equal(rollupTotalOf({ ...base, ownerId: 7 }, true, zone), null);
  assert.notEqual(rollupTotalOf({ ...base, open: 'true' }, true, zone), null);
  assert.equal((rollupTotalOf({ ...base, open: 'true', type: 'complaint' }, true, zone) as { count: string }).count, 'open');
  assert.equal((rollupTotalOf({ ...base, status: 'closed' }, true, zone) as { count: string }).count, 'closed');
  assert.deepEqual(rollupTotalOf({ ...base, status: 'closed', open: 'true' }, true, zone), { empty: true });
  assert.equal(rollupTotalOf({ ...base, repeated: 'true', open: 'true' }, true, zone), null);
  assert.equal((rollupTotalOf({ ...base, repeated: 'true' }, true, zone) as { count: string }).count, 'repeated');
});

test('a time bound counts by the rollup only at a local midnight', () => {
  assert.equal(dayStartingAt('2026-12-01T00:00:00+08:00', zone), '2026-12-01');
  assert.equal(dayStartingAt('2026-11-30T16:00:00.000Z', zone), '2026-12-01');
  assert.equal(dayStartingAt('2026-12-01T10:30:00+08:00', zone), null);
  const asked = rollupTotalOf({ ...base, from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' }, true, zone);
  assert.deepEqual(asked, { fromDay: '2026-11-01', toDay: '2026-12-01', count: 'cases' });
  assert.equal(rollupTotalOf({ ...base, from: '2026-11-01T08:00:00+08:00' }, true, zone), null);
  assert.deepEqual(rollupTotalOf({ ...base, from: '2026-12-01T00:00:00+08:00', to: '2026-11-01T00:00:00+08:00' }, true, zone), { empty: true });
});
