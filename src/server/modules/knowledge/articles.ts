import type { Transaction } from 'kysely';
import type { Article, ArticleBody } from '../../../shared/schemas/knowledge.js';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { notify } from '../../platform/notify.js';
import { getArticle } from './reading.js';
import { linkReferences } from './references.js';
import * as repo from './repository.js';
import { missingSections, parseSections, reviewTransition, revisionDueAt, type ReviewAction, type VersionStatus } from './rules.js';
import { tokensOf } from './search.js';

// Writing articles and their review (DESIGN.md, "Knowledge base"): editors
// draft and submit, reviewers approve or reject, and only approved versions
// are published; a revision goes through the same review while the published
// version stays live. Every version is kept; the published one is indexed.

const versionRow = (body: ArticleBody) => ({
  title: body.title,
  category: body.category,
  tags_json: JSON.stringify(body.tags),
  audience: body.audience,
  sections_json: JSON.stringify(body.sections),
});

/** A new article: its first version, a draft of the editor's unit. */
export async function createArticle(ctx: ServiceContext, body: ArticleBody): Promise<Article> {
  authorize(ctx.actor, 'article.edit');
  const id = await ctx.transact((trx) => insertDraft(ctx, trx, body));
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
  await ctx.transact(async (trx) => {
    const { open, next } = await openVersion(ctx, trx, id, 'edit');
    if (!(await repo.updateVersion(trx, open.id, ['draft', 'rejected'], { ...versionRow(body), status: next, updated_at: ctx.now() }))) throw movedOn();
    await linkReferences(trx, open.id, body.sections);
    await recordAudit(trx, ctx, { action: 'article.edited', entityType: 'article', entityId: id, after: { version: open.number, title: body.title } });
  });
  return getArticle(ctx, id);
}

export async function submitArticle(ctx: ServiceContext, id: number): Promise<Article> {
  authorize(ctx.actor, 'article.edit');
  await ctx.transact((trx) => submitOpen(ctx, trx, id));
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

export async function approveArticle(ctx: ServiceContext, id: number, comment?: string): Promise<Article> {
  authorize(ctx.actor, 'article.review');
  await ctx.transact((trx) => publishOpen(ctx, trx, id, comment));
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
  await ctx.transact(async (trx) => {
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
  await ctx.transact((trx) => openRevision(ctx, trx, id));
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
