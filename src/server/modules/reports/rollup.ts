import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { boundsOfDays, changedDays, changedDemands, refreshRollup, rollupState, runsOf } from '../../db/rollups.js';
import type { DB, DeadlineRollupItemTable, DemandRollupItemTable } from '../../db/types.js';
import { AppError } from '../../platform/errors.js';
import { localDate } from '../../../shared/time.js';
import {
  addCounts,
  addDeadlineItems,
  addDemandItems,
  addPlaceItems,
  deadlineItem,
  demandItem,
  itemChanges,
  sameDeadlineItem,
  sameItem,
  type DeadlineCounts,
  type DeadlineItem,
  type DemandCounts,
  type DemandItem,
  type PlaceCounts,
  type RollupDeadline,
  type Standing,
} from './rules.js';

// The demand and deadline rollups (demand_rollup, place_rollup,
// deadline_rollup): kept by the scheduler a day at a time (db/rollups.ts),
// read by the reports, the dashboards and the list totals. Beside each day's
// rows the scheduler keeps what it counted for each demand and deadline
// (demand_rollup_items, deadline_rollup_items). A reader sums the rollup's
// rows, takes out the items of the demands changed since the refresh and
// adds what those demands are now (pendingRows): exact at any lag, at the
// cost of the changes. Before the first refresh, the days are counted whole
// from the demands.

export const DEMANDS_ROLLUP = 'demands';

/** The demands read: those registered in [from, to), or these. */
type Scope = { from: string; to: string } | { ids: readonly number[] };

const idsOf = (scope: Scope): number[] | null => ('ids' in scope ? [...scope.ids] : null);
const spanOf = (scope: Scope): { from: string; to: string } | null => ('from' in scope ? scope : null);

/** The demands of a scope as the rollup counts them, with the ids of those that have a step past its limit at `now`. */
async function readDemands(db: Kysely<DB>, scope: Scope, now: string) {
  const ids = idsOf(scope);
  const span = spanOf(scope);
  const demands = await db
    .selectFrom('demands')
    .select([
      'id',
      'case_id',
      'created_at',
      'unit_id',
      'station_id',
      'category',
      'type',
      'channel',
      'closed_at',
      'call_count',
      'first_resolved',
      'callback_outcome',
    ])
    .$if(ids !== null, (q) => q.where('id', 'in', ids!))
    .$if(span !== null, (q) => q.where('created_at', '>=', span!.from).where('created_at', '<', span!.to))
    .execute();
  const late = await db
    .selectFrom('deadlines')
    .innerJoin('demands', 'demands.id', 'deadlines.demand_id')
    .select('deadlines.demand_id')
    .distinct()
    .$if(ids !== null, (q) => q.where('deadlines.demand_id', 'in', ids!))
    .$if(span !== null, (q) => q.where('demands.created_at', '>=', span!.from).where('demands.created_at', '<', span!.to))
    .where(sql<boolean>`deadlines.due_at < COALESCE(deadlines.met_at, deadlines.cancelled_at, ${now})`)
    .execute();
  return {
    demands: demands.map((d) => ({
      id: d.id,
      caseId: d.case_id,
      createdAt: d.created_at,
      unitId: d.unit_id,
      stationId: d.station_id,
      category: d.category,
      type: d.type,
      channel: d.channel,
      closedAt: d.closed_at,
      callCount: d.call_count,
      firstResolved: d.first_resolved,
      callbackOutcome: d.callback_outcome,
    })),
    overdue: new Set(late.map((r) => r.demand_id)),
  };
}

/** The deadlines of a scope's demands, each with the unit that owes the step (the work order's, else the demand's). */
async function readDeadlines(db: Kysely<DB>, scope: Scope): Promise<RollupDeadline[]> {
  const ids = idsOf(scope);
  const span = spanOf(scope);
  const rows = await db
    .selectFrom('deadlines')
    .innerJoin('demands', 'demands.id', 'deadlines.demand_id')
    .leftJoin('tasks', 'tasks.id', 'deadlines.task_id')
    .select([
      'deadlines.id',
      'deadlines.demand_id',
      'demands.created_at',
      'demands.unit_id as demand_unit_id',
      'tasks.unit_id as task_unit_id',
      'deadlines.step',
      'deadlines.due_at',
      'deadlines.met_at',
      'deadlines.cancelled_at',
    ])
    .$if(ids !== null, (q) => q.where('deadlines.demand_id', 'in', ids!))
    .$if(span !== null, (q) => q.where('demands.created_at', '>=', span!.from).where('demands.created_at', '<', span!.to))
    .execute();
  return rows.map((r) => ({
    id: r.id,
    demandId: r.demand_id,
    demandCreatedAt: r.created_at,
    unitId: r.task_unit_id ?? r.demand_unit_id,
    step: r.step,
    dueAt: r.due_at,
    metAt: r.met_at,
    cancelledAt: r.cancelled_at,
  }));
}

