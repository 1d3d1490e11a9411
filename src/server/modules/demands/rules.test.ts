import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  callTokens,
  caseSearchText,
  caseToJoin,
  decideCallback,
  factTime,
  DEFAULT_LADDER,
  demandNumber,
  initialEscalation,
  initialPriority,
  ladderLevel,
  ladderProblem,
  levelAfterCall,
  levelsPassed,
  sourceFromChannel,
  workOrderTransition,
  type CustomerCase,
} from './rules.js';

const now = new Date('2026-11-23T02:00:00.000Z');
const aCase = (over: Partial<CustomerCase>): CustomerCase => ({
  caseId: 1,
  category: 'outage_voltage',
  status: 'closed',
  createdAt: '2026-11-20T01:00:00.000Z',
  closedAt: '2026-11-21T01:00:00.000Z',
  callCount: 1,
  escalationLevel: 0,
  ...over,
});

test('over-level channels carry their source; the others are direct', () => {
  assert.equal(sourceFromChannel('province'), 'province');
  assert.equal(sourceFromChannel('media'), 'media');
  assert.equal(sourceFromChannel('weibo'), 'public');
  assert.equal(sourceFromChannel('phone'), 'direct');
});

test('over-level demands arrive urgent and at the team lead', () => {
  assert.equal(initialPriority('province', 'normal', false), 'urgent');
  assert.equal(initialPriority('direct', undefined, true), 'high');
  assert.equal(initialEscalation('media'), 1);
  assert.equal(initialEscalation('direct'), 0);
});

test('a call joins the customer’s open case whatever its matter: the hotel’s fee complaint joins its outage', () => {
  const outage = aCase({ caseId: 7, status: 'dispatched', closedAt: null, category: 'outage_voltage' });
  assert.deepEqual(caseToJoin([outage], { category: 'supply_service' }, now), { case: outage, reason: 'open' });
  assert.deepEqual(caseToJoin([outage], { category: 'outage_voltage' }, now), { case: outage, reason: 'open' });
});

test('with no case open, a call on the same matter joins the case closed within 30 days, not one on another matter or older', () => {
  const closed = aCase({ closedAt: '2026-10-25T00:00:00.000Z' });
  assert.deepEqual(caseToJoin([closed], { category: 'outage_voltage' }, now), { case: closed, reason: 'recent' });
  assert.equal(caseToJoin([closed], { category: 'supply_service' }, now), undefined, 'another matter: a new case');
  assert.equal(caseToJoin([aCase({ closedAt: '2026-10-23T00:00:00.000Z' })], { category: 'outage_voltage' }, now), undefined, 'closed 31 days ago');
});

test('an open case goes before a recently closed one, and the newest of each is joined', () => {
  const closed = aCase({ caseId: 1, createdAt: '2026-11-22T00:00:00.000Z', closedAt: '2026-11-22T05:00:00.000Z' });
  const open = aCase({ caseId: 2, createdAt: '2026-11-01T00:00:00.000Z', status: 'open', closedAt: null, category: 'supply_safety' });
  const newer = aCase({ caseId: 3, createdAt: '2026-11-10T00:00:00.000Z', status: 'awaiting_callback', closedAt: null });
  assert.equal(caseToJoin([closed, open], { category: 'outage_voltage' }, now)?.case.caseId, 2);
  assert.equal(caseToJoin([closed, open, newer], { category: 'outage_voltage' }, now)?.case.caseId, 3);
});

test('a case is found by the words of each of its calls, first to last; a call without words adds none', () => {
  const hotel = callTokens('酒店停电，全部没电', '麒麟云海酒店');
  const fee = callTokens('抢修人员要收取材料费', null);
  const text = caseSearchText([hotel, '', fee]);
  assert.ok(text.startsWith(hotel) && text.endsWith(fee));
  assert.ok(text.split(' ').includes('材料费') || text.includes('材料'), text);
  assert.ok(!text.includes('  '), 'no empty words between calls');
  assert.equal(caseSearchText([hotel]), hotel, 'a case of one call is its call');
});

test('the ladder: the 3rd call reaches the team lead, the 5th the centre manager, the 7th the head of the unit', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ladderLevel(DEFAULT_LADDER, n)),
    [0, 0, 1, 1, 2, 2, 3, 3],
  );
  const edited = [
    { level: 1, calls: 2 },
    { level: 2, calls: 3 },
    { level: 3, calls: 4 },
  ];
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => ladderLevel(edited, n)),
    [0, 1, 2, 3],
    'the ladder is data',
  );
});

test('a further call never lowers the case; an over-level call is at the team lead at least', () => {
  assert.equal(levelAfterCall(DEFAULT_LADDER, 2, 3, false), 2, 'escalated by hand to level 2 before the 3rd call');
  assert.equal(levelAfterCall(DEFAULT_LADDER, 0, 2, true), 1);
  assert.equal(levelAfterCall(DEFAULT_LADDER, 1, 5, false), 2);
  assert.equal(levelAfterCall(DEFAULT_LADDER, 3, 9, false), 3);
  assert.deepEqual(levelsPassed(0, 2), [1, 2], 'each level passed is told');
  assert.deepEqual(levelsPassed(2, 2), []);
});

