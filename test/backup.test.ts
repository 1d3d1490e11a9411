import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createDatabase, type Database } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { readManifest, unpackArchive } from '../src/server/platform/backup-archive.js';
import { tarMembers, TarWriter } from '../src/server/platform/tar.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import type { TestDatabase } from './helpers/databases.js';
import { scratchDatabase } from './helpers/servers.js';

// `suqiu backup` and `suqiu restore` run as an operator runs them: the CLI as
// a child process, on the data folder (SQLite) or the database (PostgreSQL)
// a live app is serving. The PostgreSQL round trip uses a scratch database of
// its own (CREATE DATABASE): pg_dump and pg_restore work on whole databases.

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n' + randomBytes(2000).toString('hex'));

interface Target {
  name: 'sqlite' | 'postgres';
  /** The app's database and the environment the CLI gets, over one data folder. */
  make(dataDir: string): Promise<{ database: TestDatabase; env: Record<string, string>; drop(): Promise<void> }>;
}

const sqliteTarget: Target = {
  name: 'sqlite',
  async make(dataDir) {
    const database: TestDatabase = {
      name: 'sqlite',
      async open() {
        const opened = createDatabase({ dialect: 'sqlite', filename: join(dataDir, 'suqiu.db') });
        await migrateToLatest(opened);
        return { database: opened, cleanup: () => opened.close() };
      },
    };
    return { database, env: { SUQIU_DATA_DIR: dataDir, DATABASE_URL: '' }, drop: async () => undefined };
  },
};

function postgresTarget(adminUrl: string): Target {
  return {
    name: 'postgres',
    async make(dataDir) {
      // A database of its own, not a schema: pg_dump and pg_restore work on whole databases.
      const scratch = await scratchDatabase(adminUrl);
      const database: TestDatabase = {
        name: 'postgres',
        async open() {
          const opened = createDatabase({ dialect: 'postgres', url: scratch.url, poolSize: 4 });
          await migrateToLatest(opened);
          return { database: opened, cleanup: () => opened.close() };
        },
      };
      return { database, env: { SUQIU_DATA_DIR: dataDir, DATABASE_URL: scratch.url }, drop: scratch.drop };
    },
  };
}

const targets = process.env.TEST_DATABASE_URL ? [sqliteTarget, postgresTarget(process.env.TEST_DATABASE_URL)] : [sqliteTarget];

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/server/cli.ts', ...args],
      { env: { ...process.env, ...env, LOG_LEVEL: 'silent' } },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** A refusal as the operator sees it: exit 1, one line, no stack trace. */
function assertRefused(result: { code: number; stderr: string }, message: RegExp) {
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, message);
  assert.equal(result.stderr.trim().split('\n').length, 1, `one line: ${result.stderr}`);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
}

const call = (i: number) => ({
  channel: 'phone',
  type: 'consultation',
  category: 'supply_service',
  customer: { phone: `13${900000000 + i}` },
  content: `峰谷电价怎么计算（第${i}次来电）`,
});

async function tableCounts(database: Database, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(database.db)).rows[0]!.n);
  return counts;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

