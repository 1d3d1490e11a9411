import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { Article, ArticleBody, ArticleDiff, ArticleVersion, SearchQuery, SearchResult, VersionSummary } from '../../../shared/schemas/knowledge.js';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import { indexTokens, isDomainWord, queryWords } from '../../platform/text.js';
import { notify } from '../../platform/notify.js';
import { visibleUnitIds } from '../org/service.js';
import { presentFile } from './attachments.js';
import * as repo from './repository.js';
import {
  compareVersions,
  missingSections,
  parseSections,
  REVISION_WARN_DAYS,
  reviewTransition,
  revisionDueAt,
  revisionState,
  searchWords,
  snippet,
  type ReviewAction,
  type Sections,
  type Synonym,
  type VersionStatus,
} from './rules.js';

// The knowledge base (DESIGN.md, "Knowledge base"): editors draft and submit,
// reviewers approve or reject, and only approved versions are published; a
// revision goes through the same review while the published version stays
// live. Every version is kept. Published articles are indexed for search.

type Version = z.infer<typeof ArticleVersion>;

/** What versions refer to, read once for all of them: their files, and the demands they cite (what each is about only where the caller may see it). */
async function referencesOf(ctx: ServiceContext, versions: readonly repo.VersionRow[]) {
  const sections = versions.map((v) => parseSections(v.sections_json));
  const [files, demands] = await Promise.all([
    repo.filesByIds(
      ctx.db,
      sections.flatMap((s) => s.attachments),
    ),
    repo.demandsByNumbers(
      ctx.db,
      sections.flatMap((s) => s.caseDemands),
    ),
  ]);
  const visible = demands.length > 0 && can(ctx.actor, 'demand.read') ? await visibleUnitIds(ctx) : new Set<number>();
  return {
    files: new Map(files.map((f) => [f.id, presentFile(f)])),
    cases: new Map(
      demands.map((d) => [
        d.number,
        visible.has(d.unit_id)
          ? {
              number: d.number,
              demandId: d.id,
              category: d.category,
              status: d.status,
              excerpt: d.content.length > 60 ? `${d.content.slice(0, 60)}…` : d.content,
            }
          : { number: d.number, demandId: null, category: null, status: null, excerpt: null },
      ]),
    ),
  };
}
type References = Awaited<ReturnType<typeof referencesOf>>;
const NO_REFERENCES: References = { files: new Map(), cases: new Map() };

function presentVersion(v: repo.VersionRow, refs: References): Version {
  const sections = parseSections(v.sections_json);
  return {
    id: v.id,
    number: v.number,
    title: v.title,
    category: v.category,
    tags: JSON.parse(v.tags_json) as string[],
    audience: v.audience as Version['audience'],
    sections,
    files: sections.attachments.flatMap((id) => refs.files.get(id) ?? []),
    caseLinks: sections.caseDemands.map((n) => refs.cases.get(n) ?? { number: n, demandId: null, category: null, status: null, excerpt: null }),
    status: v.status as VersionStatus,
    authorId: v.author_id,
    authorName: v.author_name,
    createdAt: v.created_at,
    updatedAt: v.updated_at,
    submittedAt: v.submitted_at,
    reviewerId: v.reviewer_id,
    reviewerName: v.reviewer_name,
    reviewedAt: v.reviewed_at,
    reviewComment: v.review_comment,
    publishedAt: v.published_at,
  };
}

/** A version in a list: what it is and where it stands, without its content. */
function summaryOf(v: repo.VersionRow): z.infer<typeof VersionSummary> {
  const { sections: _s, files: _f, caseLinks: _c, ...summary } = presentVersion(v, NO_REFERENCES);
  return summary;
}

/** Editors and reviewers see what is being written; everybody else only what is published. */
const seesDrafts = (ctx: ServiceContext) => can(ctx.actor, 'article.edit') || can(ctx.actor, 'article.review');

export async function getArticle(ctx: ServiceContext, id: number): Promise<Article> {
  authorize(ctx.actor, 'article.read');
  const a = await repo.findArticle(ctx.db, id);
  if (!a || (a.published_version_id === null && !seesDrafts(ctx))) throw notFound('article');
  return presentArticle(ctx, a);
}

