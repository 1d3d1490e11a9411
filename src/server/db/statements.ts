import { CompiledQuery, PostgresAdapter, type Insertable, type Kysely, type SqliteDatabase } from 'kysely';
import type { DB } from './types.js';

// Hand-written SQL for the few statements on the hottest paths (a demand's
// registration, the session lookup of every request, the audit and timeline
// rows of every change). Kysely's builder spends tens of microseconds building
// and compiling each statement, more than SQLite takes to run it (see
// DESIGN.md, "Measured", and `npm run bench`). The text is written once, in
// SQL both databases read; its `?` placeholders are numbered `$1, $2, …` for
// PostgreSQL. Everything else keeps Kysely's typed builder.

export interface Statement {
  readonly sqlite: string;
  readonly postgres: string;
}

// PostgreSQL plans an unnamed statement anew each time it runs (half a
// millisecond of server time for the session lookup's join); these statements
// run on every request, so they are prepared under a name, once per
// connection (see the pool in database.ts). Only these: the set is bounded.
const preparedNames = new Map<string, string>();

/** The name PostgreSQL prepares this text under, when it is one of ours. */
export function preparedName(postgresText: string): string | undefined {
  return preparedNames.get(postgresText);
}

/** A statement both databases read, with `?` placeholders (none inside string literals). */
export function statement(text: string): Statement {
  let n = 0;
  const postgres = text.replace(/\?/g, () => `$${++n}`);
  if (!preparedNames.has(postgres)) preparedNames.set(postgres, `suqiu_${preparedNames.size + 1}`);
  return { sqlite: text, postgres };
}

function isPostgresDb(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

// Inside a SQLite transaction the statements go straight to better-sqlite3:
// the transaction holds the one connection, so nothing else can run on it
// meanwhile, and Kysely's executor (connection hand-over, result wrapping)
// was a tenth of a registration's time. Outside a transaction they keep
// Kysely's executor, which queues them behind a running transaction. Keyed by
// the dialect's adapter, which a Kysely instance shares with its transactions.
const connections = new WeakMap<object, SqliteDatabase>();

/** Lets the hand-written statements of `db`'s transactions run on `sqlite` directly (the connection Kysely holds, with its statement cache). */
export function runDirectlyInTransactions(db: Kysely<any>, sqlite: SqliteDatabase): void {
  connections.set(db.getExecutor().adapter, sqlite);
}

/** The SQLite connection to run on directly: only inside a transaction. */
function directConnection(db: Kysely<any>): SqliteDatabase | undefined {
  return db.isTransaction ? connections.get(db.getExecutor().adapter) : undefined;
}

/** Runs the statement on `db` (a transaction too) and returns its rows. */
export async function run<R>(db: Kysely<any>, s: Statement, parameters: readonly unknown[]): Promise<R[]> {
  const direct = directConnection(db);
  if (direct) {
    const prepared = direct.prepare(s.sqlite);
    if (prepared.reader) return prepared.all(parameters) as R[];
    prepared.run(parameters);
    return [];
  }
  const text = isPostgresDb(db) ? s.postgres : s.sqlite;
  return (await db.executeQuery<R>(CompiledQuery.raw(text, parameters as unknown[]))).rows;
}

// By the columns' array (each caller keeps one), then by the number of rows.
const inserts = new WeakMap<readonly string[], Map<number, Statement>>();

/**
 * The INSERT of `rows` rows, written once per shape. On SQLite one row per
 * statement and no RETURNING: a multi-row VALUES list or a RETURNING clause
 * costs SQLite several times the insert itself; the new id is the statement's
 * rowid. PostgreSQL gets all rows in one round trip and returns their ids.
 */
function insertStatement(table: string, columns: readonly string[], rows: number): Statement {
  let shapes = inserts.get(columns);
  if (!shapes) inserts.set(columns, (shapes = new Map()));
  let s = shapes.get(rows);
  if (!s) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
    const postgres = statement(`${head}${Array.from({ length: rows }, () => row).join(', ')} RETURNING id`).postgres;
    s = { sqlite: `${head}${row}`, postgres };
    shapes.set(rows, s);
  }
  return s;
}

/** Inserts the rows (only `columns` are written, a missing value as NULL) and returns their new ids, in order. */
export async function insertRows<T extends keyof DB, C extends keyof Insertable<DB[T]> & string>(
  db: Kysely<any>,
  table: T,
  columns: readonly C[],
  rows: readonly Pick<Insertable<DB[T]>, C>[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  const valuesOf = (row: Pick<Insertable<DB[T]>, C>) => columns.map((column) => (row as Record<string, unknown>)[column] ?? null);
  if (isPostgresDb(db)) {
    const result = await db.executeQuery<{ id: number }>(CompiledQuery.raw(insertStatement(table, columns, rows.length).postgres, rows.flatMap(valuesOf)));
    return result.rows.map((r) => r.id);
  }
  const text = insertStatement(table, columns, 1).sqlite;
  const direct = directConnection(db);
  if (direct) {
    const prepared = direct.prepare(text);
    return rows.map((row) => Number(prepared.run(valuesOf(row)).lastInsertRowid));
  }
  const ids: number[] = [];
  for (const row of rows) ids.push(Number((await db.executeQuery(CompiledQuery.raw(text, valuesOf(row)))).insertId));
  return ids;
}
