import type { Kysely } from 'kysely';
import type { DB } from './types.js';

/**
 * The next value of a named counter (1 the first time), inside the caller's
 * transaction: an outage's or an application's sequence of the day
 * (`outage:2026-12-06`). The upsert takes the row's lock, so two transactions
 * never get the same value.
 */
export async function nextCounter(db: Kysely<DB>, name: string): Promise<number> {
  await db
    .insertInto('counters')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .execute();
  const row = await db.selectFrom('counters').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
