import type { Kysely } from 'kysely';
import { nameGrams } from '../../platform/text.js';

// A case, not a call (DESIGN.md, "Repeated demand"): a call that joins a
// customer's case is kept as its own row (its number, channel and words) with
// `case_id` naming the case's first call, which carries the case's status,
// clocks and work orders; `call_count` on that first call counts the case's
// calls, so that lists show a case once with its count. A joined call urges
// (催办) the case's open work orders: `tasks.urge_count`. The escalation
// ladder is data (the calls at which each level is reached), and a unit names
// its head (负责人), level 3 of the ladder. Over-level complaints carry the
// urgent priority, whose own limits are default policies. A fault repair
// records the fault's address. Customers are found by any part of their name
// through the two-character pieces of the names (customer_name_grams; filled
// by customers/service.ts indexCustomerNames, here for the customers there).

/** What callers say, and what the articles call it: the defaults, edited later by the knowledge group (knowledge/rules.ts searchWords). */
const DEFAULT_SYNONYMS: readonly { phrase: string; words: string }[] = [
  { phrase: '没电', words: '停电' },
  { phrase: '没有电', words: '停电' },
  { phrase: '断电', words: '停电' },
  { phrase: '停了电', words: '停电' },
  { phrase: '跳闸', words: '停电' },
  { phrase: '灯暗', words: '低电压' },
  { phrase: '电压低', words: '低电压' },
  { phrase: '灯闪', words: '电压波动' },
  { phrase: '交电费', words: '缴费' },
  { phrase: '交费', words: '缴费' },
  { phrase: '电费贵', words: '电费偏高' },
  { phrase: '电费高', words: '电费偏高' },
  { phrase: '电表坏', words: '电能表' },
  { phrase: '电表不准', words: '电能表校验' },
  { phrase: '偷电', words: '窃电' },
  { phrase: '电线掉', words: '电线断落' },
  { phrase: '树碰线', words: '树障' },
  { phrase: '装电表', words: '新装' },
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('demands')
    .addColumn('call_count', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('demands').addColumn('fault_address', 'text').execute();
  await db.schema
    .alterTable('tasks')
    .addColumn('urge_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('tasks').addColumn('urged_at', 'varchar(32)').execute();
  await db.schema
    .alterTable('units')
    .addColumn('head_user_id', 'integer', (c) => c.references('users.id'))
    .execute();

  await db.schema
    .createTable('customer_name_grams')
    .addColumn('gram', 'varchar(8)', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addPrimaryKeyConstraint('customer_name_grams_pk', ['gram', 'customer_id'])
    .execute();
  for (let after = 0; ;) {
    const rows = await db.selectFrom('customers').select(['id', 'name']).where('id', '>', after).orderBy('id').limit(5000).execute();
    if (rows.length === 0) break;
    const grams = rows.flatMap((r) => nameGrams(r.name).map((gram) => ({ gram, customer_id: r.id })));
    for (let i = 0; i < grams.length; i += 1000)
      await db
        .insertInto('customer_name_grams')
        .values(grams.slice(i, i + 1000))
        .execute();
    after = rows.at(-1)!.id;
  }

  // The calls already linked as repeats are counted on their case's first call.
  const counts = await db
    .selectFrom('demands')
    .select(['case_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('case_id', 'is not', null)
    .groupBy('case_id')
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  for (const c of counts)
    await db
      .updateTable('demands')
      .set({ call_count: Number(c.n) })
      .where('id', '=', c.case_id)
      .execute();

  // What callers say and what the articles call it (knowledge/rules.ts DEFAULT_SYNONYMS), edited by the knowledge group.
  await db.schema
    .createTable('knowledge_synonyms')
    .addColumn('phrase', 'varchar(50)', (c) => c.primaryKey())
    .addColumn('words', 'varchar(200)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db
    .insertInto('knowledge_synonyms')
    .values(DEFAULT_SYNONYMS.map((s) => ({ ...s, updated_at: new Date().toISOString() })))
    .execute();

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
  await db.schema.dropTable('customer_name_grams').execute();
  await db.schema.dropTable('knowledge_synonyms').execute();
  await db.schema.alterTable('units').dropColumn('head_user_id').execute();
  await db.schema.alterTable('tasks').dropColumn('urged_at').execute();
  await db.schema.alterTable('tasks').dropColumn('urge_count').execute();
  await db.schema.alterTable('demands').dropColumn('fault_address').execute();
  await db.schema.alterTable('demands').dropColumn('call_count').execute();
}