/** The article as the caller may see it: its published version, and the one under work for the knowledge group. */
async function presentArticle(ctx: ServiceContext, a: repo.ArticleRow): Promise<Article> {
  const id = a.id;
  const [published, open, tags] = await Promise.all([
    a.published_version_id === null ? undefined : repo.findVersion(ctx.db, a.published_version_id),
    seesDrafts(ctx) ? repo.openVersionOf(ctx.db, id) : undefined,
    repo.tagsOf(ctx.db, [id]),
  ]);
  const refs = await referencesOf(
    ctx,
    [published, open].filter((v) => v !== undefined),
  );
  return {
    id: a.id,
    title: a.title,
    category: a.category,
    tags: tags.get(id) ?? [],
    audience: a.audience as Article['audience'],
    ownerUnitId: a.owner_unit_id,
    ownerUnitName: a.owner_unit_name,
    published: published ? presentVersion(published, refs) : null,
    draft: open ? presentVersion(open, refs) : null,
    publishedAt: a.published_at,
    revisionDueAt: a.revision_due_at,
    revision: revisionState(a.revision_due_at, new Date(ctx.now())),
    useCount: a.use_count,
    version: a.version,
  };
}

const versionRow = (body: ArticleBody) => ({
  title: body.title,
  category: body.category,
  tags_json: JSON.stringify(body.tags),
  audience: body.audience,
  sections_json: JSON.stringify(body.sections),
});

/**
 * Points the version at the files and demands its sections list, after
 * checking that each exists: a body that names a missing one is refused
 * (400, naming it) before anything is saved.
 */
async function linkReferences(trx: Transaction<DB>, versionId: number, s: Pick<Sections, 'attachments' | 'caseDemands'>): Promise<void> {
  const files = new Set((await repo.filesByIds(trx, s.attachments)).map((f) => f.id));
  const missingFile = s.attachments.find((id) => !files.has(id));
  if (missingFile !== undefined) throw invalid('sections.attachments', `there is no uploaded file ${missingFile}`);
  const demands = new Map((await repo.demandsByNumbers(trx, s.caseDemands)).map((d) => [d.number, d.id]));
  const missingDemand = s.caseDemands.find((n) => !demands.has(n));
  if (missingDemand !== undefined) throw invalid('sections.caseDemands', `there is no demand numbered ${missingDemand}`);
  await repo.setVersionLinks(
    trx,
    versionId,
    s.attachments,
    s.caseDemands.map((n) => demands.get(n)!),
  );
}

/** A new article: its first version, a draft of the editor's unit. */
export async function createArticle(ctx: ServiceContext, body: ArticleBody): Promise<Article> {
  authorize(ctx.actor, 'article.edit');
  const id = await ctx.db.transaction().execute((trx) => insertDraft(ctx, trx, body));
  return getArticle(ctx, id);
}

/** The new article's row and first version (in the caller's transaction), audited. */
export async function insertDraft(ctx: ServiceContext, trx: Transaction<DB>, body: ArticleBody): Promise<number> {
  const at = ctx.now();
  const id = await repo.insertArticle(trx, {
    title: body.title,
    category: body.category,
    audience: body.audience,
    owner_unit_id: ctx.actor.unitId,
    created_by: ctx.actor.userId,
    created_at: at,
    updated_at: at,
  });
  const versionId = await repo.insertVersion(trx, {
    article_id: id,
    number: 1,
    ...versionRow(body),
    status: 'draft',
    author_id: ctx.actor.userId,
    created_at: at,
    updated_at: at,
  });
  await linkReferences(trx, versionId, body.sections);
  await repo.setTags(trx, id, body.tags);
  await recordAudit(trx, ctx, {
    action: 'article.created',
    entityType: 'article',
    entityId: id,
    unitId: ctx.actor.unitId,
    after: { title: body.title, category: body.category },
  });
  return id;
}

/** The article's open version, checked against the workflow for `action`. */
async function openVersion(ctx: ServiceContext, trx: Transaction<DB>, id: number, action: ReviewAction) {
  const article = await repo.findArticle(trx, id);
  if (!article) throw notFound('article');
  const open = await repo.openVersionOf(trx, id);
  if (!open)
    throw conflict(
      article.published_version_id === null
        ? 'the article has no version to work on'
        : 'the published version is not changed: revise the article for a new version',
    );
  const next = reviewTransition(open.status as VersionStatus, action, { id: ctx.actor.userId, isAuthor: open.author_id === ctx.actor.userId });
  if (typeof next === 'object') throw next.forbidden ? new AppError('forbidden', next.refused) : conflict(next.refused);
  return { article, open, next };
}

