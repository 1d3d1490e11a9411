import type { Kysely } from 'kysely';
import type {
  Affecting,
  AffectingQuery,
  ListOutagesQuery,
  Outage,
  OutageCustomers,
  OutageDetail,
  OutageKind,
  OutageStatus,
  PublicOutages,
} from '../../../shared/schemas/outages.js';
import type { DB } from '../../db/types.js';
import type { ServiceContext } from '../../platform/context.js';
import { invalid, notFound } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { outageCallCounts, outageCalls } from '../demands/outage-calls.js';
import { messageCounts } from '../messages/service.js';
import { seesEveryUnit, visibleUnitIds } from '../org/service.js';
import * as repo from './repository.js';

// Reading outages: the list and one outage with the 台区 and customers it cuts,
// the outages over a caller (the intake's banner), and the public feed.

/** How far ahead an announced outage is shown to the agent of a caller it will cut. */
const UPCOMING_DAYS = 14;

export function presentOutage(row: repo.OutageRow, counts: { calls: number; open: number } | undefined): Outage {
  return {
    id: row.id,
    number: row.number,
    kind: row.kind as OutageKind,
    status: row.status as OutageStatus,
    unitId: row.unit_id,
    unitName: row.unit_name,
    cause: row.cause,
    notice: row.notice,
    area: row.area,
    startsAt: row.starts_at,
    expectedEndAt: row.expected_end_at,
    noticeDueAt: row.notice_due_at,
    lateNoticeReason: row.late_notice_reason,
    affectedCustomers: row.affected_customers,
    calls: counts?.calls ?? 0,
    openCalls: counts?.open ?? 0,
    masterDemandId: row.master_demand_id,
    startedAt: row.started_at,
    restoredAt: row.restored_at,
    cancelledAt: row.cancelled_at,
    cancelReason: row.cancel_reason,
    createdAt: row.created_at,
    createdByName: row.created_by_name,
    version: row.version,
  };
}

async function presentMany(db: Kysely<DB>, rows: repo.OutageRow[]): Promise<Outage[]> {
  const counts = await outageCallCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => presentOutage(r, counts.get(r.id)));
}

/** The outage if the caller's units include its own; 404 otherwise, as if it did not exist. */
export async function visibleOutage(ctx: ServiceContext, id: number): Promise<repo.OutageRow> {
  const row = await repo.findOutage(ctx.db, id);
  if (!row || !(await visibleUnitIds(ctx)).has(row.unit_id)) throw notFound('outage');
  return row;
}

export async function listOutages(ctx: ServiceContext, query: ListOutagesQuery) {
  authorize(ctx.actor, 'outage.read');
  const visible = (await seesEveryUnit(ctx)) ? undefined : [...(await visibleUnitIds(ctx))];
  if (query.unitId !== undefined && visible && !visible.includes(query.unitId)) return { items: [], total: 0 };
  const statuses = query.status
    ? [query.status]
    : query.active === 'true'
      ? ['announced', 'in_progress']
      : query.active === 'false'
        ? ['restored', 'cancelled']
        : [];
  const { items, total } = await repo.listOutages(
    ctx.db,
    { statuses, kind: query.kind, unitIds: query.unitId !== undefined ? [query.unitId] : visible, late: query.late === 'true' },
    { limit: query.pageSize, offset: (query.page - 1) * query.pageSize },
  );
  return { items: await presentMany(ctx.db, items), total };
}

export async function getOutage(ctx: ServiceContext, id: number): Promise<OutageDetail> {
  authorize(ctx.actor, 'outage.read');
  const row = await visibleOutage(ctx, id);
  const scope = await repo.scopeOf(ctx.db, id);
  const districts = districtsOf(row);
  const [names, counts, messages, calls, events] = await Promise.all([
    repo.placeNames(ctx.db, scope.districtIds, scope.feederIds),
    outageCallCounts(ctx.db, [id]),
    messageCounts(ctx.db, { outageId: id }),
    outageCalls(ctx.db, id, 200),
    repo.eventsOf(ctx.db, id),
  ]);
  return {
    ...presentOutage(row, counts.get(id)),
    scope: {
      feeders: names.feeders.map((f) => ({ id: f.id, name: f.name })),
      districts: names.districts.map((d) => ({ id: d.id, name: d.name, feederName: d.feeder_name })),
      customers: scope.customerIds.length,
    },
    districts,
    messages,
    callList: calls.map((c) => ({
      id: c.id,
      number: c.number,
      createdAt: c.created_at,
      customerName: c.customer_name,
      status: c.status,
      role: c.id === row.master_demand_id || c.parent_id === null ? ('master' as const) : ('child' as const),
    })),
    timeline: events.map((e) => ({
      id: e.id,
      at: e.at,
      kind: e.kind,
      actorName: e.actor_name,
      note: e.note,
      data: e.data_json === null ? null : JSON.parse(e.data_json),
    })),
  };
}

