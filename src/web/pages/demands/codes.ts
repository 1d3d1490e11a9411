import type { CALLBACK_OUTCOMES as Outcomes, DEMAND_STATUSES as Statuses, PRIORITIES as Priorities } from '../../../shared/schemas/demands.js';

// The schema module's code lists, repeated here because importing its values
// would pull Zod into the bundle. The checks below fail to compile the moment
// the two lists differ.

type Same<A extends readonly string[], B extends readonly string[]> = [Exclude<A[number], B[number]> | Exclude<B[number], A[number]>] extends [never]
  ? true
  : false;

export const PRIORITIES = ['normal', 'high', 'urgent'] as const;
export const DEMAND_STATUSES = ['open', 'dispatched', 'awaiting_callback', 'closed'] as const;
export const CALLBACK_OUTCOMES = ['satisfied', 'unsatisfied', 'unreachable'] as const;

export const CODES_MATCH_THE_SCHEMAS: [
  Same<typeof PRIORITIES, typeof Priorities>,
  Same<typeof DEMAND_STATUSES, typeof Statuses>,
  Same<typeof CALLBACK_OUTCOMES, typeof Outcomes>,
] = [true, true, true];

// shared/codes.ts has no Zod in it: its lists are imported as they are.
export { UNRESOLVED_REASONS, VERDICTS, type UnresolvedReason, type Verdict } from '../../../shared/codes.js';
