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
