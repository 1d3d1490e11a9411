import type { Channel, DemandType, Source } from '../../../shared/codes.js';
import type { CALLBACK_OUTCOMES, DEMAND_STATUSES, PRIORITIES } from '../../../shared/schemas/demands.js';

// The demand's rules: plain functions over plain data, tested beside.

export type Priority = (typeof PRIORITIES)[number];
export type DemandStatus = (typeof DEMAND_STATUSES)[number];

export const WORK_ORDER_STATUSES = ['dispatched', 'accepted', 'arrived', 'handled', 'returned', 'closed'] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

/** 0 agent, 1 team lead, 2 centre manager, 3 head of the responsible unit (API.md). */
export const MAX_ESCALATION = 3;

/** Repeats count within this many days of the earlier demand (or while it is open). */
export const REPEAT_WINDOW_DAYS = 30;

/** Where a demand came from when the caller does not say: over-level channels carry their source. */
export function sourceFromChannel(channel: Channel): Source {
  if (channel === 'province') return 'province';
  if (channel === 'media') return 'media';
  if (channel === 'weibo') return 'public';
  return 'direct';
}

/** 越级: forwarded by the provincial office or the media, or posted publicly. */
export const isOverLevel = (source: Source) => source !== 'direct';

export function initialPriority(source: Source, requested: Priority | undefined, important: boolean): Priority {
  if (isOverLevel(source)) return 'urgent';
  if (requested) return requested;
  return important ? 'high' : 'normal';
}

/** From the third call on the same matter (two earlier ones), the case goes to the team lead by itself. */
export function escalationForRepeat(repeatCount: number): number {
  return repeatCount >= 2 ? 1 : 0;
}

export function initialEscalation(source: Source, repeatCount: number, earlierLevel: number): number {
  return Math.max(isOverLevel(source) ? 1 : 0, escalationForRepeat(repeatCount), repeatCount > 0 ? earlierLevel : 0);
}

export const escalateOnce = (level: number) => Math.min(MAX_ESCALATION, level + 1);

export interface EarlierDemand {
  id: number;
  caseId: number | null;
  category: string | null;
  accountNo: string | null;
  phone: string;
  status: string;
  createdAt: string;
  closedAt: string | null;
  repeatCount: number;
  escalationLevel: number;
}

/**
 * 多次诉求: the same customer (户号 or phone) on the same matter (category)
 * while an earlier demand is open or within the window after it closed. The
 * newest such demand is the one the new call repeats.
 */
export function findRepeatOf(earlier: readonly EarlierDemand[], incoming: { accountNo: string | null; phone: string; category: string | null }, now: Date): EarlierDemand | undefined {
  const windowStart = new Date(now.getTime() - REPEAT_WINDOW_DAYS * 86_400_000).toISOString();
  const sameCustomer = (d: EarlierDemand) => (incoming.accountNo !== null && d.accountNo === incoming.accountNo) || d.phone === incoming.phone;
  const sameMatter = (d: EarlierDemand) => d.category === incoming.category;
  const recent = (d: EarlierDemand) => d.status !== 'closed' || (d.closedAt !== null && d.closedAt >= windowStart);
  return earlier
    .filter((d) => sameCustomer(d) && sameMatter(d) && recent(d))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.id - a.id))[0];
}

/** A demand number readable on the phone: the local date and the day's sequence, e.g. 2026112200017. */
export function demandNumber(localDate: string, sequence: number): string {
  return `${localDate.replaceAll('-', '')}${String(sequence).padStart(5, '0')}`;
}

// ── work orders ────────────────────────────────────────────────────────────
export type WorkOrderAction = 'accept' | 'arrive' | 'handle' | 'return';

/** The status an action moves a work order to, or why it may not. */
export function workOrderTransition(status: WorkOrderStatus, action: WorkOrderAction, demandType: DemandType): WorkOrderStatus | { refused: string } {
  switch (action) {
    case 'accept':
      return status === 'dispatched' ? 'accepted' : { refused: `a ${status} order cannot be accepted` };
    case 'arrive':
      if (demandType !== 'fault_repair') return { refused: 'only repair orders record the crew’s arrival' };
      return status === 'accepted' ? 'arrived' : { refused: `a ${status} order cannot record an arrival; accept it first` };
    case 'handle':
      if (demandType === 'fault_repair' && status !== 'arrived') return { refused: 'a repair order is handled after the crew’s arrival' };
      return status === 'accepted' || status === 'arrived' ? 'handled' : { refused: `a ${status} order cannot be handled` };
    case 'return':
      return status === 'dispatched' || status === 'accepted' ? 'returned' : { refused: `a ${status} order cannot be returned as misrouted` };
  }
}

// ── callbacks ──────────────────────────────────────────────────────────────
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];
export const MAX_CALLBACK_TRIES = 3;

export type CallbackDecision =
  | { kind: 'close' }
  | { kind: 'reopen'; escalationLevel: number; reason: 'unsatisfied' | 'power_not_restored' }
  | { kind: 'retry'; attempts: number }
  | { kind: 'team_lead'; attempts: number; escalationLevel: number };

/**
 * What a callback does: satisfied closes (a repair only when the power is
 * back), unsatisfied reopens one level higher, unreachable tries again and
 * after the third try goes to the team lead.
 */
export function decideCallback(
  demand: { type: DemandType; escalationLevel: number; callbackAttempts: number },
  outcome: CallbackOutcome,
  powerRestored: boolean | undefined,
): CallbackDecision {
  if (outcome === 'unreachable') {
    const attempts = demand.callbackAttempts + 1;
    if (attempts >= MAX_CALLBACK_TRIES) return { kind: 'team_lead', attempts, escalationLevel: Math.max(1, demand.escalationLevel) };
    return { kind: 'retry', attempts };
  }
  if (demand.type === 'fault_repair' && powerRestored !== true) {
    return { kind: 'reopen', escalationLevel: escalateOnce(demand.escalationLevel), reason: 'power_not_restored' };
  }
  if (outcome === 'unsatisfied') return { kind: 'reopen', escalationLevel: escalateOnce(demand.escalationLevel), reason: 'unsatisfied' };
  return { kind: 'close' };
}
