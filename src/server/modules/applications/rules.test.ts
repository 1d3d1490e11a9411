import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApplicationStageRules } from '../../../shared/schemas/applications.js';
import { calendarFrom } from '../deadlines/calendar.js';
import { CHINA_2026 } from '../deadlines/holidays.js';
import { applicationNumber, DEFAULT_STAGE_RULES, ownerUnitOf, secondEscalationAt, stageTimes, supervisionDue, trackFor, trackTotals } from './rules.js';

const calendar = calendarFrom(CHINA_2026);

test('the track follows the voltage, the supply and the customer class', () => {
  assert.equal(trackFor({ voltage: '0.22kV', supply: 'single', customerClass: 'residential' }), 'residential');
  assert.equal(trackFor({ voltage: '0.4kV', supply: 'single', customerClass: 'non_residential_low' }), 'low_voltage');
  assert.equal(trackFor({ voltage: '0.4kV', supply: 'single', customerClass: 'high_voltage' }), 'low_voltage');
  assert.equal(trackFor({ voltage: '10kV', supply: 'single', customerClass: 'self_transformer' }), 'hv_single');
  assert.equal(trackFor({ voltage: '35kV', supply: 'double', customerClass: 'high_voltage' }), 'hv_double');
  assert.equal(trackFor({ voltage: '10kV', supply: 'double', customerClass: 'residential' }), 'hv_double');
  const refused = trackFor({ voltage: '0.4kV', supply: 'double', customerClass: 'non_residential_low' });
  assert.ok(typeof refused === 'object' && /double supply/.test(refused.refused));
});

test("the defaults' utility-side totals are DESIGN.md's: residential 5 WD, low voltage 6, high voltage single 22, double 32", () => {
  assert.deepEqual(trackTotals(DEFAULT_STAGE_RULES), { residential: 5, low_voltage: 6, hv_single: 22, hv_double: 32 });
  assert.ok(ApplicationStageRules.safeParse(DEFAULT_STAGE_RULES).success, 'the defaults pass their own schema');
  // High voltage runs through all seven stages in order; the low-voltage tracks through those that apply.
  assert.deepEqual(
    DEFAULT_STAGE_RULES.tracks.hv_single.map((s) => s.stage),
    ['accept', 'survey', 'scheme', 'design_review', 'midway_check', 'completion_check', 'connection'],
  );
  assert.deepEqual(
    DEFAULT_STAGE_RULES.tracks.low_voltage.map((s) => s.stage),
    ['accept', 'scheme', 'connection'],
  );
});

test('the stage rules refuse a repeated stage, a limit that is not a positive whole number, an unknown stage', () => {
  const bad = (tracks: object) => ApplicationStageRules.safeParse({ tracks: { ...DEFAULT_STAGE_RULES.tracks, ...tracks } });
  assert.equal(bad({ residential: [{ stage: 'accept', owner: '@station', limitWd: 0 }] }).success, false);
  assert.equal(bad({ residential: [{ stage: 'accept', owner: '@station', limitWd: 1.5 }] }).success, false);
  assert.equal(bad({ residential: [{ stage: 'inspect', owner: '@station', limitWd: 1 }] }).success, false);
  assert.equal(
    bad({
      residential: [
        { stage: 'accept', owner: '@station', limitWd: 1 },
        { stage: 'accept', owner: '@station', limitWd: 1 },
      ],
    }).success,
    false,
  );
});

test('a stage is due after its working days and reminded at 80 % of its working time (weekends not counted)', () => {
  // Monday 7 December 2026, 10:00 in the centre; 5 WD: Tuesday to the next Monday, due at its midnight.
  const start = new Date('2026-12-07T10:00:00+08:00');
  const five = stageTimes(start, 5, calendar);
  assert.equal(five.dueAt, new Date('2026-12-15T00:00:00+08:00').toISOString());
  // 80 % of five working days is four: the end of Friday, not Sunday's clock time.
  assert.equal(five.remindAt, new Date('2026-12-12T00:00:00+08:00').toISOString());
  const one = stageTimes(start, 1, calendar);
  assert.equal(one.dueAt, new Date('2026-12-09T00:00:00+08:00').toISOString());
  assert.equal(one.remindAt, new Date('2026-12-08T19:12:00+08:00').toISOString());
});

test('supervision: the reminder, then level 1 when due, then level 2 a further half of the limit later (at least 1 WD)', () => {
  const start = new Date('2026-12-07T10:00:00+08:00');
  const { dueAt, remindAt } = stageTimes(start, 5, calendar);
  // 2.5 WD after Monday 14 December's midnight: noon of Thursday 17 December.
  assert.equal(secondEscalationAt(dueAt, 5, calendar), new Date('2026-12-17T12:00:00+08:00').toISOString());
  // A 1-WD stage waits a whole working day more.
  assert.equal(secondEscalationAt(new Date('2026-12-09T00:00:00+08:00').toISOString(), 1, calendar), new Date('2026-12-10T00:00:00+08:00').toISOString());
  const stage = { dueAt, remindAt, limitWd: 5, reminded: false, level: 0 };
  const at = (local: string) => new Date(`${local}+08:00`).toISOString();
  assert.equal(supervisionDue(stage, at('2026-12-11T10:00:00'), calendar), null);
  assert.equal(supervisionDue(stage, at('2026-12-12T00:00:00'), calendar), 'remind');
  assert.equal(supervisionDue({ ...stage, reminded: true }, at('2026-12-14T12:00:00'), calendar), null);
  assert.equal(supervisionDue({ ...stage, reminded: true }, at('2026-12-15T00:00:00'), calendar), 'escalate1');
  assert.equal(supervisionDue(stage, at('2026-12-15T08:00:00'), calendar), 'escalate1', 'late before its reminder: escalated, not reminded');
  assert.equal(supervisionDue({ ...stage, level: 1 }, at('2026-12-17T11:59:00'), calendar), null);
  assert.equal(supervisionDue({ ...stage, level: 1 }, at('2026-12-17T12:00:00'), calendar), 'escalate2');
  assert.equal(supervisionDue({ ...stage, level: 2 }, at('2027-01-30T12:00:00'), calendar), null, 'nothing after level 2');
});

test('owners: a named unit by its code, or the customer’s own county bureau or station', () => {
  const codes = new Map([['YL-YXB', 3]]);
  const customer = { stationId: 21, countyId: 20 };
  assert.equal(ownerUnitOf('YL-YXB', customer, codes), 3);
  assert.equal(ownerUnitOf('@county', customer, codes), 20);
  assert.equal(ownerUnitOf('@station', customer, codes), 21);
  assert.equal(ownerUnitOf('YL-NONE', customer, codes), undefined);
});

test('numbers: YK, the local date and the sequence of the day', () => {
  assert.equal(applicationNumber('2026-12-07', 3), 'YK20261207003');
});
