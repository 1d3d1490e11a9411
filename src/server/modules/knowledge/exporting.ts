import { DEMAND_CATEGORY_TAXONOMY } from '../../../shared/taxonomy.js';
import type { ServiceContext } from '../../platform/context.js';
import { authorizeAny } from '../../platform/policy.js';
import * as repo from './repository.js';
import { parseSections } from './rules.js';
import { toWorkbook, type ContinuedArticle, type ExportArticle } from './transfer.js';

// The published base, as it is read out: every published article's live
// version, for a spreadsheet or a folder of Markdown (transfer.ts).

export interface ExportedArticle extends ExportArticle {
  files: { id: number; name: string; sha256: string; path?: string }[];
}

/** Every published article, as agents read it, oldest first. */
export async function publishedBase(ctx: ServiceContext): Promise<ExportedArticle[]> {
  authorizeAny(ctx.actor, ['article.edit', 'article.review']);
  const rows = await repo.publishedVersionsForExport(ctx.db);
  const sections = rows.map((r) => parseSections(r.sections_json));
  const files = new Map(
    (
      await repo.filesByIds(
        ctx.db,
        sections.flatMap((s) => s.attachments),
      )
    ).map((f) => [f.id, f]),
  );
  return rows.map((r, i) => {
    const s = sections[i]!;
    return {
      id: r.id,
      title: r.title,
      category: r.category,
      tags: JSON.parse(r.tags_json) as string[],
      audience: r.audience,
      sections: s,
      publishedAt: r.published_at,
      files: s.attachments.flatMap((id) => {
        const f = files.get(id);
        return f ? [{ id: f.id, name: f.name, sha256: f.sha256 }] : [];
      }),
    };
  });
}

const categoryName = (code: string) => DEMAND_CATEGORY_TAXONOMY.find((c) => c.code === code)?.label['zh-CN'] ?? code;
const audienceName = (code: string) => (code === 'public' ? '公开' : '坐席');

/** The published base as a workbook (one article per row), in the import's own columns; `continued`: the articles a cell could not hold whole. */
export async function exportWorkbook(ctx: ServiceContext): Promise<{ bytes: Buffer; count: number; continued: ContinuedArticle[] }> {
  const articles = await publishedBase(ctx);
  const { bytes, continued } = await toWorkbook(articles, { category: categoryName, audience: audienceName });
  return { bytes, count: articles.length, continued };
}