/** The items of a scope's demands and of their deadlines, as they stand at `now` (`only` one of the two). */
async function itemsOf(db: Kysely<DB>, scope: Scope, now: string, zone: string, only?: 'demands' | 'deadlines') {
  const demands: DemandItem[] = [];
  const deadlines: DeadlineItem[] = [];
  if (only !== 'deadlines') {
    const read = await readDemands(db, scope, now);
    for (const d of read.demands) demands.push(demandItem(d, read.overdue.has(d.id), zone));
  }
  if (only !== 'demands')
    for (const d of await readDeadlines(db, scope)) {
      const item = deadlineItem(d, now, zone);
      if (item) deadlines.push(item);
    }
  return { demands, deadlines };
}

/** The items the rollup holds for these demands and their deadlines, as it counted them. */
async function storedItems(db: Kysely<DB>, demandIds: readonly number[], only?: 'demands' | 'deadlines') {
  const demands =
    only === 'deadlines'
      ? []
      : (
          await db
            .selectFrom('demand_rollup_items')
            .selectAll()
            .where('demand_id', 'in', [...demandIds])
            .execute()
        ).map(demandItemOf);
  const deadlines =
    only === 'demands'
      ? []
      : (
          await db
            .selectFrom('deadline_rollup_items')
            .selectAll()
            .where('demand_id', 'in', [...demandIds])
            .execute()
        ).map(deadlineItemOf);
  return { demands, deadlines };
}

const demandItemOf = (r: Selectable<DemandRollupItemTable>): DemandItem => ({
  demandId: r.demand_id,
  day: r.day,
  unitId: r.unit_id,
  stationId: r.station_id,
  category: r.category,
  type: r.type,
  channel: r.channel,
  marks: r.marks,
});

const deadlineItemOf = (r: Selectable<DeadlineRollupItemTable>): DeadlineItem => ({
  deadlineId: r.deadline_id,
  demandId: r.demand_id,
  day: r.day,
  unitId: r.unit_id,
  step: r.step,
  standing: r.standing as Standing,
});

const CHUNK = 500;

async function writeRows(trx: Transaction<DB>, demands: DemandCounts[], places: PlaceCounts[], deadlines: DeadlineCounts[]) {
  for (let i = 0; i < places.length; i += CHUNK)
    await trx
      .insertInto('place_rollup')
      .values(places.slice(i, i + CHUNK).map((r) => ({ day: r.day, station_id: r.stationId, type: r.type, category: r.category, cases: r.cases })))
      .execute();
  for (let i = 0; i < demands.length; i += CHUNK)
    await trx
      .insertInto('demand_rollup')
      .values(
        demands.slice(i, i + CHUNK).map((r) => ({
          day: r.day,
          unit_id: r.unitId,
          category: r.category,
          type: r.type,
          channel: r.channel,
          calls: r.calls,
          cases: r.cases,
          closed: r.closed,
          overdue: r.overdue,
          repeated: r.repeated,
          handled: r.handled,
          first_resolved: r.firstResolved,
          satisfied: r.satisfied,
          unsatisfied: r.unsatisfied,
        })),
      )
      .execute();
  for (let i = 0; i < deadlines.length; i += CHUNK)
    await trx
      .insertInto('deadline_rollup')
      .values(
        deadlines
          .slice(i, i + CHUNK)
          .map((r) => ({ day: r.day, unit_id: r.unitId, step: r.step, total: r.total, in_time: r.inTime, late: r.late, running: r.running })),
      )
      .execute();
}

