import { z } from 'zod';
import { Id, IdParam, IsoTime, Phone, Text } from './common.js';

// The expert seat (API.md, "Expert seat"): the pool, consultations and their
// steps, the record form, the figures, common problems and trainings.

export const CONSULTATION_STEPS = ['forward', 'acknowledge', 'contact', 'reply', 'callback'] as const;
export const CONSULTATION_STATUSES = ['assigned', 'acknowledged', 'contacted', 'replied', 'closed', 'cancelled'] as const;
/** Still waiting for someone: not called back, not withdrawn. */
export const OPEN_CONSULTATION_STATUSES = ['assigned', 'acknowledged', 'contacted', 'replied'] as const;

const HourMinute = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time of day HH:MM (00:00–24:00)');
const Topic = Text(64);
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const Expert = z.object({
  id: z.number().int(),
  username: z.string(),
  name: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  phone: z.string().nullable(),
  topics: z.array(z.string()),
  dutyFrom: z.string(),
  dutyTo: z.string(),
  available: z.boolean(),
  unavailableReason: z.string().nullable(),
  leader: z.boolean(),
  /** Within their hours now. */
  onDuty: z.boolean(),
  /** Consultations in hand, not yet answered. */
  openConsultations: z.number().int(),
});
export type Expert = z.infer<typeof Expert>;

export const ExpertsQuery = z.strictObject({
  unitId: IdParam.optional(),
  topic: z.string().trim().min(1).max(64).optional(),
});

export const ExpertProfileBody = z
  .strictObject({
    phone: Phone.nullable().optional(),
    topics: z.array(Topic).max(30).optional(),
    dutyFrom: HourMinute.optional(),
    dutyTo: HourMinute.optional(),
    available: z.boolean().optional(),
    unavailableReason: z.string().trim().max(200).nullable().optional(),
    leader: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');
export type ExpertProfileBody = z.infer<typeof ExpertProfileBody>;

export const PoolWarning = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  kind: z.string(),
  experts: z.number().int(),
  available: z.number().int(),
});
export const PoolWarnings = z.object({ items: z.array(PoolWarning), minimum: z.number().int() });

export const CreateConsultationBody = z.strictObject({
  unitId: Id,
  question: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
  topic: Topic.optional(),
  expertId: Id.optional(),
  /** Where the expert reaches the customer, when not the demand's phone and name (a callback number). */
  contactPhone: Phone.optional(),
  contactName: Text(200).optional(),
});
export type CreateConsultationBody = z.infer<typeof CreateConsultationBody>;

/** The moment the expert called the customer, when it was earlier than now. */
export const ContactedBody = z.strictObject({ at: IsoTime.optional() }).optional();

export const ReplyBody = z.strictObject({
  answer: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
  /** When the call with the customer ended: the 5 minutes to report run from here. */
  callEndedAt: IsoTime.optional(),
  /** Departments the answer was agreed with (answered jointly). */
  jointUnitIds: z.array(Id).max(10).optional(),
});
export type ReplyBody = z.infer<typeof ReplyBody>;

export const ConsultationCallbackBody = z.strictObject({
  result: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
  /** The customer has their answer: the demand closes with the expert's answer. Otherwise it stays open (a work order may follow). */
  closeDemand: z.boolean(),
});
export type ConsultationCallbackBody = z.infer<typeof ConsultationCallbackBody>;

export const WithdrawBody = z.strictObject({ reason: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters') });

export const StepTime = z.object({
  step: z.enum(CONSULTATION_STEPS),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  minutes: z.number().nullable(),
  limit: z.number().int(),
  withinLimit: z.boolean().nullable(),
});

export const Consultation = z.object({
  id: z.number().int(),
  demandId: z.number().int(),
  demandNumber: z.string(),
  /** The demand's status: whether a callback can still close it. */
  demandStatus: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  topic: z.string().nullable(),
  question: z.string(),
  customerName: z.string().nullable(),
  customerPhone: z.string(),
  calledAt: z.string(),
  forwardedAt: z.string(),
  forwardedBy: z.number().int(),
  forwardedByName: z.string(),
  expertId: z.number().int(),
  expertName: z.string(),
  expertPhone: z.string().nullable(),
  assignedAt: z.string(),
  status: z.enum(CONSULTATION_STATUSES),
  handOvers: z.number().int(),
  unansweredAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  contactedAt: z.string().nullable(),
  callEndedAt: z.string().nullable(),
  repliedAt: z.string().nullable(),
  answer: z.string().nullable(),
  jointUnits: z.array(z.object({ id: z.number().int(), name: z.string() })),
  callbackAt: z.string().nullable(),
  callbackResult: z.string().nullable(),
  steps: z.array(StepTime),
  version: z.number().int(),
});
export type Consultation = z.infer<typeof Consultation>;

export const ConsultationEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  kind: z.string(),
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  expertId: z.number().int().nullable(),
  expertName: z.string().nullable(),
  note: z.string().nullable(),
});

