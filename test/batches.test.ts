import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import pg from 'pg';
import { insertItem, literal, runBatch, statement } from '../src/server/db/statements.js';
import { testDatabases } from './helpers/databases.js';

// A batch (db/statements.ts) sends several statements in one round trip on
// PostgreSQL with their values written in as literals: what is stored must be
// exactly what was given, and a transaction must stay all or nothing, also
// when its BEGIN travels with a batch and its COMMIT ends one.

const AWKWARD = [`O'Brien`, 'back\\slash', `两个''引号`, '$1 $2 ?', 'semi; colon -- and /* comment */', '峰谷分时电价\n第二行', ''];

test('literals: quotes doubled, a backslash written as E-string, numbers quoted, NULL', () => {
  assert.equal(literal(`O'Brien`), `'O''Brien'`);
  assert.equal(literal('a\\b'), ` E'a\\\\b'`);
  assert.equal(literal(42), `'42'`);
  assert.equal(literal(null), 'NULL');
  assert.equal(literal(undefined), 'NULL');
  assert.throws(() => literal(Number.NaN), /finite/);
  assert.throws(() => literal({}), /cannot be written/);
});

for (const target of testDatabases()) {
  test(`${target.name}: a batch stores awkward text exactly and returns each statement's rows`, async () => {
    const { database, cleanup } = await target.open();
    try {
      const { db } = database;
      const row = (text: string) => ({ at: '2026-12-06T08:00:00.000Z', actor_kind: 'system', action: 'batch.test', entity_type: 'test', after_json: text });
      const results = await runBatch(db, [
        insertItem('audit_log', ['at', 'actor_kind', 'action', 'entity_type', 'after_json'], AWKWARD.map(row)),
        { statement: statement('SELECT after_json FROM audit_log WHERE action = ? ORDER BY id'), values: ['batch.test'] },
        insertItem('audit_log', ['at', 'actor_kind', 'action', 'entity_type', 'after_json'], []),
        { statement: statement('SELECT count(*) AS n FROM audit_log WHERE after_json = ?'), values: [`O'Brien`] },
      ]);
      assert.equal(results.length, 4);
      // The insert answers with the new ids, in order.
      const ids = (results[0] as { id: number }[]).map((r) => Number(r.id));
      assert.equal(ids.length, AWKWARD.length);
      assert.deepEqual(
        [...ids].sort((a, b) => a - b),
        ids,
      );
      assert.deepEqual(
        (results[1] as { after_json: string }[]).map((r) => r.after_json),
        AWKWARD,
      );
      assert.deepEqual(results[2], []);
      assert.equal(Number((results[3] as { n: number }[])[0]!.n), 1);
      const stored = await db.selectFrom('audit_log').select(['id', 'after_json']).where('action', '=', 'batch.test').orderBy('id').execute();
      assert.deepEqual(
        stored.map((r) => r.after_json),
        AWKWARD,
      );
      assert.deepEqual(
        stored.map((r) => r.id),
        ids,
      );
    } finally {
      await cleanup();
    }
  });

  test(`${target.name}: a transaction whose batches carry its BEGIN and COMMIT is all or nothing`, async () => {
    const { database, cleanup } = await target.open();
    try {
      const { db } = database;
      const count = statement('SELECT count(*) AS n FROM counters');
      const put = statement('INSERT INTO counters (name, value) VALUES (?, 1)');
      const insert = (name: string) => ({ statement: put, values: [name] });

      // Committed by its last batch; the transaction's own commit has nothing left to do.
      await database.transact(async (trx) => {
        const [, seen] = await runBatch(trx, [insert('first'), { statement: count, values: [] }]);
        assert.equal(Number((seen as { n: number }[])[0]!.n), 1, 'a batch sees its own transaction');
        await runBatch(trx, [insert('second')], { commit: true });
      });
      assert.equal((await db.selectFrom('counters').select('name').execute()).length, 2);

      // A statement failing in the middle of the last batch: nothing of the transaction stays, not even the first batch.
      const byValue = statement('SELECT count(*) AS n FROM counters WHERE value = ?');
      await assert.rejects(
        database.transact(async (trx) => {
          await runBatch(trx, [insert('third')]);
          // byValue's first use (PostgreSQL prepares it in this batch), then 'first', which exists: a unique violation.
          await runBatch(trx, [insert('fourth'), { statement: byValue, values: [1] }, insert('first')], { commit: true });
        }),
      );
      // The statement prepared in the failed batch (or not: it is read back) runs on every connection afterwards.
      for (let i = 0; i < 6; i++) {
        const [rows] = await runBatch(db, [{ statement: byValue, values: [1] }]);
        assert.equal(Number((rows as { n: number }[])[0]!.n), 2);
      }
      assert.deepEqual(
        (await db.selectFrom('counters').select('name').orderBy('name').execute()).map((r) => r.name),
        ['first', 'second'],
      );

      // An error thrown by the code between batches rolls back as well.
      await assert.rejects(
        database.transact(async (trx) => {
          await runBatch(trx, [insert('fifth')]);
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.equal((await db.selectFrom('counters').select('name').execute()).length, 2);

      // The pool's connections are left clean: a plain query and a new transaction work after all that.
      await database.transact(async (trx) => {
        await sql`INSERT INTO counters (name, value) VALUES ('sixth', 1)`.execute(trx);
      });
      assert.equal((await db.selectFrom('counters').select('name').execute()).length, 3);
    } finally {
      await cleanup();
    }
  });
}

const pgUrl = process.env.TEST_DATABASE_URL;
test(
  'postgres: connections the database ends (a restart, a failover) cost no request and do not crash the process',
  { skip: !pgUrl && 'TEST_DATABASE_URL not set' },
  async (t) => {
    const target = testDatabases().find((d) => d.name === 'postgres')!;
    const { database, cleanup } = await target.open();
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    try {
      const { db } = database;
      const pid = sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`;
      await db.insertInto('counters').values({ name: 'before', value: 1 }).execute();

      // A checked-out connection, ended between two statements of its transaction: the statement
      // after fails, the transaction rolls back, and the process lives on.
      await assert.rejects(
        database.transact(async (trx) => {
          await trx.insertInto('counters').values({ name: 'lost', value: 1 }).execute();
          const { rows } = await pid.execute(trx);
          await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
          await new Promise((r) => setTimeout(r, 200));
          await trx.insertInto('counters').values({ name: 'lost too', value: 1 }).execute();
        }),
        (err: Error) => /terminat|not queryable/i.test(err.message),
      );

      // Every idle connection of the pool ended at once, then at once reads and transactions:
      // a connection found dead on its first statement is replaced, and the work runs.
      for (let round = 0; round < 5; round++) {
        const own = new Set(
          (await Promise.all(Array.from({ length: 4 }, () => database.transact(async (trx) => (await pid.execute(trx)).rows[0]!.pid)))).map(Number),
        );
        const { rowCount } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY($1)', [[...own]]);
        const work = await Promise.all([
          ...Array.from({ length: 3 }, () => sql<{ n: number }>`SELECT count(*) AS n FROM counters`.execute(db).then((r) => Number(r.rows[0]!.n))),
          database.transact(async (trx) => {
            await trx
              .insertInto('counters')
              .values({ name: `round ${round}`, value: 1 })
              .execute();
            return -1;
          }),
        ]);
        assert.ok(
          work.slice(0, 3).every((n) => n >= 1),
          `round ${round}: reads answered`,
        );
        if (round === 0) t.diagnostic(`${rowCount} pooled connections ended; the reads and the transaction that followed at once all ran`);
      }
      const names = (await db.selectFrom('counters').select('name').orderBy('name').execute()).map((r) => r.name);
      assert.deepEqual(names, ['before', 'round 0', 'round 1', 'round 2', 'round 3', 'round 4']);
    } finally {
      await admin.end();
      await cleanup();
    }
  },
);
