import ExcelJS from 'exceljs';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { DEMAND_EXPORT_LIMIT, type CreateDemandExportBody, type DemandExport, type ListDemandsQuery } from '../../../shared/schemas/demands.js';
import type { Channel } from '../../../shared/codes.js';
import { CHANNEL_WORDS, categoryLabel, subcategoryLabel, typeLabel } from '../../../shared/taxonomy.js';
import { localDate, localDateTime } from '../../../shared/time.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { queryWords } from '../../platform/text.js';
import { deadlinesOf, STEP_WORDS } from '../deadlines/service.js';
import * as exportsRepo from './export-repository.js';
import { demandScope } from './read.js';
import * as repo from './repository.js';
import { rollupTotal, rollupTotalOf } from './totals.js';

// The demand list's export (issue 18): the list's filters and the caller's
// unit bound, up to DEMAND_EXPORT_LIMIT rows, as xlsx.
//
// An export is a job a row (demand_exports), not a streamed response: its
// progress is the rows written of the matches counted when it began, which
// the web polls and shows as they are (a zipped stream's bytes have no size
// to announce, so a byte count could only guess); it is audited with its
// filters and its count; a closed tab or a dropped connection loses nothing.
// The worker runs in the process that took the request: keyset batches of
// BATCH rows (repository.ts exportBatch) go to exceljs's streaming writer
// (row by row to the zipped file, shared strings off), so memory stays that
// of one batch whatever the count. The file is written under a `.part` name
// in SUQIU_DATA_DIR/exports, renamed when complete, and deleted a day later.
// The progress row is the worker's heartbeat: a running export whose row has
// not moved for STALE_MS was cut off by a restart; it is failed
// (`interrupted`) when next read, its partial file removed, and the user
// exports again (an xlsx cannot be resumed mid-file; writing one again takes
// seconds).

const BATCH = 1000;
/** A running export whose heartbeat is older than this was cut off (the worker beats every batch, well under a second). */
export const STALE_MS = 60_000;
/** How long a finished export's file is kept. */
export const KEEP_MS = 24 * 3600_000;
/** Exports written at once by one process (two cores shared with the calls being taken). */
const MAX_RUNNING = 2;

/** The filters an export was asked with, as stored: the list's query, the caller's unit bound (undefined: every unit) and owner. */
interface StoredFilters {
  query: CreateDemandExportBody;
  unitIds: number[] | undefined;
  ownerId: number | undefined;
}

// The words of the codes, as the web's dictionary (demands.zh-CN.ts) says them.
const STATUSES: Record<string, string> = { open: '待处理', dispatched: '已派单', awaiting_callback: '待回访', closed: '已办结' };
const LEVELS: Record<number, string> = { 1: '班长', 2: '中心主任', 3: '责任单位负责人' };

/** The columns, in words, with their widths. */
export const EXPORT_COLUMNS = [
  ['诉求编号', 16],
  ['登记时间', 17],
  ['渠道', 12],
  ['类型', 10],
  ['分类', 14],
  ['子类', 14],
  ['客户', 14],
  ['户号', 14],
  ['电话', 14],
  ['责任单位', 16],
  ['状态', 8],
  ['期限', 24],
  ['是否超期', 8],
  ['首问负责人', 10],
  ['来电次数', 8],
  ['督办层级', 12],
  ['办结时间', 17],
  ['诉求内容', 60],
] as const;

type BatchRow = Awaited<ReturnType<typeof repo.exportBatch>>[number];
type DeadlineRow = Awaited<ReturnType<typeof deadlinesOf>>[number];

/** A demand as the export's row: words, never codes; times local to the company. */
export function exportCells(d: BatchRow, deadlines: readonly DeadlineRow[], now: string, zone: string): (string | number)[] {
  const live = deadlines.filter((l) => l.demand_id === d.id && l.met_at === null && l.cancelled_at === null).sort((a, b) => a.due_at.localeCompare(b.due_at));
  const next = live[0];
  return [
    d.number,
    localDateTime(d.created_at, zone),
    CHANNEL_WORDS[d.channel as Channel] ?? d.channel,
    typeLabel(d.type, 'zh-CN'),
    d.category ? categoryLabel(d.category, 'zh-CN') : '',
    d.subcategory ? subcategoryLabel(d.subcategory, 'zh-CN') : '',
    d.customer_name ?? '',
    d.account_no ?? '',
    d.phone,
    d.unit_name,
    STATUSES[d.status] ?? d.status,
    next ? `${localDateTime(next.due_at, zone)}（${STEP_WORDS[next.step] ?? next.step}）` : '',
    live.some((l) => l.due_at <= now) ? '是' : '否',
    d.owner_name ?? '',
    d.call_count,
    LEVELS[d.escalation_level] ?? '',
    d.closed_at ? localDateTime(d.closed_at, zone) : '',
    d.content,
  ];
}

const fileName = (row: exportsRepo.ExportRow, zone: string) => `诉求清单-${localDate(row.created_at, zone)}-${row.id}.xlsx`;

