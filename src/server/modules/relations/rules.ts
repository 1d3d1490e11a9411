import { addDays } from '../../../shared/time.js';
import type { CandidateReason, PlanRule, PlanRules, RuleOwner, Segment } from '../../../shared/schemas/relations.js';

// The pure rules of service plans and activities (DESIGN.md, "Customers and
// key accounts"): which recent demands make a rule propose a dynamic plan, who
// owns its actions, when an action is reminded, and which customers are to be
// visited. Everything here is over plain data; repository.ts reads it.

/** The rules a new installation starts with (settings key `relations.planRules`). */
export const DEFAULT_PLAN_RULES: PlanRules = [
  {
    key: 'key_account_outages',
    segment: 'key_accounts',
    category: 'outage_voltage',
    count: 2,
    days: 30,
    title: '停电诉求根因分析与走访',
    actions: [
      { text: '停电原因根因分析', dueInDays: 5, owner: 'account_manager' },
      { text: '上门走访客户', dueInDays: 10, owner: 'account_manager' },
    ],
  },
  {
    key: 'unsatisfied_callback',
    callbackOutcome: 'unsatisfied',
    count: 1,
    days: 30,
    title: '回访不满意客户走访',
    actions: [{ text: '上门走访，了解不满意原因', dueInDays: 7, owner: 'account_manager' }],
  },
];

/** The facts of a customer that decide its groups. */
export interface CustomerFacts {
  keyAccount: boolean;
  important: boolean;
  customerClass: string;
}

/** The groups a customer belongs to: the standing plans of each apply to it. */
export function segmentsOf(c: CustomerFacts): Segment[] {
  const out: Segment[] = [];
  if (c.keyAccount) out.push('key_accounts');
  if (c.customerClass === 'residential') out.push('residential_lv');
  if (c.important) out.push('important');
  return out;
}

/** One demand (or one callback on it) a rule may count. */
export interface RuleEvent {
  customerId: number;
  demandId: number;
  number: string;
  /** When the demand was registered, or the callback recorded. */
  at: string;
  category: string | null;
  type: string;
  /** The callback's outcome when the event is a callback; null for the demand itself. */
  callbackOutcome: string | null;
  customer: CustomerFacts;
}

/** Whether a rule counts the event: its group, its category and type, and callback or demand. */
export function matches(rule: PlanRule, e: RuleEvent): boolean {
  if (rule.segment && !segmentsOf(e.customer).includes(rule.segment)) return false;
  if (rule.category && e.category !== rule.category) return false;
  if (rule.type && e.type !== rule.type) return false;
  if (rule.callbackOutcome) return e.callbackOutcome === rule.callbackOutcome;
  return e.callbackOutcome === null;
}

export interface Proposal {
  ruleKey: string;
  customerId: number;
  /** The demands that made it, oldest first (their numbers go into the plan's reason). */
  demandNumbers: string[];
}

/** The instant `days` before `now`: the start of a rule's window. */
export const windowStart = (now: string, days: number) => new Date(Date.parse(now) - days * 86_400_000).toISOString();

/**
 * The customers a rule proposes a plan for at `now`: `count` or more matching
 * demands (distinct) within the last `days`, and no plan of the rule proposed
 * for them within that window already (`proposedSince`: the customers that have
 * one, whatever became of it).
 */
export function proposals(rule: PlanRule, events: readonly RuleEvent[], now: string, proposedSince: ReadonlySet<number>): Proposal[] {
  const since = windowStart(now, rule.days);
  const byCustomer = new Map<number, Map<number, RuleEvent>>();
  for (const e of events) {
    if (e.at < since || e.at > now || !matches(rule, e) || proposedSince.has(e.customerId)) continue;
    const demands = byCustomer.get(e.customerId) ?? new Map<number, RuleEvent>();
    if (!demands.has(e.demandId)) demands.set(e.demandId, e);
    byCustomer.set(e.customerId, demands);
  }
  const out: Proposal[] = [];
  for (const [customerId, demands] of [...byCustomer].sort((a, b) => a[0] - b[0])) {
    if (demands.size < rule.count) continue;
    const ordered = [...demands.values()].sort((a, b) => a.at.localeCompare(b.at) || a.demandId - b.demandId);
    out.push({ ruleKey: rule.key, customerId, demandNumbers: ordered.map((e) => e.number) });
  }
  return out;
}

