import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { localDate, startOfLocalDate } from '../../../shared/time.js';
import {
  addDeadlineItems,
  addDemandItems,
  addPlaceItems,
  countDeadlines,
  countDemands,
  countPlaces,
  deadlineItem,
  deadlineStanding,
  demandItem,
  isoWeekOf,
  itemChanges,
  parseGroupBy,
  per10k,
  reportDays,
  sameItem,
  shareOf,
  sumBy,
  type RollupDeadline,
  type RollupDemand,
} from './rules.js';

const ZONE = 'Asia/Shanghai';
const instantDay = (instant: string) => {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return null;
  const day = localDate(ms, ZONE);
  return { day, midnight: startOfLocalDate(day, ZONE).getTime() === ms };
};

describe('the ISO week of a local date', () => {
  test('Monday starts the week; the week of the first Thursday is week 1', () => {
    assert.equal(isoWeekOf('2026-11-23'), '2026-W48'); // a Monday
    assert.equal(isoWeekOf('2026-11-29'), '2026-W48'); // its Sunday
    assert.equal(isoWeekOf('2026-11-30'), '2026-W49');
    assert.equal(isoWeekOf('2026-01-01'), '2026-W01'); // a Thursday
    assert.equal(isoWeekOf('2025-12-29'), '2026-W01', 'a Monday in December can belong to the next year');
    assert.equal(isoWeekOf('2027-01-01'), '2026-W53', 'a Friday in January can belong to the year before');
    assert.equal(isoWeekOf('2021-01-03'), '2020-W53');
    assert.equal(isoWeekOf('2024-12-30'), '2025-W01');
  });
});

describe('shares and the rate per 10,000 customers', () => {
  test('a share keeps its numerator and denominator; nothing to divide by gives null, not 0 or NaN', () => {
    assert.deepEqual(shareOf(3, 4), { numerator: 3, denominator: 4, rate: 0.75 });
    assert.deepEqual(shareOf(0, 5), { numerator: 0, denominator: 5, rate: 0 });
    assert.deepEqual(shareOf(0, 0), { numerator: 0, denominator: 0, rate: null });
  });
  test('complaints per 10,000 customers', () => {
    assert.equal(per10k(3, 20_000), 1.5);
    assert.equal(per10k(1, 300), 10_000 / 300);
    assert.equal(per10k(0, 120), 0);
    assert.equal(per10k(2, 0), null, 'a unit without customers has no rate');
  });
});

describe('the groupings asked for', () => {
  test('a list in the order given, none at all, and each bad value named', () => {
    assert.deepEqual(parseGroupBy('unit,category,month'), { groups: ['unit', 'category', 'month'] });
    assert.deepEqual(parseGroupBy(' channel , week '), { groups: ['channel', 'week'] });
    assert.deepEqual(parseGroupBy(undefined), { groups: [] });
    assert.deepEqual(parseGroupBy(''), { groups: [] });
    assert.match((parseGroupBy('unit,county') as { problem: string }).problem, /^"county" is not a grouping/);
    assert.match((parseGroupBy('unit,unit') as { problem: string }).problem, /"unit" is named twice/);
    assert.match((parseGroupBy('day,month') as { problem: string }).problem, /"day,month": group by one of day, week or month/);
  });
});

describe('a report’s period in local days', () => {
  test('dates, or instants at a local midnight; `to` exclusive', () => {
    assert.deepEqual(reportDays({ from: '2026-11-01', to: '2026-12-01' }, instantDay), { fromDay: '2026-11-01', toDay: '2026-12-01' });
    assert.deepEqual(reportDays({ from: '2026-10-31T16:00:00.000Z', to: '2026-12-01T00:00:00+08:00' }, instantDay), {
      fromDay: '2026-11-01',
      toDay: '2026-12-01',
    });
  });
  test('each problem names its field', () => {
    assert.deepEqual(reportDays({ from: '2026-11-01T09:00:00+08:00', to: '2026-12-01' }, instantDay), {
      field: 'from',
      problem: 'a report counts whole days: give a date YYYY-MM-DD or a local midnight',
    });
    assert.deepEqual(reportDays({ from: '2026-11-01', to: '2026-02-30' }, instantDay), { field: 'to', problem: '2026-02-30 is not a calendar date' });
    assert.deepEqual(reportDays({ from: '2026-11-01', to: '2026-11-01' }, instantDay), { field: 'to', problem: 'must be after from' });
    assert.deepEqual(reportDays({ from: '2024-01-01', to: '2026-01-02' }, instantDay), { field: 'to', problem: 'a report spans at most two years' });
    assert.deepEqual(
      reportDays({ from: '2024-01-01', to: '2026-01-01' }, instantDay),
      { fromDay: '2024-01-01', toDay: '2026-01-01' },
      '731 days: two years with a leap day',
    );
  });
});

