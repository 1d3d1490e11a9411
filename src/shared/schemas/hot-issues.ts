import { z } from 'zod';
import { IdParam, InstantOrDate, Text } from './common.js';

// 热点问题 (issue 18, point 2): the period's most frequent terms against the
// period before, the terms that belong together, by unit and by week, the
// drill-down to a term's cases, and the editable stop words. The meeting's
// pack (meetings.ts) carries the same items.

export const HOT_TRENDS = ['rising', 'falling', 'steady'] as const;
export const HotTrend = z.enum(HOT_TRENDS).describe('rising or falling: moved by 2 cases or more and by a fifth of the larger count or more; else steady');
export type HotTrend = z.infer<typeof HotTrend>;

export const HotExample = z.object({
  id: z.number().int().nullable().describe('null in a pack assembled before examples carried the demand'),
  number: z.string(),
});
export type HotExample = z.infer<typeof HotExample>;

export const HotItem = z.object({
  key: z.string(),
  count: z.number().int(),
  previousCount: z.number().int(),
  change: z.number().int(),
  trend: HotTrend.optional().describe('absent in a pack assembled before trends'),
  resolvedRate: z.number(),
  examples: z.array(HotExample).describe('a few of the demands, newest first'),
});
export type HotItem = z.infer<typeof HotItem>;

export const HotGroupTerm = z.object({
  term: z.string(),
  count: z.number().int(),
  previousCount: z.number().int(),
  change: z.number().int(),
  trend: HotTrend,
});

export const HotGroup = z.object({
  terms: z.array(HotGroupTerm).describe('the terms that belong together, the most frequent first'),
  cohesion: z.number().describe('of the sampled cases with the first term, the share that have another term of the group'),
  examples: z.array(HotExample).describe('sampled cases with two of the terms or more, newest first'),
});
export type HotGroup = z.infer<typeof HotGroup>;

export const HotTermItem = z.object({
  term: z.string(),
  count: z.number().int().describe('cases (a case once, as its first call) whose content has the term'),
  previousCount: z.number().int(),
  change: z.number().int(),
  trend: HotTrend,
  resolvedRate: z.number().describe('closed ÷ count'),
  examples: z.array(HotExample),
});
export type HotTermItem = z.infer<typeof HotTermItem>;

export const HotUnitBreakdown = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  total: z.number().int(),
  previousTotal: z.number().int(),
  items: z.array(HotTermItem).describe('its top terms'),
});

export const HotWeek = z.object({
  from: z.string(),
  to: z.string(),
  total: z.number().int(),
  previousTotal: z.number().int().describe('the same number of days just before'),
  items: z.array(HotTermItem),
});

export const HotIssuesQuery = z.strictObject({
  from: InstantOrDate,
  to: InstantOrDate,
  unitId: IdParam.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const HotIssuesReport = z.object({
  from: z.string(),
  to: z.string(),
  previousFrom: z.string(),
  previousTo: z.string(),
  unitId: z.number().int().nullable(),
  total: z.number().int().describe('the counted cases of the period'),
  previousTotal: z.number().int(),
  items: z.array(HotTermItem),
  groups: z.array(HotGroup),
  /** How many of the period's newest cases the groups were found in. */
  sampled: z.number().int(),
  units: z
    .array(HotUnitBreakdown)
    .describe('per unit directly under the bureau (counties, departments) for the city; per unit directly below the one asked for'),
  weeklyAbove: z.number().int(),
  weeks: z.array(HotWeek).describe('the period’s weeks when its cases exceed weeklyAbove; else empty'),
});
export type HotIssuesReport = z.infer<typeof HotIssuesReport>;

export const HotIssueDemandsQuery = z.strictObject({
  term: Text(32),
  from: InstantOrDate,
  to: InstantOrDate,
  unitId: IdParam.optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

export const HotIssueDemand = z.object({
  id: z.number().int(),
  number: z.string(),
  createdAt: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  status: z.string(),
  closed: z.boolean(),
  excerpt: z.string().describe('the content around the term'),
});

export const HotIssueDemands = z.object({
  term: z.string(),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  items: z.array(HotIssueDemand),
});
export type HotIssueDemands = z.infer<typeof HotIssueDemands>;

export const StopWords = z.object({
  words: z.array(z.string()),
  defaults: z.boolean().describe('never edited: the built-in list'),
  updatedAt: z.string().nullable(),
});
export type StopWords = z.infer<typeof StopWords>;

export const StopWordsBody = z.strictObject({ words: z.array(Text(32)).max(2000) });

export const WeeklyThreshold = z.object({
  cases: z.number().int().describe('a period of more cases than this (of the counted types) is also broken into weeks'),
  defaults: z.boolean().describe('never edited: the built-in 3,000'),
  updatedAt: z.string().nullable(),
});
export type WeeklyThreshold = z.infer<typeof WeeklyThreshold>;

export const WeeklyThresholdBody = z.strictObject({ cases: z.number().int().min(0).max(10_000_000) });
