import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, type TestApp } from './helpers/app.js';

for (const target of testDatabases()) {
  describe(`platform (${target.name})`, () => {
    let t: TestApp;
    let logs = '';
    before(async () => {
      const stream = new Writable({
        write(chunk, _enc, done) {
          logs += chunk.toString();
          done();
        },
      });
      t = await startTestApp(target, { logStream: stream });
    });
    after(() => t.close());

    test('/healthz answers without a session; /readyz checks the database', async () => {
      assert.deepEqual((await t.anonymous().get('/healthz')).json(), { status: 'ok' });
      assert.deepEqual((await t.anonymous().get('/readyz')).json(), { status: 'ready', database: target.name });
    });

    test('the OpenAPI document lists the public endpoints of API.md, and /api/docs is a page', async () => {
      const doc = (await t.anonymous().get('/api/openapi.json')).json();
      assert.match(doc.openapi, /^3\./);
      const paths = Object.keys(doc.paths);
      for (const path of ['/api/auth/login', '/api/auth/logout', '/api/me', '/api/units', '/api/users', '/api/users/{id}', '/api/tokens']) {
        assert.ok(paths.includes(path), `${path} in ${paths.join(', ')}`);
      }
      const login = doc.paths['/api/auth/login'].post;
      // The body is a shared schema, referred to among the components.
      const body = login.requestBody.content['application/json'].schema;
      const schema = body.$ref ? doc.components.schemas[body.$ref.replace('#/components/schemas/', '')] : body;
      assert.deepEqual(schema.required.sort(), ['password', 'username']);
      const page = await t.anonymous().get('/api/docs/');
      assert.equal(page.statusCode, 200);
      assert.match(String(page.headers['content-type']), /text\/html/);
    });

    test('an unknown API path is a JSON 404 naming it', async () => {
      const res = await (await t.login('agent')).get('/api/nothing-here');
      assert.equal(res.statusCode, 404);
      assert.match(res.json().message, /\/api\/nothing-here/);
    });

    test('logs carry no phone numbers, names or secrets', async () => {
      const admin = await t.login('admin');
      await admin.get('/api/users?q=13908741001');
      await admin.get(`/api/users?q=${encodeURIComponent('李晓雯')}`);
      await admin.post('/api/users', {
        username: 'log.check',
        name: '日志检查',
        password: 'secret-password-1',
        roles: ['agent'],
        unitId: 2,
        phone: '13912345678',
      });
      await t.anonymous().post('/api/auth/login', { username: 'agent', password: 'wrong-secret-pw' });
      assert.match(logs, /"path":"\/api\/users"/, 'requests are logged');
      for (const secret of ['13908741001', '13912345678', '李晓雯', '日志检查', 'secret-password-1', 'wrong-secret-pw', 'suqiu_session=', 'suqiu-demo']) {
        assert.ok(!logs.includes(secret), `the logs contain ${secret}`);
      }
    });

    test('every write lands on the audit trail with its actor and request', async () => {
      const admin = await t.login('admin');
      const created = await admin.post('/api/users', { username: 'audited', name: '审计', password: 'secret-password-1', roles: ['agent'], unitId: 2 });
      const [entry] = (await admin.get(`/api/audit?entityType=user&entityId=${created.json().id}`)).json();
      assert.equal(entry.action, 'user.created');
      assert.equal(entry.actorName, '系统管理员');
      assert.equal(entry.requestId, created.headers['x-request-id']);
      assert.equal(entry.after.password, '[secret]', 'passwords never reach the trail');
    });

    test('the audit table refuses updates and deletes', async () => {
      await assert.rejects(sql`UPDATE audit_log SET action = 'forged'`.execute(t.database.db), /append-only/);
      await assert.rejects(sql`DELETE FROM audit_log`.execute(t.database.db), /append-only/);
      const rows = await t.database.db.selectFrom('audit_log').select('id').where('action', '=', 'forged').execute();
      assert.equal(rows.length, 0);
    });

    test('a handler may not read the audit trail; a team lead reads it', async () => {
      assert.equal((await (await t.login('handler')).get('/api/audit')).statusCode, 403);
      assert.equal((await (await t.login('team_lead')).get('/api/audit')).statusCode, 200);
    });

    test('migrating again applies nothing', async () => {
      assert.deepEqual(await migrateToLatest(t.database), []);
    });
  });
}
