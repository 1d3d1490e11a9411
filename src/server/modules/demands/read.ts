import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Demand, DemandDetail, DemandList, ListDemandsQuery, Task } from '../../../shared/schemas/demands.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { deadlinesOf } from '../deadlines/service.js';
import { seesEveryUnit, visibleUnitIds } from '../org/service.js';
import { outagePort } from './outage-calls.js';
import * as repo from './repository.js';
import { queryWords } from '../../platform/text.js';
import { rollupTotal, rollupTotalOf } from './totals.js';

// Reading demands: the presenters (allow-lists) and the unit bound.

type DeadlineRow = Awaited<ReturnType<typeof deadlinesOf>>[number];

/**
 * A demand row as presented; `owner_name` and `owner_since` (its last hand-over) are
 * read beside it where known: a new demand is its registering agent's since its registration.
 */
type PresentedRow = Omit<repo.DemandRow, 'owner_name'> & { owner_name?: string | null; owner_since?: string | undefined };

export function presentDemand(row: PresentedRow, deadlines: DeadlineRow[], now: string): Demand {
  return {
    id: row.id,
    number: row.number,
    channel: row.channel as Demand['channel'],
    type: row.type as Demand['type'],
    category: row.category as Demand['category'],
    subcategory: row.subcategory,
    source: row.source as Demand['source'],
    priority: row.priority as Demand['priority'],
    sensitive: row.sensitive === 1,
    customer: { id: row.customer_id, accountNo: row.account_no, name: row.customer_name, phone: row.phone, important: row.important === 1 },
    content: row.content,
    areaClass: row.area_class as Demand['areaClass'],
    unitId: row.unit_id,
    unitName: row.unit_name,
    stationId: row.station_id,
    status: row.status as Demand['status'],
    escalationLevel: row.escalation_level,
    caseId: row.case_id,
    callCount: row.call_count,
    repeatOf: row.repeat_of,
    repeatCount: row.repeat_count,
    faultAddress: row.fault_address,
    callbackAttempts: row.callback_attempts,
    answer: row.answer,
    deadlines: deadlines
      .filter((d) => d.demand_id === row.id && d.cancelled_at === null)
      .map((d) => ({
        id: d.id,
        step: d.step,
        taskId: d.task_id,
        startedAt: d.started_at,
        dueAt: d.due_at,
        warnAt: d.warn_at,
        metAt: d.met_at,
        overdue: (d.met_at ?? now) > d.due_at,
      })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    version: row.version,
    firstHandling: {
      unitId: row.first_unit_id,
      resolved: row.first_resolved === null ? null : row.first_resolved === 1,
      reason: row.unresolved_reason as Demand['firstHandling']['reason'],
      at: row.first_handled_at,
    },
    outageId: row.outage_id,
    parentId: row.parent_id,
    verdict:
      row.verdict === null
        ? null
        : { verdict: row.verdict as 'unfounded' | 'founded', reason: row.verdict_reason ?? '', byId: row.verdict_by, at: row.verdict_at ?? row.updated_at },
    ownerId: row.owner_id,
    ownerName: row.owner_name ?? null,
    ownerSince: row.owner_id === null ? null : (row.owner_since ?? row.created_at),
  };
}

export function presentTask(row: Awaited<ReturnType<typeof repo.tasksOf>>[number]): Task {
  return {
    id: row.id,
    demandId: row.demand_id,
    kind: row.kind,
    unitId: row.unit_id,
    unitName: row.unit_name,
    status: row.status,
    instructions: row.instructions,
    report: row.report_json === null ? null : JSON.parse(row.report_json),
    returnReason: row.return_reason,
    createdAt: row.created_at,
    acceptedAt: row.accepted_at,
    arrivedAt: row.arrived_at,
    handledAt: row.handled_at,
    urgeCount: row.urge_count,
    urgedAt: row.urged_at,
    version: row.version,
  };
}

/** The units whose demands the caller sees; undefined when that is every unit (the centre, in a one-bureau company). */
export async function demandScope(ctx: ServiceContext): Promise<number[] | undefined> {
  return (await seesEveryUnit(ctx)) ? undefined : [...(await visibleUnitIds(ctx))];
}

/**
 * The demand, if the caller may see it: by its responsible unit, or because
 * one of the caller's units handles its case (a call of the case or an order
 * of it): the station repairing the hotel's line sees the province's forward
 * that joined the case.
 */
export async function visibleDemand(ctx: ServiceContext, id: number, db: Kysely<DB> = ctx.db): Promise<repo.DemandRow> {
  const row = await repo.findDemand(db, id);
  if (!row) throw notFound('demand');
  const scope = await visibleUnitIds(ctx);
  if (scope.has(row.unit_id)) return row;
  if ((await repo.unitsOfCase(db, row.case_id ?? row.id)).some((unitId) => scope.has(unitId))) return row;
  throw notFound('demand');
}

/** The case of a demand with its calls, when it has more than one. */
export async function caseOf(db: Kysely<DB>, row: repo.DemandRow): Promise<DemandDetail['case']> {
  const caseId = row.case_id ?? row.id;
  const first = caseId === row.id ? row : await repo.findDemand(db, caseId);
  if (!first || first.call_count <= 1) return null;
  return {
    id: first.id,
    number: first.number,
    status: first.status as Demand['status'],
    escalationLevel: first.escalation_level,
    callCount: first.call_count,
    calls: await callsOf(db, caseId),
  };
}

/** A case's calls, first to last, numbered from 1. */
export async function callsOf(db: Kysely<DB>, caseId: number): Promise<NonNullable<DemandDetail['case']>['calls']> {
  const calls = await repo.callsOfCase(db, caseId);
  return calls.map((c, i) => ({
    id: c.id,
    number: c.number,
    ordinal: i + 1,
    channel: c.channel as Demand['channel'],
    type: c.type as Demand['type'],
    category: c.category as Demand['category'],
    source: c.source as Demand['source'],
    content: c.content,
    customerName: c.customer_name,
    phone: c.phone,
    createdAt: c.created_at,
    createdByName: c.created_by_name,
  }));
}

export async function getDemand(ctx: ServiceContext, id: number): Promise<DemandDetail> {
  authorize(ctx.actor, 'demand.read');
  const row = await visibleDemand(ctx, id);
  const [deadlines, tasks, timeline, theCase, outage] = await Promise.all([
    deadlinesOf(ctx.db, [id]),
    repo.tasksOf(ctx.db, id),
    repo.timelineOf(ctx.db, id),
    caseOf(ctx.db, row),
    row.outage_id === null ? undefined : outagePort()?.describe(ctx.db, row.outage_id),
  ]);
  const handedOver = timeline.findLast((e) => e.kind === repo.HANDED_OVER);
  return {
    ...presentDemand({ ...row, owner_since: handedOver?.at }, deadlines, ctx.now()),
    // A joined call counts its case's calls.
    ...(theCase && { callCount: theCase.callCount }),
    outage: outage ?? null,
    tasks: tasks.map(presentTask),
    timeline: timeline.map(presentTimelineEntry),
    case: theCase,
  };
}

export function presentTimelineEntry(e: Awaited<ReturnType<typeof repo.timelineOf>>[number]): DemandDetail['timeline'][number] {
  return {
    id: e.id,
    at: e.at,
    kind: e.kind,
    actorId: e.actor_id,
    actorName: e.actor_name,
    taskId: e.task_id,
    note: e.note,
    data: e.data_json === null ? null : JSON.parse(e.data_json),
  };
}

export async function listDemands(ctx: ServiceContext, query: ListDemandsQuery): Promise<DemandList> {
  authorize(ctx.actor, 'demand.read');
  const now = ctx.now();
  const words = query.q === undefined ? undefined : queryWords(query.q);
  if (query.owner !== undefined && query.ownerId !== undefined) {
    const message = 'give owner=me or ownerId, not both';
    throw new AppError('validation', `querystring.ownerId: ${message}`, [{ path: 'querystring.ownerId', message }]);
  }
  const ownerId = query.owner === 'me' ? ctx.actor.userId : query.ownerId;
  const unitIds = await demandScope(ctx);
  // The exact total from the rollup where it counts what the list shows (totals.ts); else counted up to 1,000.
  const asked = rollupTotalOf({ ...query, ownerId }, unitIds === undefined, ctx.timeZone);
  const exact = asked === null ? undefined : await rollupTotal(ctx.db, asked, new Date(now), ctx.timeZone);
  const { rows, total, totalCapped } = await repo.listDemands(ctx.db, { ...query, ownerId, unitIds, now, dialect: ctx.dialect, words }, exact);
  const ids = rows.map((r) => r.id);
  const [deadlines, handedOver] = await Promise.all([deadlinesOf(ctx.db, ids), repo.lastHandOvers(ctx.db, ids)]);
  return { items: rows.map((row) => presentDemand({ ...row, owner_since: handedOver.get(row.id) }, deadlines, now)), total, totalCapped };
}
