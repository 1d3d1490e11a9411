import BetterSqlite3 from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type SqliteDatabase,
  type SqliteStatement,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { startCheckpointer } from './checkpointer.js';
import type { GroupCommitStats } from './group-commit.js';
import { groupCommit } from './group-commit.js';
import { BATCH_MARK, preparedName, runDirectlyInTransactions, type BatchWire } from './statements.js';
import type { DB } from './types.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /**
   * Runs `work` in a transaction. On SQLite, transactions that arrive while
   * one runs are committed together (group commit, see group-commit.ts).
   */
  transact<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T>;
  /** The PostgreSQL schema the tables live in, when not the default one. */
  schema?: string;
  /** The PostgreSQL pool, for what needs a connection of its own (the scheduler's advisory lock). */
  pool?: pg.Pool;
  /** SQLite: the group commit's figures and the write-ahead log's file (GET /metrics). */
  sqlite?: { groupCommit: GroupCommitStats; walFile: string | null };
  close(): Promise<void>;
}

export type DatabaseOptions = { dialect: 'sqlite'; filename: string } | { dialect: 'postgres'; url: string; poolSize?: number; searchPath?: string };

/**
 * Kysely's SQLite driver prepares every statement anew, which halves the
 * throughput of the hot paths (see DESIGN.md, "Measured"). better-sqlite3
 * statements are reusable, so keep the most recent ones by their SQL text.
 */
export function withStatementCache(sqlite: BetterSqlite3.Database, capacity = 1000): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      if (cached) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql) as unknown as SqliteStatement;
      cache.set(sql, statement);
      if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}

