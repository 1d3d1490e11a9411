import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

// Full-text search over demands, on the jieba tokens kept in demands.search_text:
// an FTS5 table on SQLite, a GIN index over the 'simple' tsvector on PostgreSQL.

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`CREATE INDEX demands_search_idx ON demands USING gin (to_tsvector('simple', coalesce(search_text, '')))`.execute(db);
  } else {
    // Contentless: the tokens live in demands.search_text; the index only maps them to rowids (= demand ids).
    await sql`CREATE VIRTUAL TABLE demands_fts USING fts5(tokens, content='', contentless_delete=1)`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await sql`DROP INDEX demands_search_idx`.execute(db);
  else await sql`DROP TABLE demands_fts`.execute(db);
}