function present(row: exportsRepo.ExportRow, zone: string): DemandExport {
  return {
    id: row.id,
    status: row.status as DemandExport['status'],
    total: row.total,
    done: row.done,
    error: row.error,
    size: row.size,
    fileName: fileName(row, zone),
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

/** The exports this process is writing, by their file (an app's data folder and the export's id), so that a shutdown can stop them cleanly. */
const running = new Map<string, { stop: boolean; done: Promise<void> }>();

const folderOf = (dataDir: string) => join(dataDir, 'exports');
const pathOf = (dataDir: string, id: number) => join(folderOf(dataDir), `demands-${id}.xlsx`);

function filterOf(stored: StoredFilters, dialect: ServiceContext['dialect'], now: string): repo.DemandFilter {
  const q = stored.query;
  return {
    ...(q as ListDemandsQuery),
    page: 1,
    pageSize: BATCH,
    ownerId: stored.ownerId,
    unitIds: stored.unitIds,
    now,
    dialect,
    words: q.q === undefined ? undefined : queryWords(q.q),
  };
}

/** The matches of an export's filters, exact (from the rollup where it counts the same; else counted up to one past the limit). */
async function countMatches(ctx: ServiceContext, stored: StoredFilters, now: string): Promise<number> {
  const asked = rollupTotalOf({ ...stored.query, page: 1, pageSize: 1, ownerId: stored.ownerId }, stored.unitIds === undefined, ctx.timeZone);
  const exact = asked === null ? undefined : await rollupTotal(ctx.db, asked, new Date(now), ctx.timeZone);
  return exact ?? (await repo.countDemandsUpTo(ctx.db, filterOf(stored, ctx.dialect, now), DEMAND_EXPORT_LIMIT + 1));
}

/** Deletes the files of exports finished more than KEEP_MS ago (when an export begins: no timer of its own). */
async function expireOld(db: Kysely<DB>, dataDir: string, now: string): Promise<void> {
  for (const old of await exportsRepo.exportsToExpire(db, new Date(Date.parse(now) - KEEP_MS).toISOString())) {
    await rm(pathOf(dataDir, old.id), { force: true });
    await exportsRepo.markExpired(db, old.id, now);
  }
}

/**
 * Begins an export of the list as filtered: 413 when it matches more than
 * DEMAND_EXPORT_LIMIT (naming both), 409 while the caller has one running,
 * 429 when the server is writing MAX_RUNNING already. Audited with the filters,
 * the unit bound and the count.
 */
export async function startExport(ctx: ServiceContext, dataDir: string, query: CreateDemandExportBody): Promise<DemandExport> {
  authorize(ctx.actor, 'demand.read');
  const now = ctx.now();
  if (query.owner !== undefined && query.ownerId !== undefined) {
    const message = 'give owner=me or ownerId, not both';
    throw new AppError('validation', `body.ownerId: ${message}`, [{ path: 'body.ownerId', message }]);
  }
  const ownerId = query.owner === 'me' ? ctx.actor.userId : query.ownerId;
  const stored: StoredFilters = { query, unitIds: await demandScope(ctx), ownerId };
  for (const mine of await exportsRepo.runningExportsOf(ctx.db, ctx.actor.userId)) {
    if (!(await failIfStale(ctx.db, dataDir, mine, now)))
      throw conflict(`your export ${mine.id} is still being written (${mine.done} of ${mine.total} rows): wait for it`);
  }
  if (running.size >= MAX_RUNNING)
    throw new AppError('too_many_requests', `the server is writing ${running.size} exports already: try again in a minute`, undefined, {
      retryAfterSeconds: 30,
    });
  const total = await countMatches(ctx, stored, now);
  if (total > DEMAND_EXPORT_LIMIT) {
    const counted = total > DEMAND_EXPORT_LIMIT + 1 ? total.toLocaleString('en-US') : `more than ${DEMAND_EXPORT_LIMIT.toLocaleString('en-US')}`;
    const message = `the filters match ${counted} demands; an export holds at most ${DEMAND_EXPORT_LIMIT.toLocaleString('en-US')}: narrow the filters`;
    throw new AppError('too_large', message, [{ path: 'body', message }]);
  }
  await expireOld(ctx.db, dataDir, now);
  const id = await ctx.transact(async (trx) => {
    const id = await exportsRepo.insertExport(trx, { userId: ctx.actor.userId, filtersJson: JSON.stringify(stored), total, at: now });
    await recordAudit(trx, ctx, {
      action: 'demand.export',
      entityType: 'demand_export',
      entityId: id,
      after: { filters: query, units: stored.unitIds ?? 'all', owner: ownerId ?? null, total },
    });
    return id;
  });
  const job = { stop: false, done: Promise.resolve() };
  running.set(pathOf(dataDir, id), job);
  job.done = writeExport(ctx, dataDir, id, stored, total, job).finally(() => running.delete(pathOf(dataDir, id)));
  return present((await exportsRepo.findExport(ctx.db, id))!, ctx.timeZone);
}

/** Writes the export's file batch by batch, beating its heartbeat (done, updated_at) after each. Never throws: a failure is the row's. */
async function writeExport(ctx: ServiceContext, dataDir: string, id: number, stored: StoredFilters, total: number, job: { stop: boolean }): Promise<void> {
  const startedAt = ctx.now();
  const filter = filterOf(stored, ctx.dialect, startedAt);
  const final = pathOf(dataDir, id);
  const part = `${final}.part`;
  let done = 0;
  try {
    await mkdir(folderOf(dataDir), { recursive: true });
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: part, useStyles: true, useSharedStrings: false });
    book.creator = 'suqiu';
    book.created = new Date(startedAt);
    const sheet = book.addWorksheet('诉求清单', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = EXPORT_COLUMNS.map(([, width]) => ({ width }));
    const head = sheet.addRow(EXPORT_COLUMNS.map(([name]) => name));
    head.font = { bold: true };
    head.commit();
    let cursor: repo.ExportCursor | null = null;
    while (done < DEMAND_EXPORT_LIMIT) {
      if (job.stop) throw new Error('interrupted');
      const rows = await repo.exportBatch(ctx.db, filter, cursor, Math.min(BATCH, DEMAND_EXPORT_LIMIT - done));
      if (rows.length === 0) break;
      const deadlines = await deadlinesOf(
        ctx.db,
        rows.map((r) => r.id),
      );
      for (const row of rows) sheet.addRow(exportCells(row, deadlines, startedAt, ctx.timeZone)).commit();
      done += rows.length;
      const last = rows.at(-1)!;
      cursor = { createdAt: last.created_at, id: last.id };
      await exportsRepo.recordProgress(ctx.db, id, done, ctx.now());
      if (rows.length < BATCH) break;
    }
    sheet.commit();
    await book.commit();
    await rename(part, final);
    const size = (await stat(final)).size;
    await exportsRepo.finishExport(ctx.db, id, { status: 'done', done, file: `demands-${id}.xlsx`, size, at: ctx.now() });
    await recordAudit(ctx.db, ctx, { action: 'demand.export.done', entityType: 'demand_export', entityId: id, after: { rows: done, total, size } });
  } catch (error) {
    await rm(part, { force: true }).catch(() => undefined);
    const message =
      error instanceof Error && error.message === 'interrupted'
        ? 'interrupted'
        : `could not write the file: ${String((error as Error)?.message ?? error).slice(0, 150)}`;
    await exportsRepo.finishExport(ctx.db, id, { status: 'failed', done, error: message, at: ctx.now() }).catch(() => undefined);
  }
}

/** A running export whose heartbeat stopped (its process was restarted) is failed cleanly: true when it was. */
async function failIfStale(db: Kysely<DB>, dataDir: string, row: exportsRepo.ExportRow, now: string): Promise<boolean> {
  if (row.status !== 'running' || running.has(pathOf(dataDir, row.id)) || Date.parse(now) - Date.parse(row.updated_at) < STALE_MS) return false;
  await rm(`${pathOf(dataDir, row.id)}.part`, { force: true });
  return exportsRepo.finishExport(db, row.id, { status: 'failed', error: 'interrupted', at: now });
}

/** One of the caller's exports (another's is not found: an export holds customers' phones). */
async function ownExport(ctx: ServiceContext, dataDir: string, id: number): Promise<exportsRepo.ExportRow> {
  authorize(ctx.actor, 'demand.read');
  const row = await exportsRepo.findExport(ctx.db, id);
  if (!row || row.user_id !== ctx.actor.userId) throw notFound('export');
  if (await failIfStale(ctx.db, dataDir, row, ctx.now())) return (await exportsRepo.findExport(ctx.db, id))!;
  return row;
}

export async function getExport(ctx: ServiceContext, dataDir: string, id: number): Promise<DemandExport> {
  return present(await ownExport(ctx, dataDir, id), ctx.timeZone);
}

/** The finished file as a stream, with the name to save it under; 409 while it is being written, 404 once it expired or if it failed. */
export async function exportFile(ctx: ServiceContext, dataDir: string, id: number) {
  const row = await ownExport(ctx, dataDir, id);
  if (row.status === 'running') throw conflict(`the export is still being written (${row.done} of ${row.total} rows)`);
  if (row.status !== 'done' || row.file === null)
    throw notFound(row.status === 'expired' ? 'export file (deleted a day after it was written: export again)' : 'export file');
  await recordAudit(ctx.db, ctx, { action: 'demand.export.download', entityType: 'demand_export', entityId: id, after: { rows: row.done } });
  return {
    stream: createReadStream(join(folderOf(dataDir), row.file)),
    size: row.size,
    name: fileName(row, ctx.timeZone),
    asciiName: `demands-${row.id}.xlsx`,
  };
}

/** Stops the exports the app of this data folder is writing (it is closing): each is failed as interrupted. */
export async function stopExports(dataDir: string): Promise<void> {
  const jobs = [...running].filter(([path]) => path.startsWith(folderOf(dataDir))).map(([, job]) => job);
  for (const job of jobs) job.stop = true;
  await Promise.all(jobs.map((j) => j.done));
}
