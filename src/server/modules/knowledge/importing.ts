import { ArticleBody, type ArticleBody as Body } from '../../../shared/schemas/knowledge.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, conflict, type Issue } from '../../platform/errors.js';
import { authorize, can, type Actor } from '../../platform/policy.js';
import { notify } from '../../platform/notify.js';
import { insertDraft, openRevision, publishOpen, submitOpen } from './articles.js';
import { recordFile } from './attachments.js';
import { sha256Of, type FileStore } from './file-store.js';
import { classify, cleanFileName, extensionOf } from './files.js';
import * as repo from './repository.js';
import { missingSections, parseSections } from './rules.js';
import { parseWorkbook, type ImportItem } from './transfer.js';

// A batch of articles moved in from Markdown or a spreadsheet (transfer.ts).
// The batch is checked whole before anything is saved: one bad row and the
// import is refused with every problem named by file and row. An article whose
// title is in the base already gets a new version (or, for the demo seed, is
// left alone); the same content twice is no change. Imported versions go to
// review like any other, unless a reviewer other than the importer publishes
// them at once (moving in a base that was reviewed where it came from).

export interface ImportFile {
  /** The path as 相关文件 linked it, for messages. */
  path: string;
  /** None when the reader refused the link already (outside the folder): not reported twice. */
  bytes?: Uint8Array;
}

export interface ImportBatchItem extends ImportItem {
  /** The bytes of `links`, read by the caller (missing ones are reported). */
  files: ImportFile[];
}

export interface ImportOptions {
  /** Publish each version at once, approved by this reviewer (never the importer); else each is submitted for review. */
  reviewer?: Actor | undefined;
  /** An article whose title is in the base: a new version of it, or left alone (the demo seed). */
  existing: 'revise' | 'skip';
  maxFileBytes: number;
}

export interface ImportEntry {
  source: string;
  id: number;
  title: string;
}

export interface ImportReport {
  created: ImportEntry[];
  revised: ImportEntry[];
  unchanged: ImportEntry[];
  skipped: ImportEntry[];
  /** submitted for review, or published */
  outcome: 'submitted' | 'published';
}

interface Checked {
  item: ImportBatchItem;
  body: Body;
  files: { name: string; contentType: string; bytes: Uint8Array }[];
  existing: repo.TitledArticle | undefined;
  /** The base has this content already (the import ran before). */
  unchanged: boolean;
  /** The item links no files (a workbook cannot): an article's files stay as they are. */
  keepFiles: boolean;
}

/** Whether the body says what the version says (its files compared by their bytes' SHA-256). */
function sameContent(
  body: Body,
  v: { title: string; category: string; audience: string; tags_json: string; sections_json: string },
  fileShas: readonly string[] | null,
  currentShas: readonly string[],
): boolean {
  const theirs = parseSections(v.sections_json);
  const mine = body.sections;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return (
    body.title === v.title &&
    body.category === v.category &&
    body.audience === v.audience &&
    same(body.tags, JSON.parse(v.tags_json)) &&
    (['rule', 'script', 'reminders', 'documents', 'cases'] as const).every((k) => mine[k] === theirs[k]) &&
    same(
      mine.faq.map((f) => [f.q, f.a]),
      theirs.faq.map((f) => [f.q, f.a]),
    ) &&
    same(mine.caseDemands, theirs.caseDemands) &&
    (fileShas === null || same(fileShas, currentShas))
  );
}

/** What was read from the files: the articles, and what could not be read (refused with the rest). */
export interface ImportBatch {
  items: ImportBatchItem[];
  issues: Issue[];
}

/** A workbook's rows as a batch (a workbook carries no files). */
export async function workbookBatch(bytes: Uint8Array, fileName: string): Promise<ImportBatch> {
  const parsed = await parseWorkbook(bytes, fileName);
  return { items: parsed.items.map((item) => ({ ...item, files: [] })), issues: parsed.issues };
}

