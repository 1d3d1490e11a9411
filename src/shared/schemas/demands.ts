import { z } from 'zod';
import { OUTAGE_KINDS, OUTAGE_STATUSES } from './outages.js';
import { AREA_CLASSES, CHANNELS, DEMAND_CATEGORIES, DEMAND_TYPES, SOURCES, UNRESOLVED_REASONS, VERDICTS } from '../codes.js';
import { subcategoriesOf, typeEntry } from '../taxonomy.js';
import { Id, IdParam, IsoTime, Phone, Text } from './common.js';

export const PRIORITIES = ['normal', 'high', 'urgent'] as const;
export const DEMAND_STATUSES = ['open', 'dispatched', 'awaiting_callback', 'closed'] as const;
export const CALLBACK_OUTCOMES = ['satisfied', 'unsatisfied', 'unreachable'] as const;

const AccountNo = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z-]{4,32}$/, 'must be an account number (户号)');
const Subcategory = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{1,63}$/, 'must be a sub-category code');

/**
 * A sub-category must be one of its type's (taxonomy.ts). `demand`: a new
 * demand of a type that must carry one (a complaint's class) must; a time
 * policy without one applies to every sub-category.
 */
export const subcategoryFitsType =
  (demand: boolean) =>
  (body: { type?: string | null; subcategory?: string | null }, ctx: z.RefinementCtx): void => {
    const allowed = subcategoriesOf(body.type ?? undefined).map((s) => s.code);
    if (body.subcategory) {
      if (!allowed.includes(body.subcategory)) {
        const message =
          allowed.length > 0 ? `must be one of ${body.type}'s: ${allowed.join(', ')}` : `${body.type ?? 'a policy for every type'} has no sub-categories`;
        ctx.addIssue({ code: 'custom', path: ['subcategory'], message });
      }
    } else if (demand && body.type && typeEntry(body.type)?.subcategoryRequired) {
      ctx.addIssue({ code: 'custom', path: ['subcategory'], message: `a ${body.type} needs one of: ${allowed.join(', ')}` });
    }
  };

