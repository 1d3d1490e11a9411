import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, userId, type Client, type TestApp } from './helpers/app.js';

// Issue 13's findings, each tried again as the probe tried it: the lockout
// under parallel guesses, a stranger locking out the admin, the throttles,
// sessions and tokens outliving a password, scoped tokens, a reused
// Idempotency-Key, broken text, LIKE wildcards, the screen pop's unit
// bound, the headers, a trickled body, and the password policy.

const STRONG = 'plum-orchard-river-9';

for (const target of testDatabases()) {
  describe(`hardening (${target.name})`, () => {
    let t: TestApp;
    let admin: Client;
    const from = (address: string) => {
      const c = t.anonymous();
      c.address = address;
      return c;
    };
    const loginFrom = (address: string, username: string, password: string) => from(address).post('/api/auth/login', { username, password });
    const newUser = async (username: string, roles: string[] = ['agent'], unit = 2) => {
      const res = await admin.post('/api/users', { username, name: `测试${username}`, password: STRONG, roles, unitId: unit });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as number;
    };
    const failures = async (id: number) =>
      (
        await t.database.db
          .selectFrom('audit_log')
          .select('action')
          .where('entity_type', '=', 'user')
          .where('entity_id', '=', String(id))
          .where('action', 'in', ['auth.login_failed', 'auth.locked'])
          .execute()
      ).length;

    before(async () => {
      t = await startTestApp(target);
      admin = await t.login('admin');
    });
    after(() => t.close());

    test('95 parallel wrong passwords: five are tried, the rest refused untried, and the right one after them is refused too', async () => {
      const id = await newUser('parallel.guess');
      const guesses = await Promise.all(Array.from({ length: 95 }, (_, i) => loginFrom('10.9.0.1', 'parallel.guess', `wrong-guess-${i}`)));
      const statuses = guesses.map((g) => g.statusCode);
      assert.ok(
        statuses.every((s) => s === 401 || s === 423 || s === 429),
        statuses.join(),
      );
      assert.equal(statuses.filter((s) => s === 401).length, 4, 'four wrong passwords are answered as wrong');
      assert.equal(await failures(id), 5, 'the password was checked five times, not 95');
      const right = await loginFrom('10.9.0.1', 'parallel.guess', STRONG);
      // Locked out of the account (423), or the address throttled for its 95 tries (429): never signed in.
      assert.ok(right.statusCode === 423 || right.statusCode === 429, right.body);
      assert.ok(Number(right.headers['retry-after']) > 0, 'Retry-After says when');
    });

    test("a stranger cannot lock the admin out: five wrong passwords lock the stranger's address only", async () => {
      for (let i = 0; i < 4; i++) assert.equal((await loginFrom('203.0.113.7', 'admin', 'guess-' + i)).statusCode, 401);
      const fifth = await loginFrom('203.0.113.7', 'admin', 'guess-4');
      assert.equal(fifth.statusCode, 423);
      assert.equal((await loginFrom('203.0.113.7', 'admin', 'suqiu-demo')).statusCode, 423, "the stranger's address stays locked out, even with the password");
      assert.equal((await loginFrom('10.1.1.1', 'admin', 'suqiu-demo')).statusCode, 200, 'the admin signs in from their own desk');
      const adminId = await userId(t.database, 'admin');
      const shown = (await admin.get(`/api/users/${adminId}`)).json();
      assert.ok(shown.lockedUntil, 'the admin sees that the account is locked from somewhere');
      assert.equal((await admin.post(`/api/users/${adminId}/unlock`)).statusCode, 200);
      assert.equal((await loginFrom('203.0.113.7', 'admin', 'suqiu-demo')).statusCode, 200, 'unlocked for every address');
    });

    test('one address trying many accounts is throttled with 429 and Retry-After; other addresses are not', async () => {
      const answers = [];
      for (let i = 0; i < 31; i++) answers.push((await loginFrom('198.51.100.9', `nobody.${i}`, 'whatever-pass')).statusCode);
      assert.deepEqual(answers.slice(0, 30), Array(30).fill(401));
      const throttled = await loginFrom('198.51.100.9', 'agent', 'suqiu-demo');
      assert.equal(throttled.statusCode, 429);
      assert.ok(Number(throttled.headers['retry-after']) > 60);
      assert.equal((await loginFrom('198.51.100.10', 'agent', 'suqiu-demo')).statusCode, 200);
    });

    test('a right password gives its attempt back: a floor of agents signing in all day is never throttled', async () => {
      for (let i = 0; i < 40; i++) assert.equal((await loginFrom('10.20.0.1', 'agent', 'suqiu-demo')).statusCode, 200);
    });

    test('the current password of a password change is checked five times in 15 minutes, then 429', async () => {
      await newUser('pw.oracle');
      const user = await t.login('pw.oracle', STRONG);
      for (let i = 0; i < 5; i++)
        assert.equal((await user.post('/api/me/password', { currentPassword: `nope-${i}-x`, newPassword: 'violet-harbour-lantern-3' })).statusCode, 400);
      const sixth = await user.post('/api/me/password', { currentPassword: STRONG, newPassword: 'violet-harbour-lantern-3' });
      assert.equal(sixth.statusCode, 429, 'refused even with the right one, untried');
      assert.ok(Number(sixth.headers['retry-after']) > 0);
    });

    test("a password change ends the user's other sessions; the one it was made from goes on", async () => {
      await newUser('pw.change');
      const desk = await t.login('pw.change', STRONG);
      const phone = await t.login('pw.change', STRONG);
      assert.equal((await desk.post('/api/me/password', { currentPassword: STRONG, newPassword: 'copper-meadow-falcon-7' })).statusCode, 200);
      assert.equal((await desk.get('/api/me')).statusCode, 200);
      assert.equal((await phone.get('/api/me')).statusCode, 401, 'the other session has ended');
      assert.equal((await t.anonymous().post('/api/auth/login', { username: 'pw.change', password: STRONG })).statusCode, 401);
    });

    test("a disabled user enabled again does not get their tokens back; an admin's password reset ends sessions and tokens", async () => {
      const id = await newUser('token.owner');
      const token = (await admin.post('/api/tokens', { userId: id, name: '外呼系统' })).json().token;
      const cti = t.anonymous();
      cti.bearer = token;
      assert.equal((await cti.get('/api/me')).statusCode, 200);
      assert.equal((await admin.patch(`/api/users/${id}`, { active: false })).statusCode, 200);
      assert.equal((await admin.patch(`/api/users/${id}`, { active: true })).statusCode, 200);
      assert.equal((await cti.get('/api/me')).statusCode, 401, 'the token stays dead');
      const listed = (await admin.get('/api/tokens')).json().find((x: { userId: number }) => x.userId === id);
      assert.ok(listed.revokedAt, 'and is shown revoked');

      const second = (await admin.post('/api/tokens', { userId: id, name: '外呼系统 2' })).json().token;
      cti.bearer = second;
      const session = await t.login('token.owner', STRONG);
      assert.equal((await admin.patch(`/api/users/${id}`, { password: 'amber-glacier-willow-5' })).statusCode, 200);
      assert.equal((await cti.get('/api/me')).statusCode, 401, 'a reset password ends the tokens');
      assert.equal((await session.get('/api/me')).statusCode, 401, 'and the sessions');
    });

    test("a token acts with the roles it names, some of its user's; a role the user lacks is refused", async () => {
      const id = await newUser('two.roles', ['agent', 'team_lead']);
      const scoped = await admin.post('/api/tokens', { userId: id, name: 'CTI 只登记', roles: ['agent'] });
      assert.equal(scoped.statusCode, 201, scoped.body);
      assert.deepEqual(scoped.json().roles, ['agent']);
      const cti = t.anonymous();
      cti.bearer = scoped.json().token;
      assert.deepEqual((await cti.get('/api/me')).json().user.roles, ['agent']);
      assert.equal((await cti.get('/api/supervision')).statusCode, 403, "not the team lead's page");
      const lead = await t.login('two.roles', STRONG);
      assert.equal((await lead.get('/api/supervision')).statusCode, 200, 'the user themselves still leads');
      const foreign = await admin.post('/api/tokens', { userId: id, name: 'x', roles: ['admin'] });
      assert.equal(foreign.statusCode, 400);
      assert.match(foreign.json().message, /body\.roles: the user does not have admin/);
    });

    test('an Idempotency-Key reused with another request is 422; with the same request it answers the first demand', async () => {
      const agent = await t.login('agent');
      const body = { channel: 'phone', type: 'consultation', category: 'supply_service', customer: { phone: '13611110001' }, content: '咨询电价' };
      const first = await agent.request({ method: 'POST', url: '/api/demands', payload: body, headers: { 'idempotency-key': 'hardening-1' } });
      assert.equal(first.statusCode, 201);
      const again = await agent.request({
        method: 'POST',
        url: '/api/demands',
        payload: { content: '咨询电价', customer: { phone: '13611110001' }, category: 'supply_service', type: 'consultation', channel: 'phone' },
        headers: { 'idempotency-key': 'hardening-1' },
      });
      assert.equal(again.json().id, first.json().id, 'the same request, keys in another order');
      const other = await agent.request({
        method: 'POST',
        url: '/api/demands',
        payload: { ...body, content: '另一件事：路灯不亮' },
        headers: { 'idempotency-key': 'hardening-1' },
      });
      assert.equal(other.statusCode, 422);
      assert.match(other.json().message, /Idempotency-Key hardening-1 was used before with another request/);
    });

    test('control characters, lone surrogates and broken UTF-8 are 400 naming the field, and nothing is saved', async () => {
      const agent = await t.login('agent');
      const count = async () =>
        Number(
          (
            await t.database.db
              .selectFrom('demands')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const body = (content: string) => ({
        channel: 'phone',
        type: 'consultation',
        category: 'supply_service',
        customer: { phone: '13611110002', name: '张三' },
        content,
      });
      const nul = await agent.post('/api/demands', body('停电\u0000了'));
      assert.equal(nul.statusCode, 400);
      assert.equal(nul.json().issues[0].path, 'body.content');
      assert.match(nul.json().message, /U\+0000/);
      const bell = await agent.post('/api/demands', { ...body('ok'), customer: { phone: '13611110002', name: '张\u0007三' } });
      assert.equal(bell.json().issues[0].path, 'body.customer.name');
      // A lone surrogate, as JSON writes it.
      const lone = await agent.request({
        method: 'POST',
        url: '/api/demands',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(body('x')).replace('"x"', '"\\ud800x"'),
      });
      assert.equal(lone.statusCode, 400);
      assert.match(lone.json().message, /body\.content: holds a lone UTF-16 surrogate/);
      // Broken UTF-8: a Chinese character cut in half.
      const bytes = Buffer.concat([Buffer.from(JSON.stringify(body('停')).slice(0, -2)), Buffer.from([0xe5, 0x81]), Buffer.from('"}')]);
      const broken = await agent.request({ method: 'POST', url: '/api/demands', headers: { 'content-type': 'application/json' }, payload: bytes });
      assert.equal(broken.statusCode, 400);
      assert.match(broken.json().message, /not valid UTF-8/);
      const query = await agent.get('/api/demands?q=%E5%81');
      assert.equal(query.statusCode, 400, 'a query string with broken UTF-8 too');
      const ctl = await agent.get('/api/demands?q=%07x');
      assert.equal(ctl.statusCode, 400);
      assert.equal(ctl.json().issues[0].path, 'querystring.q');
      assert.equal(await count(), before, 'nothing saved');
      // Tabs and line breaks are text.
      assert.equal((await agent.post('/api/demands', body('第一行\n第二行\t完'))).statusCode, 201);
    });

    test('GET /api/users?q=% finds a percent sign, not everyone', async () => {
      const all = (await admin.get('/api/users')).json();
      assert.ok(all.length > 5);
      assert.deepEqual((await admin.get('/api/users?q=%25')).json(), []);
      const underscore = (await admin.get('/api/users?q=_')).json();
      assert.ok(underscore.length > 0 && underscore.length < all.length, 'an underscore is a character, not "any character"');
      assert.ok(underscore.every((u: { username: string; name: string }) => u.username.includes('_') || u.name.includes('_')));
      assert.ok((await admin.get('/api/users?q=agent')).json().length > 0);
    });

    test('the screen pop shows a handler only the cases of their own units', async () => {
      const station = await unitId(t.database, 'YL-QL-CG');
      const customer = await t.database.db
        .selectFrom('customers')
        .select(['account_no', 'phone'])
        .where('unit_id', '=', station)
        .orderBy('id')
        .limit(1)
        .executeTakeFirstOrThrow();
      const agent = await t.login('agent');
      // A complaint, routed to 市场营销部 by its category.
      const complaint = (
        await agent.post('/api/demands', {
          channel: 'phone',
          type: 'complaint',
          category: 'supply_service',
          subcategory: 'service_complaint',
          customer: { accountNo: customer.account_no, phone: customer.phone },
          content: '营业厅态度差',
        })
      ).json();
      const handler = await t.login('handler');
      const found = (await handler.get(`/api/customers/lookup?phone=${customer.phone}`)).json().items[0];
      assert.ok(found, "the station's customer is found");
      const all = (await agent.get(`/api/customers/lookup?phone=${customer.phone}`)).json().items[0].recentDemands;
      assert.ok(
        all.some((d: { id: number }) => d.id === complaint.id),
        'the centre sees the complaint',
      );
      assert.ok(!found.recentDemands.some((d: { id: number }) => d.id === complaint.id), "the station does not see 市场营销部's case");
    });

    test('headers: a Content-Security-Policy forbidding frames, nosniff, no-store on the API; HSTS only when secure', async () => {
      const me = await admin.get('/api/me');
      assert.match(String(me.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.match(String(me.headers['content-security-policy']), /script-src 'self'/);
      assert.equal(me.headers['x-content-type-options'], 'nosniff');
      assert.equal(me.headers['cache-control'], 'no-store');
      assert.equal(me.headers['strict-transport-security'], undefined, 'plain HTTP here: no HSTS');
      const secure = await startTestApp(target, { seed: false, config: { secureCookies: 'always' } });
      try {
        const res = await secure.app.inject({ method: 'GET', url: '/healthz' });
        assert.match(String(res.headers['strict-transport-security']), /max-age=\d+/);
      } finally {
        await secure.close();
      }
    });

    test('a body that does not arrive within the time limit is answered 408 and its connection closed', async () => {
      const slow = await startTestApp(target, { seed: false, config: { requestTimeoutSeconds: 1 } });
      try {
        await slow.app.listen({ port: 0, host: '127.0.0.1' });
        const { port } = slow.app.server.address() as AddressInfo;
        const started = Date.now();
        const socket = connect(port, '127.0.0.1');
        try {
          const answer = await new Promise<string>((resolve, reject) => {
            socket.on('connect', () =>
              socket.write('POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"username":'),
            );
            let got = '';
            socket.on('data', (d) => (got += d.toString()));
            socket.on('close', () => resolve(got));
            socket.on('error', reject);
            setTimeout(() => reject(new Error(`no answer in 10 s (got: ${got})`)), 10_000).unref();
          });
          assert.match(answer, /^HTTP\/1\.1 408/);
          assert.ok(Date.now() - started < 5000, `answered after ${Date.now() - started} ms`);
        } finally {
          socket.destroy();
        }
      } finally {
        await slow.close();
      }
    });

    test('the password policy: common passwords are refused naming why; an admin raises the bar', async () => {
      const weak = await admin.post('/api/users', { username: 'weak.pw', name: '弱口令', password: 'password1', roles: ['agent'], unitId: 2 });
      assert.equal(weak.statusCode, 400);
      assert.equal(weak.json().issues[0].path, 'body.password');
      assert.match(weak.json().message, /too easy to guess: it is a common password/);
      const own = await admin.post('/api/users', { username: 'zhangwei88', name: '张伟', password: 'zhangwei88', roles: ['agent'], unitId: 2 });
      assert.equal(own.statusCode, 400, 'the user name as password');
      assert.deepEqual((await admin.get('/api/settings/password-policy')).json(), { minLength: 8, minStrength: 2 });
      assert.equal((await admin.put('/api/settings/password-policy', { minLength: 6, minStrength: 2 })).statusCode, 400, 'never under 8');
      assert.equal((await admin.put('/api/settings/password-policy', { minLength: 12, minStrength: 4 })).statusCode, 200);
      const short = await admin.post('/api/users', { username: 'short.pw', name: '短', password: 'Kq8#vLm2', roles: ['agent'], unitId: 2 });
      assert.match(short.json().message, /at least 12 characters/);
      assert.equal(
        (await admin.post('/api/users', { username: 'long.pw', name: '长', password: 'plum-orchard-river-9-quiet', roles: ['agent'], unitId: 2 })).statusCode,
        201,
      );
      const agent = await t.login('agent');
      assert.equal((await agent.put('/api/settings/password-policy', { minLength: 8, minStrength: 0 })).statusCode, 403);
      const audit = await t.database.db.selectFrom('audit_log').select('action').where('action', '=', 'settings.password_policy').execute();
      assert.equal(audit.length, 1);
      assert.equal((await admin.put('/api/settings/password-policy', { minLength: 8, minStrength: 2 })).statusCode, 200);
    });
  });
}