/**
 * Keeps the items of a run of days as counted now: writes those that differ
 * from the stored ones (a pass rebuilds today's thousands of demands every
 * few seconds; a few of them changed) and deletes those that count no more.
 */
async function storeItems(trx: Transaction<DB>, first: string, last: string, items: { demands: DemandItem[]; deadlines: DeadlineItem[] }) {
  const storedDemands = await trx.selectFrom('demand_rollup_items').selectAll().where('day', '>=', first).where('day', '<=', last).execute();
  const demands = itemChanges(new Map(storedDemands.map((r) => [r.demand_id, demandItemOf(r)])), items.demands, (i) => i.demandId, sameItem);
  for (let i = 0; i < demands.gone.length; i += CHUNK)
    await trx
      .deleteFrom('demand_rollup_items')
      .where('demand_id', 'in', demands.gone.slice(i, i + CHUNK))
      .execute();
  for (let i = 0; i < demands.write.length; i += CHUNK)
    await trx
      .insertInto('demand_rollup_items')
      .values(
        demands.write.slice(i, i + CHUNK).map((d) => ({
          demand_id: d.demandId,
          day: d.day,
          unit_id: d.unitId,
          station_id: d.stationId,
          category: d.category,
          type: d.type,
          channel: d.channel,
          marks: d.marks,
        })),
      )
      .onConflict((oc) =>
        oc.column('demand_id').doUpdateSet((eb) => ({
          day: eb.ref('excluded.day'),
          unit_id: eb.ref('excluded.unit_id'),
          station_id: eb.ref('excluded.station_id'),
          category: eb.ref('excluded.category'),
          type: eb.ref('excluded.type'),
          channel: eb.ref('excluded.channel'),
          marks: eb.ref('excluded.marks'),
        })),
      )
      .execute();

  const storedDeadlines = await trx.selectFrom('deadline_rollup_items').selectAll().where('day', '>=', first).where('day', '<=', last).execute();
  const deadlines = itemChanges(
    new Map(storedDeadlines.map((r) => [r.deadline_id, deadlineItemOf(r)])),
    items.deadlines,
    (i) => i.deadlineId,
    sameDeadlineItem,
  );
  for (let i = 0; i < deadlines.gone.length; i += CHUNK)
    await trx
      .deleteFrom('deadline_rollup_items')
      .where('deadline_id', 'in', deadlines.gone.slice(i, i + CHUNK))
      .execute();
  for (let i = 0; i < deadlines.write.length; i += CHUNK)
    await trx
      .insertInto('deadline_rollup_items')
      .values(
        deadlines.write.slice(i, i + CHUNK).map((d) => ({
          deadline_id: d.deadlineId,
          demand_id: d.demandId,
          day: d.day,
          unit_id: d.unitId,
          step: d.step,
          standing: d.standing,
        })),
      )
      .onConflict((oc) =>
        oc.column('deadline_id').doUpdateSet((eb) => ({
          demand_id: eb.ref('excluded.demand_id'),
          day: eb.ref('excluded.day'),
          unit_id: eb.ref('excluded.unit_id'),
          step: eb.ref('excluded.step'),
          standing: eb.ref('excluded.standing'),
        })),
      )
      .execute();
}

/** The scheduler's part: the demand and deadline rollups, and their items, brought up to date as of `now`; the days rebuilt. */
export async function refreshDemandRollups(db: Kysely<DB>, now: Date, zone: string): Promise<number> {
  const at = now.toISOString();
  return refreshRollup(db, DEMANDS_ROLLUP, now, zone, async (trx, first, last, bounds) => {
    const items = await itemsOf(trx, bounds, at, zone);
    await trx.deleteFrom('demand_rollup').where('day', '>=', first).where('day', '<=', last).execute();
    await trx.deleteFrom('deadline_rollup').where('day', '>=', first).where('day', '<=', last).execute();
    await trx.deleteFrom('place_rollup').where('day', '>=', first).where('day', '<=', last).execute();
    await writeRows(
      trx,
      [...addDemandItems(new Map(), items.demands).values()],
      [...addPlaceItems(new Map(), items.demands).values()],
      [...addDeadlineItems(new Map(), items.deadlines).values()],
    );
    await storeItems(trx, first, last, items);
  });
}

