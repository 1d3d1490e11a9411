import { sql, type Kysely } from 'kysely';
import { withId } from './helpers.js';

// Demands and their tasks, timeline and deadlines; the business calendar and
// the time-limit policies; the category → unit routing; notifications.
// Deadlines and notifications are rows, so a restart loses none and repeats none.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('calendar_days')
    .addColumn('date', 'varchar(10)', (c) => c.primaryKey())
    .addColumn('working', 'integer', (c) => c.notNull())
    .addColumn('name', 'varchar(64)')
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('time_policies'))
    .addColumn('step', 'varchar(32)', (c) => c.notNull())
    .addColumn('type', 'varchar(32)')
    .addColumn('category', 'varchar(32)')
    .addColumn('subcategory', 'varchar(64)')
    .addColumn('area_class', 'varchar(16)')
    .addColumn('priority', 'varchar(16)')
    .addColumn('amount', 'integer', (c) => c.notNull())
    .addColumn('unit', 'varchar(16)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('category_routes')
    .addColumn('category', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('counters')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('demands'))
    .addColumn('number', 'varchar(20)', (c) => c.notNull().unique())
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    .addColumn('type', 'varchar(32)', (c) => c.notNull())
    .addColumn('category', 'varchar(32)')
    .addColumn('subcategory', 'varchar(64)')
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .addColumn('priority', 'varchar(16)', (c) => c.notNull())
    .addColumn('sensitive', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('customer_id', 'integer', (c) => c.references('customers.id'))
    .addColumn('account_no', 'varchar(32)')
    .addColumn('customer_name', 'varchar(200)')
    .addColumn('phone', 'varchar(32)', (c) => c.notNull())
    .addColumn('important', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('area_class', 'varchar(16)', (c) => c.notNull())
    .addColumn('station_id', 'integer', (c) => c.references('units.id'))
    .addColumn('district_id', 'integer', (c) => c.references('transformer_districts.id'))
    .addColumn('feeder_id', 'integer', (c) => c.references('feeders.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(24)', (c) => c.notNull())
    .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('case_id', 'integer')
    .addColumn('repeat_of', 'integer', (c) => c.references('demands.id'))
    .addColumn('repeat_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('callback_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('answer', 'text')
    .addColumn('answered_at', 'varchar(32)')
    .addColumn('idempotency_key', 'varchar(160)', (c) => c.unique())
    .addColumn('search_text', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('closed_at', 'varchar(32)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('demands_phone_idx').on('demands').columns(['phone', 'created_at']).execute();
  await db.schema.createIndex('demands_account_idx').on('demands').columns(['account_no', 'created_at']).execute();
  await db.schema.createIndex('demands_unit_status_idx').on('demands').columns(['unit_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('demands_status_idx').on('demands').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('demands_created_idx').on('demands').column('created_at').execute();
  await db.schema.createIndex('demands_case_idx').on('demands').column('case_id').execute();

  await withId(db, db.schema.createTable('tasks'))
    .addColumn('demand_id', 'integer', (c) => c.notNull().references('demands.id'))
    .addColumn('kind', 'varchar(24)', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('assignee_id', 'integer', (c) => c.references('users.id'))
    .addColumn('status', 'varchar(24)', (c) => c.notNull())
    .addColumn('instructions', 'text')
    .addColumn('report_json', 'text')
    .addColumn('return_reason', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('accepted_at', 'varchar(32)')
    .addColumn('arrived_at', 'varchar(32)')
    .addColumn('handled_at', 'varchar(32)')
    .addColumn('closed_at', 'varchar(32)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('tasks_demand_idx').on('tasks').column('demand_id').execute();
  await db.schema.createIndex('tasks_unit_status_idx').on('tasks').columns(['unit_id', 'status', 'demand_id']).execute();

  await withId(db, db.schema.createTable('timeline'))
    .addColumn('demand_id', 'integer', (c) => c.notNull().references('demands.id'))
    .addColumn('task_id', 'integer', (c) => c.references('tasks.id'))
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor_id', 'integer', (c) => c.references('users.id'))
    .addColumn('kind', 'varchar(48)', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('data_json', 'text')
    .execute();
  await db.schema.createIndex('timeline_demand_idx').on('timeline').columns(['demand_id', 'id']).execute();

  await withId(db, db.schema.createTable('deadlines'))
    .addColumn('demand_id', 'integer', (c) => c.notNull().references('demands.id'))
    .addColumn('task_id', 'integer', (c) => c.references('tasks.id'))
    .addColumn('step', 'varchar(24)', (c) => c.notNull())
    .addColumn('started_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('due_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('warn_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('met_at', 'varchar(32)')
    .addColumn('warned_at', 'varchar(32)')
    .addColumn('escalated_at', 'varchar(32)')
    .addColumn('cancelled_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('deadlines_demand_idx').on('deadlines').columns(['demand_id', 'step']).execute();
  // The scheduler scans only the live deadlines.
  await db.schema.createIndex('deadlines_live_warn_idx').on('deadlines').column('warn_at').where(sql.ref('warned_at'), 'is', null).execute();
  await db.schema.createIndex('deadlines_live_due_idx').on('deadlines').column('due_at').where(sql.ref('escalated_at'), 'is', null).execute();

  await withId(db, db.schema.createTable('notifications'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('role', 'varchar(32)')
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('kind', 'varchar(48)', (c) => c.notNull())
    .addColumn('demand_id', 'integer', (c) => c.references('demands.id'))
    .addColumn('task_id', 'integer', (c) => c.references('tasks.id'))
    .addColumn('title', 'varchar(300)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('notifications_unit_role_idx').on('notifications').columns(['unit_id', 'role', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['notifications', 'deadlines', 'timeline', 'tasks', 'demands', 'counters', 'category_routes', 'time_policies', 'calendar_days']) {
    await db.schema.dropTable(table).execute();
  }
}
