import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { likeContains } from '../../platform/text.js';

export interface CustomerQuery {
  phone?: string | undefined;
  accountNo?: string | undefined;
  /** A part of a name (two characters or more; one: its beginning), an account number's or a phone number's beginning. */
  q?: string | undefined;
  /** The query's two-character pieces, when it has any. */
  nameGrams?: string[] | undefined;
  unitIds: number[] | undefined;
}

export async function lookupCustomers(db: Kysely<DB>, query: CustomerQuery) {
  return (
    db
      .selectFrom('customers')
      .innerJoin('units', 'units.id', 'customers.unit_id')
      .innerJoin('transformer_districts', 'transformer_districts.id', 'customers.district_id')
      .innerJoin('feeders', 'feeders.id', 'customers.feeder_id')
      .selectAll('customers')
      .select(['units.name as station_name', 'transformer_districts.name as district_name', 'feeders.name as feeder_name'])
      .$if(query.phone !== undefined, (qb) => qb.where('customers.phone', '=', query.phone!))
      .$if(query.accountNo !== undefined, (qb) => qb.where('customers.account_no', '=', query.accountNo!))
      // Two characters or more of a name: any part of it, through the names' two-character pieces (nameGrams).
      .$if(query.q !== undefined && query.nameGrams !== undefined && query.nameGrams.length > 0, (qb) =>
        qb.where((eb) =>
          eb.or([
            eb.and([
              eb(
                'customers.id',
                'in',
                eb
                  .selectFrom('customer_name_grams')
                  .select('customer_name_grams.customer_id')
                  .where('customer_name_grams.gram', 'in', query.nameGrams!)
                  .groupBy('customer_name_grams.customer_id')
                  .having((h) => h.fn.count('customer_name_grams.gram'), '=', query.nameGrams!.length),
              ),
              likeContains('customers.name', query.q!),
            ]),
            eb.and([eb('customers.account_no', '>=', query.q!), eb('customers.account_no', '<', query.q! + '\uffff')]),
            eb.and([eb('customers.phone', '>=', query.q!), eb('customers.phone', '<', query.q! + '\uffff')]),
          ]),
        ),
      )
      .$if(query.q !== undefined && (query.nameGrams === undefined || query.nameGrams.length === 0), (qb) => {
        // Prefix ranges use the indexes on both databases, unlike LIKE on SQLite.
        const q = query.q!;
        const end = q + '\uffff';
        return qb.where((eb) =>
          eb.or([
            eb.and([eb('customers.name', '>=', q), eb('customers.name', '<', end)]),
            eb.and([eb('customers.account_no', '>=', q), eb('customers.account_no', '<', end)]),
            eb.and([eb('customers.phone', '>=', q), eb('customers.phone', '<', end)]),
          ]),
        );
      })
      .$if(query.unitIds !== undefined, (qb) => qb.where('customers.unit_id', 'in', query.unitIds!.length > 0 ? query.unitIds! : [-1]))
      .orderBy('customers.name')
      .limit(20)
      .execute()
  );
}

/**
 * The customers' cases (their first calls) with a call by one of these 户号 or
 * phones open or made since `since`, newest call first: a case of seven calls
 * is one entry, with its call count, and a call joined to another customer's
 * case (a phone shared in a family) brings that case. `key` says whose it is.
 */
