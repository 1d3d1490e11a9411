import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Recipient } from './rules.js';

// Reading the notification rows (platform/notify.ts writes them): the only
// place of this module that builds SQL.

/** The recipient's notifications after `afterId` (oldest first), or their latest ones, newest first, when `afterId` is undefined. */
export async function notificationsFor(db: Kysely<DB>, recipient: Recipient, afterId: number | undefined, limit: number) {
  const units = [...recipient.visibleUnits];
  return (
    db
      .selectFrom('notifications')
      .selectAll()
      // The same rule as isFor, in SQL, so that a user's few rows are found among everyone's many.
      .where((eb) =>
        eb.or([
          eb('user_id', '=', recipient.userId),
          eb.and([
            eb('user_id', 'is', null),
            eb('role', 'in', recipient.roles.length > 0 ? [...recipient.roles] : ['-']),
            eb.or([eb('unit_id', 'is', null), eb('unit_id', 'in', units.length > 0 ? units : [-1])]),
          ]),
        ]),
      )
      .$if(afterId !== undefined, (q) => q.where('id', '>', afterId!).orderBy('id', 'asc'))
      .$if(afterId === undefined, (q) => q.orderBy('id', 'desc'))
      .limit(limit)
      .execute()
  );
}

/** The newest notification's id (0 when there is none). */
export async function newestId(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

export async function idsAfter(db: Kysely<DB>, lastId: number) {
  return db.selectFrom('notifications').select('id').where('id', '>', lastId).orderBy('id').execute();
}

/** The rows after `lastId` and those below it still missing (taken before a later one, committed after it). */
export async function pollRows(db: Kysely<DB>, lastId: number, missing: readonly number[], limit: number) {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where((eb) => (missing.length > 0 ? eb.or([eb('id', '>', lastId), eb('id', 'in', [...missing])]) : eb('id', '>', lastId)))
    .orderBy('id')
    .limit(limit)
    .execute();
}
