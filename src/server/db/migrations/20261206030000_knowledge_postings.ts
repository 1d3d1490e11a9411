import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

// Knowledge search on PostgreSQL, in the index's own order (issue 14). The GIN
// index over one tsvector answered "which articles have these words" as an
// unordered set: the newest page of a common word meant reading up to a
// thousand matches and weighing each document's parts (14–60 ms at 100,000
// articles). SQLite's FTS5 walks its postings newest first and stops at the
// page's end. article_words is that list on PostgreSQL: one row per word of a
// published article, with the parts it is in (1 the title, 2 the business
// rule, 4 the rest), keyed (word, article_id) so that a word's articles come
// newest first from the key alone; partial indexes hold a word's titles and
// rules apart, so the first tiers never walk the body's matches. The tsvector
// and its GIN index go: nothing reads them any more. SQLite is unchanged.

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`CREATE TABLE article_words (
    word text NOT NULL,
    article_id integer NOT NULL REFERENCES articles(id),
    parts smallint NOT NULL,
    PRIMARY KEY (word, article_id) INCLUDE (parts)
  )`.execute(db);
  // A word's share of the articles varies a thousandfold: the planner needs more than the default 100 of them.
  await sql`ALTER TABLE article_words ALTER COLUMN word SET STATISTICS 1000`.execute(db);
  // The published articles' words, from the words already indexed (knowledge/repository.ts indexArticle does the same for one).
  await sql`INSERT INTO article_words (word, article_id, parts)
    SELECT word, article_id, bit_or(part)::smallint FROM (
      SELECT article_id, unnest(string_to_array(title_tokens, ' ')) AS word, 1 AS part FROM article_search
      UNION ALL SELECT article_id, unnest(string_to_array(rule_tokens, ' ')), 2 FROM article_search
      UNION ALL SELECT article_id, unnest(string_to_array(body_tokens, ' ')), 4 FROM article_search
    ) w WHERE word <> '' GROUP BY word, article_id`.execute(db);
  await sql`CREATE INDEX article_words_title_idx ON article_words (word, article_id) WHERE parts & 1 <> 0`.execute(db);
  await sql`CREATE INDEX article_words_rule_idx ON article_words (word, article_id) WHERE parts & 2 <> 0`.execute(db);
  await sql`CREATE INDEX article_words_article_idx ON article_words (article_id)`.execute(db);
  await sql`ANALYZE article_words`.execute(db);
  await sql`ALTER TABLE article_search DROP COLUMN document`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`DROP TABLE article_words`.execute(db);
  await sql`ALTER TABLE article_search ADD COLUMN document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', title_tokens), 'A') || setweight(to_tsvector('simple', rule_tokens), 'B') || setweight(to_tsvector('simple', body_tokens), 'D')
  ) STORED`.execute(db);
  await sql`CREATE INDEX article_search_idx ON article_search USING gin (document)`.execute(db);
}
