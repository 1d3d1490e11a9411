import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideCallback, demandNumber, findRepeatOf, initialEscalation, initialPriority, sourceFromChannel, workOrderTransition, type EarlierDemand } from './rules.js';

const now = new Date('2026-11-23T02:00:00.000Z');
const earlier = (over: Partial<EarlierDemand>): EarlierDemand => ({
  id: 1,
  caseId: 1,
  category: 'outage_voltage',
  accountNo: '5300000001',
  phone: '13800000000',
  status: 'closed',
  createdAt: '2026-11-20T01:00:00.000Z',
  closedAt: '2026-11-21T01:00:00.000Z',
  repeatCount: 0,
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
  assert.equal(initialEscalation('media', 0, 0), 1);
  assert.equal(initialEscalation('direct', 0, 0), 0);
});

test('the third call on the same matter escalates by itself; the second only links', () => {
  assert.equal(initialEscalation('direct', 1, 0), 0);
  assert.equal(initialEscalation('direct', 2, 0), 1);
  assert.equal(initialEscalation('direct', 1, 2), 2, 'a repeat keeps the level the case reached');
});

test('a repeat is the same customer, by account or phone, on the same category', () => {
  const incoming = { accountNo: '5300000001', phone: '13999999999', category: 'outage_voltage' };
  assert.equal(findRepeatOf([earlier({})], incoming, now)?.id, 1, 'same account, other phone');
  assert.equal(findRepeatOf([earlier({ accountNo: null, phone: '13999999999' })], incoming, now)?.id, 1, 'same phone');
  assert.equal(findRepeatOf([earlier({ category: 'supply_service' })], incoming, now), undefined, 'other matter');
  assert.equal(findRepeatOf([earlier({ accountNo: '5300000002', phone: '13700000000' })], incoming, now), undefined, 'other customer');
});

test('a repeat counts while the earlier demand is open or closed within 30 days', () => {
  const incoming = { accountNo: null, phone: '13800000000', category: 'outage_voltage' };
  assert.ok(findRepeatOf([earlier({ status: 'open', closedAt: null, createdAt: '2026-01-01T00:00:00.000Z' })], incoming, now));
  assert.ok(findRepeatOf([earlier({ closedAt: '2026-10-25T00:00:00.000Z' })], incoming, now));
  assert.equal(findRepeatOf([earlier({ closedAt: '2026-10-23T00:00:00.000Z' })], incoming, now), undefined);
});

test('the newest matching demand is the one repeated', () => {
  const incoming = { accountNo: null, phone: '13800000000', category: 'outage_voltage' };
  const found = findRepeatOf([earlier({ id: 1 }), earlier({ id: 2, createdAt: '2026-11-22T01:00:00.000Z', status: 'open', closedAt: null })], incoming, now);
  assert.equal(found?.id, 2);
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