export async function recentCasesOf(db: Kysely<DB>, customers: { accountNo: string; phone: string }[], since: string, unitIds: number[] | undefined) {
  if (customers.length === 0) return [];
  const accounts = customers.map((c) => c.accountNo);
  const phones = customers.map((c) => c.phone);
  const columns = ['id', 'case_id', 'created_at', 'account_no', 'phone'] as const;
  const recent = (qb: ReturnType<typeof base>) => qb.where((eb) => eb.or([eb('status', '!=', 'closed'), eb('created_at', '>=', since)]));
  const base = () => db.selectFrom('demands').select(columns);
  const byAccount = await recent(base().where('account_no', 'in', accounts))
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
  const byPhone = await recent(base().where('phone', 'in', phones))
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
  const calls = [...new Map([...byAccount, ...byPhone].map((d) => [d.id, d])).values()].sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
  if (calls.length === 0) return [];
  const heads = new Map(
    (
      await db
        .selectFrom('demands')
        .select(['id', 'number', 'type', 'category', 'status', 'call_count', 'created_at', 'closed_at'])
        .where('id', 'in', [...new Set(calls.map((c) => c.case_id ?? c.id))])
        // A handler sees the cases their units handle: one of its calls is theirs, or one of its orders.
        .$if(unitIds !== undefined, (q) => {
          const units = unitIds!.length > 0 ? unitIds! : [-1];
          return q.where((eb) =>
            eb.or([
              eb(
                'id',
                'in',
                eb
                  .selectFrom('demands as c')
                  .select('c.case_id')
                  .where('c.unit_id', 'in', units)
                  .where('c.case_id', 'in', [...new Set(calls.map((c) => c.case_id ?? c.id))]),
              ),
              eb('id', 'in', eb.selectFrom('tasks').select('tasks.demand_id').where('tasks.unit_id', 'in', units)),
            ]),
          );
        })
        .execute()
    ).map((h) => [h.id, h]),
  );
  // One entry per customer and case, at the place of the case's newest call.
  return calls.flatMap((call) => {
    const head = heads.get(call.case_id ?? call.id);
    return head ? [{ ...head, lastCallAt: call.created_at, account_no: call.account_no, phone: call.phone }] : [];
  });
}

/** 台区 and feeders whose name holds the words, with the station a repair there goes to (a feeder's: the station of its first 台区). */
export async function placesByName(db: Kysely<DB>, q: string, limit: number) {
  const districts = await db
    .selectFrom('transformer_districts as t')
    .innerJoin('feeders as f', 'f.id', 't.feeder_id')
    .innerJoin('units as u', 'u.id', 't.unit_id')
    .select(['t.id', 't.name', 't.unit_id as station_id', 'u.name as station_name', 'f.name as feeder_name'])
    .where(likeContains('t.name', q))
    .orderBy('t.name')
    .limit(limit)
    .execute();
  const feeders = await db
    .selectFrom('feeders as f')
    .select((eb) => [
      'f.id',
      'f.name',
      eb.selectFrom('transformer_districts as t').select('t.unit_id').whereRef('t.feeder_id', '=', 'f.id').orderBy('t.id').limit(1).as('station_id'),
    ])
    .where(likeContains('f.name', q))
    .orderBy('f.name')
    .limit(limit)
    .execute();
  return { districts, feeders };
}

/** The station a repair at this 台区 or feeder goes to. */
export async function stationOfPlace(
  db: Kysely<DB>,
  place: { districtId?: number | undefined; feederId?: number | undefined },
): Promise<{ stationId: number; districtId: number | null; feederId: number } | undefined> {
  if (place.districtId !== undefined) {
    const t = await db.selectFrom('transformer_districts').select(['unit_id', 'feeder_id']).where('id', '=', place.districtId).executeTakeFirst();
    return t && { stationId: t.unit_id, districtId: place.districtId, feederId: t.feeder_id };
  }
  if (place.feederId !== undefined) {
    const t = await db.selectFrom('transformer_districts').select('unit_id').where('feeder_id', '=', place.feederId).orderBy('id').limit(1).executeTakeFirst();
    return t && { stationId: t.unit_id, districtId: null, feederId: place.feederId };
  }
  return undefined;
}

/** Indexes the names of the customers not indexed yet (those after the last one indexed), a batch at a time. */
export async function indexCustomerNames(db: Kysely<DB>, grams: (name: string) => string[]): Promise<number> {
  const last = await db
    .selectFrom('customer_name_grams')
    .select((eb) => eb.fn.max('customer_id').as('id'))
    .executeTakeFirst();
  let after = Number(last?.id ?? 0);
  let indexed = 0;
  for (;;) {
    const rows = await db.selectFrom('customers').select(['id', 'name']).where('id', '>', after).orderBy('id').limit(5000).execute();
    if (rows.length === 0) return indexed;
    const values = rows.flatMap((r) => grams(r.name).map((gram) => ({ gram, customer_id: r.id })));
    for (let i = 0; i < values.length; i += 1000)
      await db
        .insertInto('customer_name_grams')
        .values(values.slice(i, i + 1000))
        .execute();
    indexed += rows.length;
    after = rows.at(-1)!.id;
  }
}

