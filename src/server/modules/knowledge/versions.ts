import type { z } from 'zod';
import type { ArticleDiff, VersionSummary } from '../../../shared/schemas/knowledge.js';
import type { ServiceContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { getArticle, seesDrafts, summaryOf } from './reading.js';
import * as repo from './repository.js';
import { compareVersions, parseSections } from './rules.js';

// An article's history: every version is kept, and any two can be compared
// section by section (rules.ts, compareVersions). Agents see only the
// published ones, the knowledge group also those drafted and reviewed.

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