/** Before the rollup's first refresh, the most days a bounded reader counts whole (pendingRows' `maxChanged`). */
export const WHOLE_DAYS = 31;

/**
 * Before the rollup's first refresh, the most demands a report counts whole;
 * past it the report answers 503 with Retry-After until the pass is done (at
 * ten million demands the first pass takes some seven minutes).
 */
export const MAX_WHOLE = 200_000;

/**
 * A day of which at least one demand in WHOLE_SHARE changed is counted whole
 * rather than demand by demand: a demand read by its id costs about ten read
 * in its day's range (the benchmark's 10,000 changes over 23 days: 1.5 s one
 * by one at a million demands).
 */
export const WHOLE_SHARE = 10;

/** What a reader adds to the rollup's rows (signed: a change takes out what the rollup counted). */
export interface Pending {
  /** False before the rollup's first refresh: the rollup is not read, the rows below are the days counted whole. */
  fromRollup: boolean;
  /** Days counted whole (a large share of their demands changed): the rollup's rows of these days are left out. */
  wholeDays: string[];
  /** The demands changed since the refresh (or counted whole). */
  demands: number;
  demandRows: DemandCounts[];
  placeRows: PlaceCounts[];
  deadlineRows: DeadlineCounts[];
}

/**
 * What the rollup does not hold yet of the local days [fromDay, toDay), as
 * rows to add to its own: for each demand changed since the refresh (and
 * each with a step come due since), what it counts now less what the rollup
 * counted for it; a day much of which changed (WHOLE_SHARE), counted whole
 * instead, its rollup rows to be left out (`wholeDays`); before the first
 * refresh, every day counted from the demands. Null when more than
 * `maxChanged` demands changed.
 */
export async function pendingRows(
  db: Kysely<DB>,
  range: { fromDay: string; toDay: string },
  now: Date,
  zone: string,
  options: { only?: 'demands' | 'deadlines'; maxChanged?: number; maxWhole?: number } = {},
): Promise<Pending | null> {
  const { only, maxChanged = Number.POSITIVE_INFINITY, maxWhole = MAX_WHOLE } = options;
  const at = now.toISOString();
  const demandRows = new Map<string, DemandCounts>();
  const placeRows = new Map<string, PlaceCounts>();
  const deadlineRows = new Map<string, DeadlineCounts>();
  const add = (items: { demands: DemandItem[]; deadlines: DeadlineItem[] }, sign: 1 | -1) => {
    addDemandItems(demandRows, items.demands, sign);
    addPlaceItems(placeRows, items.demands, sign);
    addDeadlineItems(deadlineRows, items.deadlines, sign);
  };
  const state = await rollupState(db, DEMANDS_ROLLUP);
  let demands = 0;
  const wholeDays: string[] = [];
  if (state.refreshedAt === null) {
    const days = [...(await changedDays(db, null, at, zone))].filter((d) => d >= range.fromDay && d < range.toDay).sort();
    // A bounded reader (the list's total) does not count years of demands before the first pass.
    if (maxChanged !== Number.POSITIVE_INFINITY && days.length > WHOLE_DAYS) return null;
    // Nor does a report count millions (minutes, and the memory of them all) while the first pass builds the rollup.
    if (days.length > 0 && (await demandsUpTo(db, boundsOfDays(days[0]!, days.at(-1)!, zone), maxWhole)) > maxWhole) {
      if (maxChanged !== Number.POSITIVE_INFINITY) return null;
      throw new AppError(
        'unavailable',
        `the reports' figures are being counted for the first time (the scheduler's first pass over more than ${maxWhole} demands): try again in a minute`,
        undefined,
        { retryAfterSeconds: 60 },
      );
    }
    for (const [first, last] of runsOf(days)) {
      const items = await itemsOf(db, boundsOfDays(first, last, zone), at, zone, only);
      demands += items.demands.length;
      if (demands > maxChanged) return null;
      add(items, 1);
    }
  } else {
    const byDay = new Map<string, Set<number>>();
    for (const r of await changedDemands(db, state.refreshedAt, at)) {
      const day = localDate(r.createdAt, zone);
      if (day < range.fromDay || day >= range.toDay) continue;
      const ids = byDay.get(day) ?? new Set<number>();
      byDay.set(day, ids.add(r.id));
    }
    demands = [...byDay.values()].reduce((n, ids) => n + ids.size, 0);
    if (demands > maxChanged) return null;
    // A day much of which changed is counted whole, its rows in the rollup left out: cheaper than its demands one by one.
    const sizes = await daySizes(db, [...byDay.keys()]);
    const ids: number[] = [];
    for (const [day, changed] of byDay)
      if (changed.size * WHOLE_SHARE >= (sizes.get(day) ?? 0)) wholeDays.push(day);
      else ids.push(...changed);
    for (const [first, last] of runsOf(wholeDays)) add(await itemsOf(db, boundsOfDays(first, last, zone), at, zone, only), 1);
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      add(await itemsOf(db, { ids: chunk }, at, zone, only), 1);
      add(await storedItems(db, chunk, only), -1);
    }
  }
  return {
    fromRollup: state.refreshedAt !== null,
    wholeDays: wholeDays.sort(),
    demands,
    demandRows: [...demandRows.values()],
    placeRows: [...placeRows.values()],
    deadlineRows: [...deadlineRows.values()],
  };
}

