import type { Kysely } from 'kysely';

// Hot issues (issue 18, point 2). term_rollup (20261209000000_reports) holds
// the terms; this adds what the hot issues count besides them, per local day
// of the case's first call × the case's unit (the unit of its first work
// order, else its responsible unit) × category × sub-category: the counted
// cases (complaints, opinions, suggestions; not those judged unfounded) and
// how many of them are closed. It gives the period's total, the categories
// and the sub-categories of the meeting's pack and the volume that decides a
// weekly breakdown, without reading the demands. Both are rebuilt together
// by the scheduler (rollup `terms`, modules/hot-issues/rollup.ts).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('hot_case_rollup')
    .addColumn('day', 'varchar(10)', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    // '' when the case has none
    .addColumn('category', 'varchar(40)', (c) => c.notNull())
    .addColumn('subcategory', 'varchar(60)', (c) => c.notNull())
    .addColumn('cases', 'integer', (c) => c.notNull())
    .addColumn('closed', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('hot_case_rollup_pk', ['day', 'unit_id', 'category', 'subcategory'])
    .execute();
  // The period's most frequent terms are a GROUP BY term over a range of days: read from this index alone.
  await db.schema.createIndex('term_rollup_day_term_idx').on('term_rollup').columns(['day', 'term', 'unit_id', 'cases', 'closed']).execute();
  // A unit's terms (the breakdown per county, a handler's units): its days only, from this index alone.
  await db.schema.createIndex('term_rollup_unit_day_idx').on('term_rollup').columns(['unit_id', 'day', 'term', 'cases', 'closed']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('term_rollup_unit_day_idx').execute();
  await db.schema.dropIndex('term_rollup_day_term_idx').execute();
  await db.schema.dropTable('hot_case_rollup').execute();
}
