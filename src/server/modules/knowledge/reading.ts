import type { z } from 'zod';
import type { Article, ArticleVersion, VersionSummary } from '../../../shared/schemas/knowledge.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import { NO_REFERENCES, referencesOf, type References } from './references.js';
import * as repo from './repository.js';
import { parseSections, REVISION_WARN_DAYS, revisionState, type VersionStatus } from './rules.js';

// Articles as the caller may read them: agents the published version, the
// knowledge group also the version under work; one article, or the lists of
// the maintenance group (due for revision, waiting in review).

type Version = z.infer<typeof ArticleVersion>;

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
export function summaryOf(v: repo.VersionRow): z.infer<typeof VersionSummary> {
  const { sections: _s, files: _f, caseLinks: _c, ...summary } = presentVersion(v, NO_REFERENCES);
  return summary;
}

/** Editors and reviewers see what is being written; everybody else only what is published. */
export const seesDrafts = (ctx: ServiceContext) => can(ctx.actor, 'article.edit') || can(ctx.actor, 'article.review');

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