export async function importArticles(ctx: ServiceContext, store: FileStore, batch: ImportBatch, options: ImportOptions): Promise<ImportReport> {
  authorize(ctx.actor, 'article.edit');
  const reviewer = options.reviewer;
  if (reviewer && (!can(reviewer, 'article.review') || reviewer.userId === ctx.actor.userId)) {
    throw new AppError('forbidden', 'imported articles are published only by a reviewer other than the importer');
  }
  const { items } = batch;
  const issues: Issue[] = [...batch.issues];
  if (items.length === 0 && issues.length === 0) throw new AppError('validation', 'the import has no articles', [{ path: 'body', message: 'has no articles' }]);
  const checked: Checked[] = [];
  const titles = new Map<string, string>();
  for (const item of items) {
    const parsed = ArticleBody.safeParse({ ...item.body, sections: { ...item.body.sections, attachments: [] } });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push({ path: `${item.source}: ${issue.path.join('.') || 'body'}`, message: issue.message });
      continue;
    }
    const body = parsed.data;
    // Every version imported goes to review or is published: all six sections filled (相关文件 by a linked file too).
    for (const m of missingSections({ ...body.sections, attachments: item.links.map((_, i) => i) }))
      issues.push({ path: `${item.source}: ${m.name}`, message: 'is empty: an article is imported only with all six sections filled' });
    const twin = titles.get(body.title);
    if (twin) issues.push({ path: `${item.source}: title`, message: `"${body.title}" is also the title of ${twin}` });
    titles.set(body.title, item.source);
    const files: Checked['files'] = [];
    for (const { path, name: shown } of item.links) {
      const file = item.files.find((f) => f.path === path);
      // Shown by the link's text, with the file's own extension (what its content is checked against).
      const ext = extensionOf(path);
      const name = cleanFileName(extensionOf(shown) === ext || !ext ? shown : `${shown}.${ext}`);
      if (!file) {
        issues.push({ path: `${item.source}: 相关文件`, message: `links to "${path}", which is not there` });
        continue;
      }
      if (!file.bytes) continue;
      if (file.bytes.byteLength === 0) issues.push({ path: `${item.source}: 相关文件`, message: `"${path}" is empty` });
      else if (file.bytes.byteLength > options.maxFileBytes)
        issues.push({ path: `${item.source}: 相关文件`, message: `"${path}" is larger than ${Math.round(options.maxFileBytes / 1024 / 1024)} MB` });
      else {
        const verdict = classify(name, file.bytes);
        if ('refused' in verdict) issues.push({ path: `${item.source}: 相关文件`, message: verdict.refused });
        else files.push({ name, contentType: verdict.kind.contentType, bytes: file.bytes });
      }
    }
    checked.push({ item, body, files, existing: undefined, unchanged: false, keepFiles: item.links.length === 0 });
  }

  // The cited demands exist, and an article to revise has no version under work.
  const numbers = [...new Set(checked.flatMap((c) => c.body.sections.caseDemands))];
  const known = new Set((await repo.demandsByNumbers(ctx.db, numbers)).map((d) => d.number));
  for (const c of checked) {
    for (const n of c.body.sections.caseDemands)
      if (!known.has(n)) issues.push({ path: `${c.item.source}: caseDemands`, message: `there is no demand numbered ${n}` });
  }
  const existing = await repo.articlesByTitles(
    ctx.db,
    checked.map((c) => c.body.title),
  );
  for (const c of checked) {
    c.existing = existing.get(c.body.title);
    if (!c.existing || options.existing === 'skip') continue;
    // Unchanged when it says what the published version says, or what the version under work does (an export read back, an import run twice).
    const versions = [
      await repo.openVersionOf(ctx.db, c.existing.id),
      c.existing.publishedVersionId === null ? undefined : await repo.findVersion(ctx.db, c.existing.publishedVersionId),
    ].filter((v) => v !== undefined);
    const ids = versions.flatMap((v) => parseSections(v.sections_json).attachments);
    const shaOf = new Map((await repo.filesByIds(ctx.db, ids)).map((f) => [f.id, f.sha256]));
    const mine = c.keepFiles ? null : c.files.map((f) => sha256Of(f.bytes));
    c.unchanged = versions.some((v) =>
      sameContent(
        c.body,
        v,
        mine,
        parseSections(v.sections_json).attachments.map((id) => shaOf.get(id) ?? ''),
      ),
    );
    if (!c.unchanged && c.existing.openStatus) {
      issues.push({
        path: `${c.item.source}: title`,
        message: `"${c.body.title}" has a version ${c.existing.openStatus === 'submitted' ? 'under review' : 'being written'}: finish it (or have it rejected) before importing a new one`,
      });
    }
  }
  if (issues.length > 0) {
    const shown = issues
      .slice(0, 5)
      .map((i) => `${i.path}: ${i.message}`)
      .join('; ');
    throw new AppError(
      'validation',
      `the import has ${issues.length} problem${issues.length === 1 ? '' : 's'}, and nothing was saved: ${shown}${issues.length > 5 ? '; …' : ''}`,
      issues,
    );
  }

  // The files' bytes first (named by their content, so a failed import leaves nothing that points at them), then one transaction.
  const shas = new Map<Uint8Array, string>();
  for (const c of checked) for (const f of c.files) shas.set(f.bytes, await store.put(f.bytes));
  const reviewerCtx: ServiceContext | undefined = reviewer && { ...ctx, actor: reviewer };
  // The transaction may run twice (ctx.transact): the report is made anew inside it, and only database statements run there.
  return ctx.transact(async (trx) => {
    const report: ImportReport = { created: [], revised: [], unchanged: [], skipped: [], outcome: reviewer ? 'published' : 'submitted' };
    const at = ctx.now();
    // One import at a time, and the titles as they were checked: two imports of the same files at once must not both create.
    if (ctx.dialect === 'postgres') await repo.lockImports(trx);
    const now = await repo.articlesByTitles(
      trx,
      checked.map((c) => c.body.title),
    );
    const moved = checked.find((c) => now.get(c.body.title)?.id !== c.existing?.id || now.get(c.body.title)?.openStatus !== c.existing?.openStatus);
    if (moved) throw conflict(`"${moved.body.title}" was changed by someone else during the import; run the import again`);
    for (const c of checked) {
      const entry = (id: number) => ({ source: c.item.source, id, title: c.body.title });
      if (c.existing && options.existing === 'skip') {
        report.skipped.push(entry(c.existing.id));
        continue;
      }
      if (c.existing && c.unchanged) {
        report.unchanged.push(entry(c.existing.id));
        continue;
      }
      const fileShas = c.files.map((f) => shas.get(f.bytes)!);
      const attachments: number[] = [];
      if (c.keepFiles && c.existing?.publishedVersionId) {
        // Nothing said about files: the revision keeps the published version's.
        attachments.push(...parseSections((await repo.findVersion(trx, c.existing.publishedVersionId))!.sections_json).attachments);
      }
      for (const [i, f] of c.files.entries()) {
        attachments.push(
          (await recordFile(ctx, trx, { name: f.name, contentType: f.contentType, size: f.bytes.byteLength, sha256: fileShas[i]! }, c.item.source)).id,
        );
      }
      const body: Body = { ...c.body, sections: { ...c.body.sections, attachments } };
      let id: number;
      if (c.existing) {
        id = c.existing.id;
        await openRevision(ctx, trx, id, body);
        report.revised.push(entry(id));
      } else {
        id = await insertDraft(ctx, trx, body);
        report.created.push(entry(id));
      }
      await submitOpen(ctx, trx, id, true);
      if (reviewerCtx) await publishOpen(reviewerCtx, trx, id, '导入：已在原知识库审核', true);
      await recordAudit(trx, ctx, {
        action: 'article.imported',
        entityType: 'article',
        entityId: id,
        after: { source: c.item.source, outcome: report.outcome },
      });
    }
    const waiting = report.created.length + report.revised.length;
    if (!reviewer && waiting > 0) await notify(trx, at, [{ role: 'kb_reviewer', kind: 'article_submitted', title: `知识导入待审核: ${waiting} 篇` }]);
    return report;
  });
}
