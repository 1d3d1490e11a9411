import { z } from 'zod';
import { EVALUATION_EVENT_KINDS } from '../codes.js';
import { Id, IdParam, InstantOrDate, LocalDate, LongText } from './common.js';

// The quarterly evaluation (评价): the centre's events, the score of any
// period, and the quarters computed as drafts and published.

export const CreateEvaluationEventBody = z.strictObject({
  unitId: Id,
  kind: z.enum(EVALUATION_EVENT_KINDS),
  occurredOn: LocalDate,
  description: LongText(2000),
});
export type CreateEvaluationEventBody = z.infer<typeof CreateEvaluationEventBody>;

export const EvaluationEvent = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  kind: z.enum(EVALUATION_EVENT_KINDS),
  occurredOn: z.string(),
  description: z.string(),
  createdById: z.number().int(),
  createdByName: z.string(),
  createdAt: z.string(),
});
export type EvaluationEvent = z.infer<typeof EvaluationEvent>;

export const EvaluationEventsQuery = z.strictObject({
  from: LocalDate.optional().describe('first day, inclusive'),
  to: LocalDate.optional().describe('last day, exclusive'),
  unitId: IdParam.optional(),
});

export const EvaluationQuery = z.strictObject({
  from: InstantOrDate.describe('inclusive: an ISO instant, or a date meaning its local midnight'),
  to: InstantOrDate.describe('exclusive'),
});

export const EvaluationUnitRow = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  kind: z.enum(['department', 'county']),
  demands: z.number().int(),
  share: z.number().describe('a fraction of the city’s counted demands'),
  unresolved: z.number().int(),
  unresolvedRate: z.number().describe('a fraction of the unit’s counted demands'),
  serviceEvents: z.number().int(),
  repeated: z.number().int(),
  criticisms: z.number().int(),
  praises: z.number().int(),
  score: z.number(),
  rank: z.number().int(),
});
export type EvaluationUnitRow = z.infer<typeof EvaluationUnitRow>;

export const EvaluationResponse = z.object({
  from: z.string(),
  to: z.string(),
  total: z.number().int().describe('the city’s counted demands'),
  units: z.array(EvaluationUnitRow),
});
export type EvaluationResponse = z.infer<typeof EvaluationResponse>;

export const CreateEvaluationBody = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  quarter: z.number().int().min(1).max(4),
  /** A published quarter is corrected only by a new revision, and only with the reason. */
  reason: LongText(2000).optional(),
});
export type CreateEvaluationBody = z.infer<typeof CreateEvaluationBody>;

export const EVALUATION_STATUSES = ['draft', 'published', 'superseded'] as const;

export const EvaluationSummary = z.object({
  id: z.number().int(),
  year: z.number().int(),
  quarter: z.number().int(),
  revision: z.number().int(),
  status: z.enum(EVALUATION_STATUSES),
  from: z.string(),
  to: z.string(),
  total: z.number().int(),
  reason: z.string().nullable(),
  computedAt: z.string(),
  publishedAt: z.string().nullable(),
  publishedByName: z.string().nullable(),
});
export type EvaluationSummary = z.infer<typeof EvaluationSummary>;

export const EvaluationDoc = EvaluationSummary.extend({ units: z.array(EvaluationUnitRow) });
export type EvaluationDoc = z.infer<typeof EvaluationDoc>;

export const EvaluationListQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional() });

/** Each unit's published score, quarter by quarter (the latest revision of each). */
export const EvaluationTrend = z.object({
  quarters: z.array(z.string().describe('YYYY-Qn')),
  units: z.array(z.object({ unitId: z.number().int(), unitName: z.string(), kind: z.enum(['department', 'county']), scores: z.array(z.number().nullable()) })),
});
export type EvaluationTrend = z.infer<typeof EvaluationTrend>;
