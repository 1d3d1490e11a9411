import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types.js';

// Attempts counted per key within a window, as rows (login_throttle): the
// wrong passwords of one client address on one account, of one address on
// any account, a user's current-password checks. Each attempt is counted by
// one atomic upsert *before* the password is checked, so parallel guesses
// cannot slip past the limit between a read and a write: the probe's 95
// simultaneous wrong passwords each took a count of their own, and all past
// the fifth were refused without spending scrypt on them. Rows, not memory:
// two app servers count together, and a restart forgets nothing.

export interface ThrottleRule {
  /** Attempts allowed within the window; the next is refused. */
  limit: number;
  windowMinutes: number;
}

export interface Counted {
  /** This attempt's number within the window. */
  attempts: number;
  /** Past the limit: refuse without trying. */
  over: boolean;
  /** Seconds until the window ends and the count starts afresh. */
  retryAfterSeconds: number;
}

/** What one more attempt in a window makes, as the upsert computes it (tested beside). */
export function counted(rule: ThrottleRule, row: { attempts: number; window_start: string }, now: Date): Counted {
  const ends = Date.parse(row.window_start) + rule.windowMinutes * 60_000;
  return { attempts: row.attempts, over: row.attempts > rule.limit, retryAfterSeconds: Math.max(1, Math.ceil((ends - now.getTime()) / 1000)) };
}

/** Counts one attempt on `key`, in one statement: a window that ran out starts again at 1. */
export async function countAttempt(db: Kysely<DB>, key: string, userId: number | null, rule: ThrottleRule, now: Date): Promise<Counted> {
  const at = now.toISOString();
  const cutoff = new Date(now.getTime() - rule.windowMinutes * 60_000).toISOString();
  const row = await db
    .insertInto('login_throttle')
    .values({ key, user_id: userId, attempts: 1, window_start: at })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        attempts: sql<number>`CASE WHEN login_throttle.window_start <= ${cutoff} THEN 1 ELSE login_throttle.attempts + 1 END`,
        window_start: sql<string>`CASE WHEN login_throttle.window_start <= ${cutoff} THEN ${at} ELSE login_throttle.window_start END`,
      }),
    )
    .returning(['attempts', 'window_start'])
    .executeTakeFirstOrThrow();
  return counted(rule, { attempts: Number(row.attempts), window_start: row.window_start }, now);
}

/** An attempt that succeeded is not held against the key: its count starts afresh. */
export async function forgive(db: Kysely<DB>, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

/** Takes one attempt back (a right password does not count against its client address). */
export async function uncount(db: Kysely<DB>, key: string): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set((eb) => ({ attempts: eb('attempts', '-', 1) }))
    .where('key', '=', key)
    .where('attempts', '>', 0)
    .execute();
}

/** Lifts every count held against a user's account (an admin unlocks it, or sets a new password). */
export async function forgiveUser(db: Kysely<DB>, userId: number): Promise<void> {
  await db.deleteFrom('login_throttle').where('user_id', '=', userId).execute();
}

/** Until when each of these accounts is locked out from some address: the latest window still over its limit. */
export async function lockedUntilOf(db: Kysely<DB>, userIds: readonly number[], rule: ThrottleRule, now: Date): Promise<Map<number, string>> {
  if (userIds.length === 0) return new Map();
  const cutoff = new Date(now.getTime() - rule.windowMinutes * 60_000).toISOString();
  const rows = await db
    .selectFrom('login_throttle')
    .select(['user_id', 'window_start'])
    .where('user_id', 'in', [...userIds])
    .where('attempts', '>=', rule.limit)
    .where('window_start', '>', cutoff)
    .execute();
  const locked = new Map<number, string>();
  for (const r of rows) {
    const until = new Date(Date.parse(r.window_start) + rule.windowMinutes * 60_000).toISOString();
    if (r.user_id !== null && until > (locked.get(r.user_id) ?? '')) locked.set(r.user_id, until);
  }
  return locked;
}

/** Rows whose window ended long ago: cleared now and then so that the table holds only live counts. */
export async function clearOldAttempts(db: Kysely<DB>, now: Date, olderThanMinutes = 24 * 60): Promise<void> {
  await db
    .deleteFrom('login_throttle')
    .where('window_start', '<', new Date(now.getTime() - olderThanMinutes * 60_000).toISOString())
    .execute();
}
