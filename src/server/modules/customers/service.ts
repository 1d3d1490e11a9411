import type { z } from 'zod';
import type { CustomerLookup, CustomerMessagingBody, Places } from '../../../shared/schemas/demands.js';
import { recordAudit } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import type { ServiceContext } from '../../platform/context.js';
import { authorize } from '../../platform/policy.js';
import { unitNames } from '../org/directory.js';
import { seesEveryUnit, visibleUnitIds } from '../org/service.js';
import { findMessaging, indexCustomerNames as indexNames, lookupCustomers, placesByName, recentCasesOf, setMessaging, stationOfPlace } from './repository.js';
import * as repo from './repository.js';
import { nameGrams } from '../../platform/text.js';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type {
  ConsumptionImportResult,
  Contact,
  ContactsBody,
  CustomerRecord,
  Desk,
  KeyAccounts,
  KeyAccountSettings as KeyAccountSettingsType,
} from '../../../shared/schemas/customers.js';
import { KeyAccountSettings, type AccountManagers } from '../../../shared/schemas/customers.js';
import { AppError, invalid } from '../../platform/errors.js';
import { notify } from '../../platform/notify.js';
import { readSetting, writeSetting } from '../../platform/settings.js';
import { cellText, readWorkbook, workbookBytes } from '../../platform/xlsx.js';
import { localDate } from '../../../shared/time.js';
import {
  checkConsumptionRows,
  consumptionColumns,
  defaultYear,
  monthsUpTo,
  parseCsv,
  rankByConsumption,
  yearOf,
  type ConsumptionCells,
  type Rejection,
} from './rules.js';

const RECENT_DAYS = 90;

/** The screen pop: customers by phone, 户号 or any part of a name, with their open and recent cases. */
export async function lookup(
  ctx: ServiceContext,
  query: { phone?: string | undefined; accountNo?: string | undefined; q?: string | undefined },
): Promise<z.infer<typeof CustomerLookup>> {
  authorize(ctx.actor, 'customer.read');
  const unitIds = (await seesEveryUnit(ctx)) ? undefined : [...(await visibleUnitIds(ctx))];
  // A name is found by any part of two characters or more; digits (户号, phone) by their beginning.
  const grams = query.q !== undefined && !/^\d+$/.test(query.q) ? nameGrams(query.q) : undefined;
  const rows = await lookupCustomers(ctx.db, { ...query, unitIds, nameGrams: grams });
  const since = new Date(Date.parse(ctx.now()) - RECENT_DAYS * 86_400_000).toISOString();
  const cases = await recentCasesOf(
    ctx.db,
    rows.map((r) => ({ accountNo: r.account_no, phone: r.phone })),
    since,
    unitIds,
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      accountNo: r.account_no,
      name: r.name,
      phone: r.phone,
      address: r.address,
      customerClass: r.customer_class,
      important: r.important === 1,
      areaClass: r.area_class as 'urban' | 'rural' | 'remote',
      stationId: r.unit_id,
      stationName: r.station_name,
      districtId: r.district_id,
      districtName: r.district_name,
      feederId: r.feeder_id,
      feederName: r.feeder_name,
      messaging: { channel: r.message_channel === 'email' ? ('email' as const) : ('sms' as const), email: r.email, optOut: r.messages_opt_out === 1 },
      // The customer's cases, one entry each however many calls it has, the case with the newest call first.
      recentDemands: cases
        .filter(
          (c, i) =>
            (c.account_no === r.account_no || c.phone === r.phone) &&
            cases.findIndex((o) => o.id === c.id && (o.account_no === r.account_no || o.phone === r.phone)) === i,
        )
        .slice(0, 10)
        .map((c) => ({
          id: c.id,
          number: c.number,
          type: c.type,
          category: c.category,
          status: c.status,
          callCount: c.call_count,
          createdAt: c.created_at,
          lastCallAt: c.lastCallAt,
          closedAt: c.closed_at,
        })),
    })),
  };
}

/** A fault's place: 台区 and feeders by a part of their name, with the station a repair there goes to. */
export async function places(ctx: ServiceContext, q: string): Promise<Places> {
  authorize(ctx.actor, 'customer.read');
  const { districts, feeders } = await placesByName(ctx.db, q, 20);
  const stations = new Map(
    (
      await unitNames(
        ctx.db,
        feeders.flatMap((f) => (f.station_id === null ? [] : [f.station_id])),
      )
    ).map((u) => [u.id, u.name]),
  );
  return {
    items: [
      ...feeders.map((f) => ({
        kind: 'feeder' as const,
        id: f.id,
        name: f.name,
        stationId: f.station_id,
        stationName: f.station_id === null ? null : (stations.get(f.station_id) ?? null),
        feederName: f.name,
      })),
      ...districts.map((d) => ({
        kind: 'district' as const,
        id: d.id,
        name: d.name,
        stationId: d.station_id,
        stationName: d.station_name,
        feederName: d.feeder_name,
      })),
    ],
  };
}

