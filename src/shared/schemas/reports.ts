import { z } from 'zod';
import { IdParam, InstantOrDate } from './common.js';

// The standard reports (issue 18, API.md "Reports and satisfaction"): demands
// by unit × category × type × channel × day/week/month, timeliness by unit ×
// step, the rates by unit or channel, complaints per 10,000 customers. Each
// over a period of local days (`to` exclusive), for the city or a unit's
// subtree, as JSON or as an xlsx workbook (`format=xlsx`).

export const REPORT_FORMATS = ['json', 'xlsx'] as const;

const PeriodFields = {
  /** A date YYYY-MM-DD, or an instant that is a local midnight. */
  from: InstantOrDate,
  /** Exclusive: the day after the last day. At most two years after `from`. */
  to: InstantOrDate,
  /** The unit and every unit below it (a unit's handlers: one of theirs). */
  unitId: IdParam.optional(),
  format: z.enum(REPORT_FORMATS).optional(),
};

export const DemandReportQuery = z.strictObject({
  ...PeriodFields,
  /** Comma-separated: unit, category, type, channel and one of day, week, month. None: one row of totals. */
  groupBy: z.string().max(200).optional(),
  /** Comma-separated demand types to count (all when absent). */
  type: z.string().max(300).optional(),
});
export type DemandReportQuery = z.infer<typeof DemandReportQuery>;

const Counts = {
  /** Cases: a case once, as its first call. */
  count: z.number().int(),
  closed: z.number().int(),
  /** Cases with a step past its limit. */
  overdue: z.number().int(),
  /** Every call registered, each by its own attributes. */
  calls: z.number().int(),
};

export const DemandReportRow = z.object({
  unitId: z.number().int().optional(),
  unitName: z.string().optional(),
  /** null: registered without a category. */
  category: z.string().nullable().optional(),
  type: z.string().optional(),
  channel: z.string().optional(),
  /** YYYY-MM-DD */
  day: z.string().optional(),
  /** ISO week, 2026-W48 */
  week: z.string().optional(),
  /** YYYY-MM */
  month: z.string().optional(),
  ...Counts,
});
export type DemandReportRow = z.infer<typeof DemandReportRow>;

export const DemandReport = z.object({
  /** The period's first local date and the day after its last. */
  from: z.string(),
  to: z.string(),
  groupBy: z.array(z.string()),
  /** The cases counted (the sum of the rows' count). */
  total: z.number().int(),
  totals: z.object(Counts),
  rows: z.array(DemandReportRow),
});
export type DemandReport = z.infer<typeof DemandReport>;

export const TimelinessQuery = z.strictObject(PeriodFields);
export type TimelinessQuery = z.infer<typeof TimelinessQuery>;

const Standing = {
  total: z.number().int(),
  inTime: z.number().int(),
  late: z.number().int(),
  /** Not met yet and not yet due. */
  running: z.number().int(),
  /** inTime ÷ (inTime + late); null when none has ended. */
  inTimeRate: z.number().nullable(),
};

export const TimelinessReport = z.object({
  from: z.string(),
  to: z.string(),
  /** Unit × step: the unit that owed the step (the work order's, else the demand's). */
  rows: z.array(z.object({ unitId: z.number().int(), unitName: z.string(), step: z.string(), ...Standing })),
  /** Each step over every unit counted. */
  steps: z.array(z.object({ step: z.string(), ...Standing })),
  total: z.object(Standing),
});
export type TimelinessReport = z.infer<typeof TimelinessReport>;

export const RATES_BY = ['unit', 'channel'] as const;
export const RatesQuery = z.strictObject({ ...PeriodFields, by: z.enum(RATES_BY).optional() });
export type RatesQuery = z.infer<typeof RatesQuery>;

export const Share = z.object({ numerator: z.number().int(), denominator: z.number().int(), rate: z.number().nullable() });
export type Share = z.infer<typeof Share>;

const Rates = {
  cases: z.number().int(),
  calls: z.number().int(),
  /** First handling resolved ÷ first handling reported. */
  resolution: Share,
  /** Closed ÷ cases. */
  closure: Share,
  /** Cases of two calls or more ÷ cases. */
  repeat: Share,
  /** Satisfied ÷ (satisfied + unsatisfied), the case's latest callback. */
  satisfaction: Share,
};

export const RatesReport = z.object({
  from: z.string(),
  to: z.string(),
  by: z.enum(RATES_BY),
  rows: z.array(z.object({ unitId: z.number().int().optional(), unitName: z.string().optional(), channel: z.string().optional(), ...Rates })),
  total: z.object(Rates),
});
export type RatesReport = z.infer<typeof RatesReport>;

export const ComplaintsQuery = z.strictObject(PeriodFields);
export type ComplaintsQuery = z.infer<typeof ComplaintsQuery>;

const PerTenThousand = {
  /** Complaint cases of the customers the unit serves (the demand's station is the unit or below it). */
  complaints: z.number().int(),
  /** The customers of the unit and below it. */
  customers: z.number().int(),
  /** complaints ÷ customers × 10,000; null without customers. */
  per10k: z.number().nullable(),
};

export const ComplaintsReport = z.object({
  from: z.string(),
  to: z.string(),
  /** Every county bureau and station in reach, each county before its stations. */
  rows: z.array(
    z.object({ unitId: z.number().int(), unitName: z.string(), kind: z.enum(['county', 'station']), parentId: z.number().int().nullable(), ...PerTenThousand }),
  ),
  /** Every unit in reach: its complaints over its customers. */
  total: z.object(PerTenThousand),
});
export type ComplaintsReport = z.infer<typeof ComplaintsReport>;
