import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';

// The reports' own SQL beyond the rollups (rollup.ts): the customers each
// unit serves, for complaints per 10,000 customers. One grouped read over
// customers_unit_idx (migration 20261209040000), not a scan of the rows.

/** How many customers each unit serves (a customer belongs to its station: customers.unit_id). */
export async function customersByUnit(db: Kysely<DB>): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('customers')
    .select((eb) => ['unit_id', eb.fn.countAll<number | string>().as('n')])
    .groupBy('unit_id')
    .execute();
  return new Map(rows.map((r) => [r.unit_id, Number(r.n)]));
}
