import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import { commandContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { actorOfUsername } from '../auth/service.js';
import { exportWorkbook, publishedBase } from './exporting.js';
import { FileStore } from './file-store.js';
import { readMarkdownFolder, writeMarkdownFolder } from './folder.js';
import { importArticles, workbookBatch, type ImportBatch } from './importing.js';

// `npm run suqiu -- knowledge import|export …`: a company moves its existing
// knowledge in (a folder of Markdown or a workbook) and the published base out.

export const KNOWLEDGE_HELP = `  knowledge import <folder|file.xlsx> --as <editor> [--publish-by <reviewer>]
                                  import articles: each *.md of the folder (with the files its 相关文件 links to),
                                  or each row of the workbook; all or nothing. The new versions wait for review,
                                  or are published at once, approved by --publish-by (a reviewer, not the editor)
  knowledge export <folder|file.xlsx> --as <user>
                                  the published base as Markdown files (and their attachments) or one workbook`;

export class CommandError extends Error {}

async function actor(database: Database, username: string | undefined, option: string) {
  if (!username) throw new CommandError(`${option} <username> is required: the user the command acts as`);
  const found = await actorOfUsername(database.db, username);
  if (!found) throw new CommandError(`${option}: there is no active user "${username}"`);
  return found;
}

export async function knowledgeCommand(database: Database, config: Config, args: string[], out: (line: string) => void): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: { as: { type: 'string' }, 'publish-by': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const path = positionals[0];
  if ((sub !== 'import' && sub !== 'export') || !path || positionals.length > 1)
    throw new CommandError('knowledge import|export <folder|file.xlsx> --as <username>');
  const ctx = commandContext(database, await actor(database, values.as, '--as'), undefined, config.timeZone);
  const store = FileStore.under(config.dataDir);
  const workbook = path.toLowerCase().endsWith('.xlsx');

  if (sub === 'export') {
    if (values['publish-by']) throw new CommandError('--publish-by is for an import');
    if (workbook) {
      const { bytes, count, continued } = await exportWorkbook(ctx);
      await writeFile(path, bytes);
      out(`exported ${count} published articles to ${path}`);
      for (const c of continued)
        out(`  "${c.title}": ${c.sections.join('、')} longer than one cell holds, continued in the column after it (the sheet 导出说明 lists them)`);
    } else {
      const written = await writeMarkdownFolder(path, await publishedBase(ctx), store);
      out(`exported ${written.articles} published articles (${written.files} attached files) to ${path}`);
    }
    return 0;
  }

  const reviewer = values['publish-by'] ? await actor(database, values['publish-by'], '--publish-by') : undefined;
  let batch: ImportBatch;
  if (workbook) {
    const bytes = await readFile(path).catch(() => null);
    if (!bytes) throw new CommandError(`cannot read ${path}`);
    batch = await workbookBatch(bytes, basename(path));
  } else {
    if (!(await stat(path).catch(() => null))?.isDirectory()) throw new CommandError(`${path} is neither a folder of Markdown files nor an .xlsx workbook`);
    batch = await readMarkdownFolder(path);
  }
  try {
    const report = await importArticles(ctx, store, batch, { reviewer, existing: 'revise', maxFileBytes: config.attachmentMaxBytes });
    out(
      `imported from ${path}: ${report.created.length} new, ${report.revised.length} revised, ${report.unchanged.length} unchanged; ` +
        (report.outcome === 'published' ? `published, approved by ${reviewer!.username}` : 'waiting for review'),
    );
    return 0;
  } catch (error) {
    if (!(error instanceof AppError) || !error.issues) throw error;
    out(`nothing was imported: ${error.issues.length} problem${error.issues.length === 1 ? '' : 's'}`);
    for (const issue of error.issues) out(`  ${issue.path}: ${issue.message}`);
    return 1;
  }
}