export const CreateDemandBody = z
  .strictObject({
    channel: z.enum(CHANNELS),
    type: z.enum(DEMAND_TYPES),
    category: z.enum(DEMAND_CATEGORIES),
    subcategory: Subcategory.optional(),
    customer: z.strictObject({
      accountNo: AccountNo.optional(),
      name: Text(200).optional(),
      phone: Phone,
    }),
    content: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
    unitId: Id.optional(),
    areaClass: z.enum(AREA_CLASSES).optional(),
    source: z.enum(SOURCES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    sensitive: z.boolean().optional(),
    /** Knowledge articles the agent used on the call (linked to the demand). */
    articleIds: z.array(Id).max(20).optional(),
    /** A fault repair: where the fault is, as the caller says it. */
    faultAddress: Text(300).optional(),
    /** A fault repair: its place, a 台区 or a feeder (picked from the customer or searched); the repair goes to that place's station. */
    districtId: Id.optional(),
    feederId: Id.optional(),
    /**
     * A call inside an active outage is linked to it (a 子单 of its 主单, with no dispatch clock of its own) unless
     * the agent says it is not about it (null); a number names the outage the agent linked it to.
     */
    outageId: Id.nullable().optional(),
  })
  .superRefine(subcategoryFitsType(true));
export type CreateDemandBody = z.infer<typeof CreateDemandBody>;

export const Deadline = z.object({
  id: z.number().int(),
  step: z.string(),
  taskId: z.number().int().nullable(),
  startedAt: z.string(),
  dueAt: z.string(),
  warnAt: z.string(),
  metAt: z.string().nullable(),
  overdue: z.boolean(),
});

export const Demand = z.object({
  id: z.number().int(),
  number: z.string(),
  channel: z.enum(CHANNELS),
  type: z.enum(DEMAND_TYPES),
  category: z.enum(DEMAND_CATEGORIES).nullable(),
  subcategory: z.string().nullable(),
  source: z.enum(SOURCES),
  priority: z.enum(PRIORITIES),
  sensitive: z.boolean(),
  customer: z.object({
    id: z.number().int().nullable(),
    accountNo: z.string().nullable(),
    name: z.string().nullable(),
    phone: z.string(),
    important: z.boolean(),
  }),
  content: z.string(),
  areaClass: z.enum(AREA_CLASSES),
  unitId: z.number().int(),
  unitName: z.string(),
  stationId: z.number().int().nullable(),
  status: z.enum(DEMAND_STATUSES),
  escalationLevel: z.number().int(),
  /** The case's first call: the demand itself when it stands alone or is the case. */
  caseId: z.number().int().nullable(),
  /** The calls of the case (1 when it stands alone). */
  callCount: z.number().int(),
  repeatOf: z.number().int().nullable(),
  repeatCount: z.number().int(),
  /** A fault repair: where the fault is. */
  faultAddress: z.string().nullable(),
  callbackAttempts: z.number().int(),
  answer: z.string().nullable(),
  deadlines: z.array(Deadline),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
  version: z.number().int(),
  /** 首次处理: the unit that first handled it and what its first report said. */
  firstHandling: z.object({
    unitId: z.number().int().nullable(),
    resolved: z.boolean().nullable(),
    reason: z.enum(UNRESOLVED_REASONS).nullable(),
    at: z.string().nullable(),
  }),
  /** 不属实 or founded, after verification; null when nobody has judged. */
  verdict: z.object({ verdict: z.enum(VERDICTS), reason: z.string(), byId: z.number().int().nullable(), at: z.string() }).nullable(),
  /** The outage this call is about: no dispatch clock of its own, answered from the outage and closed when power is back. */
  outageId: z.number().int().nullable(),
  /** Its 主单 when it is a 子单 of the outage; null for the 主单 itself and for a call not about an outage. */
  parentId: z.number().int().nullable(),
  /** 首问负责人: the agent who registered it, until it is closed or handed over by name (POST /api/demands/:id/hand-over). */
  ownerId: z.number().int().nullable(),
  ownerName: z.string().nullable(),
  /** Since when it is the owner's: its registration, or its last hand-over. */
  ownerSince: z.string().nullable(),
});
export type Demand = z.infer<typeof Demand>;

export const Task = z.object({
  id: z.number().int(),
  demandId: z.number().int(),
  kind: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  status: z.string(),
  instructions: z.string().nullable(),
  /** Any JSON, null before the report (z.unknown() takes null already: `.nullable()` made the document say null only). */
  report: z.unknown(),
  returnReason: z.string().nullable(),
  createdAt: z.string(),
  acceptedAt: z.string().nullable(),
  arrivedAt: z.string().nullable(),
  handledAt: z.string().nullable(),
  /** 催办: how often the order was urged, and when last. */
  urgeCount: z.number().int(),
  urgedAt: z.string().nullable(),
  version: z.number().int(),
});
export type Task = z.infer<typeof Task>;

export const TimelineEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  kind: z.string(),
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  taskId: z.number().int().nullable(),
  note: z.string().nullable(),
  /** Any JSON, or null. */
  data: z.unknown(),
});

