import type { AreaClass, DemandType } from '../../../shared/codes.js';
import { addWorkingDays, workingInstantAt, type BusinessCalendar } from './calendar.js';

// Time limits as data: a policy names the step it limits and, optionally, the
// type, category, sub-category, area class and priority it applies to. The
// most specific matching policy wins. Defaults follow the public commitments
// (DESIGN.md, "Default time limits"); each company edits them.

export const DEADLINE_STEPS = [
  'dispatch', // order dispatched after the call
  'arrive', // crew on site
  'restore', // power restored after arrival
  'contact', // customer contacted
  'answer', // customer answered / demand resolved
  'callback', // callback after the unit handed back
  'transfer_answer', // 传递: the department answers a raised demand, counted from the monthly batch
] as const;
export type DeadlineStep = (typeof DEADLINE_STEPS)[number];

/** The steps in words, for the titles of notifications. */
export const STEP_WORDS: Record<string, string> = {
  dispatch: '派单',
  arrive: '到达现场',
  restore: '恢复送电',
  contact: '联系客户',
  answer: '答复客户',
  callback: '回访',
  transfer_answer: '传递答复',
};

export type LimitUnit = 'minutes' | 'working_days';

export interface TimePolicy {
  step: DeadlineStep;
  type: DemandType | null;
  category: string | null;
  subcategory: string | null;
  areaClass: AreaClass | null;
  priority: string | null;
  amount: number;
  unit: LimitUnit;
}

export interface DemandFacts {
  type: DemandType;
  category: string | null;
  subcategory: string | null;
  areaClass: AreaClass;
  priority: string;
}

const KEYS = ['type', 'category', 'subcategory', 'areaClass', 'priority'] as const;

function specificity(policy: TimePolicy): number {
  // A priority's own limits come first (the urgent over-level complaint: 2 h
  // and 2 WD whatever its type), then type, sub-category, category, area.
  const weights = { priority: 32, type: 16, subcategory: 8, category: 4, areaClass: 2 } as const;
  return KEYS.reduce((sum, key) => sum + (policy[key] === null ? 0 : weights[key]), 0);
}

export function policyFor(policies: readonly TimePolicy[], step: DeadlineStep, facts: DemandFacts): TimePolicy | undefined {
  let best: TimePolicy | undefined;
  for (const policy of policies) {
    if (policy.step !== step) continue;
    if (!KEYS.every((key) => policy[key] === null || policy[key] === facts[key])) continue;
    if (!best || specificity(policy) > specificity(best)) best = policy;
  }
  return best;
}

/** The due time of a step started at `start`; important customers get half the time. */
export function dueAt(policy: Pick<TimePolicy, 'amount' | 'unit'>, start: Date, calendar: BusinessCalendar, important: boolean): Date {
  const amount = important ? policy.amount / 2 : policy.amount;
  if (policy.unit === 'minutes') return new Date(start.getTime() + amount * 60_000);
  return addWorkingDays(start, Math.round(amount * 2) / 2, calendar);
}

/** Warnings go out when 80 % of the time is gone. */
export function warnAt(start: Date, due: Date, share = 0.8): Date {
  return new Date(start.getTime() + Math.round((due.getTime() - start.getTime()) * share));
}

/** The warning of a limit: 80 % of clock time for minutes, of working time for working days. */
export function warnAtFor(unit: LimitUnit, start: Date, due: Date, calendar: BusinessCalendar): Date {
  return (unit === 'working_days' ? workingInstantAt(start, due, 0.8, calendar) : null) ?? warnAt(start, due);
}

const p = (
  step: DeadlineStep,
  type: DemandType | null,
  amount: number,
  unit: LimitUnit,
  more: Partial<Omit<TimePolicy, 'step' | 'type' | 'amount' | 'unit'>> = {},
): TimePolicy => ({
  step,
  type,
  category: null,
  subcategory: null,
  areaClass: null,
  priority: null,
  amount,
  unit,
  ...more,
});

/** The defaults loaded on first start (DESIGN.md, "Default time limits"). */
export const DEFAULT_POLICIES: TimePolicy[] = [
  p('dispatch', 'fault_repair', 5, 'minutes'),
  p('arrive', 'fault_repair', 45, 'minutes', { areaClass: 'urban' }),
  p('arrive', 'fault_repair', 90, 'minutes', { areaClass: 'rural' }),
  p('arrive', 'fault_repair', 120, 'minutes', { areaClass: 'remote' }),
  p('restore', 'fault_repair', 180, 'minutes', { areaClass: 'urban' }),
  p('restore', 'fault_repair', 240, 'minutes', { areaClass: 'rural' }),
  p('restore', 'fault_repair', 240, 'minutes', { areaClass: 'remote' }),
  p('contact', 'complaint', 1, 'working_days'),
  p('answer', 'complaint', 5, 'working_days'),
  p('answer', 'opinion', 5, 'working_days'),
  p('answer', 'suggestion', 5, 'working_days'),
  p('answer', 'report', 5, 'working_days'),
  p('answer', 'service_request', 5, 'working_days'),
  p('answer', 'service_request', 24 * 60, 'minutes', { subcategory: 'reconnection' }),
  p('answer', 'service_request', 5, 'working_days', { subcategory: 'meter_check' }),
  p('answer', 'business', 5, 'working_days', { subcategory: 'new_connection_residential' }),
  p('answer', 'business', 6, 'working_days', { subcategory: 'new_connection_low_voltage' }),
  p('answer', 'business', 22, 'working_days', { subcategory: 'new_connection_hv_single' }),
  p('answer', 'business', 32, 'working_days', { subcategory: 'new_connection_hv_double' }),
  p('answer', 'business', 5, 'working_days'),
  // Over-level complaints (越级: province, media, public) carry the urgent priority and its own limits.
  p('contact', null, 120, 'minutes', { priority: 'urgent' }),
  p('answer', null, 2, 'working_days', { priority: 'urgent' }),
  p('callback', null, 1, 'working_days'),
  p('transfer_answer', null, 10, 'working_days'),
];
