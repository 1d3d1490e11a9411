import { z } from 'zod';
import { DEMAND_CATEGORIES, DEMAND_TYPES, UNRESOLVED_REASONS } from '../codes.js';
import { Id, IdParam, IsoTime, LocalDate, LongText, Text } from './common.js';

// Differentiated service plans (差异化服务计划) and communication activities
// (客户沟通): API.md, "Customers and key accounts"; DESIGN.md, "Customers and
// key accounts (seed 001)".

/** The customer groups a standing plan applies to: key accounts, low-voltage residential customers, important customers (重要电力用户). */
export const SEGMENTS = ['key_accounts', 'residential_lv', 'important'] as const;
export type Segment = (typeof SEGMENTS)[number];
export const PLAN_KINDS = ['standing', 'dynamic'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];
export const PLAN_STATUSES = ['open', 'done', 'dismissed'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const ACTION_STATUSES = ['open', 'done'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
/** 走访 | 座谈会 | 客户体验 */
export const ACTIVITY_KINDS = ['visit', 'forum', 'open_day'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
/** 人大代表 | 行风监督员 | 核心客户 | 居民 */
export const INVITED_GROUPS = ['deputies', 'supervisors', 'key_accounts', 'residents'] as const;
export type InvitedGroup = (typeof INVITED_GROUPS)[number];
/** Why a customer is a visit candidate: an unsatisfied callback, or the demand's reason for not being solvable yet. */
export const CANDIDATE_REASONS = ['unsatisfied_callback', ...UNRESOLVED_REASONS] as const;
export type CandidateReason = (typeof CANDIDATE_REASONS)[number];
/**
 * Who owns a rule's action: the customer's account manager, else the head of
 * its county bureau, else a team lead (relations/rules.ts resolveOwner); a
 * rule may start the chain lower down.
 */
export const RULE_OWNERS = ['account_manager', 'county_head', 'team_lead'] as const;
export type RuleOwner = (typeof RULE_OWNERS)[number];

const Flag = z.enum(['true', 'false']);

// ── rules (settings key `relations.planRules`) ──────────────────────────
export const PlanRuleAction = z.strictObject({
  text: Text(300),
  /** Calendar days from the proposal to the action's due date. */
  dueInDays: z.number().int().min(0).max(365),
  owner: z.enum(RULE_OWNERS),
});

export const PlanRule = z.strictObject({
  key: z.string().regex(/^[a-z0-9_]{1,40}$/, 'must be 1 to 40 of a-z, 0-9 and _'),
  title: Text(200),
  /** Only customers of this group. */
  segment: z.enum(SEGMENTS).optional(),
  /** Only demands of this category, or type. */
  category: z.enum(DEMAND_CATEGORIES).optional(),
  type: z.enum(DEMAND_TYPES).optional(),
  /** Count the callbacks with this outcome rather than the demands. */
  callbackOutcome: z.enum(['unsatisfied']).optional(),
  /** So many within so many days propose the plan. */
  count: z.number().int().min(1).max(100),
  days: z.number().int().min(1).max(365),
  actions: z.array(PlanRuleAction).min(1).max(20),
});
export type PlanRule = z.infer<typeof PlanRule>;

export const PlanRules = z
  .array(PlanRule)
  .max(50)
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((r, i) => {
      if (seen.has(r.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `the key ${r.key} is used twice` });
      seen.add(r.key);
    });
  });
export type PlanRules = z.infer<typeof PlanRules>;

// ── plans and actions ───────────────────────────────────────────────────
export const ActionInput = z.strictObject({ text: Text(300), dueOn: LocalDate, ownerUserId: Id });
export type ActionInput = z.infer<typeof ActionInput>;

export const CreatePlanBody = z.strictObject({
  customerId: Id.optional(),
  segment: z.enum(SEGMENTS).optional(),
  kind: z.enum(PLAN_KINDS),
  /** By default: the segment's or the customer's plan, in words. */
  title: Text(200).optional(),
  actions: z.array(ActionInput).min(1).max(50),
});
export type CreatePlanBody = z.infer<typeof CreatePlanBody>;

export const ListPlansQuery = z.strictObject({
  customerId: IdParam.optional(),
  segment: z.enum(SEGMENTS).optional(),
  status: z.enum(PLAN_STATUSES).optional(),
  kind: z.enum(PLAN_KINDS).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListPlansQuery = z.infer<typeof ListPlansQuery>;

export const DismissPlanBody = z.strictObject({ reason: Text(300) });

const CustomerRef = z.object({ id: z.number().int(), accountNo: z.string(), name: z.string() });

export const PlanAction = z.object({
  id: z.number().int(),
  planId: z.number().int().nullable(),
  activityId: z.number().int().nullable(),
  /** What it belongs to, in words: the plan's title or the activity's topic. */
  parentTitle: z.string(),
  customer: CustomerRef.nullable(),
  text: z.string(),
  ownerUserId: z.number().int(),
  ownerName: z.string(),
  dueOn: z.string(),
  status: z.enum(ACTION_STATUSES),
  doneAt: IsoTime.nullable(),
  note: z.string().nullable(),
  remindedAt: IsoTime.nullable(),
  overdueNotifiedAt: IsoTime.nullable(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type PlanAction = z.infer<typeof PlanAction>;

export const ServicePlan = z.object({
  id: z.number().int(),
  customer: CustomerRef.nullable(),
  segment: z.enum(SEGMENTS).nullable(),
  kind: z.enum(PLAN_KINDS),
  title: z.string(),
  ruleKey: z.string().nullable(),
  reason: z.string().nullable(),
  status: z.enum(PLAN_STATUSES),
  dismissReason: z.string().nullable(),
  createdBy: z.number().int().nullable(),
  createdByName: z.string().nullable(),
  createdAt: IsoTime,
  closedAt: IsoTime.nullable(),
  version: z.number().int(),
  actions: z.array(PlanAction),
});
export type ServicePlan = z.infer<typeof ServicePlan>;
export const PlanList = z.object({ items: z.array(ServicePlan), total: z.number().int() });
export type PlanList = z.infer<typeof PlanList>;

export const ListActionsQuery = z.strictObject({
  ownerUserId: IdParam.optional(),
  status: z.enum(ACTION_STATUSES).optional(),
  dueBefore: LocalDate.optional().describe('due on or before this date'),
  mine: Flag.optional().describe('true: the caller’s own, whatever their rights'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type ListActionsQuery = z.infer<typeof ListActionsQuery>;
export const ActionList = z.object({ items: z.array(PlanAction), total: z.number().int() });
export type ActionList = z.infer<typeof ActionList>;

export const ProgressBody = z.strictObject({ note: LongText(2000), done: z.boolean().optional() });
export type ProgressBody = z.infer<typeof ProgressBody>;

// ── activities ──────────────────────────────────────────────────────────
export const CreateActivityBody = z.strictObject({
  kind: z.enum(ACTIVITY_KINDS),
  heldOn: LocalDate,
  topic: Text(300),
  customerIds: z.array(Id).max(500).default([]),
  outcome: LongText(4000),
  place: Text(200).optional(),
  invitedGroups: z.array(z.enum(INVITED_GROUPS)).max(4).optional(),
  followUps: z.array(ActionInput).max(50).optional(),
});
export type CreateActivityBody = z.infer<typeof CreateActivityBody>;
export type CreateActivityInput = z.input<typeof CreateActivityBody>;

export const ListActivitiesQuery = z.strictObject({
  customerId: IdParam.optional(),
  kind: z.enum(ACTIVITY_KINDS).optional(),
  from: LocalDate.optional(),
  to: LocalDate.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListActivitiesQuery = z.infer<typeof ListActivitiesQuery>;

export const Activity = z.object({
  id: z.number().int(),
  kind: z.enum(ACTIVITY_KINDS),
  heldOn: z.string(),
  topic: z.string(),
  place: z.string().nullable(),
  invitedGroups: z.array(z.enum(INVITED_GROUPS)),
  outcome: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  createdBy: z.number().int(),
  createdByName: z.string(),
  createdAt: IsoTime,
  customers: z.array(CustomerRef),
  followUps: z.array(PlanAction),
});
export type Activity = z.infer<typeof Activity>;
export const ActivityList = z.object({
  items: z.array(Activity),
  total: z.number().int(),
  /** Activities per month and kind over the filter (without paging), for the chart. */
  byMonth: z.array(z.object({ month: z.string(), kind: z.enum(ACTIVITY_KINDS), count: z.number().int() })),
});
export type ActivityList = z.infer<typeof ActivityList>;

export const VisitCandidate = z.object({
  customerId: z.number().int(),
  accountNo: z.string(),
  customerName: z.string(),
  reason: z.enum(CANDIDATE_REASONS),
  demandId: z.number().int(),
  demandNumber: z.string(),
  /** The local date of the unsatisfied callback, or of the demand found not solvable yet. */
  date: z.string(),
  accountManagerId: z.number().int().nullable(),
  accountManagerName: z.string().nullable(),
});
export type VisitCandidate = z.infer<typeof VisitCandidate>;
export const VisitCandidates = z.object({ items: z.array(VisitCandidate) });
export type VisitCandidates = z.infer<typeof VisitCandidates>;
