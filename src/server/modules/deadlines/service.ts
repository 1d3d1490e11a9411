import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { calendarFrom, type BusinessCalendar } from './calendar.js';
import { dueAt, policyFor, warnAtFor, type DeadlineStep, type DemandFacts, type TimePolicy } from './policies.js';
import { insertDeadlines, loadCalendarDays, loadPolicies, type NewDeadline } from './repository.js';

// For the modules whose steps have deadlines (demands): the deadlines table is this module's.
export {
  cancelLiveDeadlines,
  claimEscalation,
  claimWarning,
  deadlinesItem,
  deadlinesOf,
  dueEscalations,
  dueWarnings,
  insertDeadlines,
  listRouteRows,
  loadLadder,
  meetDeadlines,
  storedDeadlines,
} from './repository.js';
export { STEP_WORDS } from './policies.js';

export interface DeadlineRules {
  calendar: BusinessCalendar;
  policies: TimePolicy[];
}

/**
 * The calendar and the policies are small and change rarely; one read serves
 * the requests of the next few seconds. The deadlines themselves are rows.
 */
let cached: { at: number; db: Kysely<DB>; timeZone: string; rules: DeadlineRules } | undefined;
const CACHE_MS = 10_000;

/** The rules in the company's time zone: the calendar's dates are its local dates. */
export async function deadlineRules(db: Kysely<DB>, timeZone: string): Promise<DeadlineRules> {
  if (cached && cached.db === db && cached.timeZone === timeZone && Date.now() - cached.at < CACHE_MS) return cached.rules;
  const [days, policies] = await Promise.all([loadCalendarDays(db), loadPolicies(db)]);
  const rules = { calendar: calendarFrom(days, timeZone), policies };
  cached = { at: Date.now(), db, timeZone, rules };
  return rules;
}

/** Forget the cached rules (after an edit of the calendar or the policies). */
export function invalidateDeadlineRules(): void {
  cached = undefined;
}

/** The deadlines of these steps for a demand (or one of its tasks), where a policy sets one, not yet stored. */
export function planDeadlines(
  rules: DeadlineRules,
  target: { demandId: number; taskId: number | null; facts: DemandFacts; important: boolean },
  steps: readonly DeadlineStep[],
  start: Date,
): NewDeadline[] {
  const deadlines: NewDeadline[] = [];
  for (const step of steps) {
    const policy = policyFor(rules.policies, step, target.facts);
    if (!policy) continue;
    const due = dueAt(policy, start, rules.calendar, target.important);
    deadlines.push({
      demandId: target.demandId,
      taskId: target.taskId,
      step,
      startedAt: start.toISOString(),
      dueAt: due.toISOString(),
      warnAt: warnAtFor(policy.unit, start, due, rules.calendar).toISOString(),
    });
  }
  return deadlines;
}

/** Starts the deadlines of these steps for a demand (or one of its tasks), where a policy sets one; returns them as stored. */
export async function startDeadlines(
  db: Kysely<DB>,
  rules: DeadlineRules,
  target: { demandId: number; taskId: number | null; facts: DemandFacts; important: boolean },
  steps: readonly DeadlineStep[],
  start: Date,
) {
  return insertDeadlines(db, planDeadlines(rules, target, steps, start));
}
