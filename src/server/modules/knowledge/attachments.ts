import type { Transaction } from 'kysely';
import type { ArticleFile } from '../../../shared/schemas/knowledge.js';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import type { FileStore } from './file-store.js';
import { classify, cleanFileName, kindOf } from './files.js';
import * as repo from './repository.js';

// The files of 相关文件: an editor uploads one, then lists it in a version's
// sections (`attachments`); agents download those of published versions.

/** Keeps an uploaded file whose content is an accepted kind and agrees with its name. */
export async function uploadFile(ctx: ServiceContext, store: FileStore, rawName: string, bytes: Uint8Array): Promise<ArticleFile> {
  authorize(ctx.actor, 'article.edit');
  const name = cleanFileName(rawName);
  if (!name)
    throw new AppError('validation', 'querystring.name: must be the file name, e.g. 供电营业规则.pdf', [
      { path: 'querystring.name', message: 'must be the file name' },
    ]);
  if (bytes.byteLength === 0) throw new AppError('validation', `"${name}" is empty`, [{ path: 'body', message: 'is empty' }]);
  const verdict = classify(name, bytes);
  if ('refused' in verdict) throw new AppError('unsupported_media_type', verdict.refused);
  const sha256 = await store.put(bytes);
  // The bytes are stored (by their content, so storing them again is harmless) before the row's transaction, which may run twice.
  const row = await ctx.transact((trx) => recordFile(ctx, trx, { name, contentType: verdict.kind.contentType, size: bytes.byteLength, sha256 }));
  return presentFile(row);
}

/** The row of a file whose bytes are stored, audited (in the caller's transaction); `source` names the import it came with. */
export async function recordFile(
  ctx: ServiceContext,
  trx: Transaction<DB>,
  file: { name: string; contentType: string; size: number; sha256: string },
  source?: string,
) {
  const row = await repo.insertFile(trx, {
    name: file.name,
    content_type: file.contentType,
    size: file.size,
    sha256: file.sha256,
    uploaded_by: ctx.actor.userId,
    created_at: ctx.now(),
  });
  await recordAudit(trx, ctx, { action: 'article.file_uploaded', entityType: 'article_file', entityId: row.id, after: { ...file, ...(source && { source }) } });
  return row;
}

export const presentFile = (f: { id: number; name: string; content_type: string; size: number; created_at: string }): ArticleFile => ({
  id: f.id,
  name: f.name,
  contentType: f.content_type,
  size: f.size,
  createdAt: f.created_at,
});

/**
 * A file and its bytes, for whoever may read it: the knowledge group any
 * file, everybody else the files of published versions.
 */
export async function readFile(ctx: ServiceContext, store: FileStore, id: number) {
  authorize(ctx.actor, 'article.read');
  const row = await repo.findFile(ctx.db, id);
  const mayRead = row !== undefined && (can(ctx.actor, 'article.edit') || can(ctx.actor, 'article.review') || (await repo.isPublishedFile(ctx.db, id)));
  if (!row || !mayRead) throw notFound('file');
  const bytes = await store.get(row.sha256);
  if (!bytes) throw notFound(`the content of file ${id} (${row.name}) on this server's disk`);
  return { name: row.name, contentType: row.content_type, inline: kindOf(row.content_type)?.inline ?? false, sha256: row.sha256, bytes };
}
