import { z } from 'zod';
import { Id, IdParam, IsoTime, LongText, Phone, Text } from './common.js';

// Outages (API.md, "Outages and messages"; DESIGN.md, "Outages and
// communication with customers").

export const OUTAGE_KINDS = ['planned', 'maintenance', 'load_shedding', 'fault'] as const;
export type OutageKind = (typeof OUTAGE_KINDS)[number];
export const OUTAGE_STATUSES = ['announced', 'in_progress', 'restored', 'cancelled'] as const;
export type OutageStatus = (typeof OUTAGE_STATUSES)[number];

/** The outages' rules an admin may edit (settings key `outages.rules`, GET|PUT /api/outage-rules); the defaults are the server's (outages/rules.ts). */
export const OutageRules = z.object({
  /** How long before the start the customers must be told, by kind (planned 7 days, maintenance 24 h, fault at once). */
  noticeLeadHours: z.object({
    planned: z
      .number()
      .min(0)
      .max(24 * 60),
    maintenance: z
      .number()
      .min(0)
      .max(24 * 60),
    load_shedding: z
      .number()
      .min(0)
      .max(24 * 60),
    fault: z
      .number()
      .min(0)
      .max(24 * 60),
  }),
  /** Fault calls from one 台区 (or one feeder) within the window, not covered by an outage, make a suspected outage. */
  suspected: z.object({
    districtCalls: z.number().int().min(2).max(100),
    feederCalls: z.number().int().min(2).max(500),
    windowMinutes: z.number().int().min(1).max(240),
  }),
  /** The notice's text by kind; {area} {start} {end} {cause} {number} are filled in. */
  templates: z.object({
    planned: z.string().min(1).max(1000),
    maintenance: z.string().min(1).max(1000),
    load_shedding: z.string().min(1).max(1000),
    fault: z.string().min(1).max(1000),
  }),
});
export type OutageRules = z.infer<typeof OutageRules>;

const Ids = (max: number) => z.array(Id).max(max, `must list at most ${max}`).optional();

export const CreateOutageBody = z
  .strictObject({
    kind: z.enum(OUTAGE_KINDS),
    feederIds: Ids(200),
    districtIds: Ids(2000),
    customerIds: Ids(10_000),
    startsAt: IsoTime,
    expectedEndAt: IsoTime,
    cause: Text(300),
    /** The notice's text; without it the kind's template is filled in. */
    notice: LongText(1000).optional(),
    /** Given when the notice comes later than the kind's rule (planned: 7 days before the start); kept and reported. */
    lateNoticeReason: Text(500).optional(),
    /** The unit that owns it; by default the unit of the feeders, 台区 or customers it cuts. */
    unitId: Id.optional(),
  })
  .superRefine((b, ctx) => {
    if (!b.feederIds?.length && !b.districtIds?.length && !b.customerIds?.length)
      ctx.addIssue({ code: 'custom', path: ['feederIds'], message: 'an outage needs a scope: feederIds, districtIds or customerIds' });
    if (Date.parse(b.expectedEndAt) <= Date.parse(b.startsAt)) ctx.addIssue({ code: 'custom', path: ['expectedEndAt'], message: 'must be after startsAt' });
  });
export type CreateOutageBody = z.infer<typeof CreateOutageBody>;

export const UpdateOutageBody = z.strictObject({ expectedEndAt: IsoTime, note: Text(500) });
export type UpdateOutageBody = z.infer<typeof UpdateOutageBody>;
export const RestoreOutageBody = z.strictObject({ restoredAt: IsoTime.optional(), note: Text(500).optional() });
export type RestoreOutageBody = z.infer<typeof RestoreOutageBody>;
export const CancelOutageBody = z.strictObject({ reason: Text(500) });
export type CancelOutageBody = z.infer<typeof CancelOutageBody>;

