import { sql, type Kysely } from 'kysely';
import { withId } from './helpers.js';

// Reports, dashboards and satisfaction (issue 18; DESIGN.md, "Transfer,
// meetings and evaluation" → Satisfaction, "Customers and key accounts" →
// Monitoring).
// - demands.callback_outcome: the case's latest callback, satisfied or
//   unsatisfied (null: none yet, or the customer could not be reached), so
//   that satisfaction is counted from the demand row, not from the timeline.
//   Backfilled from the timeline's callback entries.
// - demands_updated_idx: which demands changed since a rollup's last refresh.
// - rollup_state: each rollup's last refresh (db/rollups.ts).
// - demand_rollup: per local day of registration × responsible unit ×
//   category × type × channel, the counts the reports read instead of
//   scanning the demands (category '' when the demand has none).
// - place_rollup: per local day × the customer's station (the place, not the
//   unit the demand was routed to) × type, the cases: complaints per 10,000
//   customers are the complaints of the customers a station or county serves.
// - deadline_rollup: per local day of the demand's registration × the step's
//   unit × step, how many deadlines were met in time, late, or still running.
// - term_rollup: per local day × responsible unit × term (jieba), the cases of
//   counted types that used the term and how many of them are closed (hot issues).
// - satisfaction_imports / satisfaction_surveys: the third party's survey
//   results per period (a year, a quarter or a month) for the city (unit_key
//   0) or a unit: the eight dimensions and the overall score.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('demands').addColumn('callback_outcome', 'varchar(20)').execute();
  await sql`UPDATE demands SET callback_outcome = (
      SELECT CASE WHEN t.data_json LIKE '%"outcome":"unsatisfied"%' THEN 'unsatisfied' ELSE 'satisfied' END
        FROM timeline t
       WHERE t.demand_id = demands.id AND t.kind IN ('callback.closed', 'callback.reopened')
       ORDER BY t.at DESC, t.id DESC
       LIMIT 1)
    WHERE EXISTS (SELECT 1 FROM timeline t WHERE t.demand_id = demands.id AND t.kind IN ('callback.closed', 'callback.reopened'))`.execute(db);
  await db.schema.createIndex('demands_updated_idx').on('demands').column('updated_at').execute();

  await db.schema
    .createTable('rollup_state')
    .addColumn('name', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('refreshed_at', 'varchar(32)')
    .addColumn('days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('demand_rollup')
    .addColumn('day', 'varchar(10)', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('category', 'varchar(40)', (c) => c.notNull())
    .addColumn('type', 'varchar(40)', (c) => c.notNull())
    .addColumn('channel', 'varchar(40)', (c) => c.notNull())
    // every call registered (a case's later calls too, each by its own attributes)
    .addColumn('calls', 'integer', (c) => c.notNull())
    // the cases (a case once, by its first call's attributes), and of those:
    .addColumn('cases', 'integer', (c) => c.notNull())
    .addColumn('closed', 'integer', (c) => c.notNull())
    .addColumn('overdue', 'integer', (c) => c.notNull())
    .addColumn('repeated', 'integer', (c) => c.notNull())
    .addColumn('handled', 'integer', (c) => c.notNull())
    .addColumn('first_resolved', 'integer', (c) => c.notNull())
    .addColumn('satisfied', 'integer', (c) => c.notNull())
    .addColumn('unsatisfied', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('demand_rollup_pk', ['day', 'unit_id', 'category', 'type', 'channel'])
    .execute();

  // Cases per local day × the customer's station (the place: demands.station_id, 0 when unknown) × type:
  // complaints per 10,000 customers of the station or county that serves them.
  await db.schema
    .createTable('place_rollup')
    .addColumn('day', 'varchar(10)', (c) => c.notNull())
    .addColumn('station_id', 'integer', (c) => c.notNull())
    .addColumn('type', 'varchar(40)', (c) => c.notNull())
    .addColumn('cases', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('place_rollup_pk', ['day', 'station_id', 'type'])
    .execute();

  await db.schema
    .createTable('deadline_rollup')
    .addColumn('day', 'varchar(10)', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('step', 'varchar(40)', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('in_time', 'integer', (c) => c.notNull())
    .addColumn('late', 'integer', (c) => c.notNull())
    .addColumn('running', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('deadline_rollup_pk', ['day', 'unit_id', 'step'])
    .execute();

  await db.schema
    .createTable('term_rollup')
    .addColumn('day', 'varchar(10)', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('term', 'varchar(64)', (c) => c.notNull())
    .addColumn('cases', 'integer', (c) => c.notNull())
    .addColumn('closed', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('term_rollup_pk', ['day', 'unit_id', 'term'])
    .execute();

  await withId(db, db.schema.createTable('satisfaction_imports'))
    .addColumn('file_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('satisfaction_surveys'))
    // `2026`, `2026-Q3` or `2026-11`, as imported
    .addColumn('period', 'varchar(7)', (c) => c.notNull())
    // year | quarter | month
    .addColumn('period_kind', 'varchar(10)', (c) => c.notNull())
    // the local dates the period spans: from inclusive, to exclusive
    .addColumn('period_from', 'varchar(10)', (c) => c.notNull())
    .addColumn('period_to', 'varchar(10)', (c) => c.notNull())
    // 0: the whole city; else the unit's id (unit_id)
    .addColumn('unit_key', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('stability', 'double precision', (c) => c.notNull())
    .addColumn('safety', 'double precision', (c) => c.notNull())
    .addColumn('payment', 'double precision', (c) => c.notNull())
    .addColumn('business', 'double precision', (c) => c.notNull())
    .addColumn('hall', 'double precision', (c) => c.notNull())
    .addColumn('hotline', 'double precision', (c) => c.notNull())
    .addColumn('communication', 'double precision', (c) => c.notNull())
    .addColumn('handling', 'double precision', (c) => c.notNull())
    .addColumn('overall', 'double precision', (c) => c.notNull())
    .addColumn('import_id', 'integer', (c) => c.notNull().references('satisfaction_imports.id'))
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('satisfaction_surveys_period_unit', ['period', 'unit_key'])
    .execute();
  await db.schema.createIndex('satisfaction_surveys_from_idx').on('satisfaction_surveys').columns(['period_from', 'unit_key']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('satisfaction_surveys').execute();
  await db.schema.dropTable('satisfaction_imports').execute();
  await db.schema.dropTable('term_rollup').execute();
  await db.schema.dropTable('deadline_rollup').execute();
  await db.schema.dropTable('place_rollup').execute();
  await db.schema.dropTable('demand_rollup').execute();
  await db.schema.dropTable('rollup_state').execute();
  await db.schema.dropIndex('demands_updated_idx').execute();
  await db.schema.alterTable('demands').dropColumn('callback_outcome').execute();
}