export function openSqlite(filename: string): BetterSqlite3.Database {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const sqlite = new BetterSqlite3(filename);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable against a killed process under WAL; only an OS crash can lose the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

// int8 (COUNT(*), bigint sums) comes back as a string by default; our counts fit a JS number.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** The batch statements prepared (SQL PREPARE) on each connection; unknown after a failed batch, until read back. */
const preparedOn = new WeakMap<pg.PoolClient, Set<string> | 'unknown'>();

/**
 * A batch (statements.ts runBatch) in one simple-protocol query: BEGIN when it
 * carries one, PREPARE of each statement not yet prepared on this connection,
 * EXECUTE of each, COMMIT when it ends the transaction. Answers one row per
 * EXECUTE, holding its rows. The SQL-prepared names end in _b: pg's own named
 * statements (prepared through the protocol) keep theirs.
 */
async function batch(
  client: pg.PoolClient,
  payload: string,
  begins: boolean,
): Promise<{ result: { command: string; rowCount: number; rows: { rows: unknown[] }[] }; committed: boolean }> {
  const wire = JSON.parse(payload.slice(BATCH_MARK.length)) as BatchWire;
  let prepared = preparedOn.get(client);
  if (prepared === 'unknown' || prepared === undefined) {
    prepared =
      prepared === 'unknown' ? new Set((await client.query<{ name: string }>('SELECT name FROM pg_prepared_statements')).rows.map((r) => r.name)) : new Set();
    preparedOn.set(client, prepared);
  }
  const parts: string[] = [];
  const kept: boolean[] = [];
  const add = (text: string, keep: boolean) => (parts.push(text), kept.push(keep));
  if (begins) add('BEGIN', false);
  const preparing: string[] = [];
  for (const item of wire.items) {
    const name = `${item.name}_b`;
    if (!prepared.has(name) && !preparing.includes(name)) {
      add(`PREPARE ${name} AS ${item.text}`, false);
      preparing.push(name);
    }
    add(item.args.length > 0 ? `EXECUTE ${name}(${item.args.join(', ')})` : `EXECUTE ${name}`, true);
  }
  if (wire.commit) add('COMMIT', false);
  let answer;
  try {
    answer = (await client.query(parts.join(';\n'))) as unknown as pg.QueryResult | pg.QueryResult[];
  } catch (err) {
    // Which of its PREPAREs ran is not known: the next batch reads the connection's statements back.
    if (preparing.length > 0) preparedOn.set(client, 'unknown');
    throw err;
  }
  for (const name of preparing) prepared.add(name);
  const results = (Array.isArray(answer) ? answer : [answer]).filter((_, i) => kept[i]);
  return { result: { command: 'SELECT', rowCount: results.length, rows: results.map((r) => ({ rows: r.rows })) }, committed: wire.commit };
}

const NOTHING = Promise.resolve({ command: 'SELECT', rowCount: 0, rows: [] });

const ignore = (): void => undefined;

const batchCommits = (payload: string): boolean => (JSON.parse(payload.slice(BATCH_MARK.length)) as BatchWire).commit;

/** The connection is gone (the server ended it, or the socket broke): nothing more runs on it. */
export function connectionLost(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  // 57P01 admin_shutdown (pg_terminate_backend, a fast shutdown), 57P02 crash_shutdown, 57P03 cannot_connect_now, class 08 connection exceptions.
  if (typeof code === 'string' && (/^57P0[123]$/.test(code) || code.startsWith('08') || code === 'ECONNRESET' || code === 'EPIPE')) return true;
  return /Connection terminated|not queryable|ECONNRESET/.test(err.message);
}

/**
 * The pool as Kysely sees it. The hand-written statements of db/statements.ts
 * go out named, so each connection plans them once. A transaction's BEGIN
 * waits for its first statement and travels with it when that is a batch; a
 * batch that ends with COMMIT ends the transaction, and Kysely's own COMMIT
 * after it is answered here. A registration so takes two round trips inside
 * its transaction instead of four.
 */
export function preparingPool(pool: pg.Pool): PostgresPool {
  return {
    async connect() {
      let client = await pool.connect();
      // A checked-out client has no error listener of pg-pool's: a connection the database ends
      // between two statements (a restart, a failover) would crash the process. The statement
      // in flight fails on its own; this only keeps the event from being unhandled.
      client.on('error', ignore);
      // Nothing has run yet on this checkout: when its first round trip finds the connection
      // dead (ended while it was idle in the pool, before pg noticed), it is sent again on a
      // fresh connection, if sending it twice cannot do a thing twice: a read, or a
      // transaction's opening that does not commit it.
      let untouched = true;
      const firstTry = <T>(run: () => Promise<T>, repeatable: () => boolean): Promise<T> => {
        if (!untouched) return run();
        untouched = false;
        return run().catch(async (err: unknown) => {
          if (!connectionLost(err) || !repeatable()) throw err;
          client.removeListener('error', ignore);
          client.release(err as Error);
          client = await pool.connect();
          client.on('error', ignore);
          return run();
        });
      };
      let beginPending = false;
      let committed = false;
      const runBatch = (text: string, begins: boolean) =>
        batch(client, text, begins).then((b) => {
          committed = b.committed;
          return b.result;
        });
      const send = (text: string, values?: readonly unknown[]): Promise<unknown> => {
        if (text.startsWith(BATCH_MARK)) return runBatch(text, false);
        const name = preparedName(text);
        return name ? client.query({ name, text, values: values as unknown[] }) : client.query(text, values as unknown[]);
      };
      return {
        query: ((text: unknown, values?: readonly unknown[]) => {
          if (typeof text !== 'string') {
            // A cursor (Kysely's stream()), which Kysely wants back as it is: a pending BEGIN is queued
            // before it (pg runs a client's queries in order), and would fail the cursor with it.
            untouched = false;
            if (beginPending) {
              beginPending = false;
              client.query('BEGIN').catch(() => undefined);
            }
            return client.query(text as never);
          }
          if (text === 'begin') {
            beginPending = true;
            committed = false;
            return NOTHING;
          }
          if (text === 'commit' || text === 'rollback') {
            // Nothing was sent since BEGIN, or a batch committed already (it is the transaction's last step): nothing to end.
            if (beginPending || committed) {
              beginPending = committed = false;
              return NOTHING;
            }
            return client.query(text);
          }
          if (beginPending) {
            beginPending = false;
            if (text.startsWith(BATCH_MARK))
              return firstTry(
                () => runBatch(text, true),
                () => !batchCommits(text),
              );
            return firstTry(
              () => client.query('BEGIN'),
              () => true,
            ).then((): Promise<unknown> => send(text, values));
          }
          return firstTry(
            () => send(text, values),
            () => /^\s*select\b/i.test(text),
          );
        }) as unknown as PostgresPoolClient['query'],
        release: () => {
          client.removeListener('error', ignore);
          client.release();
        },
      };
    },
    end: () => pool.end(),
  };
}

export function createDatabase(options: DatabaseOptions): Database {
  if (options.dialect === 'sqlite') {
    const sqlite = openSqlite(options.filename);
    const checkpointer = options.filename === ':memory:' ? undefined : startCheckpointer(sqlite, options.filename);
    const statements = withStatementCache(sqlite);
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: statements }) });
    runDirectlyInTransactions(db, statements);
    const transact = groupCommit(db);
    return {
      db,
      dialect: 'sqlite',
      transact,
      sqlite: { groupCommit: transact.stats, walFile: options.filename === ':memory:' ? null : `${options.filename}-wal` },
      async close() {
        await checkpointer?.stop();
        await db.destroy();
      },
    };
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    types: pgTypes,
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  return {
    db,
    dialect: 'postgres',
    transact: (work) => db.transaction().execute(work),
    pool,
    ...(options.searchPath && { schema: options.searchPath }),
    close: () => db.destroy(),
  };
}

/** The current time as stored in the database. */
export function nowIso(clock: () => Date = () => new Date()): string {
  return clock().toISOString();
}
