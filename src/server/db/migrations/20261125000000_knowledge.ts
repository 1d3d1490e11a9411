import { sql, type Kysely } from 'kysely';
import { isPostgres, withId } from './helpers.js';

// The knowledge base (DESIGN.md, "Knowledge base"): articles in the six-section
// template, every version kept with its review, and the search index of the
// published versions (jieba tokens; FTS5 on SQLite, a weighted tsvector on
// PostgreSQL). A published article stays live while its revision is reviewed.

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('articles'))
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('category', 'varchar(32)', (c) => c.notNull())
    .addColumn('audience', 'varchar(16)', (c) => c.notNull())
    .addColumn('owner_unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('published_version_id', 'integer')
    .addColumn('published_at', 'varchar(32)')
    .addColumn('revision_due_at', 'varchar(32)')
    .addColumn('use_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('articles_due_idx').on('articles').column('revision_due_at').execute();

  await withId(db, db.schema.createTable('article_versions'))
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('category', 'varchar(32)', (c) => c.notNull())
    .addColumn('tags_json', 'text', (c) => c.notNull())
    .addColumn('audience', 'varchar(16)', (c) => c.notNull())
    .addColumn('sections_json', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('submitted_at', 'varchar(32)')
    .addColumn('reviewer_id', 'integer', (c) => c.references('users.id'))
    .addColumn('reviewed_at', 'varchar(32)')
    .addColumn('review_comment', 'text')
    .addColumn('published_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('article_versions_idx').on('article_versions').columns(['article_id', 'number']).unique().execute();

  await db.schema
    .createTable('article_tags')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id'))
    .addColumn('tag', 'varchar(64)', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_tags_pk', ['article_id', 'tag'])
    .execute();
  await db.schema.createIndex('article_tags_tag_idx').on('article_tags').columns(['tag', 'article_id']).execute();

  // The published versions' words: the title and the rule weigh more than the rest.
  if (isPostgres(db)) {
    await sql`CREATE TABLE article_search (
      article_id integer PRIMARY KEY REFERENCES articles(id),
      title_tokens text NOT NULL,
      rule_tokens text NOT NULL,
      body_tokens text NOT NULL,
      document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_tokens), 'A') || setweight(to_tsvector('simple', rule_tokens), 'B') || setweight(to_tsvector('simple', body_tokens), 'D')
      ) STORED
    )`.execute(db);
    await sql`CREATE INDEX article_search_idx ON article_search USING gin (document)`.execute(db);
  } else {
    await sql`CREATE VIRTUAL TABLE article_search USING fts5(title_tokens, rule_tokens, body_tokens, content='', contentless_delete=1)`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE article_search`.execute(db);
  for (const table of ['article_tags', 'article_versions', 'articles']) await db.schema.dropTable(table).execute();
}
