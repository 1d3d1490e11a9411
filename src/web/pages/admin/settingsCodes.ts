import type { DEADLINE_STEPS as Steps, LIMIT_UNITS as Units } from '../../../shared/schemas/settings.js';

// The settings schema's code lists, repeated here because importing its values
// would pull Zod into the bundle (as in pages/demands/codes.ts). The check
// below fails to compile the moment the lists differ.

type Same<A extends readonly string[], B extends readonly string[]> = [Exclude<A[number], B[number]> | Exclude<B[number], A[number]>] extends [never]
  ? true
  : false;

export const DEADLINE_STEPS = ['dispatch', 'arrive', 'restore', 'contact', 'answer', 'callback', 'transfer_answer'] as const;
export const LIMIT_UNITS = ['minutes', 'working_days'] as const;

export const SETTINGS_CODES_MATCH_THE_SCHEMAS: [Same<typeof DEADLINE_STEPS, typeof Steps>, Same<typeof LIMIT_UNITS, typeof Units>] = [true, true];
