import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays,
  addMonths,
  canonicalTimeZone,
  instantOfLocal,
  localDate,
  localDateTime,
  localMonthRange,
  localTime,
  offsetAt,
  startOfLocalDate,
  weekdayOf,
} from './time.js';

const SHANGHAI = 'Asia/Shanghai';
const BERLIN = 'Europe/Berlin';
const iso = (d: Date) => d.toISOString();

test('a zone is known by its IANA name, in any case; an unknown name is null', () => {
  assert.equal(canonicalTimeZone('Asia/Shanghai'), 'Asia/Shanghai');
  assert.equal(canonicalTimeZone('asia/shanghai'), 'Asia/Shanghai');
  assert.equal(canonicalTimeZone('UTC'), 'UTC');
  assert.equal(canonicalTimeZone('Mars/Olympus_Mons'), null);
  assert.equal(canonicalTimeZone('+08:00 please'), null);
});

test('Asia/Shanghai: 07:30 on 6 December is the 6th, though UTC still says the 5th', () => {
  const morning = '2026-12-05T23:30:00.000Z';
  assert.equal(localDate(morning, SHANGHAI), '2026-12-06');
  assert.equal(localDateTime(morning, SHANGHAI), '2026-12-06 07:30');
  assert.equal(localTime(new Date(morning), SHANGHAI), '07:30');
  assert.equal(localDate(Date.parse('2026-11-23T15:59:59Z'), SHANGHAI), '2026-11-23');
  assert.equal(localDate('2026-11-23T16:00:00Z', SHANGHAI), '2026-11-24');
  assert.equal(iso(startOfLocalDate('2026-12-06', SHANGHAI)), '2026-12-05T16:00:00.000Z');
  assert.equal(iso(instantOfLocal('2026-11-26', '12:00', SHANGHAI)), '2026-11-26T04:00:00.000Z');
  assert.equal(offsetAt('2026-07-01T00:00:00Z', SHANGHAI), 8 * 3600_000);
});

test('Europe/Berlin in spring: the day the clocks go forward is 23 hours long', () => {
  // 29 March 2026: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
  assert.equal(iso(startOfLocalDate('2026-03-29', BERLIN)), '2026-03-28T23:00:00.000Z');
  assert.equal(iso(startOfLocalDate('2026-03-30', BERLIN)), '2026-03-29T22:00:00.000Z');
  assert.equal(localDateTime('2026-03-29T00:59:59Z', BERLIN), '2026-03-29 01:59');
  assert.equal(localDateTime('2026-03-29T01:00:00Z', BERLIN), '2026-03-29 03:00');
  assert.equal(iso(instantOfLocal('2026-03-29', '02:30', BERLIN)), '2026-03-29T01:00:00.000Z', 'a time the clocks jump over is the instant they jump');
  assert.equal(iso(instantOfLocal('2026-03-29', '12:00', BERLIN)), '2026-03-29T10:00:00.000Z');
});

test('Europe/Berlin in autumn: the day the clocks go back is 25 hours long, and its 02:30 is the first one', () => {
  // 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00 UTC.
  assert.equal(iso(startOfLocalDate('2026-10-25', BERLIN)), '2026-10-24T22:00:00.000Z');
  assert.equal(iso(startOfLocalDate('2026-10-26', BERLIN)), '2026-10-25T23:00:00.000Z');
  assert.equal(iso(instantOfLocal('2026-10-25', '02:30', BERLIN)), '2026-10-25T00:30:00.000Z');
  assert.equal(localDate('2026-10-25T22:59:59Z', BERLIN), '2026-10-25');
  assert.equal(localDate('2026-10-25T23:00:00Z', BERLIN), '2026-10-26');
});

test('a day whose midnight is skipped starts when the clocks jump (America/Santiago)', () => {
  // 6 September 2026: 00:00 -04 becomes 01:00 -03 at 04:00 UTC.
  assert.equal(iso(startOfLocalDate('2026-09-06', 'America/Santiago')), '2026-09-06T04:00:00.000Z');
  assert.equal(localDateTime('2026-09-06T04:00:00Z', 'America/Santiago'), '2026-09-06 01:00');
  assert.equal(localDate('2026-09-06T03:59:59Z', 'America/Santiago'), '2026-09-05');
});

test('every instant lies in the day of its local date, in zones with and without daylight saving', () => {
  for (const zone of [SHANGHAI, BERLIN, 'America/New_York', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC']) {
    for (let ms = Date.parse('2025-12-31T00:00:00Z'); ms < Date.parse('2027-01-02T00:00:00Z'); ms += 3 * 3600_000 + 17 * 60_000) {
      const date = localDate(ms, zone);
      const start = startOfLocalDate(date, zone).getTime();
      const end = startOfLocalDate(addDays(date, 1), zone).getTime();
      assert.ok(start <= ms && ms < end, `${zone} ${new Date(ms).toISOString()} in ${date}`);
      assert.equal(localDate(start, zone), date, `${zone}: ${date} starts on ${date}`);
      assert.ok(end - start >= 22 * 3600_000 && end - start <= 26 * 3600_000);
    }
  }
});

test('the cached offsets agree with Intl at every hour of a year', () => {
  for (const zone of [BERLIN, 'America/New_York', 'Australia/Lord_Howe']) {
    const format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    for (let ms = Date.parse('2026-01-01T00:30:00Z'); ms < Date.parse('2027-01-01T00:00:00Z'); ms += 3600_000) {
      const p = Object.fromEntries(format.formatToParts(ms).map((x) => [x.type, x.value]));
      assert.equal(localDateTime(ms, zone), `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`);
    }
  }
});

test('days and months add across month and year ends', () => {
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(addDays('2026-03-01', -1), '2026-02-28');
  assert.equal(addDays('2028-02-28', 1), '2028-02-29');
  assert.equal(addDays('2026-11-23', 0), '2026-11-23');
  assert.equal(addMonths('2026-12', 1), '2027-01');
  assert.equal(addMonths('2026-01', -1), '2025-12');
  assert.equal(addMonths('2026-11', -11), '2025-12');
  assert.deepEqual(localMonthRange('2026-12', SHANGHAI), { from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
  assert.deepEqual(localMonthRange('2026-03', BERLIN), { from: '2026-02-28T23:00:00.000Z', to: '2026-03-31T22:00:00.000Z' });
});

test('a malformed date is refused, not read as another', () => {
  assert.throws(() => startOfLocalDate('2026-1-5', SHANGHAI), RangeError);
  assert.throws(() => instantOfLocal('2026-01-05', '9:00', SHANGHAI), RangeError);
});

test('the day of the week of a date is the same in every zone', () => {
  assert.equal(weekdayOf('2026-11-23'), 1);
  assert.equal(weekdayOf('2026-11-29'), 0);
  assert.equal(weekdayOf('2026-11-28'), 6);
});
