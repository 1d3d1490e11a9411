import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { localDate, startOfLocalDate } from '../../../shared/time.js';
import type { ListDemandsQuery } from '../../../shared/schemas/demands.js';
import { demandCountsUpTo } from '../reports/rollup.js';

// The demand list's exact total beyond 1,000 (issue 18, point 6): where the
// list's filters are what the demand rollup counts, its total is a sum over
// the rollup (reports/rollup.ts demandCounts: the demands changed since the
// last refresh counted from the demands), exact at any scheduler lag. Elsewhere the
// list keeps its count up to 1,000 (repository.ts TOTAL_CAP).

/** What the rollup is asked for one list total. */
export interface RollupTotal {
  /** Local dates: from inclusive, to exclusive. */
  fromDay: string;
  toDay: string;
  type?: string;
  category?: string;
  channel?: string;
  /** The cases counted: all of them, the closed ones, the open ones, or the repeated ones (two calls or more). */
  count: 'cases' | 'closed' | 'open' | 'repeated';
}

/** Before any demand and after every one: the whole history, as local dates compare. */
const FIRST_DAY = '0000-01-01';
const LAST_DAY = '9999-12-31';

/** The local date an instant begins, when it is a local midnight in `zone`; null when it falls inside a day. */
export function dayStartingAt(instant: string, zone: string): string | null {
  const day = localDate(instant, zone);
  return startOfLocalDate(day, zone).getTime() === Date.parse(instant) ? day : null;
}

/**
 * The rollup's question whose answer is the list's total, or null when the
 * list's filters mean something the rollup does not count:
 * - words, a phone, a 户号, a demand number, an owner, overdue (a live step
 *   past its limit now) or escalated: not kept by the rollup;
 * - a status other than closed; repeated together with open or closed;
 * - a unit bound (a handler's units, or a unit asked for): the list then holds
 *   the demands the units are responsible for and those holding one of their
 *   orders, the rollup the first only;
 * - a time bound inside a local day: the rollup counts whole local days.
 * `cityWide`: the caller sees every unit. An empty answer (open and closed
 * at once, or `to` before `from`) is `{ empty: true }`.
 */
export function rollupTotalOf(q: ListDemandsQuery & { ownerId?: number | undefined }, cityWide: boolean, zone: string): RollupTotal | { empty: true } | null {
  if (!cityWide || q.unitId !== undefined) return null;
  if (q.q !== undefined || q.phone !== undefined || q.accountNo !== undefined || q.number !== undefined) return null;
  if (q.owner !== undefined || q.ownerId !== undefined || q.overdue === 'true' || q.escalated === 'true') return null;
  if (q.status !== undefined && q.status !== 'closed') return null;
  const closedWanted = new Set<boolean>();
  if (q.status === 'closed') closedWanted.add(true);
  if (q.open === 'true') closedWanted.add(false);
  if (q.open === 'false') closedWanted.add(true);
  if (closedWanted.size > 1) return { empty: true };
  const closed = closedWanted.size === 1 ? [...closedWanted][0] : undefined;
  if (q.repeated === 'true' && closed !== undefined) return null;
  const fromDay = q.from === undefined ? FIRST_DAY : dayStartingAt(q.from, zone);
  const toDay = q.to === undefined ? LAST_DAY : dayStartingAt(q.to, zone);
  if (fromDay === null || toDay === null) return null;
  if (fromDay >= toDay) return { empty: true };
  return {
    fromDay,
    toDay,
    ...(q.type !== undefined && { type: q.type }),
    ...(q.category !== undefined && { category: q.category }),
    ...(q.channel !== undefined && { channel: q.channel }),
    count: q.repeated === 'true' ? 'repeated' : closed === true ? 'closed' : closed === false ? 'open' : 'cases',
  };
}

/**
 * How many demands changed since the rollup's refresh a total may count from
 * the demands themselves before it is not worth it (a scheduler stopped for
 * days); before the first refresh, at most reports/rollup.ts WHOLE_DAYS days
 * counted whole. Past it the list counts up to 1,000 as before.
 */
export const MAX_CHANGED = 20_000;

/** The list's exact total from the rollup; undefined when the rollup cannot say it (rollupTotalOf) or would be slow (MAX_CHANGED). */
export async function rollupTotal(db: Kysely<DB>, asked: RollupTotal | { empty: true }, now: Date, zone: string): Promise<number | undefined> {
  if ('empty' in asked) return 0;
  const groupBy = [...(asked.category !== undefined ? (['category'] as const) : []), ...(asked.channel !== undefined ? (['channel'] as const) : [])];
  const rows = await demandCountsUpTo(
    db,
    { fromDay: asked.fromDay, toDay: asked.toDay, types: asked.type === undefined ? undefined : [asked.type], groupBy },
    now,
    zone,
    MAX_CHANGED,
  );
  if (rows === null) return undefined;
  let total = 0;
  for (const r of rows) {
    if (asked.category !== undefined && r.category !== asked.category) continue;
    if (asked.channel !== undefined && r.channel !== asked.channel) continue;
    total += asked.count === 'open' ? r.cases - r.closed : r[asked.count];
  }
  return total;
}
