import type { Kysely } from 'kysely';

// The standard reports (issue 18): complaints per 10,000 customers count each
// unit's customers, a grouped read that this index answers without the rows.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('customers_unit_idx').on('customers').column('unit_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('customers_unit_idx').execute();
}