/** The station a repair at this 台区 or feeder goes to, for the intake; undefined when there is no such place. */
export async function stationOfFaultPlace(db: ServiceContext['db'], place: { districtId?: number | undefined; feederId?: number | undefined }) {
  return stationOfPlace(db, place);
}

/** Keeps the index of customers' names (their two-character pieces) up with the customers added. */
export async function indexCustomerNames(db: ServiceContext['db']): Promise<number> {
  return indexNames(db, nameGrams);
}

/** What the customer asked about being told (the agent on the call records it): the channel, the e-mail, opting out of non-essential messages. */
export async function setCustomerMessaging(ctx: ServiceContext, id: number, body: CustomerMessagingBody) {
  authorize(ctx.actor, 'customer.messaging');
  const before = await findMessaging(ctx.db, id);
  if (!before || !(await visibleUnitIds(ctx)).has(before.unit_id)) throw notFound('customer');
  const after = {
    message_channel: body.channel,
    email: body.email ?? (body.channel === 'sms' ? before.email : null),
    messages_opt_out: body.optOut ? (1 as const) : (0 as const),
  };
  await ctx.transact(async (trx) => {
    await setMessaging(trx, id, after, ctx.now());
    await recordAudit(trx, ctx, {
      action: 'customer.messaging',
      entityType: 'customer',
      entityId: id,
      unitId: before.unit_id,
      before: { channel: before.message_channel, email: before.email, optOut: before.messages_opt_out === 1 },
      after: { channel: after.message_channel, email: after.email, optOut: body.optOut },
    });
  });
  return { id, channel: body.channel, email: after.email, optOut: body.optOut };
}

// ── the customer record (issue 17) ─────────────────────────────────────────

const RECORD_DEMANDS = 500;

/** The customer if the caller may see them (a handler: their units' customers), else 404. */
async function visibleCustomer(ctx: ServiceContext, id: number) {
  const row = await repo.findCustomerRecord(ctx.db, id);
  if (!row || !(await visibleUnitIds(ctx)).has(row.unit_id)) throw notFound('customer');
  return row;
}

/** The groups whose standing plans apply to the customer. */
export function segmentsOf(c: { key_account: number; important: number; customer_class: string }): string[] {
  return [
    ...(c.key_account === 1 ? ['key_accounts'] : []),
    ...(c.customer_class === 'residential' ? ['residential_lv'] : []),
    ...(c.important === 1 ? ['important'] : []),
  ];
}

const presentContact = (c: Awaited<ReturnType<typeof repo.contactsOf>>[number]): Contact => ({
  id: c.id,
  name: c.name,
  role: c.role as Contact['role'],
  phone: c.phone,
  email: c.email,
  note: c.note,
});

