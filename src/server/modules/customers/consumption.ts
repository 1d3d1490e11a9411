import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { authorize } from '../../platform/policy.js';
import * as repo from './repository.js';
import { rankKeyAccounts } from './key-accounts.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { ConsumptionImportResult } from '../../../shared/schemas/customers.js';
import { AppError } from '../../platform/errors.js';
import { cellText, readWorkbook } from '../../platform/xlsx.js';
import { checkConsumptionRows, consumptionColumns, parseCsv, yearOf, type ConsumptionCells, type Rejection } from './rules.js';
// Monthly consumption imports: all or nothing, every bad row named; the
// yearly sums kept in the same transaction, the key accounts ranked again.

/** The file's table: CSV text, or an xlsx workbook's first sheet, as rows of cell texts with their row numbers. */
export async function consumptionTable(
  body: Buffer | string,
  contentType: string,
): Promise<{ rows: { number: number; cells: string[] }[] } | { refused: string }> {
  // A workbook is a zip (it starts with PK); anything else is read as CSV text, whatever type it came with.
  const zip = typeof body !== 'string' && body.length >= 2 && body[0] === 0x50 && body[1] === 0x4b;
  if (!zip || /csv|text\/plain/i.test(contentType)) {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    return { rows: parseCsv(text).map((cells, i) => ({ number: i + 1, cells })) };
  }
  const read = await readWorkbook(body, {
    maxRows: 3_000_000,
    maxCells: 10_000_000,
    maxSheets: 5,
    maxUnpackedBytes: 1024 * 1024 * 1024,
    timeoutMs: 300_000,
    memoryMb: 2048,
    purpose: 'a consumption file needs',
  });
  if ('refused' in read) return { refused: read.refused };
  const sheet = read.sheets[0];
  if (!sheet) return { refused: 'has no worksheet' };
  return { rows: sheet.rows.map((r) => ({ number: r.number, cells: r.cells.map((v) => cellText(v)) })) };
}

export interface ConsumptionOutcome {
  imported: number;
  rejected: Rejection[];
}

/**
 * Checks every row of the file (columns, month, kWh, a 户号 that exists, an
 * account and month once), then saves all or nothing: each month (replacing
 * one imported before), the customers' yearly sums, the import's row and the
 * key accounts again, in one transaction.
 */
export async function importConsumptionTable(
  db: Kysely<DB>,
  transact: ServiceContext['transact'],
  table: { number: number; cells: string[] }[],
  meta: { fileName: string | null; userId: number | null; at: string; audit?: (trx: Kysely<DB>, summary: object) => Promise<void> },
): Promise<ConsumptionOutcome> {
  const nonEmpty = table.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const header = nonEmpty[0];
  if (!header) return { imported: 0, rejected: [{ row: 1, problem: 'the file is empty: give the columns 户号, 月份, 电量 (accountNo, month, kWh)' }] };
  const found = consumptionColumns(header.cells);
  if ('missing' in found) return { imported: 0, rejected: [{ row: header.number, problem: `the header has no column ${found.missing.join(', ')}` }] };
  const { columns } = found;
  const cells: ConsumptionCells[] = nonEmpty.slice(1).map((r) => ({
    row: r.number,
    accountNo: r.cells[columns.accountNo] ?? '',
    month: r.cells[columns.month] ?? '',
    kwh: r.cells[columns.kwh] ?? '',
  }));
  if (cells.length === 0) return { imported: 0, rejected: [{ row: header.number, problem: 'the file has no rows under its header' }] };
  const checked = checkConsumptionRows(cells);
  const ids = await repo.customerIdsByAccount(
    db,
    checked.rows.map((r) => r.accountNo),
  );
  const rejected = [...checked.rejected];
  for (const r of checked.rows) if (!ids.has(r.accountNo)) rejected.push({ row: r.row, problem: `no customer with 户号 ${r.accountNo}` });
  if (rejected.length > 0) return { imported: 0, rejected: rejected.sort((a, b) => a.row - b.row) };
  const rows = checked.rows.map((r) => ({ customer_id: ids.get(r.accountNo)!, month: r.month, kwh: r.kwh }));
  const months = rows.map((r) => r.month).sort();
  await transact(async (trx) => {
    const importId = await repo.insertConsumptionImport(trx, {
      file_name: meta.fileName,
      rows: rows.length,
      first_month: months[0]!,
      last_month: months.at(-1)!,
      imported_by: meta.userId,
      imported_at: meta.at,
    });
    await repo.upsertConsumption(trx, rows, importId);
    const byYear = new Map<number, Set<number>>();
    for (const r of rows) {
      const y = yearOf(r.month);
      let set = byYear.get(y);
      if (!set) byYear.set(y, (set = new Set()));
      set.add(r.customer_id);
    }
    for (const [year, customers] of byYear) await repo.recomputeYears(trx, year, [...customers]);
    await rankKeyAccounts(trx, meta.at);
    await meta.audit?.(trx, { importId, fileName: meta.fileName, rows: rows.length, firstMonth: months[0], lastMonth: months.at(-1) });
  });
  return { imported: rows.length, rejected: [] };
}

/** POST /api/customers/consumption. */
export async function importConsumption(
  ctx: ServiceContext,
  body: Buffer | string,
  contentType: string,
  fileName: string | null,
): Promise<ConsumptionImportResult> {
  authorize(ctx.actor, 'customer.manage');
  const table = await consumptionTable(body, contentType);
  if ('refused' in table) throw new AppError('validation', `${fileName ?? 'the file'}: ${table.refused}`);
  return importConsumptionTable(ctx.db, ctx.transact, table.rows, {
    fileName,
    userId: ctx.actor.userId,
    at: ctx.now(),
    audit: (trx, summary) =>
      recordAudit(trx, ctx, {
        action: 'consumption.imported',
        entityType: 'consumption_import',
        entityId: (summary as { importId: number }).importId,
        after: summary,
      }),
  });
}

// ── key accounts ───────────────────────────────────────────────────────────
