import { request } from './client.js';

// The notifications API has no shared schema (the server declares it in its
// routes), so its shape is written out here.

export interface AppNotification {
  id: number;
  kind: string;
  title: string;
  demandId: number | null;
  taskId: number | null;
  consultationId: number | null;
  createdAt: string;
}

/** Where a notification leads: the 停电 page for outages, its consultation (the expert seat), else its demand. */
export function notificationPath(n: AppNotification): string | null {
  // An outage announced, or a suspected one (named by its first call): the 停电 page, where it is acted on.
  if (n.kind === 'outage' || n.kind === 'suspected_outage') return '/outages';
  // The green channel's supervision and a stage begun: the applications, the late ones first when one is late.
  if (n.kind === 'application_late' || n.kind === 'application_escalated') return '/customers/applications?late=true';
  if (n.kind.startsWith('application_')) return '/customers/applications';
  // A plan's action due or overdue, a plan proposed by the rules: the plans, with "my actions" on top.
  if (n.kind.startsWith('plan_')) return '/customers/plans';
  // A customer given to the account manager or taken away: their desk.
  if (n.kind === 'account_assigned' || n.kind === 'account_unassigned') return '/customers/desk';
  if (n.consultationId !== null) return `/experts/consultations/${n.consultationId}`;
  return n.demandId === null ? null : `/demands/${n.demandId}`;
}

/** The caller's notifications after an id; with 0, the recent ones. */
export const listNotifications = (after: number) => request<AppNotification[]>('GET', '/notifications', undefined, { after });

/** The live channel: the browser sends the session cookie, and Last-Event-ID when it reconnects by itself. */
export const NOTIFICATION_STREAM = '/api/notifications/stream';
