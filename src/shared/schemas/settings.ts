import { z } from 'zod';
import { AREA_CLASSES, DEMAND_CATEGORIES, DEMAND_TYPES } from '../codes.js';
import { Id, Text } from './common.js';
import { subcategoryFitsType } from './demands.js';

export const DEADLINE_STEPS = ['dispatch', 'arrive', 'restore', 'contact', 'answer', 'callback', 'transfer_answer'] as const;
export const LIMIT_UNITS = ['minutes', 'working_days'] as const;

const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a calendar date');

export const CalendarDay = z.object({ date: z.string(), working: z.boolean(), name: z.string().nullable() });
export const CalendarQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });
export const DateParams = z.strictObject({ date: LocalDate });
export const SetCalendarDayBody = z.strictObject({ working: z.boolean(), name: Text(64).nullable().optional() });

export const TimePolicy = z.object({
  id: z.number().int(),
  step: z.enum(DEADLINE_STEPS),
  type: z.enum(DEMAND_TYPES).nullable(),
  category: z.enum(DEMAND_CATEGORIES).nullable(),
  subcategory: z.string().nullable(),
  areaClass: z.enum(AREA_CLASSES).nullable(),
  priority: z.enum(['normal', 'high', 'urgent']).nullable(),
  amount: z.number().int(),
  unit: z.enum(LIMIT_UNITS),
});
export const TimePolicyBody = z
  .strictObject({
    step: z.enum(DEADLINE_STEPS),
    type: z.enum(DEMAND_TYPES).nullable(),
    category: z.enum(DEMAND_CATEGORIES).nullable().optional(),
    subcategory: z
      .string()
      .regex(/^[a-z][a-z0-9_]{1,63}$/, 'must be a sub-category code')
      .nullable()
      .optional(),
    areaClass: z.enum(AREA_CLASSES).nullable().optional(),
    priority: z.enum(['normal', 'high', 'urgent']).nullable().optional(),
    amount: z.number().int().min(1, 'must be at least 1').max(100_000),
    unit: z.enum(LIMIT_UNITS),
  })
  .superRefine(subcategoryFitsType(false));
export type TimePolicyBody = z.infer<typeof TimePolicyBody>;

export const CategoryRoute = z.object({ category: z.enum(DEMAND_CATEGORIES), unitId: z.number().int(), unitName: z.string() });
export const CategoryParams = z.strictObject({ category: z.enum(DEMAND_CATEGORIES) });
export const SetCategoryRouteBody = z.strictObject({ unitId: Id });

/** The escalation ladder (DESIGN.md, "Repeated demand"): the case's call at which each level is reached. */
export const LadderRung = z.object({
  level: z.number().int().min(1).max(3).describe('1 team lead, 2 centre manager, 3 head of the responsible unit'),
  calls: z.number().int().min(2).max(99),
});
export const EscalationLadder = z.object({ rungs: z.array(LadderRung) });
export const SetEscalationLadderBody = z.strictObject({
  rungs: z.array(z.strictObject({ level: z.number().int().min(1).max(3), calls: z.number().int().min(2).max(99) })).length(3),
});
