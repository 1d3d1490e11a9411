import { mkdir, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Issue } from '../../platform/errors.js';
import type { FileStore } from './file-store.js';
import type { ExportedArticle } from './exporting.js';
import type { ImportBatch, ImportBatchItem } from './importing.js';
import { parseMarkdown, toMarkdown } from './transfer.js';

// A folder of Markdown on disk, for the command line and the demo seed: read
// for an import (each *.md an article, with the files its 相关文件 links to),
// written by an export (the files beside it, under attachments/).

/** The *.md files of the folder (and its subfolders), in name order, with the files they link to. */
export async function readMarkdownFolder(folder: string): Promise<ImportBatch> {
  const root = await realpath(resolve(folder));
  const names = (await readdir(root, { recursive: true }))
    .filter((n) => n.toLowerCase().endsWith('.md') && !n.split(sep).some((p) => p.startsWith('.')))
    .sort();
  const items: ImportBatchItem[] = [];
  const issues: Issue[] = [];
  for (const name of names) {
    const source = name.split(sep).join('/');
    const parsed = parseMarkdown(await readFile(join(root, name), 'utf8'), source);
    issues.push(...parsed.issues);
    if (!parsed.item) continue;
    const files = [];
    for (const { path } of parsed.item.links) {
      // The file itself, symbolic links followed, must be inside the folder.
      const full = await realpath(join(root, dirname(name), path)).catch(() => null);
      if (full === null) continue; // reported by the import as a link to a file that is not there
      const inside = relative(root, full);
      if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
        issues.push({ path: `${source}: 相关文件`, message: `"${path}" is outside the folder being imported` });
        files.push({ path });
        continue;
      }
      files.push({ path, bytes: await readFile(full) });
    }
    items.push({ ...parsed.item, files });
  }
  return { items, issues };
}

/** A name safe in any file system, at most 60 characters before its extension (kept). */
const fileSafe = (s: string) => {
  const ext = extname(s).slice(0, 12);
  return (
    s
      .slice(0, s.length - ext.length)
      .replace(/[\\/:*?"<>|\s[\]()#%]+/g, '_')
      .slice(0, 60) + ext.replace(/[^.\w]/g, '_')
  );
};

/** Writes each article as NNNN-title.md, its files under attachments/; returns how many articles and files. */
export async function writeMarkdownFolder(
  folder: string,
  articles: readonly ExportedArticle[],
  store: FileStore,
): Promise<{ articles: number; files: number }> {
  const root = resolve(folder);
  await mkdir(join(root, 'attachments'), { recursive: true });
  let files = 0;
  for (const [i, a] of articles.entries()) {
    for (const f of a.files) {
      const bytes = await store.get(f.sha256);
      if (!bytes) continue;
      f.path = `attachments/${f.id}-${fileSafe(f.name)}`;
      await writeFile(join(root, f.path), bytes);
      files++;
    }
    await writeFile(join(root, `${String(i + 1).padStart(4, '0')}-${fileSafe(a.title)}.md`), toMarkdown(a));
  }
  return { articles: articles.length, files };
}