/** GET /api/customers/:id: everything about the customer at once. */
export async function customerRecord(ctx: ServiceContext, id: number): Promise<CustomerRecord> {
  authorize(ctx.actor, 'customer.read');
  const c = await visibleCustomer(ctx, id);
  const now = ctx.now();
  const thisMonth = localDate(new Date(now), ctx.timeZone).slice(0, 7);
  const [contacts, consumption, demands, outages, plans, activities, applications] = await Promise.all([
    repo.contactsOf(ctx.db, id),
    repo.consumptionOf(ctx.db, id, monthsUpTo(thisMonth, 25)[0]!),
    repo.demandsOfCustomer(ctx.db, c.account_no, c.phone, RECORD_DEMANDS),
    repo.outagesOfCustomer(ctx.db, c, 100),
    repo.plansOfCustomer(ctx.db, id, segmentsOf(c)),
    repo.activitiesOfCustomer(ctx.db, id),
    repo.applicationsOfCustomer(ctx.db, id),
  ]);
  const months = consumption.months.slice(-24);
  const calls = [
    ...demands.own.map((d) => ({ ...d, matchedBy: 'customer' as const })),
    ...demands.byPhone.map((d) => ({ ...d, matchedBy: 'phone' as const })),
  ].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id));
  return {
    id: c.id,
    accountNo: c.account_no,
    name: c.name,
    phone: c.phone,
    address: c.address,
    customerClass: c.customer_class as CustomerRecord['customerClass'],
    areaClass: c.area_class as CustomerRecord['areaClass'],
    important: c.important === 1,
    keyAccount: c.key_account === 1,
    keyAccountRank: c.key_account_rank,
    messaging: { channel: c.message_channel === 'email' ? 'email' : 'sms', email: c.email, optOut: c.messages_opt_out === 1 },
    network: {
      stationId: c.unit_id,
      stationName: c.station_name,
      countyId: c.county_id,
      countyName: c.county_name,
      feederId: c.feeder_id,
      feederName: c.feeder_name,
      districtId: c.district_id,
      districtName: c.district_name,
    },
    accountManagerId: c.account_manager_id,
    accountManager: c.account_manager_id === null ? null : { id: c.account_manager_id, name: c.manager_name ?? '', phone: c.manager_phone ?? null },
    contacts: contacts.map(presentContact),
    consumption: {
      months: months.map((m) => ({ month: m.month, kwh: Number(m.kwh) })),
      years: consumption.years.map((y) => ({ year: y.year, kwh: Number(y.kwh), months: y.months })),
    },
    demands: calls.map((d) => ({
      id: d.id,
      number: d.number,
      channel: d.channel,
      type: d.type,
      category: d.category,
      status: d.status,
      createdAt: d.created_at,
      closedAt: d.closed_at,
      caseId: d.case_id !== null && d.case_id !== d.id ? d.case_id : null,
      callCount: d.call_count,
      matchedBy: d.matchedBy,
      accountNo: d.account_no,
    })),
    outages: [...new Map(outages.map((o) => [o.id, o])).values()].map((o) => ({
      id: o.id,
      number: o.number,
      kind: o.kind,
      status: o.status,
      cause: o.cause,
      startsAt: o.starts_at,
      expectedEndAt: o.expected_end_at,
      restoredAt: o.restored_at,
      scope: o.scope as 'customer' | 'district' | 'feeder',
    })),
    plans: plans.plans.map((p) => ({
      id: p.id,
      kind: p.kind,
      segment: p.segment,
      title: p.title,
      status: p.status,
      reason: p.reason,
      createdAt: p.created_at,
      actions: plans.actions
        .filter((a) => a.plan_id === p.id)
        .slice(0, 20)
        .map((a) => ({ id: a.id, text: a.text, dueOn: a.due_on, status: a.status, ownerName: a.owner_name })),
    })),
    activities: activities.map((a) => ({ id: a.id, kind: a.kind, heldOn: a.held_on, topic: a.topic, outcome: a.outcome, place: a.place })),
    applications: applications.map((a) => ({
      id: a.id,
      number: a.number,
      kind: a.kind,
      capacityKva: Number(a.capacity_kva),
      voltage: a.voltage,
      status: a.status,
      stage: a.stage,
      stageDueAt: a.stage_due_at,
      late: a.status === 'open' && a.stage_due_at !== null && a.stage_due_at < now,
      createdAt: a.created_at,
    })),
  };
}

/** PUT /api/customers/:id/contacts: the set replaces the old. */
export async function setContacts(ctx: ServiceContext, id: number, body: ContactsBody): Promise<{ items: Contact[] }> {
  authorize(ctx.actor, 'customer.manage');
  const c = await visibleCustomer(ctx, id);
  const before = await repo.contactsOf(ctx.db, id);
  await ctx.transact(async (trx) => {
    await repo.replaceContacts(trx, id, body.contacts, ctx.now());
    await recordAudit(trx, ctx, {
      action: 'customer.contacts',
      entityType: 'customer',
      entityId: id,
      unitId: c.unit_id,
      before: before.map(presentContact),
      after: body.contacts,
    });
  });
  return { items: (await repo.contactsOf(ctx.db, id)).map(presentContact) };
}

/** PUT /api/customers/:id/account-manager: an account manager (role account_manager) owns the customer; null: nobody. */
export async function assignAccountManager(ctx: ServiceContext, id: number, userId: number | null) {
  authorize(ctx.actor, 'customer.manage');
  const c = await visibleCustomer(ctx, id);
  let manager: { id: number; name: string; phone: string | null } | null = null;
  if (userId !== null) {
    const u = await repo.userWithRole(ctx.db, userId, 'account_manager');
    if (!u || u.active !== 1) throw invalid('userId', `no active user with id ${userId}`);
    if (u.role === null) throw invalid('userId', `${u.name} (user ${userId}) does not have the role account_manager`);
    manager = { id: u.id, name: u.name, phone: u.phone };
  }
  const at = ctx.now();
  await ctx.transact(async (trx) => {
    await repo.setAccountManager(trx, id, userId, at);
    if (manager && manager.id !== c.account_manager_id)
      await notify(trx, at, [{ userId: manager.id, kind: 'account_assigned', title: `客户经理：${c.name}（${c.account_no}）由您负责` }]);
    if (c.account_manager_id !== null && c.account_manager_id !== userId)
      await notify(trx, at, [{ userId: c.account_manager_id, kind: 'account_unassigned', title: `客户经理：${c.name}（${c.account_no}）不再由您负责` }]);
    await recordAudit(trx, ctx, {
      action: 'customer.account_manager',
      entityType: 'customer',
      entityId: id,
      unitId: c.unit_id,
      before: { accountManagerId: c.account_manager_id },
      after: { accountManagerId: userId },
    });
  });
  return { customerId: id, accountManagerId: userId, accountManager: manager };
}

