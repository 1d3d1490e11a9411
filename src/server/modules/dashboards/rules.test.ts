import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  callsPerHour,
  comparisonPeriods,
  daysEnding,
  evaluatedUnitOf,
  figuresOf,
  monthsEnding,
  satisfactionOf,
  seesStaffMember,
  seriesByType,
  share,
  staffFigures,
  staffScope,
  stepTotals,
  timelinessOf,
  wallboardUnits,
  worstUnits,
  type Viewer,
} from './rules.js';

describe('shares', () => {
  test('nothing to divide by is null, not zero', () => {
    assert.equal(share(0, 0), null);
    assert.equal(share(3, 4), 0.75);
    assert.equal(satisfactionOf({ satisfied: 0, unsatisfied: 0 }), null);
    assert.equal(satisfactionOf({ satisfied: 9, unsatisfied: 1 }), 0.9);
  });
  test('timeliness counts the decided steps only: running ones wait', () => {
    assert.equal(timelinessOf({ inTime: 3, late: 1 }), 0.75);
    assert.equal(timelinessOf({ inTime: 0, late: 0 }), null);
  });
});

describe('comparison periods', () => {
  test('today, yesterday, the same weekday a week before, this month and last month to the same day', () => {
    const p = comparisonPeriods('2026-12-07');
    assert.deepEqual(p.today, { fromDay: '2026-12-07', toDay: '2026-12-08' });
    assert.deepEqual(p.yesterday, { fromDay: '2026-12-06', toDay: '2026-12-07' });
    assert.deepEqual(p.lastWeek, { fromDay: '2026-11-30', toDay: '2026-12-01' });
    assert.deepEqual(p.monthToDate, { fromDay: '2026-12-01', toDay: '2026-12-08' });
    assert.deepEqual(p.lastMonthToDate, { fromDay: '2026-11-01', toDay: '2026-11-08' });
  });
  test('a shorter last month stops at its end; January looks back at December', () => {
    assert.deepEqual(comparisonPeriods('2026-03-31').lastMonthToDate, { fromDay: '2026-02-01', toDay: '2026-03-01' });
    assert.deepEqual(comparisonPeriods('2027-01-15').lastMonthToDate, { fromDay: '2026-12-01', toDay: '2026-12-16' });
    assert.deepEqual(comparisonPeriods('2027-01-01').yesterday, { fromDay: '2026-12-31', toDay: '2027-01-01' });
  });
  test('the trend buckets end with today and this month', () => {
    assert.deepEqual(daysEnding('2026-12-02', 3), ['2026-11-30', '2026-12-01', '2026-12-02']);
    assert.deepEqual(monthsEnding('2026-02', 3), ['2025-12', '2026-01', '2026-02']);
    assert.equal(daysEnding('2026-12-07', 30).length, 30);
  });
});

describe('figures and series', () => {
  const rows = [
    { day: '2026-12-07', type: 'complaint', calls: 3, cases: 2, overdue: 1, satisfied: 1, unsatisfied: 1 },
    { day: '2026-12-07', type: 'consultation', calls: 5, cases: 5, overdue: 0, satisfied: 2, unsatisfied: 0 },
    { day: '2026-12-06', type: 'complaint', calls: 1, cases: 1, overdue: 1, satisfied: 0, unsatisfied: 1 },
    { day: '2026-11-07', type: 'fault_repair', calls: 4, cases: 4, overdue: 0, satisfied: 0, unsatisfied: 0 },
  ];
  test('a period sums its days; complaints are the complaint cases', () => {
    const today = figuresOf(rows, { fromDay: '2026-12-07', toDay: '2026-12-08' });
    assert.deepEqual(today, {
      fromDay: '2026-12-07',
      toDay: '2026-12-08',
      calls: 8,
      cases: 7,
      complaints: 2,
      overdue: 1,
      satisfied: 3,
      unsatisfied: 1,
      satisfaction: 0.75,
    });
    assert.equal(figuresOf(rows, { fromDay: '2026-12-01', toDay: '2026-12-08' }).cases, 8);
    assert.equal(figuresOf(rows, { fromDay: '2026-10-01', toDay: '2026-10-02' }).satisfaction, null);
  });
  test('series by type in the taxonomy’s order, one count per bucket', () => {
    const byMonth = seriesByType(rows, ['2026-11', '2026-12'], (d) => d.slice(0, 7));
    assert.deepEqual(byMonth, [
      { type: 'consultation', counts: [0, 5] },
      { type: 'complaint', counts: [0, 3] },
      { type: 'fault_repair', counts: [4, 0] },
    ]);
  });
});

describe('worst units', () => {
  const figures = [
    { unitId: 1, value: 0.5, of: 10 },
    { unitId: 2, value: 0.9, of: 10 },
    { unitId: 3, value: 0.5, of: 20 },
    { unitId: 4, value: 0, of: 0 },
  ];
  test('the lowest share first, the unit with more behind it first on a tie; nothing to count is left out', () => {
    assert.deepEqual(
      worstUnits(figures, 'low').map((f) => f.unitId),
      [3, 1, 2],
    );
    assert.deepEqual(
      worstUnits(figures, 'low', 1).map((f) => f.unitId),
      [3],
    );
  });
  test('the most overdue first, none with no overdue case', () => {
    const overdue = [
      { unitId: 1, value: 2, of: 9 },
      { unitId: 2, value: 0, of: 9 },
      { unitId: 3, value: 5, of: 9 },
    ];
    assert.deepEqual(
      worstUnits(overdue, 'high').map((f) => f.unitId),
      [3, 1],
    );
  });
});

