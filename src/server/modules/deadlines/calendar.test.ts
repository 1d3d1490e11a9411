import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addWorkingDays, calendarFrom, localDate, workingDaysBetween, workingInstantAt } from './calendar.js';
import { CHINA_2026 } from './holidays.js';

const calendar = calendarFrom(CHINA_2026);
const at = (iso: string) => new Date(iso);

test('weekdays work and weekends rest where the calendar lists nothing', () => {
  assert.equal(calendar.isWorkingDay('2026-11-23'), true); // Monday
  assert.equal(calendar.isWorkingDay('2026-11-28'), false); // Saturday
});

test('public holidays rest and 调休 weekend days work (2026, State Council schedule)', () => {
  assert.equal(calendar.isWorkingDay('2026-10-01'), false); // 国庆
  assert.equal(calendar.isWorkingDay('2026-10-10'), true); // Saturday made a working day
  assert.equal(calendar.isWorkingDay('2026-02-14'), true); // Saturday before 春节
  assert.equal(calendar.isWorkingDay('2026-02-18'), false);
  assert.equal(calendar.isWorkingDay('2026-01-04'), true); // Sunday after 元旦
});

test('local dates are China time: 20:00 UTC is already tomorrow in the centre', () => {
  assert.equal(localDate(at('2026-11-23T15:59:59Z')), '2026-11-23');
  assert.equal(localDate(at('2026-11-23T16:00:00Z')), '2026-11-24');
});

test('1 WD from a Monday morning ends at midnight of Tuesday (China time)', () => {
  assert.equal(addWorkingDays(at('2026-11-23T01:27:00Z'), 1, calendar).toISOString(), '2026-11-24T16:00:00.000Z');
});

test('5 WD from a Friday skip the weekend: due the next Friday at midnight', () => {
  assert.equal(addWorkingDays(at('2026-11-27T02:00:00Z'), 5, calendar).toISOString(), '2026-12-04T16:00:00.000Z');
});

test('5 WD across the National Day week count the 调休 Saturday and skip the holidays', () => {
  // Received Wednesday 30 September; 1-7 October rest, 10 October (Saturday) works.
  // Working days after it: 8 Oct (Thu), 9 Oct (Fri), 10 Oct (Sat, 调休), 12 Oct (Mon), 13 Oct (Tue).
  assert.equal(addWorkingDays(at('2026-09-30T03:00:00Z'), 5, calendar).toISOString(), '2026-10-13T16:00:00.000Z');
});

test('a halved limit ends at noon: 2.5 WD from Monday is Thursday 12:00', () => {
  assert.equal(addWorkingDays(at('2026-11-23T02:00:00Z'), 2.5, calendar).toISOString(), '2026-11-26T04:00:00.000Z');
  assert.equal(addWorkingDays(at('2026-11-23T02:00:00Z'), 0.5, calendar).toISOString(), '2026-11-24T04:00:00.000Z');
});

test('working days between two dates exclude the first and include the last', () => {
  assert.equal(workingDaysBetween('2026-09-30', '2026-10-13', calendar), 5);
  assert.equal(workingDaysBetween('2026-11-23', '2026-11-23', calendar), 0);
});

test('the calendar counts the days of its zone: Europe/Berlin across the spring change', () => {
  const berlin = calendarFrom(CHINA_2026, 'Europe/Berlin');
  // Friday 27 March 10:00 CET; 1 WD is Monday 30 March, which ends at midnight CEST (UTC+2).
  assert.equal(addWorkingDays(at('2026-03-27T09:00:00Z'), 1, berlin).toISOString(), '2026-03-30T22:00:00.000Z');
  assert.equal(addWorkingDays(at('2026-03-27T09:00:00Z'), 0.5, berlin).toISOString(), '2026-03-30T10:00:00.000Z', 'noon, summer time');
  // 23:30 UTC on Friday is already Saturday in Berlin: counting starts on Monday, not on Saturday's eve.
  assert.equal(localDate(at('2026-03-27T23:30:00Z'), 'Europe/Berlin'), '2026-03-28');
  assert.equal(addWorkingDays(at('2026-03-27T22:30:00Z'), 1, berlin).toISOString(), '2026-03-30T22:00:00.000Z');
  // The same instant in China time is Saturday already.
  assert.equal(addWorkingDays(at('2026-03-27T22:30:00Z'), 1, calendar).toISOString(), '2026-03-30T16:00:00.000Z');
});

test('a working day of 23 hours is 23 hours of working time (Europe/Berlin, 29 March made a working day)', () => {
  const berlin = calendarFrom([{ date: '2026-03-29', working: true }], 'Europe/Berlin');
  const saturday = at('2026-03-28T11:00:00Z');
  const due = addWorkingDays(saturday, 1, berlin);
  assert.equal(due.toISOString(), '2026-03-29T22:00:00.000Z');
  // 80 % of the 23 hours from 00:00 CET (23:00 UTC on the 28th): 18 h 24 min later.
  assert.equal(workingInstantAt(saturday, due, 0.8, berlin)?.toISOString(), '2026-03-29T17:24:00.000Z');
});
