import { sql, type Kysely, type Transaction } from 'kysely';
import { boundsOfDays, refreshRollup, runsOf, staleDays } from '../../db/rollups.js';
import type { DB } from '../../db/types.js';
import { countDeadlines, countDemands, countPlaces, type DeadlineCounts, type DemandCounts, type PlaceCounts } from './rules.js';

// The demand and deadline rollups (demand_rollup, deadline_rollup): kept by
// the scheduler a day at a time (db/rollups.ts), read by the reports, the
// dashboards and the list totals with the days changed since the last
// refresh counted from the demands themselves (demandCountsByDay).

export const DEMANDS_ROLLUP = 'demands';

/** The demands registered in [from, to), as the rollup counts them, with the ids of those that have a step past its limit at `now`. */
async function readDemands(db: Kysely<DB>, from: string, to: string, now: string) {
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
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .execute();
  const late = await db
    .selectFrom('deadlines')
    .innerJoin('demands', 'demands.id', 'deadlines.demand_id')
    .select('deadlines.demand_id')
    .distinct()
    .where('demands.created_at', '>=', from)
    .where('demands.created_at', '<', to)
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

async function readDeadlines(db: Kysely<DB>, from: string, to: string) {
  const rows = await db
    .selectFrom('deadlines')
    .innerJoin('demands', 'demands.id', 'deadlines.demand_id')
    .leftJoin('tasks', 'tasks.id', 'deadlines.task_id')
    .select([
      'demands.created_at',
      'demands.unit_id as demand_unit_id',
      'tasks.unit_id as task_unit_id',
      'deadlines.step',
      'deadlines.due_at',
      'deadlines.met_at',
      'deadlines.cancelled_at',
    ])
    .where('demands.created_at', '>=', from)
    .where('demands.created_at', '<', to)
    .execute();
  return rows.map((r) => ({
    demandCreatedAt: r.created_at,
    unitId: r.task_unit_id ?? r.demand_unit_id,
    step: r.step,
    dueAt: r.due_at,
    metAt: r.met_at,
    cancelledAt: r.cancelled_at,
  }));
}

/** The rollups' rows of a run of local days, counted from the demands as they are at `now`. */
export async function countDays(db: Kysely<DB>, bounds: { from: string; to: string }, now: string, zone: string) {
  const { demands, overdue } = await readDemands(db, bounds.from, bounds.to, now);
  return {
    demands: countDemands(demands, overdue, zone),
    places: countPlaces(demands, zone),
    deadlines: countDeadlines(await readDeadlines(db, bounds.from, bounds.to), now, zone),
  };
}

const CHUNK = 500;

async function writeRows(trx: Transaction<DB>, demands: DemandCounts[], places: PlaceCounts[], deadlines: DeadlineCounts[]) {
  for (let i = 0; i < places.length; i += CHUNK)
    await trx
      .insertInto('place_rollup')
      .values(places.slice(i, i + CHUNK).map((r) => ({ day: r.day, station_id: r.stationId, type: r.type, cases: r.cases })))
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

/** The scheduler's part: the demand and deadline rollups brought up to date as of `now`; the days rebuilt. */
export async function refreshDemandRollups(db: Kysely<DB>, now: Date, zone: string): Promise<number> {
  const at = now.toISOString();
  return refreshRollup(db, DEMANDS_ROLLUP, now, zone, async (trx, first, last, bounds) => {
    const counted = await countDays(trx, bounds, at, zone);
    await trx.deleteFrom('demand_rollup').where('day', '>=', first).where('day', '<=', last).execute();
    await trx.deleteFrom('deadline_rollup').where('day', '>=', first).where('day', '<=', last).execute();
    await trx.deleteFrom('place_rollup').where('day', '>=', first).where('day', '<=', last).execute();
    await writeRows(trx, counted.demands, counted.places, counted.deadlines);
  });
}

/**
 * The local days of [fromDay, toDay) the rollup does not hold as they are
 * now, and their rows counted from the demands: a reader sums the rollup's
 * rows of the other days and these.
 */
export async function freshDays(
  db: Kysely<DB>,
  range: { fromDay: string; toDay: string },
  now: Date,
  zone: string,
  only?: 'demands' | 'deadlines',
): Promise<{ stale: Set<string>; demands: DemandCounts[]; places: PlaceCounts[]; deadlines: DeadlineCounts[] }> {
  const stale = await staleDays(db, DEMANDS_ROLLUP, now, zone, range);
  const at = now.toISOString();
  const demands: DemandCounts[] = [];
  const places: PlaceCounts[] = [];
  const deadlines: DeadlineCounts[] = [];
  // A reader of one rollup counts only its rows (every demand has one to four deadlines: reading them for a demand count doubled its cost).
  for (const [first, last] of runsOf(stale)) {
    const bounds = boundsOfDays(first, last, zone);
    if (only !== 'deadlines') {
      const read = await readDemands(db, bounds.from, bounds.to, at);
      demands.push(...countDemands(read.demands, read.overdue, zone));
      places.push(...countPlaces(read.demands, zone));
    }
    if (only !== 'demands') deadlines.push(...countDeadlines(await readDeadlines(db, bounds.from, bounds.to), at, zone));
  }
  return { stale, demands, places, deadlines };
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
 * rows for the days it holds as they are, the others counted now from the
 * demands. Exact at any scheduler lag.
 */
export async function demandCounts(db: Kysely<DB>, q: CountQuery<CountDimension>, now: Date, zone: string): Promise<GroupedCounts[]> {
  const fresh = await freshDays(db, q, now, zone, 'demands');
  const dims = q.groupBy;
  let query = db
    .selectFrom('demand_rollup')
    .where('day', '>=', q.fromDay)
    .where('day', '<', q.toDay)
    .$if(fresh.stale.size > 0, (qb) => qb.where('day', 'not in', [...fresh.stale]))
    .$if(q.unitIds !== undefined, (qb) => qb.where('unit_id', 'in', q.unitIds!.length > 0 ? [...q.unitIds!] : [-1]))
    .$if(q.types !== undefined, (qb) => qb.where('type', 'in', q.types!.length > 0 ? [...q.types!] : ['']))
    .select(DEMAND_SUMS.map((f) => sql<number>`SUM(${sql.ref(f)})`.as(f)));
  for (const d of dims) {
    const expr = d === 'month' ? sql<string>`substr(day, 1, 7)` : sql.ref(COLUMN_OF[d]);
    query = query.select(expr.as(d)).groupBy(expr) as typeof query;
  }
  const out = new Map<string, GroupedCounts>();
  const add = (key: Record<string, unknown>, counts: Omit<DemandCounts, 'day' | 'unitId' | 'category' | 'type' | 'channel'>) => {
    const id = keyOf(key, dims);
    const row = out.get(id);
    if (!row) {
      out.set(id, { ...(key as object), ...counts } as GroupedCounts);
      return;
    }
    for (const f of ['calls', 'cases', 'closed', 'overdue', 'repeated', 'handled', 'firstResolved', 'satisfied', 'unsatisfied'] as const) row[f] += counts[f];
  };
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
  const units = q.unitIds ? new Set(q.unitIds) : null;
  const types = q.types ? new Set(q.types) : null;
  for (const r of fresh.demands) {
    if (units && !units.has(r.unitId)) continue;
    if (types && !types.has(r.type)) continue;
    const key: Record<string, unknown> = {};
    for (const d of dims) key[d] = d === 'month' ? r.day.slice(0, 7) : d === 'unit' ? r.unitId : r[d];
    const { day: _d, unitId: _u, category: _c, type: _t, channel: _ch, ...counts } = r;
    add(key, counts);
  }
  return [...out.values()];
}

/** The deadlines of the demands registered in a range of local days, grouped as asked (in time, late, running). */
export async function deadlineCounts(db: Kysely<DB>, q: CountQuery<DeadlineDimension>, now: Date, zone: string): Promise<GroupedDeadlines[]> {
  const fresh = await freshDays(db, q, now, zone, 'deadlines');
  const dims = q.groupBy;
  let query = db
    .selectFrom('deadline_rollup')
    .where('day', '>=', q.fromDay)
    .where('day', '<', q.toDay)
    .$if(fresh.stale.size > 0, (qb) => qb.where('day', 'not in', [...fresh.stale]))
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
  for (const r of await query.execute()) {
    const raw = r as unknown as Record<string, unknown>;
    const key: Record<string, unknown> = {};
    for (const d of dims) key[d] = d === 'unit' ? Number(raw[d]) : raw[d];
    add(key, { total: Number(r.total), inTime: Number(r.in_time), late: Number(r.late), running: Number(r.running) });
  }
  const units = q.unitIds ? new Set(q.unitIds) : null;
  for (const r of fresh.deadlines) {
    if (units && !units.has(r.unitId)) continue;
    const key: Record<string, unknown> = {};
    for (const d of dims) key[d] = d === 'month' ? r.day.slice(0, 7) : d === 'unit' ? r.unitId : r[d];
    add(key, { total: r.total, inTime: r.inTime, late: r.late, running: r.running });
  }
  return [...out.values()];
}

/**
 * The cases of a range of local days by the customer's station (the place:
 * 0 when the demand names none), of the given types: the rollup's rows for
 * the days it holds, the others counted now.
 */
export async function placeCounts(
  db: Kysely<DB>,
  q: { fromDay: string; toDay: string; types?: readonly string[] | undefined },
  now: Date,
  zone: string,
): Promise<Map<number, number>> {
  const fresh = await freshDays(db, q, now, zone, 'demands');
  const rows = await db
    .selectFrom('place_rollup')
    .select(['station_id', sql<number>`SUM(cases)`.as('cases')])
    .where('day', '>=', q.fromDay)
    .where('day', '<', q.toDay)
    .$if(fresh.stale.size > 0, (qb) => qb.where('day', 'not in', [...fresh.stale]))
    .$if(q.types !== undefined, (qb) => qb.where('type', 'in', q.types!.length > 0 ? [...q.types!] : ['']))
    .groupBy('station_id')
    .execute();
  const out = new Map(rows.map((r) => [r.station_id, Number(r.cases)]));
  const types = q.types ? new Set(q.types) : null;
  for (const r of fresh.places) if (!types || types.has(r.type)) out.set(r.stationId, (out.get(r.stationId) ?? 0) + r.cases);
  return out;
}