/** How many demands were registered in [from, to), counted up to `cap` + 1 (an index range, read no further). */
async function demandsUpTo(db: Kysely<DB>, bounds: { from: string; to: string }, cap: number): Promise<number> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('demands')
        .select('id')
        .where('created_at', '>=', bounds.from)
        .where('created_at', '<', bounds.to)
        .limit(cap + 1)
        .as('d'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many demands the rollup holds for each of these days. */
async function daySizes(db: Kysely<DB>, days: readonly string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (let i = 0; i < days.length; i += CHUNK) {
    const rows = await db
      .selectFrom('demand_rollup')
      .select(['day', sql<number>`SUM(calls)`.as('calls')])
      .where('day', 'in', days.slice(i, i + CHUNK))
      .groupBy('day')
      .execute();
    for (const r of rows) sizes.set(r.day, Number(r.calls));
  }
  return sizes;
}

/** What a count can be grouped by: the rollups' keys, and the month of the day. */
export type CountDimension = 'day' | 'month' | 'unit' | 'category' | 'type' | 'channel';
export type DeadlineDimension = 'day' | 'month' | 'unit' | 'step';

export interface CountQuery<D extends string> {
  /** Local dates: from inclusive, to exclusive. */
  fromDay: string;
  toDay: string;
  /** The responsible units (the step's unit, for deadlines) to count; all when absent. */
  unitIds?: readonly number[] | undefined;
  /** Only these types (e.g. the counted types, or complaints). */
  types?: readonly string[] | undefined;
  groupBy: readonly D[];
}

export type GroupedCounts = Partial<Record<'day' | 'month' | 'category' | 'type' | 'channel', string> & { unit: number }> &
  Omit<DemandCounts, 'day' | 'unitId' | 'category' | 'type' | 'channel'>;
export type GroupedDeadlines = Partial<Record<'day' | 'month' | 'step', string> & { unit: number }> & Omit<DeadlineCounts, 'day' | 'unitId' | 'step'>;

const DEMAND_SUMS = ['calls', 'cases', 'closed', 'overdue', 'repeated', 'handled', 'first_resolved', 'satisfied', 'unsatisfied'] as const;
const COLUMN_OF = { unit: 'unit_id', category: 'category', type: 'type', channel: 'channel', step: 'step', day: 'day' } as const;

function keyOf(row: Record<string, unknown>, dims: readonly string[]): string {
  return dims.map((d) => String(row[d])).join('|');
}

/**
 * The demand counts of a range of local days grouped as asked: the rollup's
 * rows with the changes since its refresh (pendingRows). Exact at any
 * scheduler lag.
 */
export async function demandCounts(db: Kysely<DB>, q: CountQuery<CountDimension>, now: Date, zone: string): Promise<GroupedCounts[]> {
  return (await demandCountsUpTo(db, q, now, zone, Number.POSITIVE_INFINITY))!;
}

/** demandCounts, or null when more than `maxChanged` demands changed since the refresh (pendingRows). */
export async function demandCountsUpTo(
  db: Kysely<DB>,
  q: CountQuery<CountDimension>,
  now: Date,
  zone: string,
  maxChanged: number,
): Promise<GroupedCounts[] | null> {
  const pending = await pendingRows(db, q, now, zone, { only: 'demands', maxChanged });
  if (pending === null) return null;
  const dims = q.groupBy;
  const out = new Map<string, GroupedCounts>();
  const add = (key: Record<string, unknown>, counts: Omit<DemandCounts, 'day' | 'unitId' | 'category' | 'type' | 'channel'>) => {
    const id = keyOf(key, dims);
    const row = out.get(id);
    if (!row) {
      out.set(id, { ...(key as object), ...counts } as GroupedCounts);
      return;
    }
    addCounts(row, counts);
  };
  if (pending.fromRollup) {
    let query = db
      .selectFrom('demand_rollup')
      .where('day', '>=', q.fromDay)
      .where('day', '<', q.toDay)
      .$if(pending.wholeDays.length > 0, (qb) => qb.where('day', 'not in', pending.wholeDays))
      .$if(q.unitIds !== undefined, (qb) => qb.where('unit_id', 'in', q.unitIds!.length > 0 ? [...q.unitIds!] : [-1]))
      .$if(q.types !== undefined, (qb) => qb.where('type', 'in', q.types!.length > 0 ? [...q.types!] : ['']))
      .select(DEMAND_SUMS.map((f) => sql<number>`SUM(${sql.ref(f)})`.as(f)));
    for (const d of dims) {
      const expr = d === 'month' ? sql<string>`substr(day, 1, 7)` : sql.ref(COLUMN_OF[d]);
      query = query.select(expr.as(d)).groupBy(expr) as typeof query;
    }
    for (const r of await query.execute()) {
      const raw = r as unknown as Record<string, unknown>;
      const key: Record<string, unknown> = {};
      for (const d of dims) key[d] = d === 'unit' ? Number(raw[d]) : raw[d];
      add(key, {
        calls: Number(r.calls),
        cases: Number(r.cases),
        closed: Number(r.closed),
        overdue: Number(r.overdue),
        repeated: Number(r.repeated),
        handled: Number(r.handled),
        firstResolved: Number(r.first_resolved),
        satisfied: Number(r.satisfied),
        unsatisfied: Number(r.unsatisfied),
      });
    }
  }
  const units = q.unitIds ? new Set(q.unitIds) : null;
  const types = q.types ? new Set(q.types) : null;
  for (const r of pending.demandRows) {
    if (units && !units.has(r.unitId)) continue;
    if (types && !types.has(r.type)) continue;
    const key: Record<string, unknown> = {};
    for (const d of dims) key[d] = d === 'month' ? r.day.slice(0, 7) : d === 'unit' ? r.unitId : r[d];
    const { day: _d, unitId: _u, category: _c, type: _t, channel: _ch, ...counts } = r;
    add(key, counts);
  }
  // A group every demand of which has left it (a change of unit, category…) is no group.
  return [...out.values()].filter((r) => r.calls !== 0);
}

/** The deadlines of the demands registered in a range of local days, grouped as asked (in time, late, running). */
export async function deadlineCounts(db: Kysely<DB>, q: CountQuery<DeadlineDimension>, now: Date, zone: string): Promise<GroupedDeadlines[]> {
  const pending = (await pendingRows(db, q, now, zone, { only: 'deadlines' }))!;
  const dims = q.groupBy;
  const out = new Map<string, GroupedDeadlines>();
  const add = (key: Record<string, unknown>, c: { total: number; inTime: number; late: number; running: number }) => {
    const id = keyOf(key, dims);
    const row = out.get(id);
    if (!row) out.set(id, { ...(key as object), ...c } as GroupedDeadlines);
    else {
      row.total += c.total;
      row.inTime += c.inTime;
      row.late += c.late;
      row.running += c.running;
    }
  };
  if (pending.fromRollup) {
    let query = db
      .selectFrom('deadline_rollup')
      .where('day', '>=', q.fromDay)
      .where('day', '<', q.toDay)
      .$if(pending.wholeDays.length > 0, (qb) => qb.where('day', 'not in', pending.wholeDays))
      .$if(q.unitIds !== undefined, (qb) => qb.where('unit_id', 'in', q.unitIds!.length > 0 ? [...q.unitIds!] : [-1]))
      .select([
        sql<number>`SUM(total)`.as('total'),
        sql<number>`SUM(in_time)`.as('in_time'),
        sql<number>`SUM(late)`.as('late'),
        sql<number>`SUM(running)`.as('running'),
      ]);
    for (const d of dims) {
      const expr = d === 'month' ? sql<string>`substr(day, 1, 7)` : sql.ref(COLUMN_OF[d]);
      query = query.select(expr.as(d)).groupBy(expr) as typeof query;
    }
    for (const r of await query.execute()) {
      const raw = r as unknown as Record<string, unknown>;
      const key: Record<string, unknown> = {};
      for (const d of dims) key[d] = d === 'unit' ? Number(raw[d]) : raw[d];
      add(key, { total: Number(r.total), inTime: Number(r.in_time), late: Number(r.late), running: Number(r.running) });
    }
  }
  const units = q.unitIds ? new Set(q.unitIds) : null;
  for (const r of pending.deadlineRows) {
    if (units && !units.has(r.unitId)) continue;
    const key: Record<string, unknown> = {};
    for (const d of dims) key[d] = d === 'month' ? r.day.slice(0, 7) : d === 'unit' ? r.unitId : r[d];
    add(key, { total: r.total, inTime: r.inTime, late: r.late, running: r.running });
  }
  return [...out.values()].filter((r) => r.total !== 0);
}

/** A count of cases by the customer's station (0 when the demand names none), and by category and month when asked. */
export interface PlaceRow {
  stationId: number;
  category?: string;
  month?: string;
  cases: number;
}

/**
 * The cases of a range of local days by the customer's station (the place,
 * not the unit the demand was routed to), of the given types and categories,
 * grouped by station and, when asked, category and month: the rollup's rows
 * with the changes since its refresh.
 */
export async function placeCounts(
  db: Kysely<DB>,
  q: {
    fromDay: string;
    toDay: string;
    types?: readonly string[] | undefined;
    categories?: readonly string[] | undefined;
    groupBy?: readonly ('category' | 'month')[];
  },
  now: Date,
  zone: string,
): Promise<PlaceRow[]> {
  const pending = (await pendingRows(db, q, now, zone, { only: 'demands' }))!;
  const dims = q.groupBy ?? [];
  const out = new Map<string, PlaceRow>();
  const add = (row: PlaceRow) => {
    const id = `${row.stationId}|${row.category ?? ''}|${row.month ?? ''}`;
    const was = out.get(id);
    if (was) was.cases += row.cases;
    else out.set(id, row);
  };
  const keyed = (stationId: number, category: string, day: string, cases: number): PlaceRow => ({
    stationId,
    ...(dims.includes('category') && { category }),
    ...(dims.includes('month') && { month: day.slice(0, 7) }),
    cases,
  });
  if (pending.fromRollup) {
    let query = db
      .selectFrom('place_rollup')
      .select(['station_id', sql<number>`SUM(cases)`.as('cases')])
      .where('day', '>=', q.fromDay)
      .where('day', '<', q.toDay)
      .$if(pending.wholeDays.length > 0, (qb) => qb.where('day', 'not in', pending.wholeDays))
      .$if(q.types !== undefined, (qb) => qb.where('type', 'in', q.types!.length > 0 ? [...q.types!] : ['']))
      .$if(q.categories !== undefined, (qb) => qb.where('category', 'in', q.categories!.length > 0 ? [...q.categories!] : ['-']))
      .groupBy('station_id');
    if (dims.includes('category')) query = query.select('category').groupBy('category') as typeof query;
    if (dims.includes('month')) query = query.select(sql<string>`substr(day, 1, 7)`.as('month')).groupBy(sql`substr(day, 1, 7)`) as typeof query;
    for (const r of await query.execute()) {
      const raw = r as unknown as { category?: string; month?: string };
      add(keyed(r.station_id, raw.category ?? '', raw.month ? `${raw.month}-01` : '', Number(r.cases)));
    }
  }
  const types = q.types ? new Set(q.types) : null;
  const categories = q.categories ? new Set(q.categories) : null;
  for (const r of pending.placeRows)
    if ((!types || types.has(r.type)) && (!categories || categories.has(r.category))) add(keyed(r.stationId, r.category, r.day, r.cases));
  return [...out.values()].filter((r) => r.cases !== 0);
}
