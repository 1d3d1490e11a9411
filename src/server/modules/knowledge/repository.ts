import { sql, type Kysely, type Updateable } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { ArticleTable, ArticleVersionTable, DB } from '../../db/types.js';
import { ftsPhrase } from '../../platform/text.js';

// The knowledge base's tables: the only place of this module that builds SQL.

export async function insertArticle(
  db: Kysely<DB>,
  row: { title: string; category: string; audience: string; owner_unit_id: number; created_by: number; created_at: string; updated_at: string },
): Promise<number> {
  return (await db.insertInto('articles').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertVersion(
  db: Kysely<DB>,
  row: Omit<ArticleVersionTable, 'id' | 'submitted_at' | 'reviewer_id' | 'reviewed_at' | 'review_comment' | 'published_at'>,
): Promise<number> {
  return (await db.insertInto('article_versions').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function findArticle(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('articles')
    .innerJoin('units', 'units.id', 'articles.owner_unit_id')
    .selectAll('articles')
    .select('units.name as owner_unit_name')
    .where('articles.id', '=', id)
    .executeTakeFirst();
}
export type ArticleRow = NonNullable<Awaited<ReturnType<typeof findArticle>>>;

const versionColumns = (db: Kysely<DB>) =>
  db
    .selectFrom('article_versions')
    .innerJoin('users as author', 'author.id', 'article_versions.author_id')
    .leftJoin('users as reviewer', 'reviewer.id', 'article_versions.reviewer_id')
    .selectAll('article_versions')
    .select(['author.name as author_name', 'reviewer.name as reviewer_name']);
export type VersionRow = Awaited<ReturnType<typeof versionsOf>>[number];

export async function versionsOf(db: Kysely<DB>, articleId: number) {
  return versionColumns(db).where('article_versions.article_id', '=', articleId).orderBy('article_versions.number').execute();
}

export async function findVersion(db: Kysely<DB>, id: number) {
  return versionColumns(db).where('article_versions.id', '=', id).executeTakeFirst();
}

/** The version being written or reviewed: the newest that is not approved, if it is newer than the published one. */
export async function openVersionOf(db: Kysely<DB>, articleId: number) {
  return versionColumns(db)
    .where('article_versions.article_id', '=', articleId)
    .where('article_versions.status', 'in', ['draft', 'submitted', 'rejected'])
    .orderBy('article_versions.number', 'desc')
    .executeTakeFirst();
}

/** Changes the version only while it is in `from`: false when someone moved it meanwhile. */
export async function updateVersion(db: Kysely<DB>, id: number, from: readonly string[], changes: Updateable<ArticleVersionTable>): Promise<boolean> {
  const result = await db
    .updateTable('article_versions')
    .set(changes)
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Changes the article only if nobody changed it since `version`. */
export async function updateArticle(db: Kysely<DB>, id: number, version: number, changes: Updateable<ArticleTable>): Promise<boolean> {
  const result = await db
    .updateTable('articles')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setTags(db: Kysely<DB>, articleId: number, tags: readonly string[]): Promise<void> {
  await db.deleteFrom('article_tags').where('article_id', '=', articleId).execute();
  const unique = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
  if (unique.length > 0)
    await db
      .insertInto('article_tags')
      .values(unique.map((tag) => ({ article_id: articleId, tag })))
      .execute();
}

export interface ArticleFilter {
  ids?: readonly number[];
  category?: string;
  /** Only published articles (what agents read). */
  publishedOnly?: boolean;
  /** The revision clock: published articles due before this moment. */
  dueBefore?: string;
  /** Articles whose open version is in this state (the review queue). */
  openStatus?: string;
}

export async function listArticles(db: Kysely<DB>, f: ArticleFilter, limit: number) {
  let q = db.selectFrom('articles').innerJoin('units', 'units.id', 'articles.owner_unit_id').selectAll('articles').select('units.name as owner_unit_name');
  if (f.ids) q = f.ids.length === 0 ? q.where(sql<boolean>`1 = 0`) : q.where('articles.id', 'in', [...f.ids]);
  if (f.category) q = q.where('articles.category', '=', f.category);
  if (f.publishedOnly) q = q.where('articles.published_version_id', 'is not', null);
  if (f.dueBefore) q = q.where('articles.revision_due_at', '<', f.dueBefore);
  if (f.openStatus) {
    const status = f.openStatus;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('article_versions')
          .select('id')
          .whereRef('article_versions.article_id', '=', 'articles.id')
          .where('article_versions.status', '=', status),
      ),
    );
  }
  return q
    .orderBy(f.dueBefore ? 'articles.revision_due_at' : 'articles.updated_at', f.dueBefore ? 'asc' : 'desc')
    .limit(limit)
    .execute();
}

export async function tagsOf(db: Kysely<DB>, articleIds: readonly number[]): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>();
  if (articleIds.length === 0) return map;
  const rows = await db
    .selectFrom('article_tags')
    .select(['article_id', 'tag'])
    .where('article_id', 'in', [...articleIds])
    .orderBy('tag')
    .execute();
  for (const r of rows) map.set(r.article_id, [...(map.get(r.article_id) ?? []), r.tag]);
  return map;
}

// ── the search index ───────────────────────────────────────────────────────

export interface SearchTokens {
  title: string;
  rule: string;
  body: string;
}

/** Puts the published version's words of the article in the index (replacing what was there). */
export async function indexArticle(db: Kysely<DB>, dialect: Dialect, articleId: number, tokens: SearchTokens): Promise<void> {
  if (dialect === 'postgres') {
    await sql`INSERT INTO article_search (article_id, title_tokens, rule_tokens, body_tokens) VALUES (${articleId}, ${tokens.title}, ${tokens.rule}, ${tokens.body})
      ON CONFLICT (article_id) DO UPDATE SET title_tokens = excluded.title_tokens, rule_tokens = excluded.rule_tokens, body_tokens = excluded.body_tokens`.execute(
      db,
    );
    // Each word once, with the parts it is in (migration 20261206030000_knowledge_postings).
    await sql`DELETE FROM article_words WHERE article_id = ${articleId}`.execute(db);
    await sql`INSERT INTO article_words (word, article_id, parts)
      SELECT word, ${articleId}::integer, bit_or(part)::smallint FROM (
        SELECT unnest(string_to_array(${tokens.title}::text, ' ')) AS word, 1 AS part
        UNION ALL SELECT unnest(string_to_array(${tokens.rule}::text, ' ')), 2
        UNION ALL SELECT unnest(string_to_array(${tokens.body}::text, ' ')), 4
      ) w WHERE word <> '' GROUP BY word`.execute(db);
  } else {
    await sql`DELETE FROM article_search WHERE rowid = ${articleId}`.execute(db);
    await sql`INSERT INTO article_search (rowid, title_tokens, rule_tokens, body_tokens) VALUES (${articleId}, ${tokens.title}, ${tokens.rule}, ${tokens.body})`.execute(
      db,
    );
  }
}

export interface SearchFilter {
  category?: string | undefined;
  tag?: string | undefined;
  audience?: string | undefined;
}

const filters = (f: SearchFilter) =>
  sql`${f.category ? sql`AND a.category = ${f.category}` : sql``} ${f.audience ? sql`AND a.audience = ${f.audience}` : sql``} ${
    f.tag ? sql`AND EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND t.tag = ${f.tag})` : sql``
  }`;

/** Matches are counted up to this many: enough for "超过 1000 条", without walking a common word's whole list. */
export const SEARCH_COUNT_CAP = 1000;

/** The tiers of relevance, best first: every word in the title, in the business rule, in the rest, anywhere. */
const TIERS = ['title', 'rule', 'body', 'any'] as const;

/**
 * The published articles that have every word of the query, ranked by where
 * the words are: the title first, then the business rule, then the rest (and
 * last, the words spread over several parts); within a tier the newest first.
 * Each tier is read in the index's own order and stops at the page's end, so a
 * word in 80,000 articles costs what a rare one does (bm25 would score them
 * all). Every word, not the phrase: a document is indexed with its words and
 * sub-words (峰谷 分时 电价 分时电价), so the query's words (峰谷 分时电价) need
 * not stand next to each other in the index. The score is the tier (4 to 1).
 */
export async function searchIndex(
  db: Kysely<DB>,
  dialect: Dialect,
  words: readonly string[],
  f: SearchFilter,
  limit: number,
): Promise<{ hits: { id: number; score: number }[]; total: number; totalCapped: boolean }> {
  if (words.length === 0) return { hits: [], total: 0, totalCapped: false };
  const found = new Map<number, number>();
  let count: number;
  if (dialect === 'postgres') {
    // article_words (migration 20261206030000_knowledge_postings): each tier walks the first
    // word's articles newest first, in the title's or the rule's own index for the first two,
    // looks each up under the other words, and stops at the page's end, as FTS5 does below.
    const distinct = [...new Set(words)];
    const hasFilters = Boolean(f.category || f.tag || f.audience);
    /** The articles with every word, in the parts of `mask` (a constant: it picks the partial index), newest first. */
    const matching = (mask: number | null) => {
      const inParts = (alias: string) => (mask === null ? sql`` : sql`AND ${sql.ref(`${alias}.parts`)} & ${sql.lit(mask)} <> 0`);
      const others = distinct
        .slice(1)
        .map(
          (w, i) =>
            sql`JOIN article_words ${sql.ref(`p${i + 1}`)} ON ${sql.ref(`p${i + 1}.word`)} = ${w} AND ${sql.ref(`p${i + 1}.article_id`)} = p0.article_id ${inParts(`p${i + 1}`)}`,
        );
      // Only published versions are indexed; the articles are read only for a filter.
      return sql`FROM article_words p0 ${sql.join(others, sql` `)} ${hasFilters ? sql`JOIN articles a ON a.id = p0.article_id` : sql``}
        WHERE p0.word = ${distinct[0]!} ${inParts('p0')} ${hasFilters ? filters(f) : sql``}`;
    };
    const PARTS = { title: 1, rule: 2, body: 4, any: null };
    const page = (mask: number | null) => sql`SELECT p0.article_id AS id ${matching(mask)} ORDER BY p0.article_id DESC LIMIT ${limit + found.size}`;
    // The count travels with the first tier: one round trip for a page the titles fill.
    const first = await sql<{
      n: number;
      id: number | null;
    }>`WITH counted AS (SELECT count(*)::int AS n FROM (SELECT 1 ${matching(null)} LIMIT ${SEARCH_COUNT_CAP + 1}) m)
      SELECT counted.n, t.id FROM counted LEFT JOIN (${page(PARTS.title)}) t ON true ORDER BY t.id DESC`.execute(db);
    count = first.rows[0]?.n ?? 0;
    for (const [i, tier] of TIERS.entries()) {
      if (found.size >= limit || count === 0) break;
      const rows = i === 0 ? first.rows : (await sql<{ id: number }>`${page(PARTS[tier])}`.execute(db)).rows;
      for (const r of rows) if (r.id !== null && !found.has(r.id) && found.size < limit) found.set(r.id, TIERS.length - i);
    }
  } else {
    const all = words.map((w) => ftsPhrase([w])).join(' AND ');
    const queries = { title: `{title_tokens} : (${all})`, rule: `{rule_tokens} : (${all})`, body: `{body_tokens} : (${all})`, any: all };
    // CROSS JOIN keeps the index outside: rows come in its order and the page stops the walk.
    for (const [i, tier] of TIERS.entries()) {
      if (found.size >= limit) break;
      const rows = await sql<{ id: number }>`SELECT s.rowid AS id FROM article_search s CROSS JOIN articles a ON a.id = s.rowid
        WHERE article_search MATCH ${queries[tier]} AND a.published_version_id IS NOT NULL ${filters(f)}
        ORDER BY s.rowid DESC LIMIT ${limit + found.size}`.execute(db);
      for (const r of rows.rows) if (!found.has(r.id) && found.size < limit) found.set(r.id, TIERS.length - i);
    }
    count = Number(
      (
        await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM article_search s CROSS JOIN articles a ON a.id = s.rowid
      WHERE article_search MATCH ${all} AND a.published_version_id IS NOT NULL ${filters(f)} LIMIT ${SEARCH_COUNT_CAP + 1})`.execute(db)
      ).rows[0]?.n ?? 0,
    );
  }
  return { hits: [...found].map(([id, score]) => ({ id, score })), total: Math.min(count, SEARCH_COUNT_CAP), totalCapped: count > SEARCH_COUNT_CAP };
}

/** The published versions of these articles, for their titles and snippets. */
export async function publishedVersionsOf(db: Kysely<DB>, articleIds: readonly number[]) {
  if (articleIds.length === 0) return [];
  return db
    .selectFrom('articles')
    .innerJoin('article_versions', 'article_versions.id', 'articles.published_version_id')
    .select(['articles.id', 'article_versions.title', 'article_versions.category', 'article_versions.tags_json', 'article_versions.sections_json'])
    .where('articles.id', 'in', [...articleIds])
    .execute();
}

// ── use on demands ─────────────────────────────────────────────────────────

/**
 * Links the published articles used on a demand (each once) and counts the
 * use; returns the ids that were not published articles.
 */
export async function linkArticles(db: Kysely<DB>, demandId: number, articleIds: readonly number[], by: number, at: string): Promise<number[]> {
  const ids = [...new Set(articleIds)];
  if (ids.length === 0) return [];
  const published = new Set(
    (await db.selectFrom('articles').select('id').where('id', 'in', ids).where('published_version_id', 'is not', null).execute()).map((r) => r.id),
  );
  const already = new Set(
    (await db.selectFrom('demand_articles').select('article_id').where('demand_id', '=', demandId).where('article_id', 'in', ids).execute()).map(
      (r) => r.article_id,
    ),
  );
  const fresh = ids.filter((id) => published.has(id) && !already.has(id));
  if (fresh.length > 0) {
    await db
      .insertInto('demand_articles')
      .values(fresh.map((article_id) => ({ demand_id: demandId, article_id, linked_by: by, linked_at: at })))
      .execute();
    await db
      .updateTable('articles')
      .set((eb) => ({ use_count: eb('use_count', '+', 1) }))
      .where('id', 'in', fresh)
      .execute();
  }
  return ids.filter((id) => !published.has(id));
}

/** The demands an article was used on, newest first. */
export async function usesOf(db: Kysely<DB>, articleId: number, limit: number) {
  return db
    .selectFrom('demand_articles')
    .innerJoin('demands', 'demands.id', 'demand_articles.demand_id')
    .select(['demands.id', 'demands.number', 'demands.unit_id', 'demand_articles.linked_at'])
    .where('demand_articles.article_id', '=', articleId)
    .orderBy('demand_articles.linked_at', 'desc')
    .limit(limit)
    .execute();
}

// ── attachments and cited demands ──────────────────────────────────────────

export async function insertFile(
  db: Kysely<DB>,
  row: { name: string; content_type: string; size: number; sha256: string; uploaded_by: number; created_at: string },
) {
  return db
    .insertInto('article_files')
    .values(row)
    .returning(['id', 'name', 'content_type', 'size', 'sha256', 'uploaded_by', 'created_at'])
    .executeTakeFirstOrThrow();
}

export async function findFile(db: Kysely<DB>, id: number) {
  return db.selectFrom('article_files').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A long list asked about in pieces: both databases cap the parameters of one statement. */
async function inPieces<T, R>(values: readonly T[], read: (piece: T[]) => Promise<R[]>): Promise<R[]> {
  const unique = [...new Set(values)];
  const out: R[] = [];
  for (let i = 0; i < unique.length; i += 500) out.push(...(await read(unique.slice(i, i + 500))));
  return out;
}

export async function filesByIds(db: Kysely<DB>, ids: readonly number[]) {
  return inPieces(ids, (piece) => db.selectFrom('article_files').selectAll().where('id', 'in', piece).execute());
}

/** Whether a published version lists the file (what anyone who reads articles may download). */
export async function isPublishedFile(db: Kysely<DB>, fileId: number): Promise<boolean> {
  const row = await db
    .selectFrom('article_version_files as f')
    .innerJoin('articles as a', 'a.published_version_id', 'f.version_id')
    .select('f.file_id')
    .where('f.file_id', '=', fileId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The demands of these numbers (those that exist). */
export async function demandsByNumbers(db: Kysely<DB>, numbers: readonly string[]) {
  return inPieces(numbers, (piece) =>
    db.selectFrom('demands').select(['id', 'number', 'unit_id', 'category', 'status', 'content']).where('number', 'in', piece).execute(),
  );
}

/** The version's files and cited demands, as its sections list them (replacing what it listed). */
export async function setVersionLinks(db: Kysely<DB>, versionId: number, fileIds: readonly number[], demandIds: readonly number[]): Promise<void> {
  await db.deleteFrom('article_version_files').where('version_id', '=', versionId).execute();
  await db.deleteFrom('article_version_cases').where('version_id', '=', versionId).execute();
  const files = [...new Set(fileIds)];
  const cases = [...new Set(demandIds)];
  if (files.length > 0)
    await db
      .insertInto('article_version_files')
      .values(files.map((file_id, position) => ({ version_id: versionId, file_id, position })))
      .execute();
  if (cases.length > 0)
    await db
      .insertInto('article_version_cases')
      .values(cases.map((demand_id, position) => ({ version_id: versionId, demand_id, position })))
      .execute();
}

export interface TitledArticle {
  id: number;
  publishedVersionId: number | null;
  /** The status of its version under work, if any. */
  openStatus: string | null;
}

/** The articles of these titles (the title they were created or last published with). */
export async function articlesByTitles(db: Kysely<DB>, titles: readonly string[]): Promise<Map<string, TitledArticle>> {
  const map = new Map<string, TitledArticle>();
  const rows = await inPieces(titles, (piece) =>
    db
      .selectFrom('articles as a')
      .leftJoin('article_versions as v', (join) => join.onRef('v.article_id', '=', 'a.id').on('v.status', 'in', ['draft', 'submitted', 'rejected']))
      .select(['a.id', 'a.title', 'a.published_version_id', 'v.status'])
      .where('a.title', 'in', piece)
      .orderBy('a.id')
      .execute(),
  );
  for (const r of rows) if (!map.has(r.title)) map.set(r.title, { id: r.id, publishedVersionId: r.published_version_id, openStatus: r.status });
  return map;
}

/** Every published article's live version, oldest article first (the export). */
export async function publishedVersionsForExport(db: Kysely<DB>) {
  return db
    .selectFrom('articles')
    .innerJoin('article_versions as v', 'v.id', 'articles.published_version_id')
    .select(['articles.id', 'v.title', 'v.category', 'v.tags_json', 'v.audience', 'v.sections_json', 'articles.published_at'])
    .orderBy('articles.id')
    .execute();
}

// ── the import ─────────────────────────────────────────────────────────────

/** PostgreSQL's advisory lock on article imports, held until the transaction ends: one import at a time. */
export async function lockImports(db: Kysely<DB>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('suqiu.article_import'))`.execute(db);
}

// ── the revision notices (reminders.ts) ────────────────────────────────────

/** Where a notice records the due date it was sent for: the warning a month before, or the one once overdue. */
export type RevisionNoticeColumn = 'revision_warned_for' | 'revision_overdue_for';

/** Published articles due before `dueBy` whose notice of `column` was not sent for their current due date, the earliest due first. */
export async function dueForRevisionNotice(db: Kysely<DB>, column: RevisionNoticeColumn, dueBy: string, limit: number) {
  return db
    .selectFrom('articles')
    .select(['id', 'title', 'owner_unit_id', 'revision_due_at'])
    .where('published_version_id', 'is not', null)
    .where('revision_due_at', '<=', dueBy)
    .where((eb) => eb.or([eb(column, 'is', null), eb(column, '<>', eb.ref('revision_due_at'))]))
    .orderBy('revision_due_at')
    .limit(limit)
    .execute();
}

/** Marks the notice of `column` as sent for the due date `dueAt`: false when it was sent meanwhile, or the due date moved. */
export async function claimRevisionNotice(db: Kysely<DB>, articleId: number, column: RevisionNoticeColumn, dueAt: string | null): Promise<boolean> {
  const result = await db
    .updateTable('articles')
    .set({ [column]: dueAt })
    .where('id', '=', articleId)
    .where('revision_due_at', '=', dueAt)
    .where((eb) => eb.or([eb(column, 'is', null), eb(column, '<>', eb.ref('revision_due_at'))]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ── the synonym list ───────────────────────────────────────────────────────

export async function loadSynonyms(db: Kysely<DB>): Promise<{ phrase: string; words: string }[]> {
  return db.selectFrom('knowledge_synonyms').select(['phrase', 'words']).orderBy('phrase').execute();
}

export async function replaceSynonyms(db: Kysely<DB>, items: readonly { phrase: string; words: string }[], at: string): Promise<void> {
  await db.deleteFrom('knowledge_synonyms').execute();
  if (items.length > 0)
    await db
      .insertInto('knowledge_synonyms')
      .values(items.map((s) => ({ ...s, updated_at: at })))
      .execute();
}
