import { sql, type Kysely } from 'kysely';
import { withId } from './helpers.js';

// Customers and key accounts (issue 17; DESIGN.md, "Customers and key accounts").
// - customers: key_account (核心客户, the top N by the year's imported
//   consumption, recomputed at each import; unrelated to `important`, which
//   halves limits) with its rank, and the account manager (客户经理) who owns it.
// - customer_contacts: the persons to talk to, with their role.
// - consumption: monthly kWh per customer as imported; consumption_years keeps
//   each customer's yearly sum up to date in the import's transaction, so that
//   the key-account list reads one row per customer, never twelve.
// - consumption_imports: one row per accepted file.
// - applications / application_stages / application_events: the green channel
//   (绿色通道) for a large customer's connection application (业扩), its stages
//   each with an owner unit, a limit in working days, its due moment and the
//   supervision (督办) already given: the 80 % reminder, the escalation level.
// - service_plans: differentiated service plans (差异化服务计划), standing per
//   customer group (segment) or for one customer, dynamic ones proposed by a rule.
// - activities / activity_customers: visits (走访), forums (座谈会), open days
//   (客户体验) and the customers they reached.
// - relation_actions: the actions of a plan and the follow-ups of an activity,
//   each with an owner and a due date, reminded and tracked to done.
// - demands.owner_id: first-contact ownership (首问负责制), the agent who
//   registered the demand until it is closed or handed over by name.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('customers')
    .addColumn('key_account', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('customers').addColumn('key_account_rank', 'integer').execute();
  await db.schema
    .alterTable('customers')
    .addColumn('account_manager_id', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createIndex('customers_account_manager_idx')
    .on('customers')
    .column('account_manager_id')
    .where(sql.ref('account_manager_id'), 'is not', null)
    .execute();
  await db.schema.createIndex('customers_key_account_idx').on('customers').column('key_account_rank').where(sql.ref('key_account'), '=', 1).execute();

  await withId(db, db.schema.createTable('customer_contacts'))
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    // legal_rep 法人代表 | electrician 电气负责人 | finance 财务联系人 | liaison 日常联系人 | other
    .addColumn('role', 'varchar(20)', (c) => c.notNull())
    .addColumn('phone', 'varchar(32)', (c) => c.notNull())
    .addColumn('email', 'varchar(200)')
    .addColumn('note', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_contacts_customer_idx').on('customer_contacts').columns(['customer_id', 'id']).execute();

  await db.schema
    .createTable('consumption')
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addColumn('month', 'varchar(7)', (c) => c.notNull())
    .addColumn('kwh', 'double precision', (c) => c.notNull())
    .addColumn('import_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('consumption_pk', ['customer_id', 'month'])
    .execute();
  await db.schema.createIndex('consumption_month_idx').on('consumption').column('month').execute();

  await db.schema
    .createTable('consumption_years')
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('kwh', 'double precision', (c) => c.notNull())
    .addColumn('months', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('consumption_years_pk', ['customer_id', 'year'])
    .execute();
  await db.schema.createIndex('consumption_years_rank_idx').on('consumption_years').columns(['year', 'kwh', 'customer_id']).execute();

  await withId(db, db.schema.createTable('consumption_imports'))
    .addColumn('file_name', 'varchar(300)')
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('first_month', 'varchar(7)', (c) => c.notNull())
    .addColumn('last_month', 'varchar(7)', (c) => c.notNull())
    .addColumn('imported_by', 'integer', (c) => c.references('users.id'))
    .addColumn('imported_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('applications'))
    .addColumn('number', 'varchar(32)', (c) => c.notNull().unique())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    // new 新装 | increase 增容
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('capacity_kva', 'double precision', (c) => c.notNull())
    .addColumn('voltage', 'varchar(10)', (c) => c.notNull())
    // single | double
    .addColumn('supply', 'varchar(10)', (c) => c.notNull())
    // The stage set it runs through: residential | low_voltage | hv_single | hv_double
    .addColumn('track', 'varchar(20)', (c) => c.notNull())
    // open → completed | cancelled
    .addColumn('status', 'varchar(12)', (c) => c.notNull())
    .addColumn('stage', 'varchar(30)')
    .addColumn('stage_due_at', 'varchar(32)')
    // The customer's station: bounds who may see it, like a demand's unit.
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('account_manager_id', 'integer', (c) => c.references('users.id'))
    .addColumn('note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('completed_at', 'varchar(32)')
    .addColumn('cancelled_at', 'varchar(32)')
    .addColumn('cancel_reason', 'text')
    .execute();
  await db.schema.createIndex('applications_status_idx').on('applications').columns(['status', 'stage_due_at']).execute();
  await db.schema.createIndex('applications_customer_idx').on('applications').columns(['customer_id', 'id']).execute();
  await db.schema.createIndex('applications_manager_idx').on('applications').columns(['account_manager_id', 'status']).execute();

  await withId(db, db.schema.createTable('application_stages'))
    .addColumn('application_id', 'integer', (c) => c.notNull().references('applications.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    // accept 受理 | survey 现场勘查 | scheme 供电方案答复 | design_review 设计审查 | midway_check 中间检查 | completion_check 竣工检验 | connection 装表接电
    .addColumn('stage', 'varchar(30)', (c) => c.notNull())
    .addColumn('owner_unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('limit_wd', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'varchar(32)')
    .addColumn('due_at', 'varchar(32)')
    .addColumn('remind_at', 'varchar(32)')
    .addColumn('completed_at', 'varchar(32)')
    .addColumn('completed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('note', 'text')
    .addColumn('reminded_at', 'varchar(32)')
    // 0 none, 1 the account manager was told the stage is late, 2 the owner unit's head
    .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('escalated_at', 'varchar(32)')
    .addUniqueConstraint('application_stages_key', ['application_id', 'stage'])
    .execute();
  // The supervision's queue: the stages under way, by when they are due.
  await db.schema
    .createIndex('application_stages_running_idx')
    .on('application_stages')
    .columns(['due_at', 'id'])
    .where(sql.ref('completed_at'), 'is', null)
    .execute();

  await withId(db, db.schema.createTable('application_events'))
    .addColumn('application_id', 'integer', (c) => c.notNull().references('applications.id'))
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor_id', 'integer', (c) => c.references('users.id'))
    .addColumn('kind', 'varchar(40)', (c) => c.notNull())
    .addColumn('stage', 'varchar(30)')
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('application_events_app_idx').on('application_events').columns(['application_id', 'id']).execute();

  await withId(db, db.schema.createTable('service_plans'))
    // One customer's plan, or a standing plan for a group (segment: key_accounts | residential_lv | important).
    .addColumn('customer_id', 'integer', (c) => c.references('customers.id'))
    .addColumn('segment', 'varchar(30)')
    // standing | dynamic
    .addColumn('kind', 'varchar(10)', (c) => c.notNull())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    // A dynamic plan: the rule that proposed it and why (the demands' numbers).
    .addColumn('rule_key', 'varchar(40)')
    .addColumn('reason', 'text')
    // open → done | dismissed
    .addColumn('status', 'varchar(12)', (c) => c.notNull())
    .addColumn('dismiss_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('closed_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('service_plans_customer_idx').on('service_plans').columns(['customer_id', 'id']).execute();
  await db.schema.createIndex('service_plans_rule_idx').on('service_plans').columns(['rule_key', 'customer_id', 'created_at']).execute();
  await db.schema.createIndex('service_plans_status_idx').on('service_plans').columns(['status', 'id']).execute();

  await withId(db, db.schema.createTable('activities'))
    // visit 走访 | forum 座谈会 | open_day 客户体验
    .addColumn('kind', 'varchar(12)', (c) => c.notNull())
    .addColumn('held_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('topic', 'varchar(300)', (c) => c.notNull())
    .addColumn('place', 'varchar(200)')
    // JSON array: deputies 人大代表 | supervisors 行风监督员 | key_accounts | residents
    .addColumn('invited_groups', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('activities_held_idx').on('activities').columns(['held_on', 'id']).execute();

  await db.schema
    .createTable('activity_customers')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id'))
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addPrimaryKeyConstraint('activity_customers_pk', ['activity_id', 'customer_id'])
    .execute();
  await db.schema.createIndex('activity_customers_customer_idx').on('activity_customers').columns(['customer_id', 'activity_id']).execute();

  await withId(db, db.schema.createTable('relation_actions'))
    .addColumn('plan_id', 'integer', (c) => c.references('service_plans.id'))
    .addColumn('activity_id', 'integer', (c) => c.references('activities.id'))
    .addColumn('customer_id', 'integer', (c) => c.references('customers.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('due_on', 'varchar(10)', (c) => c.notNull())
    // open → done
    .addColumn('status', 'varchar(10)', (c) => c.notNull())
    .addColumn('done_at', 'varchar(32)')
    .addColumn('done_by', 'integer', (c) => c.references('users.id'))
    .addColumn('note', 'text')
    .addColumn('reminded_at', 'varchar(32)')
    .addColumn('overdue_notified_at', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('relation_actions_owner_idx').on('relation_actions').columns(['owner_user_id', 'status', 'due_on']).execute();
  await db.schema.createIndex('relation_actions_due_idx').on('relation_actions').columns(['status', 'due_on']).execute();
  await db.schema.createIndex('relation_actions_plan_idx').on('relation_actions').columns(['plan_id', 'id']).execute();
  await db.schema.createIndex('relation_actions_activity_idx').on('relation_actions').columns(['activity_id', 'id']).execute();
  // The plan rules and the visit candidates read the callbacks recorded lately (timeline kind callback.*), by kind and time.
  await db.schema.createIndex('timeline_kind_at_idx').on('timeline').columns(['kind', 'at']).execute();

  await db.schema
    .alterTable('demands')
    .addColumn('owner_id', 'integer', (c) => c.references('users.id'))
    .execute();
  // Every demand registered so far is owned by whoever registered it.
  await db
    .updateTable('demands')
    .set({ owner_id: sql.ref('created_by') })
    .execute();
  await db.schema.createIndex('demands_owner_open_idx').on('demands').columns(['owner_id', 'created_at']).where(sql.ref('status'), '<>', 'closed').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('demands_owner_open_idx').execute();
  await db.schema.dropIndex('timeline_kind_at_idx').execute();
  await db.schema.alterTable('demands').dropColumn('owner_id').execute();
  for (const table of [
    'relation_actions',
    'activity_customers',
    'activities',
    'service_plans',
    'application_events',
    'application_stages',
    'applications',
    'consumption_imports',
    'consumption_years',
    'consumption',
    'customer_contacts',
  ])
    await db.schema.dropTable(table).execute();
  await db.schema.dropIndex('customers_key_account_idx').execute();
  await db.schema.dropIndex('customers_account_manager_idx').execute();
  for (const column of ['account_manager_id', 'key_account_rank', 'key_account']) await db.schema.alterTable('customers').dropColumn(column).execute();
}