/** A version with an empty section is refused, naming the sections. */
function requireAllSections(sectionsJson: string, what: string): void {
  const missing = missingSections(parseSections(sectionsJson));
  if (missing.length > 0)
    throw conflict(`an article is ${what} only with all six sections filled; empty: ${missing.map((m) => `${m.name} (${m.key})`).join(', ')}`);
}

const movedOn = () => conflict('the version was changed by someone else meanwhile; reload it and try again');

export async function editDraft(ctx: ServiceContext, id: number, body: ArticleBody): Promise<Article> {
  authorize(ctx.actor, 'article.edit');
  await ctx.db.transaction().execute(async (trx) => {
    const { open, next } = await openVersion(ctx, trx, id, 'edit');
    if (!(await repo.updateVersion(trx, open.id, ['draft', 'rejected'], { ...versionRow(body), status: next, updated_at: ctx.now() }))) throw movedOn();
    await linkReferences(trx, open.id, body.sections);
    await recordAudit(trx, ctx, { action: 'article.edited', entityType: 'article', entityId: id, after: { version: open.number, title: body.title } });
  });
  return getArticle(ctx, id);
}

export async function submitArticle(ctx: ServiceContext, id: number): Promise<Article> {
  authorize(ctx.actor, 'article.edit');
  await ctx.db.transaction().execute((trx) => submitOpen(ctx, trx, id));
  return getArticle(ctx, id);
}

/** The open version submitted for review (in the caller's transaction); the reviewers hear of it unless `quiet` (an import tells them once). */
export async function submitOpen(ctx: ServiceContext, trx: Transaction<DB>, id: number, quiet = false): Promise<void> {
  const { open, next } = await openVersion(ctx, trx, id, 'submit');
  requireAllSections(open.sections_json, 'submitted for review');
  const at = ctx.now();
  if (!(await repo.updateVersion(trx, open.id, ['draft', 'rejected'], { status: next, submitted_at: at, updated_at: at }))) throw movedOn();
  if (!quiet) await notify(trx, at, [{ role: 'kb_reviewer', kind: 'article_submitted', title: `知识待审核: ${open.title}` }]);
  await recordAudit(trx, ctx, { action: 'article.submitted', entityType: 'article', entityId: id, after: { version: open.number } });
}

// For other modules: a demand's articles (demands), the index (the demo's generated articles).
export { indexArticle, linkArticles } from './repository.js';

/** The words of an article for the index: the title and the rule apart, the rest (with the files' names) together. */
export function articleTokens(title: string, s: Sections, tags: readonly string[], fileNames: readonly string[] = []): repo.SearchTokens {
  const rest = [s.script, s.reminders, s.documents, ...fileNames, s.cases, ...s.faq.flatMap((f) => [f.q, f.a]), ...tags].join('\n');
  return { title: indexTokens(title), rule: indexTokens(s.rule), body: indexTokens(rest) };
}

async function tokensOf(db: Kysely<DB>, v: { title: string; tags_json: string; sections_json: string }): Promise<repo.SearchTokens> {
  const sections = parseSections(v.sections_json);
  const names = new Map((await repo.filesByIds(db, sections.attachments)).map((f) => [f.id, f.name.replace(/\.[^.]+$/, '')]));
  return articleTokens(
    v.title,
    sections,
    JSON.parse(v.tags_json) as string[],
    sections.attachments.flatMap((id) => names.get(id) ?? []),
  );
}

export async function approveArticle(ctx: ServiceContext, id: number, comment?: string): Promise<Article> {
  authorize(ctx.actor, 'article.review');
  await ctx.db.transaction().execute((trx) => publishOpen(ctx, trx, id, comment));
  return getArticle(ctx, id);
}

