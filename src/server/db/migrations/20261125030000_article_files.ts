import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

// The attachments of the knowledge base (相关文件: PDF, Word, images) and the
// real demands an article cites as its cases (实际案例). A file's bytes live on
// disk under SUQIU_DATA_DIR, named by their SHA-256; the row says what they are.
// Each version lists its own files and cases, so a revision can change them
// while the published version keeps what it had.

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('article_files'))
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('content_type', 'varchar(100)', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('uploaded_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('article_version_files')
    .addColumn('version_id', 'integer', (c) => c.notNull().references('article_versions.id'))
    .addColumn('file_id', 'integer', (c) => c.notNull().references('article_files.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_version_files_pk', ['version_id', 'file_id'])
    .execute();
  await db.schema.createIndex('article_version_files_file_idx').on('article_version_files').column('file_id').execute();

  await db.schema
    .createTable('article_version_cases')
    .addColumn('version_id', 'integer', (c) => c.notNull().references('article_versions.id'))
    .addColumn('demand_id', 'integer', (c) => c.notNull().references('demands.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_version_cases_pk', ['version_id', 'demand_id'])
    .execute();
  await db.schema.createIndex('article_version_cases_demand_idx').on('article_version_cases').column('demand_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['article_version_cases', 'article_version_files', 'article_files']) await db.schema.dropTable(table).execute();
}
