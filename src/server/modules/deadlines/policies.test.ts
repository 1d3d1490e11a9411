import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calendarFrom } from './calendar.js';
import { CHINA_2026 } from './holidays.js';
import { DEFAULT_POLICIES, dueAt, policyFor, warnAt } from './policies.js';

const calendar = calendarFrom(CHINA_2026);
const facts = (over: object = {}) => ({ type: 'fault_repair' as const, category: 'outage_voltage', subcategory: null, areaClass: 'urban' as const, priority: 'normal', ...over });

test('a repair crew has 45 minutes in town, 90 in the country, 2 hours in remote areas', () => {
  assert.equal(policyFor(DEFAULT_POLICIES, 'arrive', facts())?.amount, 45);
  assert.equal(policyFor(DEFAULT_POLICIES, 'arrive', facts({ areaClass: 'rural' }))?.amount, 90);
  assert.equal(policyFor(DEFAULT_POLICIES, 'arrive', facts({ areaClass: 'remote' }))?.amount, 120);
});

test('the most specific policy wins: reconnection is 24 hours, other service requests 5 WD', () => {
  const reconnection = policyFor(DEFAULT_POLICIES, 'answer', facts({ type: 'service_request', subcategory: 'reconnection' }));
  assert.deepEqual([reconnection?.amount, reconnection?.unit], [1440, 'minutes']);
  const other = policyFor(DEFAULT_POLICIES, 'answer', facts({ type: 'service_request', subcategory: 'damaged_appliance' }));
  assert.deepEqual([other?.amount, other?.unit], [5, 'working_days']);
});

test('a complaint: contact within 1 WD, answer within 5 WD; a praise has no limit', () => {
  assert.equal(policyFor(DEFAULT_POLICIES, 'contact', facts({ type: 'complaint' }))?.amount, 1);
  assert.equal(policyFor(DEFAULT_POLICIES, 'answer', facts({ type: 'complaint' }))?.amount, 5);
  assert.equal(policyFor(DEFAULT_POLICIES, 'answer', facts({ type: 'praise' })), undefined);
});

test('important customers get half the time', () => {
  const start = new Date('2026-11-23T01:27:00.000Z');
  const arrive = policyFor(DEFAULT_POLICIES, 'arrive', facts())!;
  assert.equal(dueAt(arrive, start, calendar, false).toISOString(), '2026-11-23T02:12:00.000Z');
  assert.equal(dueAt(arrive, start, calendar, true).toISOString(), '2026-11-23T01:49:30.000Z');
  const answer = policyFor(DEFAULT_POLICIES, 'answer', facts({ type: 'complaint' }))!;
  assert.equal(dueAt(answer, start, calendar, true).toISOString(), '2026-11-26T04:00:00.000Z', '2.5 WD: Thursday noon');
});

test('the warning falls at 80 % of the time', () => {
  const start = new Date('2026-11-23T00:00:00.000Z');
  assert.equal(warnAt(start, new Date('2026-11-23T00:50:00.000Z')).toISOString(), '2026-11-23T00:40:00.000Z');
});
