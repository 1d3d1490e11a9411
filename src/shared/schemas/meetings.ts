import { z } from 'zod';
import { Id, IdParam, InstantOrDate, LocalDate, LongText, Text } from './common.js';
import { EvaluationDoc } from './evaluation.js';
import { HotGroup, HotItem } from './hot-issues.js';
import { TransferItem } from './transfers.js';

// 会商会议: the monthly consultation meeting of the departments and county
// bureaus, its pack assembled from the data, and the action items it decides.

// The hot issues' items are defined with the report's (hot-issues.ts): one computation, one shape.
export { HotExample, HotItem } from './hot-issues.js';

export const HotIssuesSection = z.object({
  from: z.string(),
  to: z.string(),
  previousFrom: z.string(),
  total: z.number().int(),
  previousTotal: z.number().int(),
  categories: z.array(HotItem),
  subcategories: z.array(HotItem),
  terms: z.array(HotItem),
  groups: z.array(HotGroup).optional().describe('terms that belong together; absent in a pack assembled before groups'),
});
export type HotIssuesSection = z.infer<typeof HotIssuesSection>;

export const ACTION_ITEM_STATUSES = ['open', 'done'] as const;

export const ActionItem = z.object({
  id: z.number().int(),
  meetingId: z.number().int(),
  meetingTitle: z.string(),
  meetingHeldOn: z.string(),
  text: z.string(),
  ownerUnitId: z.number().int(),
  ownerUnitName: z.string(),
  ownerUserId: z.number().int().nullable(),
  ownerUserName: z.string().nullable(),
  dueOn: z.string(),
  status: z.enum(ACTION_ITEM_STATUSES),
  late: z.boolean(),
  doneAt: z.string().nullable(),
  progress: z.array(z.object({ at: z.string(), kind: z.string(), note: z.string().nullable(), actorName: z.string().nullable() })),
  version: z.number().int(),
});
export type ActionItem = z.infer<typeof ActionItem>;

export const Suggestion = z.object({
  id: z.number().int(),
  text: z.string(),
  demandId: z.number().int().nullable(),
  demandNumber: z.string().nullable(),
  unitId: z.number().int(),
  unitName: z.string(),
  authorName: z.string(),
  createdAt: z.string(),
  meetingId: z.number().int().nullable(),
});
export type Suggestion = z.infer<typeof Suggestion>;

export const PackProblem = z.object({
  id: z.number().int(),
  title: z.string(),
  description: z.string(),
  unitName: z.string(),
  filedByName: z.string(),
  status: z.string(),
  consultations: z.number().int(),
  meetingMonth: z.string().describe('the month of the meeting it was filed for; earlier than the meeting’s: carried over, not yet discussed'),
});

export const MeetingPack = z.object({
  hotIssues: HotIssuesSection,
  /** The latest published quarter when the pack was assembled. */
  evaluation: EvaluationDoc.nullable(),
  /** The action items of earlier meetings still open at the period's start, with their status now. */
  actionItems: z.array(ActionItem),
  suggestions: z.array(Suggestion),
  commonProblems: z.array(PackProblem),
  /** The transfer items of the period's months, with their answers now. */
  transfers: z.array(TransferItem),
});
export type MeetingPack = z.infer<typeof MeetingPack>;

export const CreateMeetingBody = z.strictObject({
  title: Text(200),
  heldOn: LocalDate,
  from: InstantOrDate,
  to: InstantOrDate,
});
export type CreateMeetingBody = z.infer<typeof CreateMeetingBody>;

export const MeetingSummary = z.object({
  id: z.number().int(),
  title: z.string(),
  heldOn: z.string(),
  from: z.string(),
  to: z.string(),
  assembledAt: z.string(),
  createdByName: z.string(),
  decisions: z.number().int(),
  decisionsOpen: z.number().int(),
});
export type MeetingSummary = z.infer<typeof MeetingSummary>;

export const Meeting = MeetingSummary.extend({
  pack: MeetingPack,
  /** This meeting's decisions. */
  decided: z.array(ActionItem),
});
export type Meeting = z.infer<typeof Meeting>;

export const CreateActionItemBody = z.strictObject({
  text: LongText(2000),
  ownerUnitId: Id,
  ownerUserId: Id.optional(),
  dueOn: LocalDate,
});
export type CreateActionItemBody = z.infer<typeof CreateActionItemBody>;

export const ActionItemProgressBody = z.strictObject({
  note: LongText(2000),
  done: z.boolean().optional(),
});
export type ActionItemProgressBody = z.infer<typeof ActionItemProgressBody>;

export const ActionItemsQuery = z.strictObject({
  status: z.enum(ACTION_ITEM_STATUSES).optional(),
  ownerUnitId: IdParam.optional(),
  meetingId: IdParam.optional(),
  late: z.enum(['true', 'false']).optional(),
});

export const CreateSuggestionBody = z.strictObject({
  text: LongText(2000),
  demandId: Id.optional(),
});
export type CreateSuggestionBody = z.infer<typeof CreateSuggestionBody>;

export const SuggestionsQuery = z.strictObject({
  /** true: not yet taken to a meeting. */
  pending: z.enum(['true', 'false']).optional(),
  meetingId: IdParam.optional(),
});
