import { CompiledQuery, PostgresAdapter, type Insertable, type Kysely, type SqliteDatabase } from 'kysely';
import pg from 'pg';
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

/** A statement whose SQL differs between the databases (an aggregate function's name, say); `?` placeholders in both. */
export function dialectStatement(texts: { sqlite: string; postgres: string }): Statement {
  return { sqlite: texts.sqlite, postgres: statement(texts.postgres).postgres };
}

// These helpers serve any Kysely instance and its transactions (suqiu's DB and the tests' own tables): `any` is the schema, as in Kysely's own generic code.
/* eslint-disable @typescript-eslint/no-explicit-any */
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

// Batches. A PostgreSQL round trip costs both processes a socket write and a
// wake-up, and a registration made 16 of them. A batch sends several
// statements in one simple-protocol query and gets each statement's rows back:
// each runs as EXECUTE of a statement prepared on that connection (PREPARE
// travels with its first use; the pool in database.ts keeps count), so it is
// planned once per connection as a named statement is, with its values written
// as literals (pg's escapeLiteral; standard-conforming strings, the default
// since PostgreSQL 9.1). PostgreSQL runs the statements in order, each with its
// own snapshot, inside the open transaction (or as one implicit transaction
// outside one); the first error stops the rest and fails the batch. On SQLite,
// where a statement costs microseconds, they simply run one after another.

/** A statement with its values, or rows to insert (their ids come back as the item's rows, `{id}` each, in order). */
export type BatchItem =
  | { readonly statement: Statement; readonly values: readonly unknown[] }
  | { readonly insert: { readonly table: keyof DB; readonly columns: readonly string[]; readonly rows: readonly Record<string, unknown>[] } };

/** The mark the pool (database.ts) knows a batch by: it answers with one row per statement, holding that statement's rows. */
export const BATCH_MARK = '/*suqiu:batch*/';

/** A value as a PostgreSQL literal: quoted, so that it takes the type of the column or argument it meets, as a parameter does. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`a batch value is not a finite number: ${value}`);
    return `'${value}'`;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') {
    if (value.includes('\0')) throw new Error('a batch value holds a NUL character');
    return pg.escapeLiteral(value);
  }
  throw new Error(`a batch value of type ${typeof value} cannot be written as a literal`);
}

/** One statement of a batch as it travels to the pool (database.ts): its prepared name, its text, and its values as literals. */
export interface BatchWireItem {
  name: string;
  text: string;
  args: string[];
}

/** What a batch sends: the statements, and whether it commits its transaction. */
export interface BatchWire {
  items: BatchWireItem[];
  commit: boolean;
}

function wireItem(s: Statement, values: readonly unknown[]): BatchWireItem {
  const name = preparedName(s.postgres);
  if (!name) throw new Error(`a batch runs only the statements of statement(): ${s.postgres.slice(0, 60)}`);
  const placeholders = s.postgres.match(/\$\d+/g)?.length ?? 0;
  if (placeholders > values.length) throw new Error(`the statement ${name} has ${placeholders} placeholders but ${values.length} values`);
  return { name, text: s.postgres, args: values.slice(0, placeholders).map(literal) };
}

/**
 * Runs the items in order, in one round trip on PostgreSQL, and returns each
 * one's rows. `commit`: the batch is the last step of its transaction and
 * carries the COMMIT (PostgreSQL; the transaction's own commit then has
 * nothing left to do). Nothing may follow it in the transaction.
 */
export async function runBatch(db: Kysely<any>, items: readonly BatchItem[], options: { commit?: boolean } = {}): Promise<unknown[][]> {
  if (items.length === 0) return [];
  if (!isPostgresDb(db)) {
    const out: unknown[][] = [];
    for (const item of items) {
      if ('insert' in item) {
        const { table, columns, rows } = item.insert;
        out.push((await insertRows(db, table, columns as never, rows as never)).map((id) => ({ id })));
      } else out.push(await run(db, item.statement, item.values));
    }
    return out;
  }
  const wire: BatchWire = {
    commit: options.commit === true && db.isTransaction,
    items: items.flatMap((item) => {
      if (!('insert' in item)) return [wireItem(item.statement, item.values)];
      const { table, columns, rows } = item.insert;
      return rows.length === 0
        ? []
        : [
            wireItem(
              insertStatement(table, columns, rows.length),
              rows.flatMap((row) => columns.map((column) => row[column] ?? null)),
            ),
          ];
    }),
  };
  const results = (await db.executeQuery<{ rows: unknown[] }>(CompiledQuery.raw(BATCH_MARK + JSON.stringify(wire), []))).rows.map((r) => r.rows);
  // An insert of no rows sent nothing: it gets no rows back.
  let next = 0;
  return items.map((item) => ('insert' in item && item.insert.rows.length === 0 ? [] : results[next++]!));
}

/** A batch item inserting `rows` into `table`. */
export function insertItem<T extends keyof DB, C extends keyof Insertable<DB[T]> & string>(
  table: T,
  columns: readonly C[],
  rows: readonly Pick<Insertable<DB[T]>, C>[],
): BatchItem {
  return { insert: { table, columns, rows: rows as readonly Record<string, unknown>[] } };
}
