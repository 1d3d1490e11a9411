import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  afterFailure,
  leaseMs,
  LEASE_MARGIN_MS,
  mailMessageId,
  maskPhone,
  MAX_ATTEMPTS,
  MAX_RETRY_MS,
  paceDelay,
  recipientOf,
  retryDelayMs,
  smsDelivery,
  smtpPermanent,
} from './rules.js';

test('a customer is told through their channel; e-mail without an address falls back to SMS', () => {
  const c = { phone: '13800001111', email: 'li@example.cn', message_channel: 'email' };
  assert.deepEqual(recipientOf(c), { channel: 'email', address: 'li@example.cn' });
  assert.deepEqual(recipientOf({ ...c, message_channel: 'sms' }), { channel: 'sms', address: '13800001111' });
  assert.deepEqual(recipientOf({ ...c, email: null }), { channel: 'sms', address: '13800001111' });
  assert.deepEqual(recipientOf({ ...c, email: '  ' }), { channel: 'sms', address: '13800001111' });
  assert.deepEqual(recipientOf(c, 'sms'), { channel: 'sms', address: '13800001111' }, 'a channel the caller names wins');
  assert.equal(recipientOf({ phone: '', email: null, message_channel: 'email' }), null, 'nowhere to send it');
});

test('retries wait 30 s, then twice as long each time, at most an hour', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map(retryDelayMs), [30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000]);
  assert.equal(retryDelayMs(50), MAX_RETRY_MS);
  assert.equal(retryDelayMs(0), 30_000);
});

test('a failed attempt is queued again until the attempts run out; a refusal fails at once, naming why', () => {
  const at = Date.parse('2026-12-07T08:00:00Z');
  assert.deepEqual(afterFailure({ attempts: 1, permanent: false, reason: 'HTTP 500' }, at), {
    status: 'queued',
    nextAttemptAt: at + 30_000,
    lastError: 'HTTP 500',
  });
  assert.deepEqual(afterFailure({ attempts: 3, permanent: false, reason: 'timeout' }, at), {
    status: 'queued',
    nextAttemptAt: at + 120_000,
    lastError: 'timeout',
  });
  assert.deepEqual(afterFailure({ attempts: MAX_ATTEMPTS, permanent: false, reason: 'HTTP 503' }, at), {
    status: 'failed',
    lastError: `gave up after ${MAX_ATTEMPTS} attempts: HTTP 503`,
  });
  assert.deepEqual(afterFailure({ attempts: 1, permanent: true, reason: 'code 40001: 号码无效' }, at), {
    status: 'failed',
    lastError: 'refused: code 40001: 号码无效',
  });
  assert.equal(afterFailure({ attempts: 2, permanent: false, reason: 'x' }, at, 2).status, 'failed', 'the limit is a parameter');
});

test('the pace spaces starts evenly, so that no second holds more than `perSecond`', () => {
  assert.equal(paceDelay([], 0, 5), 0, 'the first goes at once');
  assert.equal(paceDelay([0], 50, 5), 50, 'the next at least half the even spacing (100 ms) after the last');
  assert.equal(paceDelay([0, 100, 200, 300, 400], 450, 5), 550, 'the sixth not within a second of the first');
  assert.equal(paceDelay([0, 300, 400, 500, 600], 1000, 5), 0, 'a late start is caught up');
  // Replaying a run: starts taken as the pace allows never put more than perSecond in a one-second window, and keep the rate.
  const starts: number[] = [];
  let now = 0;
  for (let i = 0; i < 70; i++) {
    now += paceDelay(starts, now, 7);
    starts.push(now);
    now += i % 3; // some sends start late, none early
  }
  assert.ok(starts.at(-1)! < 10_000 + 20, `70 starts at 7 a second take about 10 s, whatever the lateness (${starts.at(-1)} ms)`);
  for (const s of starts) assert.ok(starts.filter((t) => t >= s && t < s + 1000).length <= 7);
});

test('a claim outlasts its chunk’s turns under the rate and the slowest send', () => {
  assert.equal(leaseMs(16, 50, 10_000), 320 + 10_000 + LEASE_MARGIN_MS);
  assert.equal(leaseMs(4, 10, 15_000), 400 + 15_000 + LEASE_MARGIN_MS);
  assert.ok(leaseMs(1, 1, 0) > 1000);
});

test('the SMS gateway’s answers: taken, refused for good, or tried again', () => {
  assert.deepEqual(smsDelivery(200, { code: 0, messageId: 'gw-1' }), { ok: true, providerId: 'gw-1' });
  assert.deepEqual(smsDelivery(202, { code: 0, messageId: 77 }), { ok: true, providerId: '77' });
  assert.deepEqual(smsDelivery(200, { code: 0 }), { ok: true, providerId: null });
  assert.deepEqual(smsDelivery(200, { code: 40001, message: '号码无效' }), { ok: false, permanent: true, reason: 'code 40001: 号码无效' });
  assert.deepEqual(smsDelivery(400, { message: 'phone is not a number' }), { ok: false, permanent: true, reason: 'HTTP 400: phone is not a number' });
  assert.deepEqual(smsDelivery(403, null), { ok: false, permanent: true, reason: 'HTTP 403' });
  assert.deepEqual(smsDelivery(429, null), { ok: false, permanent: false, reason: 'HTTP 429 (rate limited)' });
  assert.deepEqual(smsDelivery(500, { code: 1, message: 'busy' }), { ok: false, permanent: false, reason: 'HTTP 500: busy' });
  assert.deepEqual(smsDelivery(503, 'Service Unavailable'), { ok: false, permanent: false, reason: 'HTTP 503' });
  assert.deepEqual(smsDelivery(200, 'OK'), { ok: false, permanent: false, reason: 'HTTP 200 without a JSON {code}' }, 'an answer it cannot read: tried again');
});

test('SMTP: a 5xx to the envelope or the message is final; the login’s and the connection’s troubles are not', () => {
  assert.equal(smtpPermanent({ code: 'EENVELOPE', responseCode: 550 }), true);
  assert.equal(smtpPermanent({ code: 'EMESSAGE', responseCode: 554 }), true);
  assert.equal(smtpPermanent({ code: 'EENVELOPE', responseCode: 451 }), false, '4xx: try later');
  assert.equal(smtpPermanent({ code: 'EENVELOPE' }), true, 'an address nodemailer itself refused');
  assert.equal(smtpPermanent({ code: 'EAUTH', responseCode: 535 }), false);
  assert.equal(smtpPermanent({ code: 'ECONNECTION' }), false);
  assert.equal(smtpPermanent({ code: 'ETIMEDOUT' }), false);
  assert.equal(smtpPermanent({}), false);
});

test('an e-mail’s Message-ID is the same for every attempt of one message and differs between messages', () => {
  const id = mailMessageId('outage:12:notice:345');
  assert.match(id, /^<[0-9a-f]{40}@suqiu>$/);
  assert.equal(mailMessageId('outage:12:notice:345'), id);
  assert.notEqual(mailMessageId('outage:12:notice:346'), id);
});

test('phones are masked in the outbox list', () => {
  assert.equal(maskPhone('13812341234'), '138****1234');
  assert.equal(maskPhone('0871-65550001'), '087******0001');
  assert.equal(maskPhone('6555001'), '65***01');
  assert.equal(maskPhone('110'), '***');
});