/** GET /api/account-managers: whom a customer can be given to. */
export async function listAccountManagers(ctx: ServiceContext): Promise<z.infer<typeof AccountManagers>> {
  authorize(ctx.actor, 'customer.read');
  const rows = await repo.accountManagers(ctx.db);
  return { items: rows.map((r) => ({ id: r.id, name: r.name, phone: r.phone, unitName: r.unit_name, accounts: Number(r.accounts ?? 0) })) };
}

// ── consumption ────────────────────────────────────────────────────────────

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

/** GET /api/key-accounts: the year's largest customers with their shares, from consumption_years (one row a customer). */
export async function keyAccounts(
  ctx: ServiceContext,
  query: { year?: number | undefined; top?: number | undefined; accountManagerId?: number | undefined },
): Promise<KeyAccounts> {
  authorize(ctx.actor, 'customer.read');
  const years = await repo.consumptionYears(ctx.db);
  const year = query.year ?? defaultYear(years);
  const top = query.top ?? (await keyAccountSettings(ctx.db)).top;
  if (year === null) return { year: null, years, top, totalKwh: 0, topKwh: 0, topShare: 0, customers: 0, items: [] };
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
    years,
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

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** GET /api/customers/desk: the account manager's accounts, their open demands and applications, their actions due. */
export async function desk(ctx: ServiceContext): Promise<Desk> {
  authorize(ctx.actor, 'customer.read');
  const now = ctx.now();
  const today = localDate(new Date(now), ctx.timeZone);
  const years = await repo.consumptionYears(ctx.db);
  const year = defaultYear(years) ?? Number(today.slice(0, 4));
  const userId = ctx.actor.userId;
  const accounts = await repo.accountsOf(ctx.db, userId, year);
  const byAccountNo = new Map(accounts.map((a) => [a.account_no, a]));
  const [demands, applications, actions] = await Promise.all([
    repo.openDemandsOf(
      ctx.db,
      accounts.map((a) => a.account_no),
    ),
    repo.openApplicationsOf(
      ctx.db,
      userId,
      accounts.map((a) => a.id),
    ),
    repo.actionsDueOf(ctx.db, userId, addDays(today, 7)),
  ]);
  const demandsOf = new Map<string, number>();
  for (const d of demands) demandsOf.set(d.account_no!, (demandsOf.get(d.account_no!) ?? 0) + 1);
  const applicationsOf = new Map<number, number>();
  for (const a of applications) applicationsOf.set(a.customer_id, (applicationsOf.get(a.customer_id) ?? 0) + 1);
  const late = (a: { stage_due_at: string | null }) => a.stage_due_at !== null && a.stage_due_at < now;
  return {
    user: { id: userId, name: ctx.actor.name },
    year,
    counts: {
      accounts: accounts.length,
      openDemands: demands.length,
      openApplications: applications.length,
      lateApplications: applications.filter(late).length,
      actionsDue: actions.length,
    },
    accounts: accounts.map((a) => ({
      customerId: a.id,
      accountNo: a.account_no,
      name: a.name,
      customerClass: a.customer_class,
      important: a.important === 1,
      keyAccount: a.key_account === 1,
      keyAccountRank: a.key_account_rank,
      yearKwh: Number(a.kwh ?? 0),
      openDemands: demandsOf.get(a.account_no) ?? 0,
      openApplications: applicationsOf.get(a.id) ?? 0,
    })),
    demands: demands.map((d) => {
      const a = byAccountNo.get(d.account_no!)!;
      return {
        id: d.id,
        number: d.number,
        type: d.type,
        category: d.category,
        status: d.status,
        customerId: a.id,
        customerName: a.name,
        accountNo: a.account_no,
        createdAt: d.created_at,
        dueAt: (d.due_at as string | null) ?? null,
      };
    }),
    applications: applications.map((a) => ({
      id: a.id,
      number: a.number,
      customerId: a.customer_id,
      customerName: a.customer_name,
      stage: a.stage,
      stageDueAt: a.stage_due_at,
      late: late(a),
    })),
    actions: actions.map((a) => ({
      id: a.id,
      text: a.text,
      dueOn: a.due_on,
      overdue: a.due_on < today,
      customerId: a.customer_id,
      customerName: a.customer_name,
      planId: a.plan_id,
      activityId: a.activity_id,
    })),
  };
}
