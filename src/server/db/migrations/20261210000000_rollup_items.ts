import { sql, type Kysely } from 'kysely';

// What the demand and deadline rollups counted for each demand and deadline
// (issue 18, the reports' lag): a reader takes out the items of the demands
// changed since the rollup's refresh and adds what they are now, so that a
// lag costs as much as the changes, not as the days they fall on
// (reports/rollup.ts). The scheduler writes an item when it rebuilds its day,
// in the same transaction as the day's rollup rows, and only where it differs.
// - demand_rollup_items: a demand's keys (day of registration, unit,
//   customer's station or 0, category or '', type, channel) and its marks
//   (reports/rules.ts MARK: a case, closed, overdue, repeated, handled,
//   resolved at first handling, satisfied, unsatisfied; none for a case's
//   later call, which counts as a call only).
// - deadline_rollup_items: a deadline's day, the unit that owes the step, the
//   step and how it stood (inTime, late, running); none for a deadline that
//   counts nowhere (given up before it came due).
// - place_rollup gains the category (day × the customer's station × type ×
//   category): a county's satisfaction is set against the demand rates of the
//   customers it serves, by category, and its outage and supply-service
//   demands are routed to departments, not to the county.
// The demand rollup is rebuilt on the next pass (its state forgotten), which
// writes every item and every row.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('demand_rollup_items')
    .addColumn('demand_id', 'integer', (c) => c.primaryKey())
    .addColumn('day', 'varchar(10)', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('station_id', 'integer', (c) => c.notNull())
    .addColumn('category', 'varchar(40)', (c) => c.notNull())
    .addColumn('type', 'varchar(40)', (c) => c.notNull())
    .addColumn('channel', 'varchar(40)', (c) => c.notNull())
    .addColumn('marks', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('demand_rollup_items_day_idx').on('demand_rollup_items').column('day').execute();
  await db.schema
    .createTable('deadline_rollup_items')
    .addColumn('deadline_id', 'integer', (c) => c.primaryKey())
    .addColumn('demand_id', 'integer', (c) => c.notNull())
    .addColumn('day', 'varchar(10)', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('step', 'varchar(40)', (c) => c.notNull())
    .addColumn('standing', 'varchar(10)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deadline_rollup_items_day_idx').on('deadline_rollup_items').column('day').execute();
  await db.schema.createIndex('deadline_rollup_items_demand_idx').on('deadline_rollup_items').column('demand_id').execute();
  await db.schema.dropTable('place_rollup').execute();
  await db.schema
    .createTable('place_rollup')
    .addColumn('day', 'varchar(10)', (c) => c.notNull())
    .addColumn('station_id', 'integer', (c) => c.notNull())
    .addColumn('type', 'varchar(40)', (c) => c.notNull())
    .addColumn('category', 'varchar(40)', (c) => c.notNull())
    .addColumn('cases', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('place_rollup_pk', ['day', 'station_id', 'type', 'category'])
    .execute();
  await sql`DELETE FROM rollup_state WHERE name = 'demands'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('place_rollup').execute();
  await db.schema
    .createTable('place_rollup')
    .addColumn('day', 'varchar(10)', (c) => c.notNull())
    .addColumn('station_id', 'integer', (c) => c.notNull())
    .addColumn('type', 'varchar(40)', (c) => c.notNull())
    .addColumn('cases', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('place_rollup_pk', ['day', 'station_id', 'type'])
    .execute();
  await sql`DELETE FROM rollup_state WHERE name = 'demands'`.execute(db);
  await db.schema.dropTable('deadline_rollup_items').execute();
  await db.schema.dropTable('demand_rollup_items').execute();
}
