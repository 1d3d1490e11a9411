import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';

// Notifications are rows (an outbox): a restart loses none, and the live
// channel reads them from here.

export interface NewNotification {
  /** One user, or everyone holding `role` (in `unitId` and the units above it, when given). */
  userId?: number | null;
  role?: string | null;
  unitId?: number | null;
  kind: string;
  demandId?: number | null;
  taskId?: number | null;
  title: string;
}

export async function notify(db: Kysely<DB>, now: string, notifications: NewNotification[]): Promise<void> {
  if (notifications.length === 0) return;
  await db
    .insertInto('notifications')
    .values(
      notifications.map((n) => ({
        user_id: n.userId ?? null,
        role: n.role ?? null,
        unit_id: n.unitId ?? null,
        kind: n.kind,
        demand_id: n.demandId ?? null,
        task_id: n.taskId ?? null,
        title: n.title,
        created_at: now,
      })),
    )
    .execute();
}