/** The plan's reason, in words: the rule's threshold and the demands' numbers. */
export function proposalReason(rule: PlanRule, p: Proposal): string {
  const what = rule.callbackOutcome ? '次回访不满意' : '件诉求';
  return `近${rule.days}天内${p.demandNumbers.length}${what}（${p.demandNumbers.join('、')}）`;
}

/** Who may own a rule's action, as found for the customer. */
export interface OwnerFacts {
  accountManagerId: number | null;
  /** The head of the customer's county bureau (units.head_user_id of its station's parent). */
  countyHeadId: number | null;
  teamLeadId: number | null;
}

/**
 * The owner of a rule's action: the customer's account manager, else the head
 * of the customer's county bureau, else a team lead (the first active one); a
 * rule's `owner` says where along that chain to start. Null when nobody is
 * found (the plan is then not proposed).
 */
export function resolveOwner(start: RuleOwner, f: OwnerFacts): number | null {
  const chain: (number | null)[] =
    start === 'account_manager'
      ? [f.accountManagerId, f.countyHeadId, f.teamLeadId]
      : start === 'county_head'
        ? [f.countyHeadId, f.teamLeadId]
        : [f.teamLeadId];
  return chain.find((id) => id !== null) ?? null;
}

/** A rule's action's due date: `dueInDays` calendar days after the proposal's local date. */
export const dueOn = (today: string, dueInDays: number) => addDays(today, dueInDays);

/** An action is reminded when this many working days or fewer are left before its due date. */
export const REMIND_WORKING_DAYS = 3;

/**
 * What an open action is owed at the local date `today`: 'overdue' once its due
 * date has passed (told once), 'remind' when 3 working days or fewer are left
 * (told once; an action already overdue when first seen is told as overdue
 * only), else nothing.
 */
export function actionNotice(
  a: { dueOn: string; status: string; remindedAt: string | null; overdueNotifiedAt: string | null },
  today: string,
  workingDaysBetween: (from: string, to: string) => number,
): 'remind' | 'overdue' | null {
  if (a.status !== 'open') return null;
  if (a.dueOn < today) return a.overdueNotifiedAt === null ? 'overdue' : null;
  if (a.remindedAt !== null) return null;
  return workingDaysBetween(today, a.dueOn) <= REMIND_WORKING_DAYS ? 'remind' : null;
}

/** Something that makes a customer a visit candidate. */
export interface CandidateEvent {
  customerId: number;
  demandId: number;
  number: string;
  /** The local date of the unsatisfied callback or of the demand. */
  date: string;
  reason: CandidateReason;
}

/**
 * The customers to visit: for each, its latest event, unless a visit reached
 * the customer on or after that event's date (`lastVisit`: the latest visit's
 * date by customer). Latest first.
 */
export function visitCandidates(events: readonly CandidateEvent[], lastVisit: ReadonlyMap<number, string>): CandidateEvent[] {
  const latest = new Map<number, CandidateEvent>();
  for (const e of events) {
    const seen = latest.get(e.customerId);
    if (!seen || e.date > seen.date || (e.date === seen.date && e.demandId > seen.demandId)) latest.set(e.customerId, e);
  }
  return [...latest.values()]
    .filter((e) => {
      const visited = lastVisit.get(e.customerId);
      return visited === undefined || visited < e.date;
    })
    .sort((a, b) => b.date.localeCompare(a.date) || b.demandId - a.demandId);
}
