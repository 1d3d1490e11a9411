import type { Kysely } from 'kysely';

// A case, not a call (DESIGN.md, "Repeated demand"): a call that joins a
// customer's case is kept as its own row (its number, channel and words) with
// `case_id` naming the case's first call, which carries the case's status,
// clocks and work orders; `call_count` on that first call counts the case's
// calls, so that lists show a case once with its count. A joined call urges
// (催办) the case's open work orders: `tasks.urge_count`. The escalation
// ladder is data (the calls at which each level is reached), and a unit names
// its head (负责人), level 3 of the ladder. Over-level complaints carry the
// urgent priority, whose own limits are default policies. A fault repair
// records the fault's address.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('demands').addColumn('call_count', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('demands').addColumn('fault_address', 'text').execute();
  await db.schema.alterTable('tasks').addColumn('urge_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('tasks').addColumn('urged_at', 'varchar(32)').execute();
  await db.schema.alterTable('units').addColumn('head_user_id', 'integer', (c) => c.references('users.id')).execute();

  // The calls already linked as repeats are counted on their case's first call.
  const counts = await db.selectFrom('demands').select(['case_id', (eb) => eb.fn.countAll<number>().as('n')]).where('case_id', 'is not', null).groupBy('case_id').having((eb) => eb.fn.countAll(), '>', 1).execute();
  for (const c of counts) await db.updateTable('demands').set({ call_count: Number(c.n) }).where('id', '=', c.case_id).execute();

  await db.schema
    .createTable('escalation_ladder')
    .addColumn('level', 'integer', (c) => c.primaryKey())
    .addColumn('calls', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  const at = new Date().toISOString();
  await db
    .insertInto('escalation_ladder')
    .values([
      { level: 1, calls: 3, updated_at: at },
      { level: 2, calls: 5, updated_at: at },
      { level: 3, calls: 7, updated_at: at },
    ])
    .execute();

  // An existing database gets the urgent limits; a new one has them among the defaults.
  const havePolicies = await db.selectFrom('time_policies').select('id').limit(1).execute();
  if (havePolicies.length > 0) {
    const policy = { type: null, category: null, subcategory: null, area_class: null, priority: 'urgent', updated_at: at };
    await db
      .insertInto('time_policies')
      .values([
        { step: 'contact', amount: 120, unit: 'minutes', ...policy },
        { step: 'answer', amount: 2, unit: 'working_days', ...policy },
      ])
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('time_policies').where('priority', '=', 'urgent').execute();
  await db.schema.dropTable('escalation_ladder').execute();
  await db.schema.alterTable('units').dropColumn('head_user_id').execute();
  await db.schema.alterTable('tasks').dropColumn('urged_at').execute();
  await db.schema.alterTable('tasks').dropColumn('urge_count').execute();
  await db.schema.alterTable('demands').dropColumn('fault_address').execute();
  await db.schema.alterTable('demands').dropColumn('call_count').execute();
}
