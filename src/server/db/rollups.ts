import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import { addDays, localDate, startOfLocalDate } from '../../shared/time.js';
import type { DB } from './types.js';

// Rollups: summary rows per local day of a demand's registration, kept by the
// scheduler so that reports over ten million demands read a few thousand rows
// instead of the demands themselves (issue 18).
//
// A rollup is rebuilt a day at a time, from that day's demands, whenever a
// demand registered that day changed. "Changed" is read from the demands'
// updated_at (every change of a demand sets it, demands_updated_idx) and from
// the deadlines that have come due unmet since the last refresh (a step
// becomes late without anyone touching the demand). A reader asks what
// changed since the rollup's last refresh and counts it from the demands: the
// answer is exact whatever the scheduler's lag. The hot issues' terms recount
// the days changed (staleDays); the demand and deadline rollups keep what
// they counted for each demand and take out and put back only the demands
// changed (reports/rollup.ts pendingRows, changedDemands). The state is a row
// per rollup (rollup_state): a restart resumes from it, and rebuilding a day
// twice writes the same rows.
//
// A refresh is recorded at the pass's own moment (refreshed_at), and a reader
// takes as changed only what was stamped after it: the changes the pass
// itself made (escalations, the month's transfer; stamped with its moment,
// before the rollups' refresh, which runs last) are in the rows it rebuilt.
// Counting them as stale made every reader recount each day they touched:
// 58 days, two to three seconds at a million demands, right after the first
// pass of a month (its transfer touches some 300 demands).
//
// One window is not exact: a transaction that stamped its change at or before
// a refresh's moment and committed after the refresh read that day. Readers do
// not see it until the next refresh, which looks CHANGE_MARGIN_MS further back
// and rebuilds the day (a pass every few seconds). Readers look back no
// further than the refresh itself: with the margin, every reader recounted
// each day the last five minutes had touched.

/**
 * How far before its last run a refresh still looks for changes: a
 * transaction that began before the refresh (and stamped its changes with its
 * own clock) may commit after it. A day found again is rebuilt again, to the
 * same rows.
 */
export const CHANGE_MARGIN_MS = 5 * 60_000;

/** The local days a rollup holds, each as a date `YYYY-MM-DD` in the company's zone. */
export interface DayRange {
  /** The instant the first day begins. */
  from: string;
  /** The instant after the last day ends. */
  to: string;
}

const nextDay = (day: string): string => addDays(day, 1);

/** The instants a run of local days spans. */
export function boundsOfDays(first: string, last: string, zone: string): DayRange {
  return { from: startOfLocalDate(first, zone).toISOString(), to: startOfLocalDate(nextDay(last), zone).toISOString() };
}

