import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, userId, type TestApp } from './helpers/app.js';

for (const target of testDatabases()) {
  describe(`sessions and tokens (${target.name})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(target);
    });
    after(() => t.close());

    test('login answers the user and sets an httpOnly session cookie and a readable csrf cookie', async () => {
      const res = await t.anonymous().post('/api/auth/login', { username: 'agent', password: 'suqiu-demo' });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.deepEqual(Object.keys(body.user).sort(), ['id', 'name', 'roles', 'unitId', 'username']);
      assert.equal(body.user.username, 'agent');
      assert.deepEqual(body.user.roles, ['agent']);
      const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
      const session = setCookie.find((c) => c.startsWith('suqiu_session='))!;
      const csrf = setCookie.find((c) => c.startsWith('csrf_token='))!;
      assert.match(session, /HttpOnly/i);
      assert.match(session, /SameSite=Lax/i);
      assert.doesNotMatch(csrf, /HttpOnly/i);
    });

    test('a wrong password is 401 and says so, for known and unknown names alike', async () => {
      for (const username of ['agent', 'nobody']) {
        const res = await t.anonymous().post('/api/auth/login', { username, password: 'wrong-password' });
        assert.equal(res.statusCode, 401);
        assert.equal(res.json().message, 'wrong user name or password');
      }
    });

    test('no session: /api/me and the organisation answer 401', async () => {
      for (const url of ['/api/me', '/api/units', '/api/users']) assert.equal((await t.anonymous().get(url)).statusCode, 401, url);
    });

    test('/api/me tells who is signed in, their unit and their navigation', async () => {
      const me = (await (await t.login('handler')).get('/api/me')).json();
      assert.equal(me.user.username, 'handler');
      assert.equal(me.user.unitName, '城关供电所');
      assert.deepEqual(me.navAreas, ['demands', 'outages', 'evaluation']);
    });

    test('a state-changing request without the CSRF header is refused, with it accepted', async () => {
      const admin = await t.login('admin');
      const body = { username: 'csrf.check', name: '测试', password: 'long-enough-1', roles: ['agent'], unitId: 2 };
      const refused = await admin.request({ method: 'POST', url: '/api/users', payload: body, headers: { 'x-csrf-token': 'forged' } });
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().error, 'csrf');
      assert.equal((await admin.post('/api/users', body)).statusCode, 201);
    });

    test('logout ends the session on the server: the old cookie no longer works', async () => {
      const agent = await t.login('agent');
      const cookies = new Map(agent.cookies);
      assert.equal((await agent.post('/api/auth/logout')).statusCode, 200);
      const replay = t.anonymous();
      for (const [k, v] of cookies) replay.setCookie(k, v);
      assert.equal((await replay.get('/api/me')).statusCode, 401);
    });

    test('five wrong passwords lock the account, even against the right one; an admin unlocks it', async () => {
      const admin = await t.login('admin');
      const created = await admin.post('/api/users', { username: 'lock.me', name: '锁定测试', password: 'right-password', roles: ['agent'], unitId: 2 });
      assert.equal(created.statusCode, 201);
      for (let i = 0; i < 4; i++) assert.equal((await t.anonymous().post('/api/auth/login', { username: 'lock.me', password: 'bad' })).statusCode, 401);
      const fifth = await t.anonymous().post('/api/auth/login', { username: 'lock.me', password: 'bad' });
      assert.equal(fifth.statusCode, 423);
      assert.match(fifth.json().message, /locked/);
      assert.equal((await t.anonymous().post('/api/auth/login', { username: 'lock.me', password: 'right-password' })).statusCode, 423);
      const user = (await admin.get(`/api/users/${created.json().id}`)).json();
      assert.ok(user.lockedUntil, 'the admin sees the lock');
      const trail = (await admin.get(`/api/audit?entityType=user&entityId=${user.id}`)).json() as { action: string; actorKind: string }[];
      assert.deepEqual(
        trail.filter((e) => e.action.startsWith('auth.')).map((e) => [e.action, e.actorKind]),
        [['auth.locked', 'anonymous'], ...Array(4).fill(['auth.login_failed', 'anonymous'])],
      );
      assert.equal((await admin.post(`/api/users/${created.json().id}/unlock`)).statusCode, 200);
      assert.equal((await t.anonymous().post('/api/auth/login', { username: 'lock.me', password: 'right-password' })).statusCode, 200);
    });

    test('a disabled user cannot sign in and loses the open session', async () => {
      const admin = await t.login('admin');
      const created = (await admin.post('/api/users', { username: 'leaver', name: '离职', password: 'right-password', roles: ['agent'], unitId: 2 })).json();
      const leaver = await t.login('leaver', 'right-password');
      assert.equal((await admin.patch(`/api/users/${created.id}`, { active: false })).statusCode, 200);
      assert.equal((await leaver.get('/api/me')).statusCode, 401);
      assert.equal((await t.anonymous().post('/api/auth/login', { username: 'leaver', password: 'right-password' })).statusCode, 401);
    });

    test('a user changes their own password with the current one', async () => {
      const admin = await t.login('admin');
      await admin.post('/api/users', { username: 'changer', name: '改密', password: 'first-password', roles: ['agent'], unitId: 2 });
      const user = await t.login('changer', 'first-password');
      const wrong = await user.post('/api/me/password', { currentPassword: 'not-it', newPassword: 'second-password' });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.json().message, /currentPassword/);
      assert.equal((await user.post('/api/me/password', { currentPassword: 'first-password', newPassword: 'second-password' })).statusCode, 200);
      await t.login('changer', 'second-password');
    });

    test('an admin creates an API token; an integration uses it without CSRF; a revoked token is refused', async () => {
      const admin = await t.login('admin');
      const agentId = await userId(t.database, 'agent');
      const created = await admin.post('/api/tokens', { userId: agentId, name: 'CTI 话务系统' });
      assert.equal(created.statusCode, 201);
      const token = created.json();
      assert.match(token.token, /^sq_/);

      const cti = t.anonymous();
      cti.bearer = token.token;
      const me = await cti.get('/api/me');
      assert.equal(me.statusCode, 200);
      assert.equal(me.json().user.username, 'agent');
      assert.equal(me.json().via, 'token');

      const listed = (await admin.get('/api/tokens')).json();
      const row = listed.find((x: { id: number }) => x.id === token.id);
      assert.equal(row.token, undefined, 'the secret is shown once only');
      assert.ok(row.lastUsedAt);

      assert.equal((await admin.post(`/api/tokens/${token.id}/revoke`)).statusCode, 200);
      const refused = await cti.get('/api/me');
      assert.equal(refused.statusCode, 401);
      assert.match(refused.json().message, /revoked/);
    });

    test('only an admin manages tokens', async () => {
      const lead = await t.login('team_lead');
      assert.equal((await lead.post('/api/tokens', { userId: 1, name: 'x' })).statusCode, 403);
      assert.equal((await lead.get('/api/tokens')).statusCode, 403);
    });

    test('a malformed Authorization header is 401 with a clear message', async () => {
      const res = await t.anonymous().request({ method: 'GET', url: '/api/me', headers: { authorization: 'Basic abc' } });
      assert.equal(res.statusCode, 401);
      assert.match(res.json().message, /Bearer/);
    });
  });
}
