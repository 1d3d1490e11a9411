import type { Kysely } from 'kysely';

// The yearly revision's notices (滚动修编): the knowledge group is told a month
// before an article falls due and again when it is overdue. Each column holds
// the due date it was told about, so a notice goes out once per due date, and
// again after the next publication moves the date.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('articles').addColumn('revision_warned_for', 'varchar(32)').execute();
  await db.schema.alterTable('articles').addColumn('revision_overdue_for', 'varchar(32)').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('articles').dropColumn('revision_overdue_for').execute();
  await db.schema.alterTable('articles').dropColumn('revision_warned_for').execute();
}
