import type { Kysely } from 'kysely';

// Every registration looks for the case the caller already has: the newest
// call of their phone and of their 户号 in a case still open, and the newest on
// the category closed within 30 days (demands/repository.ts, caseCandidates).
// The indexes of migration 20261123050000 held everything the search reads
// except the case the call belongs to, so the call found was read from the
// table, a random page of it (0.15 ms of a registration at 200,000 demands,
// under load). With case_id in the index, the search never leaves it.

const COVERING = ['created_at', 'category', 'status', 'closed_at'];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, key] of [
    ['demands_phone_idx', 'phone'],
    ['demands_account_idx', 'account_no'],
  ] as const) {
    await db.schema.dropIndex(name).execute();
    await db.schema
      .createIndex(name)
      .on('demands')
      .columns([key, ...COVERING, 'case_id'])
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name, key] of [
    ['demands_phone_idx', 'phone'],
    ['demands_account_idx', 'account_no'],
  ] as const) {
    await db.schema.dropIndex(name).execute();
    await db.schema
      .createIndex(name)
      .on('demands')
      .columns([key, ...COVERING])
      .execute();
  }
}
