import { test } from 'node:test';
import assert from 'node:assert/strict';
import { counted } from './throttle.js';

const rule = { limit: 5, windowMinutes: 15 };
const start = '2026-11-23T08:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(start) + seconds * 1000);

test('the attempts up to the limit are tried; the next is over it', () => {
  assert.equal(counted(rule, { attempts: 5, window_start: start }, at(10)).over, false);
  assert.equal(counted(rule, { attempts: 6, window_start: start }, at(10)).over, true);
});

test('retry after: the seconds left of the window, never less than one', () => {
  assert.equal(counted(rule, { attempts: 6, window_start: start }, at(60)).retryAfterSeconds, 14 * 60);
  assert.equal(counted(rule, { attempts: 6, window_start: start }, at(15 * 60 - 0.2)).retryAfterSeconds, 1);
  assert.equal(counted(rule, { attempts: 6, window_start: start }, at(16 * 60)).retryAfterSeconds, 1);
});
