import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calendarFrom } from './calendar.js';
import { CHINA_2026 } from './holidays.js';
import { DEFAULT_POLICIES, dueAt, policyFor, warnAt, warnAtFor } from './policies.js';

const calendar = calendarFrom(CHINA_2026);
const facts = (over: object = {}) => ({
  type: 'fault_repair' as const,
  category: 'outage_voltage',
  subcategory: null,
  areaClass: 'urban' as const,
  priority: 'normal',
  ...over,
});

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

test('a working-day limit warns at 80 % of working time: weekends and holidays do not use it up', () => {
  const answer = policyFor(DEFAULT_POLICIES, 'answer', facts({ type: 'complaint' }))!;
  // Friday 20 November 18:00: 5 WD are Monday 23 to Friday 27; 80 % is the end of Thursday 26.
  const friday = new Date('2026-11-20T10:00:00.000Z');
  const due = dueAt(answer, friday, calendar, false);
  assert.equal(due.toISOString(), '2026-11-27T16:00:00.000Z');
  assert.equal(warnAtFor('working_days', friday, due, calendar).toISOString(), '2026-11-26T16:00:00.000Z');
  assert.notEqual(warnAt(friday, due).toISOString(), '2026-11-26T16:00:00.000Z', 'clock time would warn earlier');
  // 1 WD received the evening before the National Day week: the working day is 8 October; 80 % of it is 19:12.
  const contact = policyFor(DEFAULT_POLICIES, 'contact', facts({ type: 'complaint' }))!;
  const eve = new Date('2026-09-30T12:00:00.000Z');
  const dueContact = dueAt(contact, eve, calendar, false);
  assert.equal(dueContact.toISOString(), '2026-10-08T16:00:00.000Z');
  assert.equal(warnAtFor('working_days', eve, dueContact, calendar).toISOString(), '2026-10-08T11:12:00.000Z');
  // An important customer's 2.5 WD end at noon: the half day counts half.
  const half = dueAt(answer, friday, calendar, true);
  assert.equal(half.toISOString(), '2026-11-25T04:00:00.000Z');
  assert.equal(warnAtFor('working_days', friday, half, calendar).toISOString(), '2026-11-24T16:00:00.000Z', '80 % of 2.5 days is 2 days: the end of Tuesday');
  // Minutes stay on the clock.
  const start = new Date('2026-11-23T00:00:00.000Z');
  assert.equal(warnAtFor('minutes', start, new Date('2026-11-23T00:50:00.000Z'), calendar).toISOString(), '2026-11-23T00:40:00.000Z');
});

test('an over-level complaint is urgent: contacted within 2 hours and answered within 2 WD, whatever its type', () => {
  for (const type of ['complaint', 'opinion', 'report'] as const) {
    assert.deepEqual(
      [
        policyFor(DEFAULT_POLICIES, 'answer', facts({ type, priority: 'urgent' }))?.amount,
        policyFor(DEFAULT_POLICIES, 'answer', facts({ type, priority: 'urgent' }))?.unit,
      ],
      [2, 'working_days'],
      type,
    );
  }
  const contact = policyFor(DEFAULT_POLICIES, 'contact', facts({ type: 'complaint', priority: 'urgent' }))!;
  assert.deepEqual([contact.amount, contact.unit], [120, 'minutes']);
  assert.equal(policyFor(DEFAULT_POLICIES, 'arrive', facts({ priority: 'urgent' }))?.amount, 45, 'a repair crew’s promise is the same');
});
