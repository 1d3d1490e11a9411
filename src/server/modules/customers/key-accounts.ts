import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { authorize } from '../../platform/policy.js';
import { seesEveryUnit, visibleUnitIds } from '../org/service.js';
import * as repo from './repository.js';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { KeyAccounts, KeyAccountSettings as KeyAccountSettingsType } from '../../../shared/schemas/customers.js';
import { KeyAccountSettings } from '../../../shared/schemas/customers.js';
import { readSetting, writeSetting } from '../../platform/settings.js';
import { workbookBytes } from '../../platform/xlsx.js';
import { defaultYear, rankByConsumption } from './rules.js';
// Key accounts (核心客户): the year's largest customers by imported consumption,
// ranked from consumption_years (one row a customer), and their setting.

const KEY_ACCOUNTS = 'customers.keyAccounts';
const DEFAULT_KEY_ACCOUNTS: KeyAccountSettingsType = { top: 100 };

export function keyAccountSettings(db: Kysely<DB>): Promise<KeyAccountSettingsType> {
  return readSetting(db, KEY_ACCOUNTS, KeyAccountSettings, DEFAULT_KEY_ACCOUNTS);
}

export async function getKeyAccountSettings(ctx: ServiceContext): Promise<KeyAccountSettingsType> {
  authorize(ctx.actor, 'customer.read');
  return keyAccountSettings(ctx.db);
}

export async function setKeyAccountSettings(ctx: ServiceContext, value: KeyAccountSettingsType): Promise<KeyAccountSettingsType> {
  authorize(ctx.actor, 'settings.manage');
  const before = await keyAccountSettings(ctx.db);
  await ctx.transact(async (trx) => {
    await writeSetting(trx, KEY_ACCOUNTS, value, ctx.now(), ctx.actor.userId);
    await recordAudit(trx, ctx, { action: 'settings.key_accounts', entityType: 'settings', entityId: KEY_ACCOUNTS, before, after: value });
    await rankKeyAccounts(trx, ctx.now());
  });
  return keyAccountSettings(ctx.db);
}

/** customers.key_account / key_account_rank again: the top N of the default year. */
export async function rankKeyAccounts(db: Kysely<DB>, at: string): Promise<void> {
  const year = defaultYear(await repo.consumptionYears(db));
  if (year === null) return;
  const { top } = await keyAccountSettings(db);
  const rows = await repo.largestOfYear(db, year, top);
  await repo.markKeyAccounts(
    db,
    rows.map((r, i) => ({ customerId: r.customer_id, rank: i + 1 })),
    at,
  );
}

/** GET /api/key-accounts: the year's largest customers with their shares, from consumption_years (one row a customer). */
export async function keyAccounts(
  ctx: ServiceContext,
  query: { year?: number | undefined; top?: number | undefined; accountManagerId?: number | undefined },
): Promise<KeyAccounts> {
  authorize(ctx.actor, 'customer.read');
  const years = await repo.consumptionYears(ctx.db);
  const year = query.year ?? defaultYear(years);
  const top = query.top ?? (await keyAccountSettings(ctx.db)).top;
  if (year === null) return { year: null, years: years.map((y) => y.year), top, totalKwh: 0, topKwh: 0, topShare: 0, customers: 0, items: [] };
  const [total, rows] = await Promise.all([repo.yearTotal(ctx.db, year), repo.largestOfYear(ctx.db, year, top)]);
  const ranked = rankByConsumption(
    rows.map((r) => ({ ...r, customerId: r.customer_id, kwh: Number(r.kwh) })),
    total.kwh,
    top,
  );
  const topKwh = ranked.reduce((n, r) => n + r.item.kwh, 0);
  const everyUnit = await seesEveryUnit(ctx);
  const visible = everyUnit ? undefined : await visibleUnitIds(ctx);
  return {
    year,
    years: years.map((y) => y.year),
    top,
    totalKwh: total.kwh,
    topKwh,
    topShare: total.kwh > 0 ? topKwh / total.kwh : 0,
    customers: total.customers,
    items: ranked
      .filter((r) => query.accountManagerId === undefined || r.item.account_manager_id === query.accountManagerId)
      .filter((r) => !visible || visible.has(r.item.unit_id))
      .map((r) => ({
        customerId: r.item.customer_id,
        accountNo: r.item.account_no,
        name: r.item.name,
        customerClass: r.item.customer_class,
        important: r.item.important === 1,
        annualKwh: r.item.kwh,
        share: r.share,
        cumulativeShare: r.cumulativeShare,
        rank: r.rank,
        accountManagerId: r.item.account_manager_id,
        accountManagerName: r.item.manager_name ?? null,
      })),
  };
}

const CLASS_NAMES: Record<string, string> = { residential: '居民', non_residential_low: '低压非居民', high_voltage: '高压', self_transformer: '自备变' };

/** The list as a workbook. */
export async function keyAccountsWorkbook(list: KeyAccounts): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(`核心客户 ${list.year ?? ''}`.trim());
  sheet.columns = [
    { header: '排名', width: 6 },
    { header: '户号', width: 14 },
    { header: '客户名称', width: 30 },
    { header: '用电类别', width: 12 },
    { header: '重要客户', width: 9 },
    { header: '年用电量（kWh）', width: 16 },
    { header: '占比', width: 9 },
    { header: '累计占比', width: 10 },
    { header: '客户经理', width: 10 },
  ];
  for (const i of list.items)
    sheet.addRow([
      i.rank,
      i.accountNo,
      i.name,
      CLASS_NAMES[i.customerClass] ?? i.customerClass,
      i.important ? '是' : '',
      i.annualKwh,
      i.share,
      i.cumulativeShare,
      i.accountManagerName ?? '',
    ]);
  sheet.getColumn(7).numFmt = '0.00%';
  sheet.getColumn(8).numFmt = '0.00%';
  sheet.getColumn(6).numFmt = '#,##0';
  sheet.getRow(1).font = { bold: true };
  sheet.addRow([]);
  sheet.addRow(['', '', `前 ${list.top} 户合计`, '', '', list.topKwh, list.topShare]);
  sheet.addRow(['', '', '全年总用电量', '', '', list.totalKwh]);
  return workbookBytes(book);
}

// ── the account manager's desk ─────────────────────────────────────────────
