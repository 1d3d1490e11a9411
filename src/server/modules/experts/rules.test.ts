import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_LIMITS,
  figuresOf,
  localMonth,
  monthRange,
  nextExpert,
  onDuty,
  percentile,
  poolOrder,
  stepTimes,
  type FigureInput,
  type PoolExpert,
} from './rules.js';

// 2026-11-23 10:00 in Beijing.
const now = new Date('2026-11-23T02:00:00.000Z');
const expert = (over: Partial<PoolExpert>): PoolExpert => ({
  id: 1,
  unitId: 5,
  available: true,
  dutyFrom: '00:00',
  dutyTo: '24:00',
  leader: false,
  topics: [],
  openCount: 0,
  ...over,
});

test('duty hours are local time; equal ends mean around the clock; an evening shift spans midnight', () => {
  assert.ok(onDuty(expert({}), now));
  assert.ok(onDuty(expert({ dutyFrom: '08:00', dutyTo: '18:00' }), now));
  assert.ok(!onDuty(expert({ dutyFrom: '14:00', dutyTo: '18:00' }), now));
  assert.ok(onDuty(expert({ dutyFrom: '22:00', dutyTo: '06:00' }), new Date('2026-11-23T16:30:00.000Z')), '00:30 local');
  assert.ok(!onDuty(expert({ dutyFrom: '22:00', dutyTo: '06:00' }), now));
});

test('the proposal: available and on duty, the topic first, then the least busy, the leader last', () => {
  const pool = [
    expert({ id: 1, leader: true, topics: ['输电线路'] }),
    expert({ id: 2, openCount: 3 }),
    expert({ id: 3, topics: ['输电线路'], openCount: 5 }),
    expert({ id: 4, available: false, topics: ['输电线路'] }),
    expert({ id: 5, openCount: 1 }),
    expert({ id: 6, dutyFrom: '20:00', dutyTo: '08:00', topics: ['输电线路'] }),
  ];
  assert.deepEqual(
    poolOrder(pool, '输电线路', now).map((e) => e.id),
    [3, 5, 2, 1],
  );
  assert.deepEqual(
    poolOrder(pool, null, now).map((e) => e.id),
    [5, 2, 3, 1],
  );
  assert.equal(nextExpert(pool, ' 输电线路 ', now)?.id, 3, 'topics match trimmed');
});

test('after a silence: the next expert not yet tried, then the leader, then nobody', () => {
  const pool = [expert({ id: 1, leader: true }), expert({ id: 2 }), expert({ id: 3 })];
  assert.equal(nextExpert(pool, null, now, new Set([2]))?.id, 3);
  assert.equal(nextExpert(pool, null, now, new Set([2, 3]))?.id, 1);
  assert.equal(nextExpert(pool, null, now, new Set([1, 2, 3])), undefined);
});

const times = {
  calledAt: '2026-11-23T02:00:00.000Z',
  forwardedAt: '2026-11-23T02:03:00.000Z',
  assignedAt: '2026-11-23T02:08:00.000Z',
  acknowledgedAt: '2026-11-23T02:09:00.000Z',
  contactedAt: '2026-11-23T02:12:00.000Z',
  callEndedAt: '2026-11-23T02:20:00.000Z',
  repliedAt: '2026-11-23T02:27:00.000Z',
  callbackAt: null,
};

test('each step is timed from its own start against its own limit', () => {
  const steps = Object.fromEntries(stepTimes(times, { ...DEFAULT_LIMITS }, new Date('2026-11-23T03:00:00.000Z')).map((s) => [s.step, s]));
  assert.deepEqual([steps.forward!.minutes, steps.forward!.withinLimit], [3, true]);
  assert.deepEqual([steps.acknowledge!.minutes, steps.acknowledge!.withinLimit], [1, true]);
  assert.deepEqual([steps.contact!.minutes, steps.contact!.withinLimit], [4, true]);
  assert.deepEqual([steps.reply!.minutes, steps.reply!.withinLimit], [7, false], 'from the end of the call');
  assert.deepEqual([steps.callback!.minutes, steps.callback!.withinLimit], [null, null], 'running, within its day');
  const late = Object.fromEntries(
    stepTimes(
      { ...times, acknowledgedAt: null, contactedAt: null, callEndedAt: null, repliedAt: null },
      { ...DEFAULT_LIMITS },
      new Date('2026-11-23T02:14:00.000Z'),
    ).map((s) => [s.step, s]),
  );
  assert.equal(late.acknowledge!.withinLimit, false, 'six minutes without an acknowledgement');
  assert.equal(late.reply!.startedAt, null);
});

test('a reply without the call’s end is timed from the call', () => {
  const reply = stepTimes({ ...times, callEndedAt: null }, { ...DEFAULT_LIMITS }, now).find((s) => s.step === 'reply')!;
  assert.equal(reply.minutes, 15);
});

test('figures: medians, the 90th percentile, the share within 5 minutes and the hand-overs', () => {
  const rows: FigureInput[] = [1, 2, 3, 4, 6, 7, 8, 9, 10, 12].map((m, i) => ({
    ...times,
    unitId: 5,
    expertId: 1,
    handOvers: i === 0 ? 2 : 0,
    forwardedAt: new Date(Date.parse(times.calledAt) + m * 60_000).toISOString(),
  }));
  const f = figuresOf(rows, { ...DEFAULT_LIMITS }, now);
  const forward = f.steps.find((s) => s.step === 'forward')!;
  assert.equal(f.consultations, 10);
  assert.equal(f.handOvers, 2);
  assert.equal(forward.count, 10);
  assert.equal(forward.medianMinutes, 6.5);
  assert.equal(forward.p90Minutes, 10);
  assert.equal(forward.withinShare, 0.4);
  assert.equal(f.steps.find((s) => s.step === 'callback')!.count, 0);
  assert.equal(f.steps.find((s) => s.step === 'callback')!.medianMinutes, null);
});

test('the share within the limit counts the steps running past it and the silences that passed a question on', () => {
  const done = { ...times, unitId: 5, expertId: 1, handOvers: 0, callbackAt: '2026-11-23T03:00:00.000Z' };
  const stuck = {
    ...times,
    unitId: 5,
    expertId: 2,
    handOvers: 1,
    acknowledgedAt: null,
    contactedAt: null,
    callEndedAt: null,
    repliedAt: null,
    callbackAt: null,
  };
  const f = figuresOf([done, stuck], { ...DEFAULT_LIMITS }, new Date('2026-11-23T02:30:00.000Z'));
  const ack = f.steps.find((s) => s.step === 'acknowledge')!;
  // Judged: done's acknowledgement (in time), stuck's (running 22 minutes), and the silence before it.
  assert.deepEqual([ack.count, ack.withinShare], [1, 0.333]);
  assert.equal(f.steps.find((s) => s.step === 'reply')!.withinShare, 0, 'done reported late; stuck has not called yet');
  // An expert passed over twice elsewhere, who answered one question in time: one of three within.
  const passed = figuresOf([{ ...done, silences: 0 }], { ...DEFAULT_LIMITS }, new Date('2026-11-23T02:30:00.000Z'), 2);
  assert.equal(passed.steps.find((s) => s.step === 'acknowledge')!.withinShare, 0.333);
});

test('nearest-rank percentile', () => {
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9);
  assert.equal(percentile([5], 0.9), 5);
  assert.equal(percentile([], 0.9), null);
});

test('months are local: 1 December 00:30 in Beijing is still 30 November in UTC', () => {
  assert.equal(localMonth('2026-11-30T16:30:00.000Z'), '2026-12');
  assert.deepEqual(monthRange('2026-12'), { from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
});
