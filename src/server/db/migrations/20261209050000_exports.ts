import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

// The demand list's exports (issue 18): a job a row, written in batches by a
// worker of the process that took the request (demands/exporting.ts), polled
// for its progress (done of total) and downloaded when done. The file lives
// in the data folder (SUQIU_DATA_DIR/exports) and is deleted a day later.
// - filters_json: the list's query as given, the caller's unit bound and owner.
// - status: running, done or failed (error says why; `interrupted` when the
//   process that wrote it stopped: its heartbeat, updated_at, went quiet).

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('demand_exports'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('filters_json', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('error', 'varchar(200)')
    .addColumn('file', 'varchar(200)')
    .addColumn('size', 'integer')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('finished_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('demand_exports_user_idx').on('demand_exports').columns(['user_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('demand_exports').execute();
}