export async function outageCustomers(
  ctx: ServiceContext,
  id: number,
  query: { page: number; pageSize: number; districtId?: number | undefined },
): Promise<OutageCustomers> {
  authorize(ctx.actor, 'outage.read');
  const row = await visibleOutage(ctx, id);
  const scope = await repo.scopeOf(ctx.db, id);
  const rows = await repo.customersPage(ctx.db, scope, { limit: query.pageSize, offset: (query.page - 1) * query.pageSize, districtId: query.districtId });
  // The counts of its announcement (the customers its notices went to), in all or of the 台区 asked for.
  const total = query.districtId === undefined ? row.affected_customers : (districtsOf(row).find((d) => d.id === query.districtId)?.customers ?? 0);
  return {
    items: rows.map((r) => ({ customerId: r.id, accountNo: r.account_no, name: r.name, phone: r.phone, districtName: r.district_name })),
    total,
  };
}

/** The 台区 an outage cuts with their customers, as counted when it was announced. */
function districtsOf(row: repo.OutageRow): OutageDetail['districts'] {
  return JSON.parse(row.districts_json) as OutageDetail['districts'];
}

/** The place of a caller: the customers by id or phone, or a 台区 or feeder, with the feeders above them. */
async function placeOf(db: Kysely<DB>, q: AffectingQuery) {
  const customerIds: number[] = [];
  const districtIds: number[] = [];
  const feederIds: number[] = [];
  const customers =
    q.customerId !== undefined ? [await repo.customerPlace(db, q.customerId)] : q.phone !== undefined ? await repo.customersByPhone(db, q.phone) : [];
  for (const c of customers) {
    if (!c) continue;
    customerIds.push(c.id);
    districtIds.push(c.district_id);
    feederIds.push(c.feeder_id);
  }
  if (q.districtId !== undefined) {
    const d = await repo.feederOfDistrict(db, q.districtId);
    if (!d) throw invalid('districtId', `no 台区 with id ${q.districtId}`);
    districtIds.push(d.id);
    feederIds.push(d.feeder_id);
  }
  if (q.feederId !== undefined) feederIds.push(q.feederId);
  return { customerIds, districtIds, feederIds };
}

/** The outages over a caller now, and those announced to start within two weeks (the agent can tell of them). */
export async function affecting(ctx: ServiceContext, q: AffectingQuery): Promise<Affecting> {
  authorize(ctx.actor, 'outage.read');
  const now = ctx.now();
  const rows = await repo.liveOutagesOver(ctx.db, await placeOf(ctx.db, q));
  const horizon = new Date(Date.parse(now) + UPCOMING_DAYS * 86_400_000).toISOString();
  const outages = await presentMany(ctx.db, rows);
  return {
    active: outages.filter((o) => o.startsAt <= now),
    upcoming: outages.filter((o) => o.startsAt > now && o.startsAt <= horizon).reverse(),
  };
}

export async function listFeeders(ctx: ServiceContext, unitId: number | undefined) {
  authorize(ctx.actor, 'outage.read');
  const visible = (await seesEveryUnit(ctx)) ? undefined : [...(await visibleUnitIds(ctx))];
  const unitIds = unitId !== undefined ? (visible && !visible.includes(unitId) ? [] : [unitId]) : visible;
  return (await repo.feeders(ctx.db, unitIds)).map((f) => ({
    id: f.id,
    name: f.name,
    unitId: f.unit_id,
    unitName: f.unit_name,
    customers: Number(f.customers),
  }));
}

export async function listDistricts(ctx: ServiceContext, where: { feederId?: number | undefined; unitId?: number | undefined }) {
  authorize(ctx.actor, 'outage.read');
  const visible = (await seesEveryUnit(ctx)) ? undefined : [...(await visibleUnitIds(ctx))];
  const unitIds = where.unitId !== undefined ? (visible && !visible.includes(where.unitId) ? [] : [where.unitId]) : visible;
  return (await repo.districts(ctx.db, { feederId: where.feederId, unitIds })).map((d) => ({
    id: d.id,
    name: d.name,
    feederId: d.feeder_id,
    unitId: d.unit_id,
    customers: Number(d.customers),
  }));
}

/**
 * The public feed (no sign-in): announced and running outages over feeders or
 * 台区, grouped by the unit that owns them. An outage of single customers is
 * left out (it would point at a household), and nothing personal is in it.
 */
export async function publicOutages(db: Kysely<DB>, now: string, unitId: number | undefined): Promise<PublicOutages> {
  const { items } = await repo.listOutages(
    db,
    { statuses: ['announced', 'in_progress'], unitIds: unitId === undefined ? undefined : [unitId] },
    { limit: 500, offset: 0 },
  );
  const shown = [];
  for (const o of items) {
    const scope = await repo.scopeOf(db, o.id);
    if (scope.feederIds.length + scope.districtIds.length > 0) shown.push(o);
  }
  const areas = new Map<number, PublicOutages['areas'][number]>();
  for (const o of shown.sort((a, b) => a.starts_at.localeCompare(b.starts_at))) {
    const area = areas.get(o.unit_id) ?? { unitId: o.unit_id, unitName: o.unit_name, outages: [] };
    area.outages.push({
      number: o.number,
      kind: o.kind as OutageKind,
      status: o.status as OutageStatus,
      area: o.area,
      cause: o.cause,
      startsAt: o.starts_at,
      expectedEndAt: o.expected_end_at,
      notice: o.notice,
    });
    areas.set(o.unit_id, area);
  }
  return { generatedAt: now, areas: [...areas.values()].sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh-CN')) };
}
