import type { Kysely } from 'kysely';

// Which demands an article helped answer (the agent links the articles used):
// an article shows how often it was used and where.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('demand_articles')
    .addColumn('demand_id', 'integer', (c) => c.notNull().references('demands.id'))
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id'))
    .addColumn('linked_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('linked_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('demand_articles_pk', ['demand_id', 'article_id'])
    .execute();
  await db.schema.createIndex('demand_articles_article_idx').on('demand_articles').columns(['article_id', 'linked_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('demand_articles').execute();
}