export const CaseCall = z.object({
  id: z.number().int(),
  number: z.string(),
  /** 1 for the case's first call. */
  ordinal: z.number().int(),
  channel: z.enum(CHANNELS),
  type: z.enum(DEMAND_TYPES),
  category: z.enum(DEMAND_CATEGORIES).nullable(),
  source: z.enum(SOURCES),
  content: z.string(),
  customerName: z.string().nullable(),
  phone: z.string(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
});

/** The case a call belongs to: its first call's number, status and level, and every call. */
export const CaseSummary = z.object({
  id: z.number().int(),
  number: z.string(),
  status: z.enum(DEMAND_STATUSES),
  escalationLevel: z.number().int(),
  callCount: z.number().int(),
  calls: z.array(CaseCall),
});

/** 班长督办: the open cases escalated or with a step past its limit, one row a case. */
export const Supervision = z.object({
  at: z.string(),
  items: z.array(
    z.object({
      id: z.number().int(),
      number: z.string(),
      type: z.enum(DEMAND_TYPES),
      category: z.enum(DEMAND_CATEGORIES).nullable(),
      status: z.enum(DEMAND_STATUSES),
      priority: z.enum(PRIORITIES),
      customerName: z.string().nullable(),
      phone: z.string(),
      content: z.string(),
      unitId: z.number().int(),
      unitName: z.string(),
      escalationLevel: z.number().int(),
      callCount: z.number().int(),
      createdAt: z.string(),
      updatedAt: z.string(),
      overdueSteps: z.array(z.object({ step: z.string(), dueAt: z.string(), overdueMinutes: z.number().int() })),
      /** The longest a step of the case is overdue, in minutes (0: only escalated). */
      overdueMinutes: z.number().int(),
      orders: z.array(
        z.object({
          taskId: z.number().int(),
          unitId: z.number().int(),
          unitName: z.string(),
          status: z.string(),
          urgeCount: z.number().int(),
          urgedAt: z.string().nullable(),
        }),
      ),
      version: z.number().int(),
    }),
  ),
  /** More cases than the page shows (500). */
  capped: z.boolean(),
});
export type Supervision = z.infer<typeof Supervision>;

export const BulkUrgeBody = z.strictObject({
  ids: z.array(Id).min(1, 'name at least one case').max(200),
  note: z.string().trim().min(1, 'must not be empty').max(500),
});
export const BulkReassignBody = z.strictObject({
  ids: z.array(Id).min(1, 'name at least one case').max(200),
  unitId: Id,
  note: z.string().trim().min(1, 'must not be empty').max(500),
});
export const BulkResult = z.object({
  done: z.array(z.object({ id: z.number().int(), number: z.string() })),
  refused: z.array(z.object({ id: z.number().int(), number: z.string().nullable(), reason: z.string() })),
});
export type BulkResult = z.infer<typeof BulkResult>;

export const CasePreviewQuery = z.strictObject({
  phone: Phone,
  accountNo: AccountNo.optional(),
  category: z.enum(DEMAND_CATEGORIES).optional().describe('without it, only an open case is found'),
});
export type CasePreviewQuery = z.infer<typeof CasePreviewQuery>;

export const CasePreview = z.object({
  /** The case the call would join, and why: `open` (any matter) or `recent` (the same matter, closed within 30 days: it opens again). */
  joins: z
    .object({
      reason: z.enum(['open', 'recent']),
      caseId: z.number().int(),
      number: z.string(),
      status: z.enum(DEMAND_STATUSES),
      type: z.enum(DEMAND_TYPES),
      category: z.enum(DEMAND_CATEGORIES).nullable(),
      content: z.string(),
      unitName: z.string(),
      escalationLevel: z.number().int(),
      callCount: z.number().int(),
      /** The call this one would be: 客户第 n 次来电. */
      nextCall: z.number().int(),
      createdAt: z.string(),
      closedAt: z.string().nullable(),
      calls: z.array(CaseCall),
      orders: z.array(z.object({ unitName: z.string(), status: z.string(), urgeCount: z.number().int() })),
    })
    .nullable(),
  /** The caller's latest cases by phone or 户号, newest first: the history, also of a phone no customer is tied to. */
  recent: z.array(
    z.object({
      id: z.number().int(),
      number: z.string(),
      type: z.enum(DEMAND_TYPES),
      category: z.enum(DEMAND_CATEGORIES).nullable(),
      status: z.enum(DEMAND_STATUSES),
      callCount: z.number().int(),
      createdAt: z.string(),
      closedAt: z.string().nullable(),
      content: z.string(),
    }),
  ),
});
export type CasePreview = z.infer<typeof CasePreview>;

export const OutageOfDemand = z.object({
  id: z.number().int(),
  number: z.string(),
  kind: z.enum(OUTAGE_KINDS),
  status: z.enum(OUTAGE_STATUSES),
  cause: z.string(),
  startsAt: z.string(),
  expectedEndAt: z.string(),
  restoredAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  /** The outage's 主单: its number. */
  masterNumber: z.string().nullable(),
});
export type OutageOfDemand = z.infer<typeof OutageOfDemand>;

export const DemandDetail = Demand.extend({
  /** The outage it is linked to, as the agent answers the caller from it. */
  outage: OutageOfDemand.nullable(),
  tasks: z.array(Task),
  timeline: z.array(TimelineEvent),
  case: CaseSummary.nullable().describe('the case and its calls, when it has more than one call'),
});
export type DemandDetail = z.infer<typeof DemandDetail>;

const Flag = z.enum(['true', 'false']);
export const ListDemandsQuery = z.strictObject({
  status: z.enum(DEMAND_STATUSES).optional(),
  type: z.enum(DEMAND_TYPES).optional(),
  category: z.enum(DEMAND_CATEGORIES).optional(),
  channel: z.enum(CHANNELS).optional(),
  unitId: IdParam.optional(),
  phone: Phone.optional(),
  accountNo: AccountNo.optional(),
  number: z
    .string()
    .trim()
    .regex(/^\d{13}$/, 'must be a 13-digit demand number')
    .optional(),
  q: z.string().trim().min(1).max(100).optional(),
  from: IsoTime.optional(),
  to: IsoTime.optional(),
  overdue: Flag.optional(),
  escalated: Flag.optional(),
  repeated: Flag.optional(),
  open: Flag.optional().describe('true: every status but closed'),
  owner: z.enum(['me']).optional().describe('me: the demands the caller owns (首问负责); with open=true the nearest live deadline first'),
  ownerId: IdParam.optional().describe('the demands this user owns, as owner=me'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type ListDemandsQuery = z.infer<typeof ListDemandsQuery>;

export const DemandList = z.object({
  items: z.array(Demand),
  /** The number of matches: exact from the rollups where the filters are what they count (a city-wide caller; type, category, channel, open/closed, whole local days), else counted up to 1,000. */
  total: z.number().int(),
  /** There are more than `total` matches: the count stopped there. */
  totalCapped: z.boolean(),
});
export type DemandList = z.infer<typeof DemandList>;

/** The most rows an export of the demand list writes; a list with more matches is refused (413), naming both. */
export const DEMAND_EXPORT_LIMIT = 100_000;
export const DEMAND_EXPORT_STATUSES = ['running', 'done', 'failed', 'expired'] as const;

/** An export of the demand list: the list's filters (GET /api/demands without its page). */
export const CreateDemandExportBody = ListDemandsQuery.omit({ page: true, pageSize: true });
export type CreateDemandExportBody = z.infer<typeof CreateDemandExportBody>;

/** An export as it stands: rows written (`done`) of the matches counted when it began (`total`). */
export const DemandExport = z.object({
  id: z.number().int(),
  status: z.enum(DEMAND_EXPORT_STATUSES),
  total: z.number().int(),
  done: z.number().int(),
  /** Why it failed (`interrupted`: the server stopped while writing it). */
  error: z.string().nullable(),
  /** The file's bytes, once done. */
  size: z.number().int().nullable(),
  /** The name the download is saved under. */
  fileName: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type DemandExport = z.infer<typeof DemandExport>;

export const AnswerBody = z.strictObject({
  answer: z.string().trim().min(1, 'must not be empty').max(4000),
  articleIds: z.array(Id).max(20).optional(),
});

export const DispatchBody = z.strictObject({
  unitId: Id,
  instructions: z.string().trim().min(1, 'must not be empty').max(2000),
});

export const HandleBody = z
  .strictObject({
    findings: z.string().trim().min(1, 'must not be empty').max(4000),
    powerRestored: z.boolean().optional(),
    customerSideFault: z.boolean().optional(),
    paidServiceOffered: z.boolean().optional(),
    customerAccepted: z.boolean().optional(),
    /** 首次处理: false when the unit could not resolve the matter at its level (the findings say why). */
    resolved: z.boolean().optional(),
    unresolvedReason: z.enum(UNRESOLVED_REASONS).optional(),
    /** When the power came back, where the report is made later (not in the future, not before the arrival). */
    restoredAt: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.resolved === false && !body.unresolvedReason)
      ctx.addIssue({ code: 'custom', path: ['unresolvedReason'], message: `an unresolved report needs its reason: one of ${UNRESOLVED_REASONS.join(', ')}` });
    if (body.resolved !== false && body.unresolvedReason)
      ctx.addIssue({ code: 'custom', path: ['unresolvedReason'], message: 'is given only with resolved: false' });
    if (body.restoredAt !== undefined && body.powerRestored !== true)
      ctx.addIssue({ code: 'custom', path: ['restoredAt'], message: 'is given only with powerRestored: true' });
  });
export type HandleBody = z.infer<typeof HandleBody>;

/** The crew is on site: when, where the click is later than the arrival (not in the future, not before the dispatch). */
export const ArriveBody = z.strictObject({ arrivedAt: z.iso.datetime({ offset: true }).optional() });
export type ArriveBody = z.infer<typeof ArriveBody>;

export const ReturnBody = z.strictObject({ reason: z.string().trim().min(1, 'must not be empty').max(2000) });

export const CallbackBody = z.strictObject({
  outcome: z.enum(CALLBACK_OUTCOMES),
  powerRestored: z.boolean().optional(),
  note: z.string().trim().max(4000).optional(),
});
export type CallbackBody = z.infer<typeof CallbackBody>;

/** 首问负责制: the owner (or a team lead) hands the demand over to a colleague by name, with the reason. */
export const HandOverBody = z.strictObject({
  toUserId: Id,
  reason: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
});
export type HandOverBody = z.infer<typeof HandOverBody>;

export const EscalateBody = z.strictObject({ reason: z.string().trim().min(1, 'must not be empty').max(2000) });
/** Take a call out of the case it joined: why it is another matter. */
export const UnlinkBody = z.strictObject({ reason: z.string().trim().min(1, 'must not be empty').max(2000) });
/** 催办: what the team lead tells the unit. */
export const UrgeBody = z.strictObject({ note: z.string().trim().min(1, 'must not be empty').max(500) });

/** A long-running demand's progress messages: every so many working days (and at each change), or none (null). */
export const ProgressMessagesBody = z.strictObject({
  everyWorkingDays: z.number().int().min(1, 'must be at least 1').max(60, 'must be at most 60').nullable(),
});
export type ProgressMessagesBody = z.infer<typeof ProgressMessagesBody>;

export const VerdictBody = z.strictObject({
  verdict: z.enum(VERDICTS),
  reason: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
});
export type VerdictBody = z.infer<typeof VerdictBody>;

export const CustomerLookupQuery = z
  .strictObject({
    phone: Phone.optional(),
    accountNo: AccountNo.optional(),
    q: z.string().trim().min(1).max(50).optional(),
  })
  .refine((q) => q.phone || q.accountNo || q.q, 'give phone, accountNo or q');

export const CustomerMatch = z.object({
  id: z.number().int(),
  accountNo: z.string(),
  name: z.string(),
  phone: z.string(),
  address: z.string(),
  customerClass: z.string(),
  important: z.boolean(),
  areaClass: z.enum(AREA_CLASSES),
  stationId: z.number().int(),
  stationName: z.string(),
  districtId: z.number().int(),
  districtName: z.string(),
  feederId: z.number().int(),
  feederName: z.string(),
  /** How the customer is told (outage notices, progress): the channel, the e-mail address, and whether they opted out of non-essential messages. */
  messaging: z.object({ channel: z.enum(['sms', 'email']), email: z.string().nullable(), optOut: z.boolean() }),
  /** The customer's open and recent cases, one entry a case (its first call's number), the case called about last first. */
  recentDemands: z.array(
    z.object({
      id: z.number().int(),
      number: z.string(),
      type: z.string(),
      category: z.string().nullable(),
      status: z.string(),
      callCount: z.number().int(),
      createdAt: z.string(),
      lastCallAt: z.string(),
      closedAt: z.string().nullable(),
    }),
  ),
});
export const CustomerLookup = z.object({ items: z.array(CustomerMatch) });

/** What the customer asked about being told: SMS or e-mail (with the address), and no non-essential messages. */
export const CustomerMessagingBody = z
  .strictObject({
    channel: z.enum(['sms', 'email']),
    email: z.email('must be an e-mail address').max(200).nullable().optional(),
    optOut: z.boolean(),
  })
  .refine((b) => b.channel !== 'email' || !!b.email, { path: ['email'], message: 'is needed to tell the customer by e-mail' });
export type CustomerMessagingBody = z.infer<typeof CustomerMessagingBody>;
export const CustomerMessaging = z.object({ id: z.number().int(), channel: z.enum(['sms', 'email']), email: z.string().nullable(), optOut: z.boolean() });

/** GET /api/network/places?q=: 台区 and feeders by a part of their name, for a fault's place. */
export const PlacesQuery = z.strictObject({ q: z.string().trim().min(1, 'must not be empty').max(50) });
export const Places = z.object({
  items: z.array(
    z.object({
      kind: z.enum(['district', 'feeder']),
      id: z.number().int(),
      name: z.string(),
      stationId: z.number().int().nullable(),
      stationName: z.string().nullable(),
      feederName: z.string(),
    }),
  ),
});
export type Places = z.infer<typeof Places>;

export const WorkOrderQueueQuery = z.strictObject({
  status: z.enum(['open', 'handled', 'returned', 'closed', 'all']).default('open').describe('open = dispatched, accepted or arrived'),
  unitId: IdParam.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type WorkOrderQueueQuery = z.infer<typeof WorkOrderQueueQuery>;

export const WorkOrderQueueItem = Task.extend({
  demand: z.object({
    number: z.string(),
    type: z.enum(DEMAND_TYPES),
    category: z.enum(DEMAND_CATEGORIES).nullable(),
    priority: z.enum(PRIORITIES),
    escalationLevel: z.number().int(),
    customerName: z.string().nullable(),
    phone: z.string(),
    content: z.string(),
    /** The calls of its case: the customer called n times. */
    callCount: z.number().int(),
  }),
  /** The nearest live deadline of the demand, and whether it has passed. */
  nextDueAt: z.string().nullable(),
  nextStep: z.string().nullable(),
  overdue: z.boolean(),
});
export const WorkOrderQueue = z.object({ items: z.array(WorkOrderQueueItem) });
