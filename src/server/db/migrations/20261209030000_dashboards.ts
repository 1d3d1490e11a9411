import { sql, type Kysely } from 'kysely';

// The staff figures (issue 18, GET /api/reports/staff): a handler's month is
// the work orders they handled in it. Without this index a month of handled
// orders meant reading every order ever made; with it, a range of the month's
// handled ones (null while an order is open: those are left out of the index).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('tasks_handled_idx').on('tasks').columns(['handled_at', 'assignee_id']).where(sql.ref('handled_at'), 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tasks_handled_idx').execute();
}