/** The submitted version approved by the caller and published, indexed for search (in the caller's transaction); its author hears of it unless `quiet` (an import). */
export async function publishOpen(ctx: ServiceContext, trx: Transaction<DB>, id: number, comment?: string, quiet = false): Promise<void> {
  const { article, open, next } = await openVersion(ctx, trx, id, 'approve');
  requireAllSections(open.sections_json, 'published');
  const at = ctx.now();
  if (
    !(await repo.updateVersion(trx, open.id, ['submitted'], {
      status: next,
      reviewer_id: ctx.actor.userId,
      reviewed_at: at,
      review_comment: comment ?? null,
      published_at: at,
    }))
  )
    throw movedOn();
  // The new version is what agents read from now on, and the clock of its yearly revision starts.
  const published = {
    title: open.title,
    category: open.category,
    audience: open.audience,
    published_version_id: open.id,
    published_at: at,
    revision_due_at: revisionDueAt(at, ctx.timeZone),
    updated_at: at,
  };
  if (!(await repo.updateArticle(trx, id, article.version, published))) throw movedOn();
  await repo.setTags(trx, id, JSON.parse(open.tags_json) as string[]);
  await repo.indexArticle(trx, ctx.dialect, id, await tokensOf(trx, open));
  if (!quiet) await notify(trx, at, [{ userId: open.author_id, kind: 'article_approved', title: `知识已发布: ${open.title}` }]);
  await recordAudit(trx, ctx, {
    action: 'article.approved',
    entityType: 'article',
    entityId: id,
    before: { publishedVersionId: article.published_version_id },
    after: { version: open.number, comment: comment ?? null },
  });
}

export async function rejectArticle(ctx: ServiceContext, id: number, comment: string): Promise<Article> {
  authorize(ctx.actor, 'article.review');
  await ctx.db.transaction().execute(async (trx) => {
    const { open, next } = await openVersion(ctx, trx, id, 'reject');
    const at = ctx.now();
    if (!(await repo.updateVersion(trx, open.id, ['submitted'], { status: next, reviewer_id: ctx.actor.userId, reviewed_at: at, review_comment: comment })))
      throw movedOn();
    await notify(trx, at, [{ userId: open.author_id, kind: 'article_rejected', title: `知识被退回: ${open.title}` }]);
    await recordAudit(trx, ctx, { action: 'article.rejected', entityType: 'article', entityId: id, after: { version: open.number, comment } });
  });
  return getArticle(ctx, id);
}

/** A new version of a published article, to revise it (滚动修编): a copy of the published one, a draft, while the published one stays live. */
export async function reviseArticle(ctx: ServiceContext, id: number): Promise<Article> {
  authorize(ctx.actor, 'article.edit');
  await ctx.db.transaction().execute((trx) => openRevision(ctx, trx, id));
  return getArticle(ctx, id);
}

/** The revision's draft (in the caller's transaction): the published version's content, or `body` when given (an import). */
export async function openRevision(ctx: ServiceContext, trx: Transaction<DB>, id: number, body?: ArticleBody): Promise<void> {
  const article = await repo.findArticle(trx, id);
  if (!article) throw notFound('article');
  if (article.published_version_id === null) throw conflict('the article is not published yet: edit its draft');
  if (await repo.openVersionOf(trx, id)) throw conflict('the article has a version being written or reviewed already');
  const versions = await repo.versionsOf(trx, id);
  const published = versions.find((v) => v.id === article.published_version_id)!;
  const at = ctx.now();
  const number = Math.max(...versions.map((v) => v.number)) + 1;
  const content = body
    ? versionRow(body)
    : {
        title: published.title,
        category: published.category,
        tags_json: published.tags_json,
        audience: published.audience,
        sections_json: published.sections_json,
      };
  const versionId = await repo.insertVersion(trx, {
    article_id: id,
    number,
    ...content,
    status: 'draft',
    author_id: ctx.actor.userId,
    created_at: at,
    updated_at: at,
  });
  await linkReferences(trx, versionId, body ? body.sections : parseSections(published.sections_json));
  await recordAudit(trx, ctx, { action: 'article.revision_started', entityType: 'article', entityId: id, after: { version: number } });
}

export async function listVersions(ctx: ServiceContext, id: number): Promise<z.infer<typeof VersionSummary>[]> {
  const article = await getArticle(ctx, id);
  const versions = await repo.versionsOf(ctx.db, article.id);
  return versions.filter((v) => seesDrafts(ctx) || v.status === 'approved').map(summaryOf);
}

