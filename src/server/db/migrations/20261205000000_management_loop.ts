import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

// The management loop (DESIGN.md, "Transfer, meetings and evaluation"): what
// a demand's first handling reported and the verdict on a complaint; the
// monthly transfer of unresolved demands to the departments that own their
// categories; the consultation meetings with their action items and the front
// line's suggestions; the centre's service events, criticisms and praises;
// and the quarterly evaluations, frozen when published.

export async function up(db: Kysely<any>): Promise<void> {
  // First handling (首次处理): the unit of the first work order, and what its first report said.
  await db.schema
    .alterTable('demands')
    .addColumn('first_unit_id', 'integer', (c) => c.references('units.id'))
    .execute();
  await db.schema.alterTable('demands').addColumn('first_resolved', 'integer').execute();
  await db.schema.alterTable('demands').addColumn('first_handled_at', 'varchar(32)').execute();
  await db.schema.alterTable('demands').addColumn('unresolved_reason', 'varchar(24)').execute();
  // 不属实: the latest verdict on a complaint; its history is on the timeline and the audit.
  await db.schema.alterTable('demands').addColumn('verdict', 'varchar(16)').execute();
  await db.schema.alterTable('demands').addColumn('verdict_reason', 'text').execute();
  await db.schema
    .alterTable('demands')
    .addColumn('verdict_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.alterTable('demands').addColumn('verdict_at', 'varchar(32)').execute();
  // The evaluation reads a period's demands of the counted types by registration time.
  await db.schema.createIndex('demands_type_created_idx').on('demands').columns(['type', 'created_at']).execute();

  // 传递: one batch a month, one item per demand (a demand is raised once).
  await withId(db, db.schema.createTable('transfer_batches'))
    .addColumn('month', 'varchar(7)', (c) => c.notNull().unique())
    .addColumn('period_from', 'varchar(32)', (c) => c.notNull())
    .addColumn('period_to', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await withId(db, db.schema.createTable('transfer_items'))
    .addColumn('batch_id', 'integer', (c) => c.notNull().references('transfer_batches.id'))
    .addColumn('demand_id', 'integer', (c) => c.notNull().unique().references('demands.id'))
    .addColumn('from_unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('to_unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('reason', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('due_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('measures', 'text')
    .addColumn('owner', 'varchar(100)')
    .addColumn('resolved', 'integer')
    .addColumn('expected_by', 'varchar(10)')
    .addColumn('answered_by', 'integer', (c) => c.references('users.id'))
    .addColumn('answered_at', 'varchar(32)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('transfer_items_batch_idx').on('transfer_items').columns(['batch_id', 'id']).execute();
  await db.schema.createIndex('transfer_items_to_idx').on('transfer_items').columns(['to_unit_id', 'status']).execute();
  // The department's answer is due 10 working days after the batch (DESIGN.md's defaults): a time policy like the others,
  // added here to a database that has its policies already (a new one gets every default at its first start).
  const havePolicies = await db.selectFrom('time_policies').select('id').limit(1).execute();
  if (havePolicies.length > 0) {
    await db
      .insertInto('time_policies')
      .values({
        step: 'transfer_answer',
        type: null,
        category: null,
        subcategory: null,
        area_class: null,
        priority: null,
        amount: 10,
        unit: 'working_days',
        updated_at: new Date().toISOString(),
      })
      .execute();
  }

  // 会商会议 and what it decides.
  await withId(db, db.schema.createTable('meetings'))
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('held_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('period_from', 'varchar(32)', (c) => c.notNull())
    .addColumn('period_to', 'varchar(32)', (c) => c.notNull())
    /** The computed sections (hot issues, evaluation, transfers) as assembled; the tracked ones are read live. */
    .addColumn('pack_json', 'text', (c) => c.notNull())
    .addColumn('assembled_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meetings_held_idx').on('meetings').columns(['held_on', 'id']).execute();
  await withId(db, db.schema.createTable('action_items'))
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('owner_unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('owner_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('due_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    /** When the reminder (3 WD before) falls and when the item is late: computed on the business calendar when it is set. */
    .addColumn('remind_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('late_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('reminded_at', 'varchar(32)')
    .addColumn('escalated_at', 'varchar(32)')
    .addColumn('done_at', 'varchar(32)')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('action_items_meeting_idx').on('action_items').columns(['meeting_id', 'id']).execute();
  await db.schema.createIndex('action_items_owner_idx').on('action_items').columns(['owner_unit_id', 'status']).execute();
  await db.schema.createIndex('action_items_timer_idx').on('action_items').columns(['status', 'remind_at']).execute();
  await withId(db, db.schema.createTable('action_item_progress'))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('action_items.id'))
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor_id', 'integer', (c) => c.references('users.id'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('action_item_progress_idx').on('action_item_progress').columns(['item_id', 'id']).execute();
  // The front line's suggestions (基层建议): for the next meeting, linked to it when its pack is assembled.
  await withId(db, db.schema.createTable('suggestions'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('demand_id', 'integer', (c) => c.references('demands.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('meeting_id', 'integer', (c) => c.references('meetings.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('suggestions_meeting_idx').on('suggestions').columns(['meeting_id', 'id']).execute();

  // 客服事件, 上级通报批评, 上级表扬: entered by the centre, counted by their date.
  await withId(db, db.schema.createTable('evaluation_events'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('occurred_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('evaluation_events_date_idx').on('evaluation_events').columns(['occurred_on', 'unit_id']).execute();

  // A quarter's evaluation: a draft until published; a published one is frozen, and a correction is a new revision with its reason.
  await withId(db, db.schema.createTable('evaluations'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('quarter', 'integer', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('period_from', 'varchar(32)', (c) => c.notNull())
    .addColumn('period_to', 'varchar(32)', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('computed_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('published_at', 'varchar(32)')
    .addColumn('published_by', 'integer', (c) => c.references('users.id'))
    .addColumn('superseded_at', 'varchar(32)')
    .addUniqueConstraint('evaluations_quarter_revision_uq', ['year', 'quarter', 'revision'])
    .execute();
  await db.schema
    .createTable('evaluation_rows')
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluations.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('unit_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('demands', 'integer', (c) => c.notNull())
    .addColumn('share', 'double precision', (c) => c.notNull())
    .addColumn('unresolved', 'integer', (c) => c.notNull())
    .addColumn('unresolved_rate', 'double precision', (c) => c.notNull())
    .addColumn('service_events', 'integer', (c) => c.notNull())
    .addColumn('repeated', 'integer', (c) => c.notNull())
    .addColumn('criticisms', 'integer', (c) => c.notNull())
    .addColumn('praises', 'integer', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('evaluation_rows_pk', ['evaluation_id', 'unit_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('time_policies').where('step', '=', 'transfer_answer').execute();
  for (const table of [
    'evaluation_rows',
    'evaluations',
    'evaluation_events',
    'suggestions',
    'action_item_progress',
    'action_items',
    'meetings',
    'transfer_items',
    'transfer_batches',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.dropIndex('demands_type_created_idx').execute();
  for (const column of ['verdict_at', 'verdict_by', 'verdict_reason', 'verdict', 'unresolved_reason', 'first_handled_at', 'first_resolved', 'first_unit_id']) {
    await db.schema.alterTable('demands').dropColumn(column).execute();
  }
}
