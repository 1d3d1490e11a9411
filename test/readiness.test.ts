import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { createDatabase, type Database } from '../src/server/db/database.js';
import { migrations } from '../src/server/db/migrations/index.js';
import type { App } from '../src/server/platform/context.js';
import { testDatabases } from './helpers/databases.js';

// /readyz is 200 only for a database with every migration this code has
// (another server migrating, or a deploy without `suqiu migrate`, is not
// ready), and until then the API answers 503, never a 500 from a missing table.
// The first start's phases are test/start.test.ts's.

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const LAST = Object.keys(migrations).at(-1)!;

function appFor(database: Database): Promise<App> {
  return buildApp({ config: loadConfig({ SUQIU_DATA_DIR: mkdtempSync(join(tmpdir(), 'suqiu-ready-')) }), database, logLevel: 'silent' });
}

function migrationTable(database: Database) {
  return sql.table(database.schema ? `${database.schema}.kysely_migration` : 'kysely_migration');
}

async function assertUnavailable(app: App, url: string, method: 'GET' | 'POST' = 'GET') {
  const res = await app.inject({ method, url, ...(method === 'POST' && { payload: { username: 'admin', password: 'suqiu-demo' } }) });
  assert.equal(res.statusCode, 503, `${method} ${url}: ${res.body}`);
  assert.equal(res.headers['retry-after'], '5');
  const body = res.json();
  assert.equal(body.statusCode, 503);
  assert.equal(body.error, 'unavailable');
  assert.equal(body.requestId, res.headers['x-request-id']);
  return body as { message: string };
}

for (const target of testDatabases()) {
  describe(`readiness (${target.name})`, () => {
    test('a database one migration behind the code: /readyz 503 naming it, the API 503; ready once it is applied, and that answer is kept', async () => {
      const { database, cleanup } = await target.open();
      const app = await appFor(database);
      try {
        const [row] = (
          await sql<{ name: string; timestamp: string }>`select name, timestamp from ${migrationTable(database)} where name = ${LAST}`.execute(database.db)
        ).rows;
        assert.ok(row, `${LAST} is applied`);
        await sql`delete from ${migrationTable(database)} where name = ${LAST}`.execute(database.db);

        assert.deepEqual((await app.inject('/healthz')).json(), { status: 'ok' });
        const ready = await app.inject('/readyz');
        assert.equal(ready.statusCode, 503);
        assert.equal(ready.headers['retry-after'], '5');
        assert.deepEqual(ready.json(), {
          status: 'unavailable',
          database: target.name,
          pendingMigrations: 1,
          message: 'the database lacks 1 migration of this version: another server may be migrating it, and a restart of this one migrates it',
        });
        assert.match((await assertUnavailable(app, '/api/me')).message, /lacks 1 migration/);
        await assertUnavailable(app, '/api/auth/login', 'POST');
        await assertUnavailable(app, '/metrics');

        // The other server finishes; a "not yet" answer stands for a second.
        await sql`insert into ${migrationTable(database)} (name, timestamp) values (${row.name}, ${row.timestamp})`.execute(database.db);
        await new Promise((r) => setTimeout(r, 1100));
        assert.deepEqual((await app.inject('/readyz')).json(), { status: 'ready', database: target.name });
        assert.equal((await app.inject('/api/me')).statusCode, 401);

        // Up to date once is up to date: the table is not read again.
        await sql`delete from ${migrationTable(database)} where name = ${LAST}`.execute(database.db);
        await new Promise((r) => setTimeout(r, 1100));
        assert.equal((await app.inject('/readyz')).statusCode, 200);
      } finally {
        await app.close();
        await cleanup();
      }
    });
  });
}

test('a database never migrated: every migration pending, and the API answers 503 rather than meeting missing tables', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'suqiu-ready-'));
  const database = createDatabase({ dialect: 'sqlite', filename: join(dir, 'suqiu.db') });
  const app = await appFor(database);
  try {
    const ready = await app.inject('/readyz');
    assert.equal(ready.statusCode, 503);
    assert.equal(ready.json().pendingMigrations, Object.keys(migrations).length);
    await assertUnavailable(app, '/api/me');
    await assertUnavailable(app, '/api/auth/login', 'POST');
    await assertUnavailable(app, '/api/demands?page=1');
    assert.equal((await app.inject('/healthz')).statusCode, 200);
  } finally {
    await app.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function startServer(dataDir: string, port: number, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { ...process.env, SUQIU_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

test('a migration that fails stops the server with exit code 1 and names the migration', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'suqiu-ready-'));
  // A table the first migration creates, already there: its CREATE TABLE fails.
  const sqlite = new BetterSqlite3(join(dataDir, 'suqiu.db'));
  sqlite.exec('create table units (id integer)');
  sqlite.close();
  const server = startServer(dataDir, await freePort(), { LOG_LEVEL: 'warn' });
  try {
    const code = await Promise.race([server.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000).unref())]);
    assert.equal(code, 1, server.output());
    assert.match(server.output(), /suqiu failed to start: Error: migration 20261123000000_foundation failed: SqliteError: table "units" already exists/);
  } finally {
    server.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('SIGTERM during the first start lets the preparation finish, then exits 0 with the database whole', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'suqiu-ready-'));
  const port = await freePort();
  const server = startServer(dataDir, port, { LOG_LEVEL: 'info' });
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      assert.ok(Date.now() < deadline && server.child.exitCode === null, server.output());
      const phase = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        async (res) => ((await res.json()) as { phase?: string }).phase,
        () => undefined,
      );
      if (phase === 'seeding') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0, server.output());
    assert.match(server.output(), /waiting for the database preparation to finish/);
    assert.doesNotMatch(server.output(), /demo logins/, 'a server told to stop does not announce itself');
    const sqlite = new BetterSqlite3(join(dataDir, 'suqiu.db'), { readonly: true });
    try {
      // The whole seed: the history's 20,000 demands, the demo outages with the two calls of the one in progress, and
      // the customer relations (the last step): a year of consumption, the applications, the key account's two
      // outage calls that make the rules propose a plan, and the satisfaction surveys.
      const count = (query: string) => (sqlite.prepare(query).get() as { n: number }).n;
      assert.equal(count('select count(*) as n from demands where outage_id is null'), 20_002);
      assert.equal(count('select count(*) as n from outages'), 4);
      assert.equal(count('select count(*) as n from demands where outage_id is not null'), 2);
      assert.equal(count('select count(distinct customer_id) as n from consumption'), 5000);
      assert.ok(count("select count(*) as n from service_plans where rule_key = 'key_account_outages'") >= 1, 'the rules proposed a plan');
      // Seven quarters of the city's satisfaction surveys (one short of an estimate: the seed's elasticity shows), the counties' latest.
      assert.equal(count("select count(*) as n from satisfaction_surveys where unit_key = 0 and period_kind = 'quarter'"), 7);
      assert.ok(count('select count(*) as n from satisfaction_surveys where unit_key <> 0') >= 1, 'the counties were surveyed');
      assert.equal((sqlite.prepare('select count(*) as n from kysely_migration').get() as { n: number }).n, Object.keys(migrations).length);
    } finally {
      sqlite.close();
    }
  } finally {
    server.child.kill('SIGKILL');
    if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
  }
});