/** Two versions compared, the title and each section. */
export async function diffVersions(ctx: ServiceContext, id: number, from: number, to: number): Promise<z.infer<typeof ArticleDiff>> {
  const article = await getArticle(ctx, id);
  const versions = (await repo.versionsOf(ctx.db, article.id)).filter((v) => seesDrafts(ctx) || v.status === 'approved');
  const a = versions.find((v) => v.number === from);
  const b = versions.find((v) => v.number === to);
  if (!a || !b) throw notFound(`version ${!a ? from : to} of the article`);
  const side = (v: repo.VersionRow) => ({ title: v.title, sections: parseSections(v.sections_json) });
  const [sa, sb] = [side(a), side(b)];
  const names = new Map((await repo.filesByIds(ctx.db, [...sa.sections.attachments, ...sb.sections.attachments])).map((f) => [f.id, f.name]));
  return { from, to, sections: compareVersions(sa, sb, (id) => names.get(id) ?? `#${id}`) };
}

/**
 * GET /api/articles/search: published articles containing the query's words,
 * title and rule first (repository.ts, searchIndex), with a marked snippet.
 * A caller's everyday words are searched as the articles say them (the
 * synonym list: 家里没电了 → 停电); when no article has all the words, those
 * with any of them come, the most words first.
 */
export async function searchArticles(ctx: ServiceContext, q: z.infer<typeof SearchQuery>): Promise<z.infer<typeof SearchResult>> {
  authorize(ctx.actor, 'article.read');
  const words = searchWords(q.q, await repo.loadSynonyms(ctx.db), queryWords);
  let { hits, total, totalCapped } = await repo.searchIndex(ctx.db, ctx.dialect, words, q, q.limit);
  if (hits.length === 0 && words.length > 1) ({ hits, total, totalCapped } = await anyWord(ctx, words, q));
  const versions = new Map(
    (
      await repo.publishedVersionsOf(
        ctx.db,
        hits.map((h) => h.id),
      )
    ).map((v) => [v.id, v]),
  );
  return {
    items: hits.flatMap((h) => {
      const v = versions.get(h.id);
      if (!v) return [];
      const s = parseSections(v.sections_json);
      // The rule or the script when the words are there, else any section that has them.
      const texts = [s.rule, s.script, s.reminders, s.cases, s.documents, ...s.faq.flatMap((f) => [f.q, f.a])];
      const text = texts.find((t) => words.some((w) => t.toLowerCase().includes(w))) ?? s.rule;
      return [{ id: h.id, title: v.title, snippet: snippet(text, words), score: h.score, category: v.category, tags: JSON.parse(v.tags_json) as string[] }];
    }),
    total,
    totalCapped,
  };
}

/** The articles with any of the words: more words found first, then the better place (title, rule, body). */
async function anyWord(ctx: ServiceContext, words: readonly string[], q: z.infer<typeof SearchQuery>) {
  const scores = new Map<number, number>();
  let totalCapped = false;
  for (const word of words) {
    const found = await repo.searchIndex(ctx.db, ctx.dialect, [word], q, q.limit);
    totalCapped ||= found.totalCapped;
    for (const h of found.hits) scores.set(h.id, (scores.get(h.id) ?? 0) + 10 + h.score);
  }
  const hits = [...scores.entries()].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || b.id - a.id);
  return { hits: hits.slice(0, q.limit), total: hits.length, totalCapped };
}

/** The synonym list: what callers say and what the articles call it. */
export async function listSynonyms(ctx: ServiceContext): Promise<{ items: Synonym[] }> {
  authorize(ctx.actor, 'article.read');
  return { items: await repo.loadSynonyms(ctx.db) };
}

export async function setSynonyms(ctx: ServiceContext, items: Synonym[]): Promise<{ items: Synonym[] }> {
  authorize(ctx.actor, 'article.edit');
  const seen = new Set<string>();
  items.forEach((s, i) => {
    if (seen.has(s.phrase)) throw invalid(`items.${i}.phrase`, `${s.phrase} is listed twice`);
    seen.add(s.phrase);
  });
  const before = await repo.loadSynonyms(ctx.db);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.replaceSynonyms(trx, items, ctx.now());
    await recordAudit(trx, ctx, { action: 'knowledge.synonyms_set', entityType: 'knowledge_synonyms', entityId: 'list', before, after: items });
  });
  return listSynonyms(ctx);
}

