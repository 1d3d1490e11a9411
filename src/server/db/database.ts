import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type PostgresPool, type PostgresPoolClient, type SqliteDatabase, type SqliteStatement, type Transaction } from 'kysely';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { startCheckpointer } from './checkpointer.js';
import type { GroupCommitStats } from './group-commit.js';
import { groupCommit } from './group-commit.js';
import { preparedName, runDirectlyInTransactions } from './statements.js';
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

export type DatabaseOptions =
  | { dialect: 'sqlite'; filename: string }
  | { dialect: 'postgres'; url: string; poolSize?: number; searchPath?: string };

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

/** The pool as Kysely sees it: the hand-written statements of db/statements.ts go out named, so each connection plans them once. */
export function preparingPool(pool: pg.Pool): PostgresPool {
  return {
    async connect() {
      const client = await pool.connect();
      return {
        query: ((text: unknown, values?: readonly unknown[]) => {
          if (typeof text !== 'string') return client.query(text as never); // a cursor
          const name = preparedName(text);
          return name ? client.query({ name, text, values: values as unknown[] }) : client.query(text, values as unknown[]);
        }) as unknown as PostgresPoolClient['query'],
        release: () => client.release(),
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
  return { db, dialect: 'postgres', transact: (work) => db.transaction().execute(work), pool, ...(options.searchPath && { schema: options.searchPath }), close: () => db.destroy() };
}

/** The current time as stored in the database. */
export function nowIso(clock: () => Date = () => new Date()): string {
  return clock().toISOString();
}
