import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commonOwner, DEFAULT_OUTAGE_RULES, lateNotice, noticeDueAt, outageTransition, renderNotice, suspectedGroups, type FaultCall } from './rules.js';

const rules = DEFAULT_OUTAGE_RULES;

test('a notice is due 7 days before a planned outage, 24 h before maintenance, at once for a fault', () => {
  const start = '2026-12-15T00:00:00.000Z';
  assert.equal(noticeDueAt('planned', start, rules), '2026-12-08T00:00:00.000Z');
  assert.equal(noticeDueAt('maintenance', start, rules), '2026-12-14T00:00:00.000Z');
  assert.equal(noticeDueAt('fault', start, rules), start);
  assert.deepEqual(lateNotice('planned', start, '2026-12-07T00:00:00.000Z', rules), { late: false }, '8 days ahead');
  assert.deepEqual(lateNotice('planned', start, '2026-12-12T00:00:00.000Z', rules), { late: true, leadHours: 168, hoursAhead: 72 }, '3 days ahead');
  assert.deepEqual(lateNotice('fault', start, '2026-12-15T00:30:00.000Z', rules), { late: false }, 'a fault is never late');
  const edited = { ...rules, noticeLeadHours: { ...rules.noticeLeadHours, maintenance: 48 } };
  assert.equal(lateNotice('maintenance', start, '2026-12-13T12:00:00.000Z', edited).late, true, 'the rule is data');
});

test('the lifecycle: announced → in progress → restored; only an announced outage is cancelled', () => {
  assert.equal(outageTransition('announced', 'start'), 'in_progress');
  assert.equal(outageTransition('in_progress', 'restore'), 'restored');
  assert.equal(outageTransition('announced', 'restore'), 'restored', 'power back before the scheduler marked the start');
  assert.equal(outageTransition('announced', 'cancel'), 'cancelled');
  assert.equal(outageTransition('in_progress', 'update'), 'in_progress');
  for (const [status, action] of [
    ['in_progress', 'cancel'],
    ['restored', 'restore'],
    ['restored', 'update'],
    ['cancelled', 'start'],
    ['in_progress', 'start'],
  ] as const)
    assert.equal(typeof outageTransition(status, action), 'object', `${status} ${action} refused`);
});

test('the notice fills the template’s fields and nothing else', () => {
  assert.equal(
    renderNotice('{area}因{cause}停电，预计{end}恢复（{number}）{other}', {
      area: '城关1号台区',
      start: 's',
      end: '12月7日 10:00',
      cause: '故障',
      number: 'TD1',
    }),
    '城关1号台区因故障停电，预计12月7日 10:00恢复（TD1）{other}',
  );
});

const call = (id: number, minute: number, districtId: number | null, feederId: number | null): FaultCall => ({
  id,
  number: `D${id}`,
  createdAt: new Date(Date.UTC(2026, 11, 7, 8, minute)).toISOString(),
  districtId,
  feederId,
});

test('three fault calls from one 台区 within 15 minutes, or five from one feeder, are a suspected outage', () => {
  const s = rules.suspected;
  assert.deepEqual(suspectedGroups([call(1, 0, 10, 1), call(2, 5, 10, 1)], s), [], 'two calls are not');
  const three = suspectedGroups([call(1, 0, 10, 1), call(2, 5, 10, 1), call(3, 14, 10, 1)], s);
  assert.deepEqual(
    three.map((g) => [g.place, g.placeId, g.calls.map((c) => c.id)]),
    [['district', 10, [1, 2, 3]]],
  );
  assert.deepEqual(suspectedGroups([call(1, 0, 10, 1), call(2, 5, 10, 1), call(3, 16, 10, 1)], s), [], 'not within 15 minutes');
  // Five calls from four 台区 of one feeder: the feeder is suspected, no 台区 alone.
  const feeder = suspectedGroups([call(1, 0, 10, 1), call(2, 1, 11, 1), call(3, 2, 12, 1), call(4, 3, 13, 1), call(5, 4, 10, 1)], s);
  assert.deepEqual(
    feeder.map((g) => [g.place, g.placeId, g.calls.length]),
    [['feeder', 1, 5]],
  );
  // Five calls of one 台区: the 台区 says it more exactly than its feeder.
  const one = suspectedGroups(
    [1, 2, 3, 4, 5].map((i) => call(i, i, 10, 1)),
    s,
  );
  assert.deepEqual(
    one.map((g) => [g.place, g.placeId]),
    [['district', 10]],
  );
  assert.deepEqual(suspectedGroups([call(1, 0, null, null), call(2, 1, null, null), call(3, 2, null, null)], s), [], 'calls without a place');
});

test('an outage over places of several units belongs to the nearest unit above them all', () => {
  const tree = [
    { id: 1, parentId: null },
    { id: 2, parentId: 1 },
    { id: 3, parentId: 2 },
    { id: 4, parentId: 2 },
    { id: 5, parentId: 1 },
    { id: 6, parentId: 5 },
  ];
  assert.equal(commonOwner([3], tree), 3);
  assert.equal(commonOwner([3, 4], tree), 2, 'two stations of one county: the county');
  assert.equal(commonOwner([3, 2], tree), 2);
  assert.equal(commonOwner([3, 6], tree), 1, 'two counties: the city');
  assert.equal(commonOwner([], tree), undefined);
});