export const ConsultationDetail = Consultation.extend({ timeline: z.array(ConsultationEvent) });
export type ConsultationDetail = z.infer<typeof ConsultationDetail>;

export const ConsultationsQuery = z.strictObject({
  expertId: IdParam.optional(),
  status: z.enum(CONSULTATION_STATUSES).optional(),
  /** Not closed yet. */
  open: z.enum(['true', 'false']).optional(),
  demandId: IdParam.optional(),
  unitId: IdParam.optional(),
  month: Month.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ConsultationsQuery = z.infer<typeof ConsultationsQuery>;

export const ConsultationList = z.object({ items: z.array(Consultation), total: z.number().int() });

export const ConsultationLimit = z.object({ step: z.enum(CONSULTATION_STEPS), minutes: z.number().int(), isDefault: z.boolean() });
export const StepParams = z.strictObject({ step: z.enum(CONSULTATION_STEPS) });
export const ConsultationLimitBody = z.strictObject({
  minutes: z.number().int().min(1, 'must be at least 1 minute').max(10_080, 'must be at most a week (10080 minutes)'),
});

export const MonthQuery = z.strictObject({ month: Month, unitId: IdParam.optional() });

export const StepFigure = z.object({
  step: z.enum(CONSULTATION_STEPS),
  count: z.number().int(),
  medianMinutes: z.number().nullable(),
  p90Minutes: z.number().nullable(),
  withinShare: z.number().nullable(),
});
const FigureRow = z.object({ consultations: z.number().int(), handOvers: z.number().int(), steps: z.array(StepFigure) });
export const ConsultationFigures = z.object({
  month: z.string(),
  all: FigureRow,
  units: z.array(FigureRow.extend({ unitId: z.number().int(), unitName: z.string() })),
  experts: z.array(FigureRow.extend({ expertId: z.number().int(), expertName: z.string(), unitName: z.string() })),
});

export const CreateProblemBody = z.strictObject({
  title: Text(200),
  description: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
  consultationIds: z.array(Id).min(1, 'name at least one consultation').max(50),
  meetingMonth: Month.optional(),
});
export const UpdateProblemBody = z.strictObject({
  status: z.enum(['open', 'discussed']),
  meetingNote: z.string().trim().max(4000).nullable().optional(),
});
export const CommonProblem = z.object({
  id: z.number().int(),
  title: z.string(),
  description: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  meetingMonth: z.string(),
  status: z.enum(['open', 'discussed']),
  meetingNote: z.string().nullable(),
  filedBy: z.number().int(),
  filedByName: z.string(),
  filedAt: z.string(),
  consultations: z.array(z.object({ id: z.number().int(), demandNumber: z.string(), question: z.string() })),
});
export const ProblemsQuery = z.strictObject({ month: Month.optional() });

export const CreateTrainingBody = z.strictObject({
  heldOn: LocalDate,
  /** The expert who gave it; an expert logging their own may leave it out. */
  expertId: Id.optional(),
  topic: Text(200),
  attendees: z.array(Text(100)).min(1, 'name at least one attendee').max(200),
  hours: z.number().positive().max(24).optional(),
  note: z.string().trim().max(2000).optional(),
});
export const Training = z.object({
  id: z.number().int(),
  heldOn: z.string(),
  expertId: z.number().int(),
  expertName: z.string(),
  unitName: z.string(),
  topic: z.string(),
  attendees: z.array(z.string()),
  hours: z.number().nullable(),
  note: z.string().nullable(),
  createdBy: z.number().int(),
  createdAt: z.string(),
});
export const TrainingsQuery = z.strictObject({ month: Month.optional(), expertId: IdParam.optional() });

/** One row of the seed's record form (专家坐席记录表). */
export const RecordRow = z.object({
  consultationId: z.number().int(),
  demandNumber: z.string(),
  calledAt: z.string(),
  customerName: z.string().nullable(),
  customerPhone: z.string(),
  question: z.string(),
  forwardedAt: z.string(),
  unitName: z.string(),
  expertName: z.string(),
  handOvers: z.number().int(),
  answer: z.string().nullable(),
  callbackAt: z.string().nullable(),
  callbackResult: z.string().nullable(),
  steps: z.array(StepTime),
});
export const RecordForm = z.object({ month: z.string(), items: z.array(RecordRow) });