export async function findMessaging(db: Kysely<DB>, id: number) {
  return db.selectFrom('customers').select(['id', 'unit_id', 'message_channel', 'email', 'messages_opt_out']).where('id', '=', id).executeTakeFirst();
}

export async function setMessaging(
  db: Kysely<DB>,
  id: number,
  change: { message_channel: string; email: string | null; messages_opt_out: 0 | 1 },
  at: string,
): Promise<void> {
  await db
    .updateTable('customers')
    .set({ ...change, updated_at: at })
    .where('id', '=', id)
    .execute();
}

// ── the customer record (issue 17) ─────────────────────────────────────────

/** A customer with their place in the network (station, its county, feeder, 台区) and their account manager. */
export async function findCustomerRecord(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('customers as c')
    .innerJoin('units as s', 's.id', 'c.unit_id')
    .leftJoin('units as county', 'county.id', 's.parent_id')
    .innerJoin('transformer_districts as t', 't.id', 'c.district_id')
    .innerJoin('feeders as f', 'f.id', 'c.feeder_id')
    .leftJoin('users as m', 'm.id', 'c.account_manager_id')
    .selectAll('c')
    .select([
      's.name as station_name',
      'county.id as county_id',
      'county.name as county_name',
      't.name as district_name',
      'f.name as feeder_name',
      'm.name as manager_name',
      'm.phone as manager_phone',
    ])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export async function contactsOf(db: Kysely<DB>, customerId: number) {
  return db.selectFrom('customer_contacts').selectAll().where('customer_id', '=', customerId).orderBy('id').execute();
}

export async function replaceContacts(
  db: Kysely<DB>,
  customerId: number,
  contacts: { name: string; role: string; phone: string; email?: string | null | undefined; note?: string | null | undefined }[],
  at: string,
): Promise<void> {
  await db.deleteFrom('customer_contacts').where('customer_id', '=', customerId).execute();
  if (contacts.length > 0)
    await db
      .insertInto('customer_contacts')
      .values(
        contacts.map((c) => ({
          customer_id: customerId,
          name: c.name,
          role: c.role,
          phone: c.phone,
          email: c.email ?? null,
          note: c.note ?? null,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
}

/** The customer's monthly consumption from `fromMonth` on, and their yearly sums. */
export async function consumptionOf(db: Kysely<DB>, customerId: number, fromMonth: string) {
  const months = await db
    .selectFrom('consumption')
    .select(['month', 'kwh'])
    .where('customer_id', '=', customerId)
    .where('month', '>=', fromMonth)
    .orderBy('month')
    .execute();
  const years = await db.selectFrom('consumption_years').select(['year', 'kwh', 'months']).where('customer_id', '=', customerId).orderBy('year').execute();
  return { months, years };
}

const RECORD_DEMAND_COLUMNS = [
  'id',
  'number',
  'channel',
  'type',
  'category',
  'status',
  'created_at',
  'closed_at',
  'case_id',
  'call_count',
  'account_no',
] as const;

/**
 * The customer's demands (by their 户号) and the calls from their phone that
 * were not theirs by 户号 (no 户号 given, or another's: before they were
 * known), newest first; each through its index (demands_account_idx,
 * demands_phone_idx).
 */
export async function demandsOfCustomer(db: Kysely<DB>, accountNo: string, phone: string, limit: number) {
  const own = await db
    .selectFrom('demands')
    .select(RECORD_DEMAND_COLUMNS)
    .where('account_no', '=', accountNo)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  const byPhone = await db
    .selectFrom('demands')
    .select(RECORD_DEMAND_COLUMNS)
    .where('phone', '=', phone)
    .where((eb) => eb.or([eb('account_no', 'is', null), eb('account_no', '!=', accountNo)]))
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return { own, byPhone };
}

/** The outages that cut the customer: named, or over their 台区 or feeder. */
export async function outagesOfCustomer(db: Kysely<DB>, customer: { id: number; district_id: number; feeder_id: number }, limit: number) {
  return db
    .selectFrom('outage_scopes as s')
    .innerJoin('outages as o', 'o.id', 's.outage_id')
    .select(['o.id', 'o.number', 'o.kind', 'o.status', 'o.cause', 'o.starts_at', 'o.expected_end_at', 'o.restored_at', 's.kind as scope'])
    .where((eb) =>
      eb.or([
        eb.and([eb('s.kind', '=', 'customer'), eb('s.ref_id', '=', customer.id)]),
        eb.and([eb('s.kind', '=', 'district'), eb('s.ref_id', '=', customer.district_id)]),
        eb.and([eb('s.kind', '=', 'feeder'), eb('s.ref_id', '=', customer.feeder_id)]),
      ]),
    )
    .orderBy('o.starts_at', 'desc')
    .limit(limit)
    .execute();
}

/** The customer's own plans and the standing plans of their groups, with the actions that concern them. */
export async function plansOfCustomer(db: Kysely<DB>, customerId: number, segments: string[]) {
  const plans = await db
    .selectFrom('service_plans')
    .select(['id', 'customer_id', 'kind', 'segment', 'title', 'status', 'reason', 'created_at'])
    .where((eb) =>
      eb.or([
        eb('customer_id', '=', customerId),
        ...(segments.length > 0 ? [eb.and([eb('customer_id', 'is', null), eb('segment', 'in', segments), eb('kind', '=', 'standing')])] : []),
      ]),
    )
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
  const actions =
    plans.length === 0
      ? []
      : await db
          .selectFrom('relation_actions as a')
          .innerJoin('users as u', 'u.id', 'a.owner_user_id')
          .select(['a.id', 'a.plan_id', 'a.text', 'a.due_on', 'a.status', 'u.name as owner_name'])
          .where(
            'a.plan_id',
            'in',
            plans.map((p) => p.id),
          )
          .where((eb) => eb.or([eb('a.customer_id', 'is', null), eb('a.customer_id', '=', customerId)]))
          .orderBy('a.due_on')
          .limit(500)
          .execute();
  return { plans, actions };
}

export async function activitiesOfCustomer(db: Kysely<DB>, customerId: number) {
  return db
    .selectFrom('activity_customers as ac')
    .innerJoin('activities as a', 'a.id', 'ac.activity_id')
    .select(['a.id', 'a.kind', 'a.held_on', 'a.topic', 'a.outcome', 'a.place'])
    .where('ac.customer_id', '=', customerId)
    .orderBy('a.held_on', 'desc')
    .orderBy('a.id', 'desc')
    .limit(100)
    .execute();
}

export async function applicationsOfCustomer(db: Kysely<DB>, customerId: number) {
  return db
    .selectFrom('applications')
    .select(['id', 'number', 'kind', 'capacity_kva', 'voltage', 'status', 'stage', 'stage_due_at', 'created_at'])
    .where('customer_id', '=', customerId)
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
}

export async function setAccountManager(db: Kysely<DB>, customerId: number, userId: number | null, at: string): Promise<void> {
  await db.updateTable('customers').set({ account_manager_id: userId, updated_at: at }).where('id', '=', customerId).execute();
}

/** A user, with whether they hold a role. */
export async function userWithRole(db: Kysely<DB>, userId: number, role: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('user_roles as r', (j) => j.onRef('r.user_id', '=', 'u.id').on('r.role', '=', role))
    .select(['u.id', 'u.name', 'u.phone', 'u.active', 'r.role'])
    .where('u.id', '=', userId)
    .executeTakeFirst();
}

/** The active account managers, with how many customers each owns. */
export async function accountManagers(db: Kysely<DB>) {
  return db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', (j) => j.onRef('r.user_id', '=', 'u.id').on('r.role', '=', 'account_manager'))
    .innerJoin('units as unit', 'unit.id', 'u.unit_id')
    .select((eb) => [
      'u.id',
      'u.name',
      'u.phone',
      'unit.name as unit_name',
      eb
        .selectFrom('customers as c')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('c.account_manager_id', '=', 'u.id')
        .as('accounts'),
    ])
    .where('u.active', '=', 1)
    .orderBy('u.id')
    .execute();
}

// ── consumption and key accounts ───────────────────────────────────────────

/** Customers' ids by 户号, read a chunk at a time. */
export async function customerIdsByAccount(db: Kysely<DB>, accountNos: string[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const unique = [...new Set(accountNos)];
  for (let i = 0; i < unique.length; i += 5000) {
    const rows = await db
      .selectFrom('customers')
      .select(['id', 'account_no'])
      .where('account_no', 'in', unique.slice(i, i + 5000))
      .execute();
    for (const r of rows) ids.set(r.account_no, r.id);
  }
  return ids;
}

export async function insertConsumptionImport(
  db: Kysely<DB>,
  row: { file_name: string | null; rows: number; first_month: string; last_month: string; imported_by: number | null; imported_at: string },
): Promise<number> {
  const r = await db.insertInto('consumption_imports').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

/** The months, a batch at a time; a month already imported for the customer is replaced. */
export async function upsertConsumption(db: Kysely<DB>, rows: { customer_id: number; month: string; kwh: number }[], importId: number): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    await db
      .insertInto('consumption')
      .values(rows.slice(i, i + 2000).map((r) => ({ ...r, import_id: importId })))
      .onConflict((oc) => oc.columns(['customer_id', 'month']).doUpdateSet((eb) => ({ kwh: eb.ref('excluded.kwh'), import_id: eb.ref('excluded.import_id') })))
      .execute();
  }
}

/** Each customer's sum of the year again from their months (the import's transaction keeps consumption_years true). */
export async function recomputeYears(db: Kysely<DB>, year: number, customerIds: number[]): Promise<void> {
  for (let i = 0; i < customerIds.length; i += 2000) {
    const chunk = customerIds.slice(i, i + 2000);
    await db.deleteFrom('consumption_years').where('year', '=', year).where('customer_id', 'in', chunk).execute();
    await db
      .insertInto('consumption_years')
      .columns(['customer_id', 'year', 'kwh', 'months'])
      .expression(
        db
          .selectFrom('consumption')
          .select((eb) => ['customer_id', eb.val(year).as('year'), eb.fn.sum<number>('kwh').as('kwh'), eb.fn.countAll<number>().as('months')])
          .where('customer_id', 'in', chunk)
          .where('month', '>=', `${year}-01`)
          .where('month', '<=', `${year}-12`)
          .groupBy('customer_id'),
      )
      .execute();
  }
}

/** The years with imported consumption. */
export async function consumptionYears(db: Kysely<DB>): Promise<{ year: number; months: number }[]> {
  const rows = await db.selectFrom('consumption_imports').select(['first_month', 'last_month']).execute();
  // The months the imports covered (each import's first to last month), by year.
  const months = new Map<number, Set<string>>();
  for (const r of rows)
    for (let m = r.first_month; m <= r.last_month; m = nextMonth(m)) {
      const year = Number(m.slice(0, 4));
      if (!months.has(year)) months.set(year, new Set());
      months.get(year)!.add(m);
    }
  return [...months].map(([year, set]) => ({ year, months: set.size })).sort((a, b) => a.year - b.year);
}

const nextMonth = (m: string): string => {
  const [y, mo] = [Number(m.slice(0, 4)), Number(m.slice(5, 7))];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

/** The year's total and the number of customers with consumption in it (one aggregate over consumption_years). */
export async function yearTotal(db: Kysely<DB>, year: number): Promise<{ kwh: number; customers: number }> {
  const r = await db
    .selectFrom('consumption_years')
    .select((eb) => [eb.fn.sum<number>('kwh').as('kwh'), eb.fn.countAll<number>().as('n')])
    .where('year', '=', year)
    .executeTakeFirst();
  return { kwh: Number(r?.kwh ?? 0), customers: Number(r?.n ?? 0) };
}

/** The year's largest customers, largest first (consumption_years_rank_idx). */
export async function largestOfYear(db: Kysely<DB>, year: number, top: number) {
  return db
    .selectFrom('consumption_years as y')
    .innerJoin('customers as c', 'c.id', 'y.customer_id')
    .leftJoin('users as m', 'm.id', 'c.account_manager_id')
    .select([
      'y.customer_id',
      'y.kwh',
      'c.account_no',
      'c.name',
      'c.customer_class',
      'c.important',
      'c.unit_id',
      'c.account_manager_id',
      'm.name as manager_name',
    ])
    .where('y.year', '=', year)
    .orderBy('y.kwh', 'desc')
    .orderBy('y.customer_id')
    .limit(top)
    .execute();
}

/** customers.key_account and key_account_rank as the ranking says: the ranked customers marked, everyone else not. */
export async function markKeyAccounts(db: Kysely<DB>, ranked: { customerId: number; rank: number }[], at: string): Promise<void> {
  const ids = ranked.map((r) => r.customerId);
  await db
    .updateTable('customers')
    .set({ key_account: 0, key_account_rank: null, updated_at: at })
    .where('key_account', '=', 1)
    .$if(ids.length > 0, (q) => q.where('id', 'not in', ids))
    .execute();
  for (const r of ranked)
    await db.updateTable('customers').set({ key_account: 1, key_account_rank: r.rank, updated_at: at }).where('id', '=', r.customerId).execute();
}

// ── the account manager's desk ─────────────────────────────────────────────

export async function accountsOf(db: Kysely<DB>, managerId: number, year: number) {
  return db
    .selectFrom('customers as c')
    .leftJoin('consumption_years as y', (j) => j.onRef('y.customer_id', '=', 'c.id').on('y.year', '=', year))
    .select(['c.id', 'c.account_no', 'c.name', 'c.phone', 'c.customer_class', 'c.important', 'c.key_account', 'c.key_account_rank', 'y.kwh'])
    .where('c.account_manager_id', '=', managerId)
    .orderBy('y.kwh', 'desc')
    .orderBy('c.id')
    .limit(1000)
    .execute();
}

/** The open cases (first calls) of these 户号, with their earliest open time limit. */
export async function openDemandsOf(db: Kysely<DB>, accountNos: string[]) {
  if (accountNos.length === 0) return [];
  return db
    .selectFrom('demands as d')
    .select((eb) => [
      'd.id',
      'd.number',
      'd.type',
      'd.category',
      'd.status',
      'd.account_no',
      'd.created_at',
      eb
        .selectFrom('deadlines as dl')
        .select((e) => e.fn.min('dl.due_at').as('due'))
        .whereRef('dl.demand_id', '=', 'd.id')
        .where('dl.met_at', 'is', null)
        .where('dl.cancelled_at', 'is', null)
        .as('due_at'),
    ])
    .where('d.account_no', 'in', accountNos)
    .where('d.status', '!=', 'closed')
    .where('d.repeat_of', 'is', null)
    .orderBy('d.created_at', 'desc')
    .limit(500)
    .execute();
}

export async function openApplicationsOf(db: Kysely<DB>, managerId: number, customerIds: number[]) {
  return db
    .selectFrom('applications as a')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .select(['a.id', 'a.number', 'a.customer_id', 'c.name as customer_name', 'a.stage', 'a.stage_due_at'])
    .where('a.status', '=', 'open')
    .where((eb) => eb.or([eb('a.account_manager_id', '=', managerId), ...(customerIds.length > 0 ? [eb('a.customer_id', 'in', customerIds)] : [])]))
    .orderBy('a.stage_due_at')
    .limit(500)
    .execute();
}

export async function actionsDueOf(db: Kysely<DB>, userId: number, untilDay: string) {
  return db
    .selectFrom('relation_actions as a')
    .leftJoin('customers as c', 'c.id', 'a.customer_id')
    .select(['a.id', 'a.text', 'a.due_on', 'a.customer_id', 'c.name as customer_name', 'a.plan_id', 'a.activity_id'])
    .where('a.owner_user_id', '=', userId)
    .where('a.status', '=', 'open')
    .where('a.due_on', '<=', untilDay)
    .orderBy('a.due_on')
    .limit(500)
    .execute();
}