for (const target of targets) {
  describe(`backup and restore (${target.name})`, () => {
    const work = mkdtempSync(join(tmpdir(), 'suqiu-backup-'));
    const dataDir = join(work, 'data');
    const archive = join(work, 'suqiu-backup.tar');
    let made: Awaited<ReturnType<Target['make']>>;
    let t: TestApp;
    let noted: { id: number; number: string };
    let file: { id: number; sha256: string };

    before(async () => {
      made = await target.make(dataDir);
      t = await startTestApp(made.database, { customers: 20, config: { dataDir } });
    });
    after(async () => {
      await t?.close().catch(() => undefined);
      await made?.drop();
      rmSync(work, { recursive: true, force: true });
    });

    test('a backup taken while demands are registered restores them: the demand by its number, the attachment’s bytes, the counts', async () => {
      const agent = await t.login('agent');
      const editor = await t.login('kb_editor');
      const first = await agent.post('/api/demands', call(0));
      assert.equal(first.statusCode, 201, first.body);
      noted = { id: first.json().id, number: first.json().number };
      const upload = await editor.request({
        method: 'POST',
        url: '/api/articles/files?name=供电营业规则.pdf',
        headers: { 'content-type': 'application/octet-stream' },
        payload: PDF,
      });
      assert.equal(upload.statusCode, 201, upload.body);
      file = { id: upload.json().id, sha256: sha256(PDF) };

      // Registrations go on while the CLI copies the database.
      const answered: { number: string; at: number }[] = [];
      let writing = true;
      const writer = (async () => {
        for (let i = 1; writing; i++) {
          const res = await agent.post('/api/demands', call(i));
          assert.equal(res.statusCode, 201, res.body);
          answered.push({ number: res.json().number, at: Date.now() });
        }
      })();
      await new Promise((r) => setTimeout(r, 200));
      const demandsBefore = (await tableCounts(t.database, ['demands'])).demands!;
      const started = Date.now();
      const backup = await cli(['backup', archive], made.env);
      const ended = Date.now();
      const demandsAfter = (await tableCounts(t.database, ['demands'])).demands!;
      writing = false;
      await writer;
      assert.equal(backup.code, 0, backup.stderr);
      assert.match(backup.stdout, /backup written: .*suqiu-backup\.tar \((SQLite|PostgreSQL), .*1 attachment/);
      assert.match(backup.stdout, /checked as read back: every member's SHA-256, /);
      assert.ok(answered.filter((a) => a.at > started && a.at < ended).length > 0, 'demands were registered while the backup ran');

      const manifest = await readManifest(archive);
      assert.equal(manifest.dialect, target.name);
      assert.deepEqual(
        manifest.members.map((m) => m.name),
        [target.name === 'sqlite' ? 'suqiu.db' : 'suqiu.pgdump', `attachments/${file.sha256.slice(0, 2)}/${file.sha256}`],
      );
      assert.ok(
        manifest.counts.demands! >= demandsBefore && manifest.counts.demands! <= demandsAfter,
        `${demandsBefore} <= ${manifest.counts.demands} <= ${demandsAfter}`,
      );
      const inBackup = manifest.counts.demands!;

      // A restore under a live server is refused, and changes nothing. (A server always holds a connection, the scheduler's
      // lock; the test app's pool would let its idle ones go after 10 s, which a loaded machine's CLI start can outlast.)
      const held = await t.database.pool?.connect();
      const refused = await cli(['restore', archive], made.env).finally(() => held?.release());
      assertRefused(
        refused,
        target.name === 'sqlite'
          ? /^suqiu: .*suqiu\.db is in use: stop the suqiu server/
          : /^suqiu: database "suqiu_\w+" has \d+ other connections .*: stop the suqiu servers/,
      );

      // After the backup: a new demand, the noted one changed, the attachment gone.
      const later = await agent.post('/api/demands', call(9999));
      assert.equal(later.statusCode, 201);
      await t.database.db.updateTable('demands').set({ content: '改过的内容' }).where('id', '=', noted.id).execute();
      await t.database.db.deleteFrom('article_files').where('id', '=', file.id).execute();
      rmSync(join(dataDir, 'attachments'), { recursive: true });
      assert.equal((await editor.get(`/api/articles/files/${file.id}`)).statusCode, 404);
      await t.close();

      const restored = await cli(['restore', archive], made.env);
      assert.equal(restored.code, 0, restored.stderr);
      assert.match(restored.stdout, new RegExp(`restored .*suqiu-backup\\.tar, made .* by suqiu .*demands ${inBackup}`));
      assert.deepEqual(
        readdirSync(dataDir).filter((n) => n.startsWith('.restore-') || n.includes('before-restore')),
        [],
        'nothing left over',
      );

      t = await startTestApp(made.database, { seed: false, config: { dataDir } });
      assert.deepEqual(await tableCounts(t.database, Object.keys(manifest.counts)), manifest.counts, 'before anyone signs in (which is audited)');
      const agentAgain = await t.login('agent');
      const demand = await agentAgain.get(`/api/demands/${noted.id}`);
      assert.equal(demand.statusCode, 200);
      assert.equal(demand.json().number, noted.number);
      assert.equal(demand.json().content, call(0).content);
      assert.equal((await agentAgain.get(`/api/demands/${later.json().id}`)).statusCode, 404, 'the demand registered after the backup is gone');
      const download = await (await t.login('kb_editor')).get(`/api/articles/files/${file.id}`);
      assert.equal(download.statusCode, 200);
      assert.ok(download.rawPayload.equals(PDF), 'the attachment downloads byte for byte');

      // Consistent: the demands answered before the backup began are there, none answered after it ended,
      // and every demand has the timeline row its registration wrote in the same transaction.
      const numbers = new Set((await t.database.db.selectFrom('demands').select('number').execute()).map((r) => r.number));
      for (const a of answered) {
        if (a.at < started) assert.ok(numbers.has(a.number), `${a.number}, answered before the backup, is restored`);
        if (a.at > ended) assert.ok(!numbers.has(a.number), `${a.number}, answered after the backup, is not`);
      }
      const orphans = await t.database.db
        .selectFrom('demands')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('timeline').select('timeline.id').whereRef('timeline.demand_id', '=', 'demands.id'))))
        .executeTakeFirstOrThrow();
      assert.equal(Number(orphans.n), 0);
      if (target.name === 'sqlite') {
        assert.deepEqual((await sql`PRAGMA integrity_check`.execute(t.database.db)).rows, [{ integrity_check: 'ok' }]);
        assert.deepEqual((await sql`PRAGMA foreign_key_check`.execute(t.database.db)).rows, []);
      }
      await t.close();
    });

    test('a tampered, foreign or missing archive is refused with one line, and the current data is left as it was', async () => {
      const state = async () => {
        const app = await startTestApp(made.database, { seed: false, config: { dataDir } });
        try {
          const rows = await app.database.db.selectFrom('demands').select(['number', 'content']).orderBy('id').execute();
          return {
            rows,
            counts: await tableCounts(app.database, ['users', 'demands', 'article_files']),
            files: readdirSync(join(dataDir, 'attachments'), { recursive: true }).sort(),
          };
        } finally {
          await app.close();
        }
      };
      const beforeState = await state();
      const liveBytes = () => (target.name === 'sqlite' ? sha256(readFileSync(join(dataDir, 'suqiu.db'))) : null);
      const beforeBytes = liveBytes();

      // The archive copied member by member, one byte of the database member flipped.
      const tampered = join(work, 'tampered.tar');
      const copy = await TarWriter.create(tampered);
      const handle = await open(archive, 'r');
      for await (const member of tarMembers(handle)) {
        const chunks: Buffer[] = [];
        for await (const chunk of member.body) chunks.push(chunk);
        const bytes = Buffer.concat(chunks);
        if (member.name.startsWith('suqiu.')) bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0xff;
        await copy.addBytes(member.name, bytes);
      }
      await handle.close();
      await copy.finish();
      assertRefused(
        await cli(['restore', tampered], made.env),
        /^suqiu: .*tampered\.tar is damaged: suqiu\.(db|pgdump) does not match its checksum in the manifest; nothing was restored from it$/m,
      );

      assertRefused(await cli(['restore', join(work, 'no-such.tar')], made.env), /^suqiu: .*no-such\.tar: no such file$/m);
      writeFileSync(join(work, 'notes.txt'), '这不是备份文件\n'.repeat(100));
      assertRefused(await cli(['restore', join(work, 'notes.txt')], made.env), /^suqiu: .*notes\.txt is not a readable suqiu backup: not a tar archive$/m);

      // The other dialect's backup, its members intact.
      const other = join(work, 'other-dialect.tar');
      const manifest = await unpackArchive(archive, join(work, 'unpacked'));
      const otherDialect = target.name === 'sqlite' ? 'postgres' : 'sqlite';
      const member = otherDialect === 'sqlite' ? 'suqiu.db' : 'suqiu.pgdump';
      const bytes = Buffer.from('not really a database');
      const writer = await TarWriter.create(other);
      await writer.addBytes(
        'manifest.json',
        Buffer.from(JSON.stringify({ ...manifest, dialect: otherDialect, members: [{ name: member, size: bytes.length, sha256: sha256(bytes) }] })),
      );
      await writer.addBytes(member, bytes);
      await writer.finish();
      assertRefused(
        await cli(['restore', other], made.env),
        target.name === 'sqlite'
          ? /backup is of a PostgreSQL database, but this suqiu runs on SQLite/
          : /backup is of a SQLite database, but this suqiu runs on PostgreSQL/,
      );

      assert.equal((await cli(['backup', archive], made.env)).code, 1, 'a backup never overwrites a file');
      const usage = await cli(['restore'], made.env);
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /restore takes one file/);

      assert.equal(liveBytes(), beforeBytes, 'the database file is byte for byte as it was');
      assert.deepEqual(await state(), beforeState);
      assert.deepEqual(
        readdirSync(dataDir).filter((n) => n.startsWith('.restore-') || n.includes('before-restore')),
        [],
      );
      assert.ok(existsSync(archive));
    });
  });
}