test('a ladder is saved only with levels 1–3 reached at later and later calls', () => {
  assert.equal(ladderProblem(DEFAULT_LADDER), null);
  assert.match(
    ladderProblem([
      { level: 1, calls: 3 },
      { level: 2, calls: 3 },
      { level: 3, calls: 7 },
    ])!,
    /level 2 must be reached at a later call than level 1/,
  );
  assert.match(
    ladderProblem([
      { level: 1, calls: 1 },
      { level: 2, calls: 3 },
      { level: 3, calls: 7 },
    ])!,
    /2nd call/,
  );
  assert.match(
    ladderProblem([
      { level: 1, calls: 3 },
      { level: 3, calls: 7 },
    ])!,
    /one rung for each/,
  );
});

test('demand numbers read as date and sequence', () => {
  assert.equal(demandNumber('2026-11-22', 17), '2026112200017');
});

test('a repair order is accepted, arrives, then is handled; the others skip the arrival', () => {
  assert.equal(workOrderTransition('dispatched', 'accept', 'fault_repair'), 'accepted');
  assert.deepEqual(workOrderTransition('accepted', 'handle', 'fault_repair'), { refused: 'a repair order is handled after the crew’s arrival' });
  assert.equal(workOrderTransition('accepted', 'arrive', 'fault_repair'), 'arrived');
  assert.equal(workOrderTransition('arrived', 'handle', 'fault_repair'), 'handled');
  assert.equal(workOrderTransition('accepted', 'handle', 'complaint'), 'handled');
  assert.ok('refused' in (workOrderTransition('accepted', 'arrive', 'complaint') as object));
});

test('a misrouted order goes back before it is handled, not after', () => {
  assert.equal(workOrderTransition('dispatched', 'return', 'complaint'), 'returned');
  assert.equal(workOrderTransition('accepted', 'return', 'complaint'), 'returned');
  assert.ok('refused' in (workOrderTransition('handled', 'return', 'complaint') as object));
});

test('callbacks: satisfied closes, unsatisfied reopens one level up, unreachable three times goes to the team lead', () => {
  const complaint = { type: 'complaint' as const, escalationLevel: 0, callbackAttempts: 0 };
  assert.deepEqual(decideCallback(complaint, 'satisfied', undefined), { kind: 'close' });
  assert.deepEqual(decideCallback(complaint, 'unsatisfied', undefined), { kind: 'reopen', escalationLevel: 1, reason: 'unsatisfied' });
  assert.deepEqual(decideCallback(complaint, 'unreachable', undefined), { kind: 'retry', attempts: 1 });
  assert.deepEqual(decideCallback({ ...complaint, callbackAttempts: 2 }, 'unreachable', undefined), { kind: 'team_lead', attempts: 3, escalationLevel: 1 });
});

test('a repair closes only when the callback confirms the power is back', () => {
  const repair = { type: 'fault_repair' as const, escalationLevel: 1, callbackAttempts: 0 };
  assert.deepEqual(decideCallback(repair, 'satisfied', true), { kind: 'close' });
  assert.deepEqual(decideCallback(repair, 'satisfied', false), { kind: 'reopen', escalationLevel: 2, reason: 'power_not_restored' });
  assert.deepEqual(decideCallback(repair, 'satisfied', undefined), { kind: 'reopen', escalationLevel: 2, reason: 'power_not_restored' });
});

test('arrival and restoration take their actual time: now by default, never in the future, never before the dispatch or the arrival', () => {
  const now = '2026-11-23T02:40:00.000Z';
  const bounds = { dispatchedAt: '2026-11-23T01:28:00.000Z' };
  assert.deepEqual(factTime(undefined, now, bounds), { at: now });
  assert.deepEqual(factTime('2026-11-23T10:05:00+08:00', now, bounds), { at: '2026-11-23T02:05:00.000Z' }, 'the crew arrived at 10:05, reported at 10:40');
  assert.deepEqual(factTime('2026-11-23T03:00:00.000Z', now, bounds), { problem: 'is in the future' });
  assert.deepEqual(factTime('2026-11-23T02:40:30.000Z', now, bounds), { at: now }, 'half a minute ahead: the phone’s clock, taken as now');
  assert.deepEqual(factTime('2026-11-23T01:00:00.000Z', now, bounds), { problem: 'is before the order was dispatched' });
  assert.deepEqual(factTime('2026-11-23T02:00:00.000Z', now, { ...bounds, notBefore: { at: '2026-11-23T02:05:00.000Z', what: 'the crew arrived' } }), {
    problem: 'is before the crew arrived',
  });
});