/** The lists of the maintenance group: overdue or soon due for revision, or waiting in review. */
export async function listArticles(
  ctx: ServiceContext,
  q: { revision?: 'overdue' | 'due_soon' | undefined; review?: 'submitted' | 'draft' | 'rejected' | undefined; category?: string | undefined; limit: number },
): Promise<Article[]> {
  authorize(ctx.actor, 'article.read');
  const now = new Date(ctx.now());
  const dueBefore =
    q.revision === 'overdue'
      ? now.toISOString()
      : q.revision === 'due_soon'
        ? new Date(now.getTime() + REVISION_WARN_DAYS * 86_400_000).toISOString()
        : undefined;
  if (q.review && !seesDrafts(ctx)) throw new AppError('forbidden', 'only the knowledge group sees versions under work');
  const rows = await repo.listArticles(
    ctx.db,
    {
      ...(q.category && { category: q.category }),
      publishedOnly: !seesDrafts(ctx) || q.revision !== undefined,
      ...(dueBefore && { dueBefore }),
      ...(q.review && { openStatus: q.review }),
    },
    q.limit,
  );
  return Promise.all(rows.map((r) => presentArticle(ctx, r)));
}

/** Words too common in a caller's account to say what it is about. */
const FILLER = new Set([
  '客户',
  '您好',
  '请问',
  '我们',
  '你们',
  '他们',
  '自己',
  '一下',
  '没有',
  '这个',
  '那个',
  '什么',
  '怎么',
  '为什么',
  '可以',
  '已经',
  '现在',
  '今天',
  '昨天',
  '还是',
  '要求',
  '反映',
  '问题',
  '情况',
  '处理',
  '家里',
  '家中',
]);

/**
 * The articles for what a caller says, while the agent registers the demand:
 * the account's words of the trade first, then its longest others (five at
 * most), each searched on its own within the category; an article found by
 * more of them, and in a better place, comes first.
 */
export async function suggestArticles(
  ctx: ServiceContext,
  q: { text: string; category?: string | undefined; limit: number },
): Promise<z.infer<typeof SearchResult>> {
  authorize(ctx.actor, 'article.read');
  const words = [...new Set(queryWords(q.text))].filter((w) => [...w].length >= 2 && !FILLER.has(w));
  const keywords = [...words.filter(isDomainWord), ...words.filter((w) => !isDomainWord(w)).sort((a, b) => [...b].length - [...a].length)].slice(0, 5);
  const score = new Map<number, number>();
  for (const word of keywords) {
    const { hits } = await repo.searchIndex(ctx.db, ctx.dialect, [word], { category: q.category }, 20);
    for (const h of hits) score.set(h.id, (score.get(h.id) ?? 0) + 10 + h.score);
  }
  const best = [...score].sort((a, b) => b[1] - a[1] || b[0] - a[0]).slice(0, q.limit);
  const versions = new Map(
    (
      await repo.publishedVersionsOf(
        ctx.db,
        best.map(([id]) => id),
      )
    ).map((v) => [v.id, v]),
  );
  return {
    items: best.flatMap(([id, s]) => {
      const v = versions.get(id);
      if (!v) return [];
      const sections = parseSections(v.sections_json);
      const text = [sections.script, sections.rule].find((t) => keywords.some((w) => t.toLowerCase().includes(w))) ?? sections.script;
      return [{ id, title: v.title, snippet: snippet(text, keywords), score: s, category: v.category, tags: JSON.parse(v.tags_json) as string[] }];
    }),
    total: best.length,
    totalCapped: false,
  };
}

/** The demands an article was used on, those the caller may see. */
export async function articleUses(ctx: ServiceContext, id: number): Promise<{ id: number; number: string; linkedAt: string }[]> {
  await getArticle(ctx, id);
  const visible = can(ctx.actor, 'demand.read') ? await visibleUnitIds(ctx) : new Set<number>();
  return (await repo.usesOf(ctx.db, id, 200)).filter((u) => visible.has(u.unit_id)).map((u) => ({ id: u.id, number: u.number, linkedAt: u.linked_at }));
}
