import { fileURLToPath } from 'node:url';
import type { Database } from '../../db/database.js';
import { commandContext } from '../../platform/context.js';
import { actorOfUsername } from '../auth/service.js';
import { FileStore } from '../knowledge/file-store.js';
import { readMarkdownFolder } from '../knowledge/folder.js';
import { importArticles } from '../knowledge/importing.js';

// The demo knowledge base: the articles of demo/knowledge (one Markdown file
// each, in the format the import reads), imported by the demo editor and
// published by the demo reviewer. Idempotent: an article whose title is in the
// base already is left alone, whatever was done to it since.

/** demo/knowledge at the root of the checkout, from src/server/modules/demo or dist/server/modules/demo alike. */
export const DEMO_KNOWLEDGE_DIR = fileURLToPath(new URL('../../../../demo/knowledge', import.meta.url));

export async function seedKnowledge(database: Database, options: { dataDir: string; now?: () => string; timeZone?: string; folder?: string }): Promise<{ created: number; total: number }> {
  const editor = await actorOfUsername(database.db, 'kb_editor');
  const reviewer = await actorOfUsername(database.db, 'kb_reviewer');
  if (!editor || !reviewer) throw new Error('the demo knowledge base needs the demo users kb_editor and kb_reviewer');
  const batch = await readMarkdownFolder(options.folder ?? DEMO_KNOWLEDGE_DIR);
  const report = await importArticles(commandContext(database, editor, options.now, options.timeZone), FileStore.under(options.dataDir), batch, { reviewer, existing: 'skip', maxFileBytes: 20 * 1024 * 1024 });
  return { created: report.created.length, total: batch.items.length };
}
