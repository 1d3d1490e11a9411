import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boundsOfDays, runsOf } from './rollups.js';

test('days are read in runs of consecutive dates, across a month and a year, never longer than asked', () => {
  assert.deepEqual(runsOf(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-05', '2026-12-05']), [
    ['2026-11-30', '2026-12-02'],
    ['2026-12-05', '2026-12-05'],
  ]);
  assert.deepEqual(runsOf(['2026-12-31', '2027-01-01']), [['2026-12-31', '2027-01-01']]);
  assert.deepEqual(runsOf(['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05'], 2), [
    ['2026-01-01', '2026-01-02'],
    ['2026-01-03', '2026-01-04'],
    ['2026-01-05', '2026-01-05'],
  ]);
  assert.deepEqual(runsOf([]), []);
});

test('a run of local days spans from the first midnight to the midnight after the last, in the company’s zone', () => {
  assert.deepEqual(boundsOfDays('2026-12-01', '2026-12-01', 'Asia/Shanghai'), { from: '2026-11-30T16:00:00.000Z', to: '2026-12-01T16:00:00.000Z' });
  // A day the clocks go back is 25 hours long.
  assert.deepEqual(boundsOfDays('2026-10-25', '2026-10-25', 'Europe/Berlin'), { from: '2026-10-24T22:00:00.000Z', to: '2026-10-25T23:00:00.000Z' });
});