const Flag = z.enum(['true', 'false']);
export const ListOutagesQuery = z.strictObject({
  active: Flag.optional().describe('true: announced or in progress'),
  status: z.enum(OUTAGE_STATUSES).optional(),
  kind: z.enum(OUTAGE_KINDS).optional(),
  unitId: IdParam.optional(),
  late: Flag.optional().describe('true: announced later than the notice rule, with the reason given'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListOutagesQuery = z.infer<typeof ListOutagesQuery>;

const MessageCounts = z.object({ queued: z.number().int(), sending: z.number().int(), sent: z.number().int(), failed: z.number().int() });

export const Outage = z.object({
  id: z.number().int(),
  number: z.string(),
  kind: z.enum(OUTAGE_KINDS),
  status: z.enum(OUTAGE_STATUSES),
  unitId: z.number().int(),
  unitName: z.string(),
  cause: z.string(),
  notice: z.string(),
  area: z.string(),
  startsAt: z.string(),
  expectedEndAt: z.string(),
  noticeDueAt: z.string(),
  /** Announced after its notice was due: the reason the announcer gave. */
  lateNoticeReason: z.string().nullable(),
  affectedCustomers: z.number().int(),
  /** The calls it drew (its 主单 and 子单), and how many are still open. */
  calls: z.number().int(),
  openCalls: z.number().int(),
  masterDemandId: z.number().int().nullable(),
  startedAt: z.string().nullable(),
  restoredAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  version: z.number().int(),
});
export type Outage = z.infer<typeof Outage>;

export const OutageList = z.object({ items: z.array(Outage), total: z.number().int() });
export type OutageList = z.infer<typeof OutageList>;

export const OutageDetail = Outage.extend({
  scope: z.object({
    feeders: z.array(z.object({ id: z.number().int(), name: z.string() })),
    districts: z.array(z.object({ id: z.number().int(), name: z.string(), feederName: z.string() })),
    customers: z.number().int().describe('single customers named in the scope'),
  }),
  /** The 台区 it cuts, each with its customers. */
  districts: z.array(z.object({ id: z.number().int(), name: z.string(), feederName: z.string(), customers: z.number().int() })),
  messages: MessageCounts,
  callList: z.array(
    z.object({
      id: z.number().int(),
      number: z.string(),
      createdAt: z.string(),
      customerName: z.string().nullable(),
      status: z.string(),
      role: z.enum(['master', 'child']),
    }),
  ),
  timeline: z.array(
    z.object({ id: z.number().int(), at: z.string(), kind: z.string(), actorName: z.string().nullable(), note: z.string().nullable(), data: z.unknown() }),
  ),
});
export type OutageDetail = z.infer<typeof OutageDetail>;

export const OutageCustomersQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  districtId: IdParam.optional(),
});
export const OutageCustomers = z.object({
  items: z.array(z.object({ customerId: z.number().int(), accountNo: z.string(), name: z.string(), phone: z.string(), districtName: z.string() })),
  total: z.number().int(),
});
export type OutageCustomers = z.infer<typeof OutageCustomers>;

export const AffectingQuery = z
  .strictObject({ customerId: IdParam.optional(), phone: Phone.optional(), districtId: IdParam.optional(), feederId: IdParam.optional() })
  .refine((q) => q.customerId !== undefined || q.phone !== undefined || q.districtId !== undefined || q.feederId !== undefined, {
    path: ['customerId'],
    message: 'name the caller: customerId, phone, districtId or feederId',
  });
export type AffectingQuery = z.infer<typeof AffectingQuery>;

/** What the intake screen shows: the outages over the caller now, and those announced for later. */
export const Affecting = z.object({
  active: z.array(Outage),
  upcoming: z.array(Outage),
});
export type Affecting = z.infer<typeof Affecting>;

export const SuspectedOutage = z.object({
  place: z.enum(['district', 'feeder']),
  placeId: z.number().int(),
  placeName: z.string(),
  feederName: z.string().nullable(),
  unitId: z.number().int(),
  unitName: z.string(),
  firstAt: z.string(),
  lastAt: z.string(),
  customers: z.number().int().describe('the customers behind the place'),
  calls: z.array(z.object({ id: z.number().int(), number: z.string(), createdAt: z.string(), customerName: z.string().nullable(), content: z.string() })),
});
export type SuspectedOutage = z.infer<typeof SuspectedOutage>;
export const SuspectedOutages = z.object({
  items: z.array(SuspectedOutage),
  rules: z.object({ districtCalls: z.number(), feederCalls: z.number(), windowMinutes: z.number() }),
});
export type SuspectedOutages = z.infer<typeof SuspectedOutages>;

export const DeclareOutageBody = z.strictObject({
  place: z.enum(['district', 'feeder']),
  placeId: Id,
  cause: Text(300).default('故障原因排查中'),
  expectedEndAt: IsoTime,
  notice: LongText(1000).optional(),
});
export type DeclareOutageBody = z.infer<typeof DeclareOutageBody>;

export const PublicOutagesQuery = z.strictObject({ unitId: IdParam.optional() });
/** The public feed: announced and running outages, by area; no personal data. */
export const PublicOutages = z.object({
  generatedAt: z.string(),
  areas: z.array(
    z.object({
      unitId: z.number().int(),
      unitName: z.string(),
      outages: z.array(
        z.object({
          number: z.string(),
          kind: z.enum(OUTAGE_KINDS),
          status: z.enum(OUTAGE_STATUSES),
          area: z.string(),
          cause: z.string(),
          startsAt: z.string(),
          expectedEndAt: z.string(),
          notice: z.string(),
        }),
      ),
    }),
  ),
});
export type PublicOutages = z.infer<typeof PublicOutages>;

export const Feeders = z.array(
  z.object({ id: z.number().int(), name: z.string(), unitId: z.number().int(), unitName: z.string(), customers: z.number().int() }),
);
export const FeedersQuery = z.strictObject({ unitId: IdParam.optional() });
export const Districts = z.array(
  z.object({ id: z.number().int(), name: z.string(), feederId: z.number().int(), unitId: z.number().int(), customers: z.number().int() }),
);
export const DistrictsQuery = z.strictObject({ feederId: IdParam.optional(), unitId: IdParam.optional() });

/**
 * The calls linked to an outage that covers their caller: repairs, and
 * consultations about outages and voltage (a complaint keeps its own clocks).
 * The server links by it; the intake's banner says it before saving.
 */
export const isOutageCall = (call: { type: string | undefined; category: string | null | undefined }): boolean =>
  call.type === 'fault_repair' || (call.type === 'consultation' && call.category === 'outage_voltage');
