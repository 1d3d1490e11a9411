import { z } from 'zod';
import { LocalDate } from './common.js';

// 客户满意度 (DESIGN.md, "Transfer, meetings and evaluation" → Satisfaction;
// API.md, "Reports and satisfaction"): the third party's surveys, the
// elasticity of satisfaction to the demand rates, the what-if, and the
// callbacks' satisfaction by channel and unit.

/** The eight dimensions of the seed's survey, in its order. */
export const SATISFACTION_DIMENSIONS = ['stability', 'safety', 'payment', 'business', 'hall', 'hotline', 'communication', 'handling'] as const;
export type SatisfactionDimension = (typeof SATISFACTION_DIMENSIONS)[number];
/** The two categories whose demand rates the seed set against satisfaction. */
export const ELASTICITY_CATEGORIES = ['outage_voltage', 'supply_service'] as const;
export type ElasticityCategory = (typeof ELASTICITY_CATEGORIES)[number];

export const SurveyImportQuery = z.strictObject({ name: z.string().trim().min(1).max(200).optional() });
export const SurveyRejection = z.object({ row: z.number().int(), problem: z.string() });
export const SurveyImportResult = z.object({ imported: z.number().int(), rejected: z.array(SurveyRejection) });
export type SurveyImportResult = z.infer<typeof SurveyImportResult>;
/** A refused import: nothing saved, every bad row named. */
export const SurveyRefused = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  imported: z.literal(0),
  rejected: z.array(SurveyRejection),
});

export const SatisfactionQuery = z.strictObject({
  /** Local dates: the surveys whose period overlaps [from, to), and the callbacks registered then (default: the last twelve months). */
  from: LocalDate.optional(),
  to: LocalDate.optional(),
  /** The what-if's change of each category's demand rate, in percent (default −10 % outage & voltage, 0 supply service). */
  outageVoltage: z.coerce.number().min(-90).max(200).optional(),
  supplyService: z.coerce.number().min(-90).max(200).optional(),
});
export type SatisfactionQuery = z.infer<typeof SatisfactionQuery>;

export const WhatIfQuery = z.strictObject({
  outageVoltage: z.coerce.number().min(-90).max(200).default(0),
  supplyService: z.coerce.number().min(-90).max(200).default(0),
});
export type WhatIfQuery = z.infer<typeof WhatIfQuery>;

const ByCategory = z.object({ outage_voltage: z.number(), supply_service: z.number() });
const ByCategoryOrNull = z.object({ outage_voltage: z.number().nullable(), supply_service: z.number().nullable() });

export const SurveyPeriod = z.object({
  period: z.string(),
  kind: z.enum(['year', 'quarter', 'month']),
  /** Local dates: from inclusive, to exclusive. */
  from: z.string(),
  to: z.string(),
  /** null: the whole city. */
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  overall: z.number(),
  dimensions: z.object(Object.fromEntries(SATISFACTION_DIMENSIONS.map((d) => [d, z.number()])) as Record<SatisfactionDimension, z.ZodNumber>),
  /** The period's counted demands (complaint, opinion, suggestion; cases) of each category, in the city or the unit and the units below it. */
  demands: ByCategory,
  /** Those per 10,000 customers per 30 days (null when there are no customers on record). */
  rates: ByCategoryOrNull,
});
export type SurveyPeriod = z.infer<typeof SurveyPeriod>;

export const Elasticity = z.object({
  /** The % of overall satisfaction lost for each 1 % more demands of the category, as the seed states its 0.66 and 0.56. */
  outage_voltage: z.number(),
  supply_service: z.number(),
  source: z.enum(['seed', 'estimated']),
  /** The city periods the estimate used, or that the company has so far (of minPeriods). */
  periods: z.number().int(),
  minPeriods: z.number().int(),
  /** The kind of city period the fit reads (the kind the company has most of), null with none. */
  kind: z.enum(['year', 'quarter', 'month']).nullable(),
  /** The model, in words. */
  model: z.string(),
  /** The least-squares fit (ml-regression-multivariate-linear), when estimated. */
  fit: z
    .object({
      intercept: z.number(),
      coefficients: ByCategory,
      standardErrors: z.object({ intercept: z.number(), outage_voltage: z.number(), supply_service: z.number() }),
      r2: z.number(),
      residualStandardError: z.number(),
    })
    .nullable(),
  seed: ByCategory,
});
export type Elasticity = z.infer<typeof Elasticity>;

export const WhatIf = z.object({
  /** The change asked for of each category's demand rate, in percent. */
  change: ByCategory,
  /** The expected change of overall satisfaction, in percent of it. */
  expectedChange: z.number(),
  /** The latest city survey's overall score, and what it would become (at most 100); null without a survey. */
  base: z.object({ period: z.string(), overall: z.number(), expected: z.number(), points: z.number() }).nullable(),
  source: z.enum(['seed', 'estimated']),
  periods: z.number().int(),
});
export type WhatIf = z.infer<typeof WhatIf>;

const CallbackCounts = z.object({ satisfied: z.number().int(), unsatisfied: z.number().int(), rate: z.number().nullable() });
export const CallbackSatisfaction = z.object({
  from: z.string(),
  to: z.string(),
  total: CallbackCounts,
  byChannel: z.array(CallbackCounts.extend({ channel: z.string() })),
  byUnit: z.array(CallbackCounts.extend({ unitId: z.number().int(), unitName: z.string() })),
});

export const SatisfactionResponse = z.object({
  periods: z.array(SurveyPeriod),
  elasticity: Elasticity,
  whatIf: WhatIf,
  callbacks: CallbackSatisfaction,
  customers: z.number().int(),
});
export type SatisfactionResponse = z.infer<typeof SatisfactionResponse>;