/** Sorted days in runs of consecutive dates, each run at most `maxDays` long: one read per run. */
export function runsOf(days: Iterable<string>, maxDays = 31): [string, string][] {
  const sorted = [...new Set(days)].sort();
  const runs: [string, string][] = [];
  for (const day of sorted) {
    const run = runs.at(-1);
    if (run && nextDay(run[1]) === day && daysBetween(run[0], day) < maxDays) run[1] = day;
    else runs.push([day, day]);
  }
  return runs;
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export interface RollupState {
  refreshedAt: string | null;
}

export async function rollupState(db: Kysely<DB>, name: string): Promise<RollupState> {
  const row = await db.selectFrom('rollup_state').select('refreshed_at').where('name', '=', name).executeTakeFirst();
  return { refreshedAt: row?.refreshed_at ?? null };
}

/**
 * The demands changed after `since` (at or after it, when `inclusive`) and
 * those with a step come due unmet since then, up to `now`: their ids and
 * registration instants (a demand may be named twice).
 */
export async function changedDemands(db: Kysely<DB>, since: string, now: string, inclusive = false): Promise<{ id: number; createdAt: string }[]> {
  const touched = await db
    .selectFrom('demands')
    .select(['id', 'created_at'])
    .where('updated_at', inclusive ? '>=' : '>', since)
    .execute();
  // Steps that became late with nobody touching the demand (the overdue timer's partial index finds them).
  const late = await db
    .selectFrom('deadlines')
    .innerJoin('demands', 'demands.id', 'deadlines.demand_id')
    .select(['demands.id', 'demands.created_at'])
    .where('deadlines.escalated_at', 'is', null)
    .where('deadlines.due_at', '>=', since)
    .where('deadlines.due_at', '<=', now)
    .where('deadlines.met_at', 'is', null)
    .where('deadlines.cancelled_at', 'is', null)
    .execute();
  return [...touched, ...late].map((r) => ({ id: r.id, createdAt: r.created_at }));
}

/**
 * The local days of the demands changed since `since` (changedDemands; or,
 * with `since` null, every day that has a demand), up to `now`.
 */
export async function changedDays(db: Kysely<DB>, since: string | null, now: string, zone: string, inclusive = false): Promise<Set<string>> {
  const days = new Set<string>();
  if (since === null) {
    const span = await db
      .selectFrom('demands')
      .select((eb) => [eb.fn.min('created_at').as('first'), eb.fn.max('created_at').as('last')])
      .executeTakeFirst();
    if (!span?.first || !span.last) return days;
    const last = localDate(String(span.last), zone);
    for (let day = localDate(String(span.first), zone); day <= last; day = nextDay(day)) days.add(day);
    return days;
  }
  for (const r of await changedDemands(db, since, now, inclusive)) days.add(localDate(r.createdAt, zone));
  return days;
}

/**
 * The days a reader must compute from the demands rather than read from the
 * rollup: those changed since its last refresh (all of them, before the
 * first), within `range` when given.
 */
export async function staleDays(db: Kysely<DB>, name: string, now: Date, zone: string, range?: { fromDay: string; toDay: string }): Promise<Set<string>> {
  const state = await rollupState(db, name);
  const days = await changedDays(db, state.refreshedAt, now.toISOString(), zone);
  if (!range) return days;
  return new Set([...days].filter((d) => d >= range.fromDay && d < range.toDay));
}

/** Rebuilds the rows of a run of days (first..last): deletes them and writes what the days' demands say now. */
export type RebuildDays = (trx: Transaction<DB>, first: string, last: string, bounds: DayRange) => Promise<void>;

/**
 * Brings a rollup up to date as of `now`: rebuilds each day changed since its
 * last refresh (every day, the first time), a run of days per transaction,
 * then records `now` as its refresh. Runs in the scheduler's pass (one
 * process at a time); returns how many days were rebuilt.
 */
export async function refreshRollup(db: Kysely<DB>, name: string, now: Date, zone: string, rebuild: RebuildDays): Promise<number> {
  const at = now.toISOString();
  const state = await rollupState(db, name);
  const since = state.refreshedAt === null ? null : new Date(Date.parse(state.refreshedAt) - CHANGE_MARGIN_MS).toISOString();
  const days = await changedDays(db, since, at, zone, true);
  let rebuilt = 0;
  for (const [first, last] of runsOf(days, state.refreshedAt === null ? 31 : 7)) {
    await db.transaction().execute(async (trx) => {
      // Two passes at once (the CLI's `scheduler --once` beside a server's, or a test's) rebuild one after
      // the other: on PostgreSQL the second would not see the first's uncommitted rows to delete. SQLite
      // runs one write transaction at a time anyway.
      if (trx.getExecutor().adapter instanceof PostgresAdapter) await sql`SELECT pg_advisory_xact_lock(hashtext(${`suqiu.rollup.${name}`}))`.execute(trx);
      await rebuild(trx, first, last, boundsOfDays(first, last, zone));
    });
    rebuilt += daysBetween(first, last) + 1;
  }
  await db
    .insertInto('rollup_state')
    .values({ name, refreshed_at: at, days: rebuilt, updated_at: at })
    .onConflict((oc) => oc.column('name').doUpdateSet({ refreshed_at: at, days: rebuilt, updated_at: at }))
    .execute();
  return rebuilt;
}

/** Forgets a rollup's refresh: the next pass rebuilds every day (after a change of how a rollup counts). */
export async function resetRollup(db: Kysely<DB>, name: string): Promise<void> {
  await sql`DELETE FROM rollup_state WHERE name = ${name}`.execute(db);
}
