import type { Channel, DemandType, Source } from '../../../shared/codes.js';
import { REPEAT_WINDOW_DAYS } from '../../../shared/cases.js';
import { DEFAULT_LADDER, ladderProblem, type LadderRung } from '../../../shared/ladder.js';
import type { DeadlineStep } from '../deadlines/policies.js';
import type { CALLBACK_OUTCOMES, DEMAND_STATUSES, PRIORITIES } from '../../../shared/schemas/demands.js';
import { indexTokens } from '../../platform/text.js';

// The demand's rules: plain functions over plain data, tested beside.

export type Priority = (typeof PRIORITIES)[number];
export type DemandStatus = (typeof DEMAND_STATUSES)[number];

export { OPEN_ORDER_STATUSES, WORK_ORDER_STATUSES, workOrderTransition, type WorkOrderAction, type WorkOrderStatus } from '../../../shared/work-orders.js';

/** 0 agent, 1 team lead, 2 centre manager, 3 head of the responsible unit (API.md). */
export const MAX_ESCALATION = 3;

export { REPEAT_WINDOW_DAYS };

/** The clocks a new demand starts, by type. */
export const STEPS_AT_INTAKE: Partial<Record<DemandType, DeadlineStep[]>> = {
  fault_repair: ['dispatch', 'arrive'],
  complaint: ['contact', 'answer'],
  opinion: ['answer'],
  suggestion: ['answer'],
  report: ['answer'],
  service_request: ['answer'],
  business: ['answer'],
};

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

/** A new case from an over-level source starts at the team lead; any other at the agent. */
export function initialEscalation(source: Source): number {
  return isOverLevel(source) ? 1 : 0;
}

export const escalateOnce = (level: number) => Math.min(MAX_ESCALATION, level + 1);

// ── cases (多次诉求) ─────────────────────────────────────────────────────────

/** A case of the calling customer, as its first call stands (the case's status, level and count). */
export interface CustomerCase {
  caseId: number;
  category: string | null;
  status: string;
  createdAt: string;
  closedAt: string | null;
  callCount: number;
  escalationLevel: number;
}

export type JoinReason = 'open' | 'recent';

/**
 * 多次诉求 (DESIGN.md, "Repeated demand"): a call from a customer (by 户号 or
 * phone, also a phone not yet tied to a customer) joins the customer's open
 * case, whatever the matter; with no case open, it joins the case on the same
 * category closed within the window. The newest such case is joined.
 */
export function caseToJoin(
  cases: readonly CustomerCase[],
  incoming: { category: string | null },
  now: Date,
): { case: CustomerCase; reason: JoinReason } | undefined {
  const newestFirst = (a: CustomerCase, b: CustomerCase) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.caseId - a.caseId);
  const open = cases.filter((c) => c.status !== 'closed').sort(newestFirst)[0];
  if (open) return { case: open, reason: 'open' };
  const windowStart = new Date(now.getTime() - REPEAT_WINDOW_DAYS * 86_400_000).toISOString();
  const recent = cases.filter((c) => c.category === incoming.category && c.closedAt !== null && c.closedAt >= windowStart).sort(newestFirst)[0];
  return recent ? { case: recent, reason: 'recent' } : undefined;
}

/** A call's own search words: what was said and the caller's name, segmented (platform/text indexTokens). */
export const callTokens = (content: string, customerName: string | null): string => indexTokens([content, customerName ?? ''].join(' '));

/**
 * The words a case is found by: those of each of its calls, first to last.
 * The lists show a case once, as its first call, so the first call's search
 * text holds them all: the hotel's case is found by 收费 though only its
 * eighth call spoke of the fee.
 */
export function caseSearchText(callsTokens: readonly string[]): string {
  return callsTokens.filter((t) => t.length > 0).join(' ');
}

export { DEFAULT_LADDER, ladderProblem, type LadderRung };

/** The level a case's calls reach on the ladder. */
export function ladderLevel(ladder: readonly LadderRung[], callCount: number): number {
  return ladder.reduce((level, rung) => (callCount >= rung.calls && rung.level > level ? rung.level : level), 0);
}

/** The level of a case after a further call: never down, the ladder's, and an over-level call at the team lead at least. */
export function levelAfterCall(ladder: readonly LadderRung[], caseLevel: number, callCount: number, overLevel: boolean): number {
  return Math.min(MAX_ESCALATION, Math.max(caseLevel, ladderLevel(ladder, callCount), overLevel ? 1 : 0));
}

/** The levels passed going from one level to another, each told once: 1 → 3 tells levels 2 and 3. */
export function levelsPassed(from: number, to: number): number[] {
  const levels: number[] = [];
  for (let level = from + 1; level <= to; level++) levels.push(level);
  return levels;
}

/** A demand number readable on the phone: the local date and the day's sequence, e.g. 2026112200017. */
export function demandNumber(localDate: string, sequence: number): string {
  return `${localDate.replaceAll('-', '')}${String(sequence).padStart(5, '0')}`;
}

// ── work orders: the transitions are src/shared/work-orders.ts ─────────────

/** A clock between the handler's phone and the server's: a fact stamped this little ahead of the server is taken as now. */
export const FACT_CLOCK_SKEW_MS = 60_000;

/**
 * When a fact happened (the crew arrived, the power came back): the time the
 * handler gives, else now, for a click made later than the fact. Never in the
 * future, never before the order was dispatched (nor before `notBefore`,
 * e.g. restoration before the arrival).
 */
export function factTime(
  claimed: string | undefined,
  now: string,
  bounds: { dispatchedAt: string; notBefore?: { at: string; what: string } },
): { at: string } | { problem: string } {
  if (claimed === undefined) return { at: now };
  const at = Date.parse(claimed);
  if (at > Date.parse(now) + FACT_CLOCK_SKEW_MS) return { problem: 'is in the future' };
  if (at < Date.parse(bounds.dispatchedAt)) return { problem: 'is before the order was dispatched' };
  if (bounds.notBefore && at < Date.parse(bounds.notBefore.at)) return { problem: `is before ${bounds.notBefore.what}` };
  return { at: new Date(Math.min(at, Date.parse(now))).toISOString() };
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

/** A long-running demand's progress messages go every this many working days by default (progress.ts). */
export const PROGRESS_EVERY_WD = 10;
