import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';

export interface CustomerQuery {
  phone?: string | undefined;
  accountNo?: string | undefined;
  /** A name's beginning, an account number's or a phone number's. */
  q?: string | undefined;
  unitIds: number[] | undefined;
}

export async function lookupCustomers(db: Kysely<DB>, query: CustomerQuery) {
  return db
    .selectFrom('customers')
    .innerJoin('units', 'units.id', 'customers.unit_id')
    .innerJoin('transformer_districts', 'transformer_districts.id', 'customers.district_id')
    .innerJoin('feeders', 'feeders.id', 'customers.feeder_id')
    .selectAll('customers')
    .select(['units.name as station_name', 'transformer_districts.name as district_name', 'feeders.name as feeder_name'])
    .$if(query.phone !== undefined, (qb) => qb.where('customers.phone', '=', query.phone!))
    .$if(query.accountNo !== undefined, (qb) => qb.where('customers.account_no', '=', query.accountNo!))
    .$if(query.q !== undefined, (qb) => {
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
    .execute();
}

export async function recentDemandsOf(db: Kysely<DB>, customers: { accountNo: string; phone: string }[], since: string) {
  if (customers.length === 0) return [];
  const accounts = customers.map((c) => c.accountNo);
  const phones = customers.map((c) => c.phone);
  const columns = ['id', 'number', 'type', 'category', 'status', 'created_at', 'closed_at', 'account_no', 'phone'] as const;
  const recent = (qb: ReturnType<typeof base>) => qb.where((eb) => eb.or([eb('status', '!=', 'closed'), eb('created_at', '>=', since)]));
  const base = () => db.selectFrom('demands').select(columns);
  const byAccount = await recent(base().where('account_no', 'in', accounts)).orderBy('created_at', 'desc').limit(100).execute();
  const byPhone = await recent(base().where('phone', 'in', phones)).orderBy('created_at', 'desc').limit(100).execute();
  return [...new Map([...byAccount, ...byPhone].map((d) => [d.id, d])).values()].sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
}
