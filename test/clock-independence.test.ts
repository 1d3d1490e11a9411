import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, type TestApp } from './helpers/app.js';

// The guard of issue 19: the suite runs the app on fixed clocks, and once the
// real date passed them every session cookie was thrown away by a test client
// that judged expiry on the real date. Here the app's clock is set years
// before and years after the real date; sessions must behave the same both
// ways. A cookie jar on the real date fails the first case (the cookies of a
// past clock arrive already expired) and the second (they outlive the app's
// expiry), so this file fails if the jar ever goes back to the real date.

const HOUR = 3600_000;
const YEAR = 365.25 * 24 * HOUR;
const SESSION_HOURS = 12; // SUQIU_SESSION_HOURS' default

for (const target of testDatabases()) {
  for (const [label, offset] of [
    ['five years before the real date', -5 * YEAR],
    ['five years after the real date', 5 * YEAR],
  ] as const) {
    describe(`sessions on a clock ${label} (${target.name})`, () => {
      const start = new Date(Math.floor((Date.now() + offset) / HOUR) * HOUR);
      let now = start;
      let t: TestApp;
      before(async () => {
        t = await startTestApp(target, { clock: () => now, customers: 10 });
      });
      after(() => t.close());

      test('the session and csrf cookies expire 12 hours after sign-in on the app clock, and the client keeps them', async () => {
        now = start;
        const res = await t.anonymous().post('/api/auth/login', { username: 'agent', password: 'suqiu-demo' });
        assert.equal(res.statusCode, 200);
        const cookies = res.cookies as { name: string; expires?: Date }[];
        for (const name of ['suqiu_session', 'csrf_token']) {
          const cookie = cookies.find((c) => c.name === name);
          assert.ok(cookie?.expires, `${name} carries Expires`);
          assert.equal(cookie.expires.getTime(), start.getTime() + SESSION_HOURS * HOUR, `${name} expires on the app's clock`);
        }
        const agent = await t.login('agent');
        assert.deepEqual([...agent.cookies.keys()].sort(), ['csrf_token', 'suqiu_session']);
        assert.equal((await agent.get('/api/me')).statusCode, 200);
        const created = await agent.post('/api/demands', {
          channel: 'phone',
          type: 'consultation',
          category: 'supply_service',
          customer: { phone: '13900000019' },
          content: '咨询电费缴纳方式',
        });
        assert.equal(created.statusCode, 201, created.body);
      });

      test('a session used within its life slides forward; one left idle past it is gone, from the client and the server', async () => {
        now = start;
        const agent = await t.login('agent');
        now = new Date(start.getTime() + 11 * HOUR);
        assert.equal((await agent.get('/api/me')).statusCode, 200, 'used at 11 h');
        now = new Date(start.getTime() + 20 * HOUR);
        assert.ok(agent.cookies.has('suqiu_session'), 'the use at 11 h sent the cookies again with the new expiry');
        assert.equal((await agent.get('/api/me')).statusCode, 200, 'still signed in at 20 h: 9 h after the last use');
        now = new Date(start.getTime() + (20 + SESSION_HOURS + 1) * HOUR);
        assert.equal(agent.cookies.has('suqiu_session'), false, 'the client drops the cookie at its expiry on the app clock');
        assert.equal((await agent.get('/api/me')).statusCode, 401);
        now = start;
      });
    });
  }
}
