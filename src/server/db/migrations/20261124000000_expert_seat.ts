import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

// The expert seat (DESIGN.md, "Expert seat"): the expert pool, the
// consultations an agent forwards to it with their own timeline and timers,
// the step limits (data), the common problems experts bring to the monthly
// meeting and the training sessions they give agents. Timers are rows, fired
// by the scheduler exactly once, like the demands' deadlines.

export async function up(db: Kysely<any>): Promise<void> {
  // An expert is a user with the role `expert`; this is what the pool knows of them.
  await db.schema
    .createTable('expert_profiles')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
    .addColumn('phone', 'varchar(32)')
    .addColumn('duty_from', 'varchar(5)', (c) => c.notNull().defaultTo('00:00'))
    .addColumn('duty_to', 'varchar(5)', (c) => c.notNull().defaultTo('24:00'))
    .addColumn('available', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('unavailable_reason', 'varchar(200)')
    .addColumn('leader', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('expert_topics')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('topic', 'varchar(64)', (c) => c.notNull())
    .addPrimaryKeyConstraint('expert_topics_pk', ['user_id', 'topic'])
    .execute();
  await db.schema.createIndex('expert_topics_topic_idx').on('expert_topics').columns(['topic', 'user_id']).execute();

  await db.schema
    .createTable('consultation_limits')
    .addColumn('step', 'varchar(24)', (c) => c.primaryKey())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('consultations'))
    .addColumn('demand_id', 'integer', (c) => c.notNull().references('demands.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('topic', 'varchar(64)')
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('customer_name', 'varchar(200)')
    .addColumn('customer_phone', 'varchar(32)', (c) => c.notNull())
    .addColumn('called_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('forwarded_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('forwarded_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('expert_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('assigned_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('hand_overs', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tried_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('unanswered_at', 'varchar(32)')
    .addColumn('acknowledged_at', 'varchar(32)')
    .addColumn('contacted_at', 'varchar(32)')
    .addColumn('call_ended_at', 'varchar(32)')
    .addColumn('replied_at', 'varchar(32)')
    .addColumn('answer', 'text')
    .addColumn('joint_units_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('callback_at', 'varchar(32)')
    .addColumn('callback_result', 'text')
    .addColumn('closed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consultations_demand_idx').on('consultations').column('demand_id').execute();
  await db.schema.createIndex('consultations_expert_idx').on('consultations').columns(['expert_id', 'status', 'forwarded_at']).execute();
  await db.schema.createIndex('consultations_unit_idx').on('consultations').columns(['unit_id', 'forwarded_at']).execute();
  await db.schema.createIndex('consultations_forwarded_idx').on('consultations').column('forwarded_at').execute();

  await withId(db, db.schema.createTable('consultation_events'))
    .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id'))
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor_id', 'integer', (c) => c.references('users.id'))
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('expert_id', 'integer', (c) => c.references('users.id'))
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('consultation_events_idx').on('consultation_events').columns(['consultation_id', 'id']).execute();

  // One row per running step; `fired_at` is set by the scheduler pass that acts on it, once.
  await withId(db, db.schema.createTable('consultation_timers'))
    .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id'))
    .addColumn('step', 'varchar(24)', (c) => c.notNull())
    .addColumn('expert_id', 'integer', (c) => c.references('users.id'))
    .addColumn('started_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('due_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('met_at', 'varchar(32)')
    .addColumn('fired_at', 'varchar(32)')
    .addColumn('cancelled_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('consultation_timers_idx').on('consultation_timers').columns(['consultation_id', 'step']).execute();
  await db.schema.createIndex('consultation_timers_due_idx').on('consultation_timers').columns(['fired_at', 'met_at', 'cancelled_at', 'due_at']).execute();

  await db.schema
    .alterTable('notifications')
    .addColumn('consultation_id', 'integer', (c) => c.references('consultations.id'))
    .execute();

  await withId(db, db.schema.createTable('common_problems'))
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('meeting_month', 'varchar(7)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('open'))
    .addColumn('meeting_note', 'text')
    .addColumn('filed_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('filed_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('common_problems_month_idx').on('common_problems').columns(['meeting_month', 'id']).execute();
  await db.schema
    .createTable('common_problem_consultations')
    .addColumn('problem_id', 'integer', (c) => c.notNull().references('common_problems.id'))
    .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id'))
    .addPrimaryKeyConstraint('common_problem_consultations_pk', ['problem_id', 'consultation_id'])
    .execute();

  await withId(db, db.schema.createTable('expert_trainings'))
    .addColumn('held_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('expert_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('topic', 'varchar(200)', (c) => c.notNull())
    .addColumn('attendees_json', 'text', (c) => c.notNull())
    .addColumn('hours', 'real')
    .addColumn('note', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('expert_trainings_held_idx').on('expert_trainings').columns(['held_on', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').dropColumn('consultation_id').execute();
  for (const table of [
    'expert_trainings',
    'common_problem_consultations',
    'common_problems',
    'consultation_timers',
    'consultation_events',
    'consultations',
    'consultation_limits',
    'expert_topics',
    'expert_profiles',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
