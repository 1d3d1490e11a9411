import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calendarFrom } from '../deadlines/calendar.js';
import { CHINA_2026 } from '../deadlines/holidays.js';
import { batchDueOn, firstWorkingDayOf, monthPeriod, planTransfers, previousMonth, type TransferCandidate } from './rules.js';

const calendar = calendarFrom(CHINA_2026);

test('a month runs from its first local midnight to the next month’s', () => {
  assert.deepEqual(monthPeriod('2026-11'), { from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' });
  assert.deepEqual(monthPeriod('2026-12'), { from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
  assert.equal(previousMonth('2027-01'), '2026-12');
  assert.equal(previousMonth('2026-10'), '2026-09');
});

test('the batch of a month is due on the next month’s first working day: after 国庆 in October, after the weekend in November', () => {
  assert.equal(firstWorkingDayOf('2026-10', calendar), '2026-10-08');
  assert.equal(firstWorkingDayOf('2026-11', calendar), '2026-11-02');
  assert.equal(batchDueOn('2026-10-07', calendar), null, 'the holiday week: not yet');
  assert.equal(batchDueOn('2026-10-08', calendar), '2026-09');
  assert.equal(batchDueOn('2026-11-01', calendar), null, 'a Sunday');
  assert.equal(batchDueOn('2026-11-02', calendar), '2026-10');
  assert.equal(batchDueOn('2026-11-23', calendar), '2026-10', 'a server that was down makes it later');
});

const routes = new Map([
  ['outage_voltage', 10],
  ['supply_service', 11],
]);
const tree: Record<number, number[]> = { 10: [10, 15], 11: [11], 20: [20, 21] };
const subtreeOf = (id: number) => new Set(tree[id] ?? [id]);
const candidate = (over: Partial<TransferCandidate>): TransferCandidate => ({
  demandId: 1,
  caseId: 1,
  createdAt: '2026-10-05T02:00:00.000Z',
  category: 'outage_voltage',
  fromUnitId: 21,
  reason: 'unresolved',
  ...over,
});

test('each case is raised once, to the department that owns its category, the unresolved report first', () => {
  const planned = planTransfers(
    [
      candidate({ demandId: 1, caseId: 1, reason: 'overdue' }),
      candidate({ demandId: 2, caseId: 1, createdAt: '2026-10-06T02:00:00.000Z', reason: 'unresolved' }),
      candidate({ demandId: 3, caseId: 3, category: 'supply_service', reason: 'overdue' }),
      candidate({ demandId: 4, caseId: 4 }),
    ],
    { routes, subtreeOf, casesRaised: new Set([4]) },
  );
  assert.deepEqual(
    planned.map((p) => [p.demandId, p.toUnitId, p.reason]),
    [
      [2, 10, 'unresolved'],
      [3, 11, 'overdue'],
    ],
  );
});

test('nothing is raised to the department that holds it already (or from its own 所), nor without a category route', () => {
  const planned = planTransfers(
    [
      candidate({ demandId: 1, caseId: 1, fromUnitId: 10 }),
      candidate({ demandId: 2, caseId: 2, fromUnitId: 15 }),
      candidate({ demandId: 3, caseId: 3, category: 'grid_construction' }),
      candidate({ demandId: 5, caseId: 5, category: null }),
    ],
    { routes, subtreeOf, casesRaised: new Set() },
  );
  assert.deepEqual(planned, []);
});
