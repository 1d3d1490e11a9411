import { z } from 'zod';
import { Id, IdParam, LongText, Text } from './common.js';

// The green channel (绿色通道) for a large customer's connection application
// (业扩): API.md, "Customers and key accounts"; DESIGN.md, "Green channel".

/** The stages in their order (受理 → 现场勘查 → 供电方案答复 → 设计审查 → 中间检查 → 竣工检验 → 装表接电). */
export const APPLICATION_STAGES = ['accept', 'survey', 'scheme', 'design_review', 'midway_check', 'completion_check', 'connection'] as const;
export type ApplicationStage = (typeof APPLICATION_STAGES)[number];
/** The stage sets: low-voltage residential, low-voltage non-residential, high voltage with a single or a double supply. */
export const APPLICATION_TRACKS = ['residential', 'low_voltage', 'hv_single', 'hv_double'] as const;
export type ApplicationTrack = (typeof APPLICATION_TRACKS)[number];
export const APPLICATION_STATUSES = ['open', 'completed', 'cancelled'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export const APPLICATION_KINDS = ['new', 'increase'] as const;
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];
/** Supply voltages: 0.22 / 0.4 kV are low voltage; 10 kV and above high voltage. */
export const APPLICATION_VOLTAGES = ['0.22kV', '0.4kV', '10kV', '35kV', '110kV'] as const;
export type ApplicationVoltage = (typeof APPLICATION_VOLTAGES)[number];
export const APPLICATION_SUPPLIES = ['single', 'double'] as const;
export type ApplicationSupply = (typeof APPLICATION_SUPPLIES)[number];

/** One stage of a track: who owns it (a unit code, or @county / @station: the customer's own) and its limit in working days. */
export const StageRule = z.strictObject({
  stage: z.enum(APPLICATION_STAGES),
  owner: z
    .string()
    .trim()
    .regex(/^(@county|@station|[A-Za-z0-9-]{1,40})$/, 'must be a unit code (e.g. YL-YXB), @county or @station'),
  limitWd: z.number().int('must be whole working days').positive('must be at least 1 working day').max(250),
});
export type StageRule = z.infer<typeof StageRule>;

const Track = z
  .array(StageRule)
  .min(1, 'a track needs at least one stage')
  .max(APPLICATION_STAGES.length)
  .superRefine((stages, ctx) => {
    const seen = new Set<string>();
    stages.forEach((s, i) => {
      if (seen.has(s.stage)) ctx.addIssue({ code: 'custom', path: [i, 'stage'], message: `${s.stage} is listed twice` });
      seen.add(s.stage);
    });
  });

/** The stages as data (settings key `applications.stages`, GET|PUT /api/application-stages); the defaults are the server's (applications/rules.ts). */
export const ApplicationStageRules = z.strictObject({
  tracks: z.strictObject({ residential: Track, low_voltage: Track, hv_single: Track, hv_double: Track }),
});
export type ApplicationStageRules = z.infer<typeof ApplicationStageRules>;

export const CreateApplicationBody = z.strictObject({
  customerId: Id,
  kind: z.enum(APPLICATION_KINDS),
  capacityKva: z.number().positive('must be more than 0 kVA').max(1_000_000),
  voltage: z.enum(APPLICATION_VOLTAGES),
  supply: z.enum(APPLICATION_SUPPLIES),
  note: LongText(1000).optional(),
});
export type CreateApplicationBody = z.infer<typeof CreateApplicationBody>;

export const CompleteStageParams = z.strictObject({ id: IdParam, stage: z.enum(APPLICATION_STAGES) });
export const CompleteStageBody = z.strictObject({ note: LongText(1000) });
export type CompleteStageBody = z.infer<typeof CompleteStageBody>;
export const CancelApplicationBody = z.strictObject({ reason: Text(500) });
export type CancelApplicationBody = z.infer<typeof CancelApplicationBody>;

const Flag = z.enum(['true', 'false']);
export const ListApplicationsQuery = z.strictObject({
  status: z.enum(APPLICATION_STATUSES).optional(),
  late: Flag.optional().describe('true: open, its stage under way past its due time; false: open and on time'),
  stage: z.enum(APPLICATION_STAGES).optional().describe('the stage under way'),
  customerId: IdParam.optional(),
  accountManagerId: IdParam.optional(),
  unitId: IdParam.optional().describe('the unit owning the stage under way'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListApplicationsQuery = z.infer<typeof ListApplicationsQuery>;
export const ExportApplicationsQuery = ListApplicationsQuery.omit({ page: true, pageSize: true });
export type ExportApplicationsQuery = z.infer<typeof ExportApplicationsQuery>;

export const ApplicationSummary = z.object({
  id: z.number().int(),
  number: z.string(),
  customerId: z.number().int(),
  customerName: z.string(),
  accountNo: z.string(),
  kind: z.enum(APPLICATION_KINDS),
  capacityKva: z.number(),
  voltage: z.string(),
  supply: z.enum(APPLICATION_SUPPLIES),
  track: z.enum(APPLICATION_TRACKS),
  status: z.enum(APPLICATION_STATUSES),
  /** The stage under way (null once completed or cancelled). */
  stage: z.enum(APPLICATION_STAGES).nullable(),
  stageOwnerUnitName: z.string().nullable(),
  stageDueAt: z.string().nullable(),
  /** Open, and its stage under way is past its due time. */
  late: z.boolean(),
  accountManagerId: z.number().int().nullable(),
  accountManagerName: z.string().nullable(),
  createdAt: z.string(),
});
export type ApplicationSummary = z.infer<typeof ApplicationSummary>;

export const ApplicationList = z.object({
  items: z.array(ApplicationSummary),
  total: z.number().int(),
  /** Open applications by the stage under way, and how many of them are late (the same filters, stage and lateness aside). */
  byStage: z.array(z.object({ stage: z.enum(APPLICATION_STAGES), open: z.number().int(), late: z.number().int() })),
});
export type ApplicationList = z.infer<typeof ApplicationList>;

export const ApplicationStageRow = z.object({
  seq: z.number().int(),
  stage: z.enum(APPLICATION_STAGES),
  ownerUnitId: z.number().int(),
  ownerUnitName: z.string(),
  limitWd: z.number().int(),
  startedAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  remindAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  completedByName: z.string().nullable(),
  note: z.string().nullable(),
  /** Under way past its due time, or completed after it. */
  late: z.boolean(),
  /** 督办: 0 none, 1 the account manager told it is late, 2 the owner unit's head told. */
  escalationLevel: z.number().int(),
  remindedAt: z.string().nullable(),
  escalatedAt: z.string().nullable(),
});
export type ApplicationStageRow = z.infer<typeof ApplicationStageRow>;

export const APPLICATION_EVENT_KINDS = ['created', 'stage_started', 'stage_completed', 'reminded', 'escalated', 'completed', 'cancelled'] as const;
export const ApplicationEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  kind: z.string(),
  stage: z.enum(APPLICATION_STAGES).nullable(),
  note: z.string().nullable(),
  actorName: z.string().nullable(),
});
export type ApplicationEvent = z.infer<typeof ApplicationEvent>;

export const ApplicationDetail = ApplicationSummary.extend({
  unitId: z.number().int(),
  unitName: z.string(),
  note: z.string().nullable(),
  version: z.number().int(),
  createdByName: z.string().nullable(),
  completedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  /** The utility-side limit of its track: the stages' limits added up, in working days. */
  totalLimitWd: z.number().int(),
  stages: z.array(ApplicationStageRow),
  events: z.array(ApplicationEvent),
});
export type ApplicationDetail = z.infer<typeof ApplicationDetail>;
