import { sql, type Kysely } from 'kysely';
import { withId } from './helpers.js';

// Outages and the messages to customers (issue 16; DESIGN.md, "Outages and
// communication with customers").
// - outages: one per announced or declared outage, with its kind, times, the
//   notice text, the notice rule's due moment and, when it was given late, the
//   reason; `affected_customers` and the 台区 it cuts (`districts_json`) are
//   counted when it is announced, as its notices went out.
// - outage_scopes: what it cuts, feeders, 台区 or single customers; looked up
//   by (kind, ref_id) when a caller's place is matched against active outages.
// - outage_events: the outage's timeline (announced, started, expected end
//   moved, restored, cancelled, notices queued, calls linked).
// - demands.outage_id / parent_id: a call about a known outage is linked to it;
//   its 主单 is the outage's first call, the rest are 子单 (parent_id).
// - messages: the outbox. One row per message to one recipient, with a key
//   unique per recipient and message, sent by a worker with retries; its
//   status, attempts and last error are kept.
// - customers: an e-mail address, the channel they are told through, and
//   whether they opted out of non-essential messages.
// - demands.progress_*: a long-running demand's schedule of progress messages.

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('outages'))
    .addColumn('number', 'varchar(32)', (c) => c.notNull().unique())
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('notice', 'text', (c) => c.notNull())
    .addColumn('area', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expected_end_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('notice_due_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('late_notice_reason', 'text')
    .addColumn('affected_customers', 'integer', (c) => c.notNull())
    // The 台区 it cuts with their customers, counted with affected_customers when it is announced: [{id, name, feederName, customers}].
    .addColumn('districts_json', 'text', (c) => c.notNull().defaultTo('[]'))
    // No foreign key: on PostgreSQL the intake claims the 主单 under the id it reserved, in the batch that inserts it.
    .addColumn('master_demand_id', 'integer')
    .addColumn('started_at', 'varchar(32)')
    .addColumn('restored_at', 'varchar(32)')
    .addColumn('cancelled_at', 'varchar(32)')
    .addColumn('cancel_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outages_status_idx').on('outages').columns(['status', 'starts_at']).execute();
  await db.schema.createIndex('outages_unit_idx').on('outages').columns(['unit_id', 'starts_at']).execute();

  await db.schema
    .createTable('outage_scopes')
    .addColumn('outage_id', 'integer', (c) => c.notNull().references('outages.id'))
    .addColumn('kind', 'varchar(10)', (c) => c.notNull())
    .addColumn('ref_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('outage_scopes_pk', ['outage_id', 'kind', 'ref_id'])
    .execute();
  await db.schema.createIndex('outage_scopes_ref_idx').on('outage_scopes').columns(['kind', 'ref_id', 'outage_id']).execute();

  await withId(db, db.schema.createTable('outage_events'))
    .addColumn('outage_id', 'integer', (c) => c.notNull().references('outages.id'))
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor_id', 'integer', (c) => c.references('users.id'))
    .addColumn('kind', 'varchar(40)', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('data_json', 'text')
    .execute();
  await db.schema.createIndex('outage_events_outage_idx').on('outage_events').columns(['outage_id', 'id']).execute();

  // A suspected outage the team lead was told of (once), dismissed or declared: keyed by its place and first call.
  await withId(db, db.schema.createTable('outage_suspicions'))
    .addColumn('place', 'varchar(10)', (c) => c.notNull())
    .addColumn('place_id', 'integer', (c) => c.notNull())
    .addColumn('first_call_id', 'integer', (c) => c.notNull())
    .addColumn('calls', 'integer', (c) => c.notNull())
    .addColumn('notified_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('dismissed_at', 'varchar(32)')
    .addColumn('dismissed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('dismiss_reason', 'text')
    .addColumn('outage_id', 'integer', (c) => c.references('outages.id'))
    .addUniqueConstraint('outage_suspicions_key', ['place', 'place_id', 'first_call_id'])
    .execute();

  await db.schema.alterTable('demands').addColumn('outage_id', 'integer').execute();
  await db.schema.alterTable('demands').addColumn('parent_id', 'integer').execute();
  await db.schema.alterTable('demands').addColumn('progress_every_wd', 'integer').execute();
  await db.schema.alterTable('demands').addColumn('progress_due_at', 'varchar(32)').execute();
  await db.schema.alterTable('demands').addColumn('progress_told', 'varchar(20)').execute();
  await db.schema.createIndex('demands_outage_idx').on('demands').columns(['outage_id', 'id']).where(sql.ref('outage_id'), 'is not', null).execute();
  await db.schema.createIndex('demands_progress_due_idx').on('demands').column('progress_due_at').where(sql.ref('progress_due_at'), 'is not', null).execute();

  await db.schema.alterTable('customers').addColumn('email', 'varchar(200)').execute();
  await db.schema
    .alterTable('customers')
    .addColumn('message_channel', 'varchar(10)', (c) => c.notNull().defaultTo('sms'))
    .execute();
  await db.schema
    .alterTable('customers')
    .addColumn('messages_opt_out', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('customers_feeder_idx').on('customers').column('feeder_id').execute();

  await withId(db, db.schema.createTable('messages'))
    .addColumn('key', 'varchar(200)', (c) => c.notNull().unique())
    .addColumn('kind', 'varchar(40)', (c) => c.notNull())
    .addColumn('essential', 'integer', (c) => c.notNull())
    .addColumn('channel', 'varchar(10)', (c) => c.notNull())
    .addColumn('address', 'varchar(200)', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.references('customers.id'))
    .addColumn('demand_id', 'integer', (c) => c.references('demands.id'))
    .addColumn('outage_id', 'integer', (c) => c.references('outages.id'))
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(10)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('lease_until', 'varchar(32)')
    .addColumn('last_error', 'text')
    .addColumn('provider_id', 'varchar(200)')
    .addColumn('sent_at', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  // The worker's queue: what is waiting or being sent, by when it is due.
  await db.schema
    .createIndex('messages_due_idx')
    .on('messages')
    .columns(['next_attempt_at', 'id'])
    .where(sql.ref('status'), 'in', ['queued', 'sending'])
    .execute();
  await db.schema.createIndex('messages_customer_idx').on('messages').columns(['customer_id', 'id']).execute();
  await db.schema.createIndex('messages_outage_idx').on('messages').columns(['outage_id', 'id']).execute();
  await db.schema.createIndex('messages_demand_idx').on('messages').columns(['demand_id', 'id']).execute();
  await db.schema.createIndex('messages_status_idx').on('messages').columns(['status', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('messages').execute();
  await db.schema.dropIndex('customers_feeder_idx').execute();
  await db.schema.alterTable('customers').dropColumn('messages_opt_out').execute();
  await db.schema.alterTable('customers').dropColumn('message_channel').execute();
  await db.schema.alterTable('customers').dropColumn('email').execute();
  await db.schema.dropIndex('demands_progress_due_idx').execute();
  await db.schema.dropIndex('demands_outage_idx').execute();
  await db.schema.alterTable('demands').dropColumn('progress_told').execute();
  await db.schema.alterTable('demands').dropColumn('progress_due_at').execute();
  await db.schema.alterTable('demands').dropColumn('progress_every_wd').execute();
  await db.schema.alterTable('demands').dropColumn('parent_id').execute();
  await db.schema.alterTable('demands').dropColumn('outage_id').execute();
  await db.schema.dropTable('outage_suspicions').execute();
  await db.schema.dropTable('outage_events').execute();
  await db.schema.dropTable('outage_scopes').execute();
  await db.schema.dropTable('outages').execute();
}