describe('the wall screen', () => {
  const now = '2026-12-07T04:00:00.000Z';
  const steps = [
    { unitId: 1, step: 'arrive', dueAt: '2026-12-07T03:00:00.000Z' },
    { unitId: 1, step: 'arrive', dueAt: '2026-12-07T05:00:00.000Z' },
    { unitId: 2, step: 'answer', dueAt: '2026-12-07T04:00:00.000Z' },
    { unitId: 2, step: 'answer', dueAt: '2026-12-07T02:00:00.000Z' },
  ];
  test('open orders and live steps by unit, past the limit at now (its instant included) counted overdue, the most overdue first', () => {
    const units = wallboardUnits([{ unitId: 1 }, { unitId: 3 }, { unitId: 3 }], steps, now);
    assert.deepEqual(units, [
      { unitId: 2, waiting: 0, overdue: 2, running: 0, steps: [{ step: 'answer', running: 0, overdue: 2 }] },
      { unitId: 1, waiting: 1, overdue: 1, running: 1, steps: [{ step: 'arrive', running: 1, overdue: 1 }] },
      { unitId: 3, waiting: 2, overdue: 0, running: 0, steps: [] },
    ]);
    assert.deepEqual(stepTotals(steps, now), [
      { step: 'arrive', running: 1, overdue: 1 },
      { step: 'answer', running: 0, overdue: 2 },
    ]);
  });
  test('calls per local hour from UTC hours: Shanghai is eight hours ahead; another day is left out', () => {
    const hours = callsPerHour(
      [
        { hour: '2026-12-06T16', calls: 2 },
        { hour: '2026-12-07T01', calls: 5 },
        { hour: '2026-12-07T15', calls: 1 },
        { hour: '2026-12-07T16', calls: 7 },
      ],
      '2026-12-07',
      'Asia/Shanghai',
    );
    assert.equal(hours.length, 24);
    assert.equal(hours[0], 2);
    assert.equal(hours[9], 5);
    assert.equal(hours[23], 1);
    assert.equal(
      hours.reduce((a, b) => a + b, 0),
      8,
    );
  });
});

describe('the unit page', () => {
  test('a station is scored with the county bureau or department above it; the centre with none', () => {
    const units = new Map(
      [
        { id: 1, kind: 'bureau', parentId: null },
        { id: 2, kind: 'county', parentId: 1 },
        { id: 3, kind: 'station', parentId: 2 },
        { id: 4, kind: 'department', parentId: 1 },
        { id: 5, kind: 'station', parentId: 4 },
        { id: 6, kind: 'centre', parentId: 1 },
      ].map((u) => [u.id, u]),
    );
    assert.equal(evaluatedUnitOf(units, 3), 2);
    assert.equal(evaluatedUnitOf(units, 2), 2);
    assert.equal(evaluatedUnitOf(units, 5), 4);
    assert.equal(evaluatedUnitOf(units, 6), null);
    assert.equal(evaluatedUnitOf(units, 99), null);
  });
});

describe('staff figures', () => {
  const viewer = (roles: Viewer['roles'], heads: number[] = []): Viewer => ({ userId: 10, roles, unitId: 1, heads });
  const agent = (userId: number, unitId = 1) => ({ userId, unitId, role: 'agent' as const });
  const handler = (userId: number, unitId: number) => ({ userId, unitId, role: 'handler' as const });
  test('an agent sees only themselves; a handler themselves', () => {
    assert.equal(staffScope(viewer(['agent'])), 'self');
    assert.equal(seesStaffMember(viewer(['agent']), agent(10)), true);
    assert.equal(seesStaffMember(viewer(['agent']), agent(11)), false);
    assert.equal(seesStaffMember(viewer(['handler']), handler(11, 1)), false);
  });
  test('a team lead sees the agents of their unit, not another unit’s, nor handlers', () => {
    const lead = viewer(['team_lead']);
    assert.equal(staffScope(lead), 'team');
    assert.equal(seesStaffMember(lead, agent(11)), true);
    assert.equal(seesStaffMember(lead, agent(12, 2)), false);
    assert.equal(seesStaffMember(lead, handler(13, 1)), false);
  });
  test('a unit head sees the handlers of the units they head; the centre manager and analysts everyone', () => {
    const head = viewer(['handler'], [5]);
    assert.equal(staffScope(head), 'unit');
    assert.equal(seesStaffMember(head, handler(11, 5)), true);
    assert.equal(seesStaffMember(head, handler(12, 6)), false);
    assert.equal(seesStaffMember(head, agent(13, 5)), false);
    for (const role of ['centre_manager', 'analyst'] as const) {
      assert.equal(staffScope(viewer([role])), 'all');
      assert.equal(seesStaffMember(viewer([role]), handler(12, 6)), true);
    }
  });
  test('a person’s shares: timeliness of decided steps, satisfaction of callbacks, first-call resolution of an agent’s cases', () => {
    const counts = { taken: 12, cases: 10, inTime: 6, late: 2, running: 3, satisfied: 3, unsatisfied: 1, firstCallResolved: 4 };
    assert.deepEqual(staffFigures('agent', counts), {
      taken: 12,
      cases: 10,
      stepsInTime: 6,
      stepsLate: 2,
      stepsRunning: 3,
      timeliness: 0.75,
      satisfied: 3,
      unsatisfied: 1,
      satisfaction: 0.75,
      firstCallResolved: 4,
      firstCallResolution: 0.4,
    });
    const h = staffFigures('handler', { ...counts, firstCallResolved: null });
    assert.equal(h.firstCallResolved, null);
    assert.equal(h.firstCallResolution, null);
    assert.equal(staffFigures('agent', { ...counts, cases: 0, firstCallResolved: 0 }).firstCallResolution, null);
  });
});
