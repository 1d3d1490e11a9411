import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { groupCommit } from './group-commit.js';
import { openSqlite } from './database.js';

interface Tables {
  calls: { id: number; key: string };
}

/** A database with one table, the statements it ran, and a second connection to look from outside. */
async function open() {
  const dir = mkdtempSync(join(tmpdir(), 'suqiu-group-commit-'));
  const file = join(dir, 'db.sqlite');
  const statements: string[] = [];
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: openSqlite(file) }), log: (e) => void statements.push(e.query.sql) });
  await sql`CREATE TABLE calls (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE)`.execute(db);
  const outside = new BetterSqlite3(file, { readonly: true });
  return {
    db,
    statements,
    keysSeenOutside: () => (outside.prepare('SELECT key FROM calls ORDER BY id').all() as { key: string }[]).map((r) => r.key),
    async close() {
      outside.close();
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const commits = (statements: string[]) => statements.filter((s) => s.toLowerCase() === 'commit').length;

test('transactions submitted together are committed together, and each caller gets its own answer', async () => {
  const t = await open();
  try {
    const transact = groupCommit(t.db);
    t.statements.length = 0;
    const keys = Array.from({ length: 20 }, (_, i) => `call-${i}`);
    const ids = await Promise.all(
      keys.map((key) => transact(async (trx) => (await trx.insertInto('calls').values({ key }).returning('id').executeTakeFirstOrThrow()).id)),
    );
    assert.equal(commits(t.statements), 1, 'one commit for the twenty');
    assert.equal(new Set(ids).size, 20);
    assert.deepEqual(t.keysSeenOutside(), keys);
  } finally {
    await t.close();
  }
});

test('no caller hears "done" before its commit is visible to another connection', async () => {
  const t = await open();
  try {
    const transact = groupCommit(t.db);
    const seen = await Promise.all(
      ['a', 'b', 'c'].map((key) => transact((trx) => trx.insertInto('calls').values({ key }).execute()).then(() => t.keysSeenOutside().includes(key))),
    );
    assert.deepEqual(seen, [true, true, true]);
  } finally {
    await t.close();
  }
});

test('one that fails gets its error and leaves nothing; the others of its batch are committed', async () => {
  const t = await open();
  try {
    const transact = groupCommit(t.db);
    await transact((trx) => trx.insertInto('calls').values({ key: 'taken' }).execute());
    const results = await Promise.allSettled([
      transact((trx) => trx.insertInto('calls').values({ key: 'first' }).execute()),
      transact(async (trx) => {
        await trx.insertInto('calls').values({ key: 'half-done' }).execute();
        await trx.insertInto('calls').values({ key: 'taken' }).execute();
      }),
      transact((trx) => trx.insertInto('calls').values({ key: 'last' }).execute()),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.match(String((results[1] as PromiseRejectedResult).reason), /UNIQUE/);
    assert.deepEqual(t.keysSeenOutside(), ['taken', 'first', 'last']);
  } finally {
    await t.close();
  }
});

test('a batch is bounded: the first callers do not wait for an unbounded crowd', async () => {
  const t = await open();
  try {
    const transact = groupCommit(t.db, { maxBatch: 8 });
    t.statements.length = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        transact((trx) =>
          trx
            .insertInto('calls')
            .values({ key: `k${i}` })
            .execute(),
        ),
      ),
    );
    assert.equal(commits(t.statements), 3, '8 + 8 + 4');
    assert.equal(t.keysSeenOutside().length, 20);
  } finally {
    await t.close();
  }
});
