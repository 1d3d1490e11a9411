import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, userId, type Client, type TestApp } from './helpers/app.js';
import { ACTIONS, actionsOf, can, isCityWide, type Action } from '../src/server/platform/policy.js';

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
      assert.deepEqual(me.navAreas, ['demands', 'customers', 'outages', 'reports', 'evaluation']);
    });

    // GET /api/me's `can` is what the web offers (issue 15): it must be exactly what the policy lets the caller do.
    const DEMO_USERS = ['admin', 'agent', 'team_lead', 'expert', 'handler', 'kb_editor', 'kb_reviewer', 'account_manager', 'analyst', 'centre_manager'];

    /** Requests that need one action and change nothing: a GET, a missing record, or a body refused after the role check (which runs first). */
    const PROBES: [Action, (c: Client) => Promise<{ statusCode: number }>][] = [
      ['demand.create', (c) => c.post('/api/demands', {})],
      ['demand.urge', (c) => c.get('/api/supervision')],
      ['demand.verdict', (c) => c.post('/api/demands/999999/verdict', {})],
      ['work_order.handle', (c) => c.post('/api/work-orders/999999/accept')],
      ['customer.read', (c) => c.get('/api/customers/lookup?q=张')],
      ['consultation.read', (c) => c.get('/api/consultations')],
      ['meeting.manage', (c) => c.post('/api/meetings', {})],
      ['evaluation.manage', (c) => c.post('/api/evaluation/events', {})],
      ['user.manage', (c) => c.get('/api/settings/password-policy')],
      ['token.manage', (c) => c.get('/api/tokens')],
    ];

    /** Each probe is refused (403) exactly when `can` lacks its action. */
    async function assertProbesFollow(client: Client, granted: readonly string[], who: string) {
      for (const [action, probe] of PROBES) {
        const status = (await probe(client)).statusCode;
        if (granted.includes(action)) assert.notEqual(status, 403, `${who} may ${action}`);
        else assert.equal(status, 403, `${who} may not ${action}`);
      }
    }

    test("/api/me's can lists exactly the actions the policy allows each demo user, sorted; cityWide is the policy's scope", async () => {
      for (const username of DEMO_USERS) {
        const me = (await (await t.login(username)).get('/api/me')).json() as { user: { roles: any[] }; can: string[]; cityWide: boolean };
        assert.deepEqual(me.can, [...me.can].sort(), `${username}: sorted`);
        assert.equal(new Set(me.can).size, me.can.length, `${username}: no repeats`);
        for (const action of ACTIONS) assert.equal(me.can.includes(action), can(me.user, action), `${username} ${action}`);
        assert.ok(
          me.can.every((action) => (ACTIONS as readonly string[]).includes(action)),
          `${username}: only the policy's actions`,
        );
        assert.equal(me.cityWide, isCityWide(me.user.roles), `${username}: cityWide`);
      }
      const kb = (await (await t.login('kb_reviewer')).get('/api/me')).json();
      assert.deepEqual(kb.can, ['article.read', 'article.review', 'org.read', 'user.read']);
      const handler = (await (await t.login('handler')).get('/api/me')).json();
      assert.ok(handler.can.includes('work_order.handle') && !handler.can.includes('demand.create'));
      assert.equal(handler.cityWide, false, "a handler sees their unit's rows");
      assert.equal((await (await t.login('analyst')).get('/api/me')).json().cityWide, true, 'the centre sees every unit');
    });

    test("a request needing an action /api/me's can lacks is refused with 403, and one it lists is not", async () => {
      for (const username of ['agent', 'team_lead', 'handler', 'analyst', 'admin', 'expert']) {
        const client = await t.login(username);
        await assertProbesFollow(client, (await client.get('/api/me')).json().can, username);
      }
    });

    test("a token scoped to some of its user's roles gets their narrower can, and is refused the rest", async () => {
      const admin = await t.login('admin');
      const created = await admin.post('/api/users', {
        username: 'me.can.two',
        name: '两个角色',
        password: 'right-password',
        roles: ['agent', 'analyst'],
        unitId: 2,
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id as number;
      const session = await t.login('me.can.two', 'right-password');
      const full = (await session.get('/api/me')).json();
      assert.deepEqual(full.can, actionsOf({ roles: ['agent', 'analyst'] }));

      const scoped = await admin.post('/api/tokens', { userId: id, name: 'CTI 只登记', roles: ['agent'] });
      assert.equal(scoped.statusCode, 201, scoped.body);
      const cti = t.anonymous();
      cti.bearer = scoped.json().token;
      const narrow = (await cti.get('/api/me')).json();
      assert.deepEqual(narrow.can, actionsOf({ roles: ['agent'] }));
      assert.ok(narrow.can.length < full.can.length && narrow.can.every((a: string) => full.can.includes(a)));
      assert.ok(full.can.includes('evaluation.manage') && !narrow.can.includes('evaluation.manage'));

      await assertProbesFollow(session, full.can, 'the user');
      await assertProbesFollow(cti, narrow.can, 'the scoped token');
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
