import type { Kysely } from 'kysely';
import { insertItem, insertRows, type BatchItem } from '../db/statements.js';
import type { DB } from '../db/types.js';

// Notifications are rows (an outbox): a restart loses none, and the live
// channel (modules/notifications) reads them from there. Every module raises
// them, so the writing lives in the platform, beside the audit trail.

export interface NewNotification {
  /** One user, or everyone holding `role` (in `unitId` and the units above it, when given). */
  userId?: number | null;
  role?: string | null;
  unitId?: number | null;
  kind: string;
  demandId?: number | null;
  taskId?: number | null;
  consultationId?: number | null;
  title: string;
}

const NOTIFICATION_COLUMNS = ['user_id', 'role', 'unit_id', 'kind', 'demand_id', 'task_id', 'consultation_id', 'title', 'created_at'] as const;

const notificationRows = (now: string, notifications: readonly NewNotification[]) =>
  notifications.map((n) => ({
    user_id: n.userId ?? null,
    role: n.role ?? null,
    unit_id: n.unitId ?? null,
    kind: n.kind,
    demand_id: n.demandId ?? null,
    task_id: n.taskId ?? null,
    consultation_id: n.consultationId ?? null,
    title: n.title,
    created_at: now,
  }));

export async function notify(db: Kysely<DB>, now: string, notifications: NewNotification[]): Promise<void> {
  await insertRows(db, 'notifications', NOTIFICATION_COLUMNS, notificationRows(now, notifications));
}

/** notify as an item of a batch (db/statements.ts runBatch). */
export function notificationsItem(now: string, notifications: readonly NewNotification[]): BatchItem {
  return insertItem('notifications', NOTIFICATION_COLUMNS, notificationRows(now, notifications));
}