describe('counting', () => {
  const demand = (over: Partial<RollupDemand>): RollupDemand => ({
    id: 1,
    caseId: null,
    createdAt: '2026-11-23T01:00:00.000Z',
    unitId: 7,
    stationId: null,
    category: 'supply_service',
    type: 'complaint',
    channel: 'phone',
    closedAt: null,
    callCount: 1,
    firstResolved: null,
    callbackOutcome: null,
    ...over,
  });

  test('a case counts once, as its first call; every call counts as a call', () => {
    const rows = countDemands(
      [
        demand({ id: 1, caseId: 1, callCount: 2, firstResolved: 1, callbackOutcome: 'satisfied', closedAt: '2026-11-24T00:00:00.000Z' }),
        demand({ id: 2, caseId: 1, createdAt: '2026-11-23T02:00:00.000Z' }),
        demand({ id: 3, channel: 'wechat', firstResolved: 0, callbackOutcome: 'unsatisfied' }),
      ],
      new Set([3]),
      ZONE,
    );
    const phone = rows.find((r) => r.channel === 'phone')!;
    assert.deepEqual(
      {
        calls: phone.calls,
        cases: phone.cases,
        closed: phone.closed,
        repeated: phone.repeated,
        handled: phone.handled,
        first: phone.firstResolved,
        sat: phone.satisfied,
      },
      { calls: 2, cases: 1, closed: 1, repeated: 1, handled: 1, first: 1, sat: 1 },
    );
    const wechat = rows.find((r) => r.channel === 'wechat')!;
    assert.deepEqual([wechat.cases, wechat.overdue, wechat.handled, wechat.firstResolved, wechat.unsatisfied], [1, 1, 1, 0, 1]);
  });

  test('a case counts at its customer’s station, once, whatever unit it was routed to', () => {
    const rows = countPlaces(
      [
        demand({ id: 1, caseId: 1, stationId: 31, unitId: 5 }),
        demand({ id: 2, caseId: 1, stationId: 31, unitId: 5 }),
        demand({ id: 3, stationId: 31, unitId: 9 }),
        demand({ id: 4, stationId: null, type: 'opinion' }),
      ],
      ZONE,
    );
    assert.deepEqual(
      rows.map((r) => [r.day, r.stationId, r.type, r.cases]),
      [
        ['2026-11-23', 31, 'complaint', 2],
        ['2026-11-23', 0, 'opinion', 1],
      ],
    );
  });

  test('a deadline is in time, late or running; one given up before its time is not counted', () => {
    const due = '2026-11-24T01:00:00.000Z';
    assert.equal(deadlineStanding({ dueAt: due, metAt: '2026-11-24T00:59:00.000Z', cancelledAt: null }, '2026-12-01T00:00:00.000Z'), 'inTime');
    assert.equal(deadlineStanding({ dueAt: due, metAt: '2026-11-24T01:01:00.000Z', cancelledAt: null }, '2026-12-01T00:00:00.000Z'), 'late');
    assert.equal(deadlineStanding({ dueAt: due, metAt: null, cancelledAt: null }, '2026-11-24T00:00:00.000Z'), 'running');
    assert.equal(deadlineStanding({ dueAt: due, metAt: null, cancelledAt: null }, '2026-11-25T00:00:00.000Z'), 'late');
    assert.equal(deadlineStanding({ dueAt: due, metAt: null, cancelledAt: '2026-11-23T00:00:00.000Z' }, '2026-11-25T00:00:00.000Z'), null);
  });

  test('a change since the refresh is what the rollup counted taken out and what the demand is now put in: the rows a recount gives', () => {
    const before = [demand({ id: 1, unitId: 7 }), demand({ id: 2, unitId: 7, caseId: 2, callCount: 2 }), demand({ id: 3, unitId: 7, caseId: 2 })];
    // Then: demand 1 moved to unit 9 and closed, late; the case of two calls split (3 a case of its own); a new demand 4.
    const after = [
      demand({ id: 1, unitId: 9, closedAt: '2026-11-24T00:00:00.000Z' }),
      demand({ id: 2, unitId: 7, caseId: 2, callCount: 1 }),
      demand({ id: 3, unitId: 7, caseId: 3 }),
      demand({ id: 4, unitId: 7, channel: 'app' }),
    ];
    const counted = before.map((d) => demandItem(d, false, ZONE));
    const rollupRows = addDemandItems(new Map(), counted);
    const placeRows = addPlaceItems(new Map(), counted);
    const changed = [1, 2, 3, 4];
    const now = after.filter((d) => changed.includes(d.id)).map((d) => demandItem(d, d.id === 1, ZONE));
    const was = counted.filter((i) => changed.includes(i.demandId));
    addDemandItems(addDemandItems(rollupRows, was, -1), now, 1);
    addPlaceItems(addPlaceItems(placeRows, was, -1), now, 1);
    const key = (r: { day: string; unitId: number; channel: string }) => `${r.day}|${r.unitId}|${r.channel}`;
    const byKey = (rows: Iterable<{ day: string; unitId: number; channel: string; calls: number }>) =>
      [...rows].filter((r) => r.calls !== 0).sort((a, b) => key(a).localeCompare(key(b)));
    assert.deepEqual(byKey(rollupRows.values()), byKey(countDemands(after, new Set([1]), ZONE)));
    const unit7 = [...rollupRows.values()].find((r) => r.unitId === 7 && r.channel === 'phone')!;
    assert.deepEqual([unit7.calls, unit7.cases, unit7.repeated], [2, 2, 0]);
    const places = [...placeRows.values()].filter((r) => r.cases !== 0);
    assert.deepEqual(places, countPlaces(after, ZONE));
    assert.equal(sameItem(demandItem(before[0]!, false, ZONE), demandItem(after[0]!, true, ZONE)), false);
    assert.equal(sameItem(demandItem(before[0]!, false, ZONE), demandItem({ ...before[0]! }, false, ZONE)), true);
  });

  test('a deadline’s item follows its standing: taken out as it was and put in as it is, the rows are a recount’s', () => {
    const deadline = (over: Partial<RollupDeadline>): RollupDeadline => ({
      id: 1,
      demandId: 1,
      demandCreatedAt: '2026-11-23T01:00:00.000Z',
      unitId: 7,
      step: 'contact',
      dueAt: '2026-11-24T01:00:00.000Z',
      metAt: null,
      cancelledAt: null,
      ...over,
    });
    const refresh = '2026-11-24T00:00:00.000Z';
    const later = '2026-11-25T00:00:00.000Z';
    const all = [deadline({ id: 1 }), deadline({ id: 2, step: 'handle', metAt: '2026-11-23T05:00:00.000Z' })];
    const counted = all.map((d) => deadlineItem(d, refresh, ZONE)!);
    assert.deepEqual(
      counted.map((i) => i.standing),
      ['running', 'inTime'],
    );
    // The first came due unmet since: late now.
    const rows = addDeadlineItems(new Map(), counted);
    addDeadlineItems(addDeadlineItems(rows, [counted[0]!], -1), [deadlineItem(all[0]!, later, ZONE)!], 1);
    assert.deepEqual([...rows.values()], countDeadlines(all, later, ZONE));
    assert.equal(deadlineItem(deadline({ cancelledAt: '2026-11-23T02:00:00.000Z' }), later, ZONE), null, 'given up before its time: counted nowhere');
  });

  test('a rebuild writes only the items that are new or changed, and deletes those not counted again', () => {
    const item = (id: number, marks: number) => demandItem(demand({ id, closedAt: marks ? '2026-11-24T00:00:00.000Z' : null }), false, ZONE);
    const stored = new Map([1, 2, 3].map((id) => [id, item(id, 0)]));
    const { write, gone } = itemChanges(stored, [item(1, 0), item(2, 1), item(4, 0)], (i) => i.demandId, sameItem);
    assert.deepEqual(
      write.map((i) => i.demandId),
      [2, 4],
    );
    assert.deepEqual(gone, [3]);
    assert.equal(stored.size, 3, 'the stored map is not touched');
  });

  test('rows summed by a key: days folded into their weeks', () => {
    const days = [
      { week: '', day: '2026-11-23', n: 2 },
      { week: '', day: '2026-11-29', n: 3 },
      { week: '', day: '2026-11-30', n: 5 },
    ];
    const weeks = sumBy(
      days.map((d) => ({ ...d, week: isoWeekOf(d.day) })),
      (d) => d.week,
      ['n'],
      (d) => d,
    );
    assert.deepEqual(
      weeks.map((w) => [w.week, w.n]),
      [
        ['2026-W48', 5],
        ['2026-W49', 5],
      ],
    );
    assert.equal(days[0]!.n, 2, 'the rows given are not changed');
  });
});
