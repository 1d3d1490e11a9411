import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calendarFrom } from '../deadlines/calendar.js';
import { CHINA_2026 } from '../deadlines/holidays.js';
import { actionItemTimes, isLate, workingDaysBefore } from './rules.js';

const calendar = calendarFrom(CHINA_2026);

test('three working days before a Friday is the Tuesday; before a Monday, the Wednesday before', () => {
  assert.equal(workingDaysBefore('2026-12-18', 3, calendar), '2026-12-15');
  assert.equal(workingDaysBefore('2026-12-14', 3, calendar), '2026-12-09');
});

test('the 国庆 holiday week does not count: three working days before 9 October is 28 September', () => {
  // 10-08 and 10-09 work, 10-01..07 rest, 09-30 and 09-29 work (09-27 is a Sunday).
  assert.equal(workingDaysBefore('2026-10-09', 3, calendar), '2026-09-29');
});

test('reminded at the start of that day (China time), late from the end of the due date', () => {
  assert.deepEqual(actionItemTimes('2026-12-18', calendar), { remindAt: '2026-12-14T16:00:00.000Z', lateAt: '2026-12-18T16:00:00.000Z' });
  assert.equal(isLate({ status: 'open', lateAt: '2026-12-18T16:00:00.000Z', doneAt: null }, '2026-12-18T15:59:00.000Z'), false);
  assert.equal(isLate({ status: 'open', lateAt: '2026-12-18T16:00:00.000Z', doneAt: null }, '2026-12-18T16:00:00.000Z'), true);
  assert.equal(
    isLate({ status: 'done', lateAt: '2026-12-18T16:00:00.000Z', doneAt: '2026-12-18T10:00:00.000Z' }, '2027-01-01T00:00:00.000Z'),
    false,
    'done in time stays in time',
  );
});
