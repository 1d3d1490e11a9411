import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, userId, type TestApp } from './helpers/app.js';

for (const target of testDatabases()) {
  describe(`organisation and accounts (${target.name})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(target);
    });
    after(() => t.close());

    test('the demo city has its bureau, centre, seven departments and seven counties with stations', async () => {
      const units = (await (await t.login('agent')).get('/api/units')).json() as { kind: string; name: string; parentId: number | null; code: string }[];
      const count = (kind: string) => units.filter((u) => u.kind === kind).length;
      assert.equal(count('bureau'), 1);
      assert.equal(count('centre'), 1);
      assert.equal(count('department'), 7);
      assert.equal(count('county'), 7);
      assert.ok(count('station') >= 14);
      for (const name of ['生产设备部', '市场营销部', '基建部', '调度控制中心', '安全监察部', '物资部', '计划建设部']) {
        assert.ok(
          units.some((u) => u.kind === 'department' && u.name === name),
          name,
        );
      }
      const byId = new Map(units.map((u: any) => [u.id, u]));
      // A county's 供电所, or a department's 所 (输电管理所 under 生产设备部).
      for (const station of units.filter((u) => u.kind === 'station'))
        assert.ok(['county', 'department'].includes((byId.get(station.parentId!) as any).kind), station.name);
      const transmission = units.find((u) => u.name === '输电管理所')!;
      assert.equal((byId.get(transmission.parentId!) as any).name, '生产设备部');
      assert.deepEqual(Object.keys(units[0]!).slice(0, 5), ['id', 'code', 'name', 'kind', 'parentId']);
    });

    test('every role has its demo user, named after it', async () => {
      const admin = await t.login('admin');
      for (const role of ['admin', 'agent', 'team_lead', 'expert', 'handler', 'kb_editor', 'kb_reviewer', 'account_manager', 'analyst']) {
        const user = (await admin.get(`/api/users/${await userId(t.database, role)}`)).json();
        assert.deepEqual(user.roles, [role]);
      }
    });

    test('an admin adds a station under a county; the audit trail records who did it', async () => {
      const admin = await t.login('admin');
      const county = await unitId(t.database, 'YL-QL');
      const res = await admin.post('/api/units', { code: 'YL-QL-TEST', name: '测试供电所', kind: 'station', parentId: county, areaClass: 'rural' });
      assert.equal(res.statusCode, 201);
      const unit = res.json();
      assert.equal(unit.parentId, county);
      const audit = (await admin.get(`/api/audit?entityType=unit&entityId=${unit.id}`)).json();
      assert.equal(audit[0].action, 'unit.created');
      assert.equal(audit[0].actorName, '系统管理员');
      assert.equal(audit[0].after.name, '测试供电所');
    });

    test('the tree keeps its shape: no station under a station, no county under a county, no unit under its own child', async () => {
      const admin = await t.login('admin');
      const station = await unitId(t.database, 'YL-QL-CG');
      const county = await unitId(t.database, 'YL-QL');
      const bad = await admin.post('/api/units', { code: 'YL-BAD', name: '错误', kind: 'station', parentId: station });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().message, /body.parentId: a station cannot stand under a station/);
      assert.equal((await admin.post('/api/units', { code: 'YL-BAD2', name: '错误', kind: 'county', parentId: county })).statusCode, 400);
      const cycle = await admin.patch(`/api/units/${county}`, { parentId: station });
      assert.equal(cycle.statusCode, 400);
    });

    test('a unit code is unique: the second is a 409 naming the code', async () => {
      const admin = await t.login('admin');
      const res = await admin.post('/api/units', { code: 'YL-SCB', name: '重复', kind: 'department', parentId: await unitId(t.database, 'YL') });
      assert.equal(res.statusCode, 409);
      assert.match(res.json().message, /YL-SCB/);
    });

    test('a unit with active users cannot be disabled', async () => {
      const admin = await t.login('admin');
      const res = await admin.patch(`/api/units/${await unitId(t.database, 'YL-QL-CG')}`, { active: false });
      assert.equal(res.statusCode, 409);
      assert.match(res.json().message, /active users/);
    });

    test('moving a station to another county moves it, and is audited with before and after', async () => {
      const admin = await t.login('admin');
      const created = (
        await admin.post('/api/units', { code: 'YL-ZY-MOVE', name: '搬迁供电所', kind: 'station', parentId: await unitId(t.database, 'YL-ZY') })
      ).json();
      const target = await unitId(t.database, 'YL-XW');
      const moved = await admin.patch(`/api/units/${created.id}`, { parentId: target, name: '新址供电所' });
      assert.equal(moved.statusCode, 200);
      assert.equal(moved.json().parentId, target);
      const [entry] = (await admin.get(`/api/audit?entityType=unit&entityId=${created.id}`)).json();
      assert.equal(entry.action, 'unit.updated');
      assert.equal(entry.before.name, '搬迁供电所');
      assert.equal(entry.after.name, '新址供电所');
    });

    test('only an admin changes the organisation', async () => {
      for (const username of ['agent', 'team_lead', 'handler', 'analyst']) {
        const client = await t.login(username);
        const res = await client.post('/api/units', { code: 'YL-NO', name: '无权', kind: 'department', parentId: 1 });
        assert.equal(res.statusCode, 403, username);
        assert.equal((await client.post('/api/users', {})).statusCode, 403, `${username} creating a user`);
      }
    });

    test('POST /api/users creates a user who can sign in with the roles given', async () => {
      const admin = await t.login('admin');
      const res = await admin.post('/api/users', {
        username: 'agent.new',
        name: '新坐席',
        password: 'a-good-password',
        roles: ['agent', 'kb_editor'],
        unitId: await unitId(t.database, 'YL-95598'),
      });
      assert.equal(res.statusCode, 201);
      assert.deepEqual(res.json().roles.sort(), ['agent', 'kb_editor']);
      const me = (await (await t.login('agent.new', 'a-good-password')).get('/api/me')).json();
      assert.deepEqual(me.navAreas, ['demands', 'experts', 'knowledge', 'customers', 'outages', 'reports']);
      const dup = await admin.post('/api/users', { username: 'agent.new', name: '重名', password: 'a-good-password', roles: ['agent'], unitId: 2 });
      assert.equal(dup.statusCode, 409);
    });

    test('GET /api/users filters by role and unit', async () => {
      const agent = await t.login('agent');
      const experts = (await agent.get('/api/users?role=expert')).json() as { roles: string[] }[];
      assert.ok(experts.length >= 28, 'two experts for each department and county, at least');
      assert.ok(experts.every((u) => u.roles.includes('expert')));
      const scb = await unitId(t.database, 'YL-SCB');
      const inScb = (await agent.get(`/api/users?role=expert&unitId=${scb}`)).json() as { unitId: number }[];
      assert.ok(inScb.length >= 2);
      // The department and the 所 below it.
      const transmission = await unitId(t.database, 'YL-SCB-SD');
      assert.ok(inScb.every((u) => u.unitId === scb || u.unitId === transmission));
      assert.ok(inScb.some((u) => u.unitId === transmission));
    });

    test('filtering users by a county includes its stations', async () => {
      const admin = await t.login('admin');
      const listed = (await admin.get(`/api/users?unitId=${await unitId(t.database, 'YL-QL')}`)).json() as { username: string }[];
      const names = listed.map((u) => u.username);
      assert.ok(names.includes('handler.ql'));
      assert.ok(names.includes('handler.ql-cg'));
      assert.ok(!names.includes('handler.zy'));
    });

    test('a station handler sees its own unit only: a sibling station or county user is 404, lists leave them out', async () => {
      const handler = await t.login('handler');
      const own = await unitId(t.database, 'YL-QL-CG');
      const sibling = await userId(t.database, 'handler.ql-nn');
      const county = await userId(t.database, 'handler.ql');
      assert.equal((await handler.get(`/api/users/${sibling}`)).statusCode, 404);
      assert.equal((await handler.get(`/api/users/${county}`)).statusCode, 404);
      const listed = (await handler.get('/api/users')).json() as { unitId: number }[];
      assert.ok(listed.length > 0);
      assert.ok(listed.every((u) => u.unitId === own));
      assert.deepEqual((await handler.get(`/api/users?unitId=${await unitId(t.database, 'YL-QL-NN')}`)).json(), []);
    });

    test('a county handler sees its stations but never a sibling county', async () => {
      const county = await t.login('handler.ql');
      assert.equal((await county.get(`/api/users/${await userId(t.database, 'handler.ql-cg')}`)).statusCode, 200);
      assert.equal((await county.get(`/api/users/${await userId(t.database, 'handler.zy')}`)).statusCode, 404);
      assert.equal((await county.get(`/api/users/${await userId(t.database, 'handler.zy-xp')}`)).statusCode, 404);
    });

    test('an admin cannot disable themselves or drop their own admin role', async () => {
      const admin = await t.login('admin');
      const id = await userId(t.database, 'admin');
      assert.equal((await admin.patch(`/api/users/${id}`, { active: false })).statusCode, 409);
      assert.equal((await admin.patch(`/api/users/${id}`, { roles: ['agent'] })).statusCode, 409);
    });

    test('moving a user to another unit changes what they see', async () => {
      const admin = await t.login('admin');
      const created = (
        await admin.post('/api/users', {
          username: 'mover',
          name: '调动',
          password: 'a-good-password',
          roles: ['handler'],
          unitId: await unitId(t.database, 'YL-QL-CG'),
        })
      ).json();
      const target = await unitId(t.database, 'YL-ZY');
      assert.equal((await admin.patch(`/api/users/${created.id}`, { unitId: target })).statusCode, 200);
      const mover = await t.login('mover', 'a-good-password');
      const listed = (await mover.get('/api/users')).json() as { username: string }[];
      assert.ok(listed.some((u) => u.username === 'handler.zy-xp'));
      assert.ok(!listed.some((u) => u.username === 'handler'));
    });
  });
}
