import type { z } from 'zod';
import type {
  CommonProblem as CommonProblemSchema,
  Consultation,
  ConsultationCallbackBody,
  ConsultationDetail,
  ConsultationFigures as FiguresSchema,
  ConsultationLimit as LimitSchema,
  ConsultationsQuery,
  CreateConsultationBody,
  CreateProblemBody,
  CreateTrainingBody,
  Expert,
  ExpertProfileBody,
  PoolWarnings as PoolWarningsSchema,
  RecordForm as RecordFormSchema,
  ReplyBody,
  StepTime as StepTimeSchema,
  Training as TrainingSchema,
} from '../../shared/schemas/experts.js';
import { request } from './client.js';

// The expert seat's API. The steps of a consultation send the version the user
// is looking at (If-Match): a hand-over or another step meanwhile is a 409.

export type StepTime = z.infer<typeof StepTimeSchema>;
export type PoolWarnings = z.infer<typeof PoolWarningsSchema>;
export type ConsultationLimit = z.infer<typeof LimitSchema>;
export type RecordForm = z.infer<typeof RecordFormSchema>;
export type ConsultationFigures = z.infer<typeof FiguresSchema>;
export type CommonProblem = z.infer<typeof CommonProblemSchema>;
export type Training = z.infer<typeof TrainingSchema>;
export type ConsultationQuery = Partial<Omit<ConsultationsQuery, 'page' | 'pageSize'>> & { page?: number; pageSize?: number };
export type { Consultation, ConsultationDetail, Expert };

const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

export const listExperts = (query: { unitId?: number | undefined; topic?: string | undefined } = {}) => request<Expert[]>('GET', '/experts', undefined, query);
export const updateExpert = (id: number, body: ExpertProfileBody) => request<Expert>('PUT', `/experts/${id}`, body);
export const poolWarnings = () => request<PoolWarnings>('GET', '/experts/pool-warnings');
export const listLimits = () => request<ConsultationLimit[]>('GET', '/consultation-limits');

export const forwardQuestion = (demandId: number, body: CreateConsultationBody) =>
  request<ConsultationDetail>('POST', `/demands/${demandId}/consultations`, body);
export const listConsultations = (query: ConsultationQuery) => request<{ items: Consultation[]; total: number }>('GET', '/consultations', undefined, query);
export const getConsultation = (id: number) => request<ConsultationDetail>('GET', `/consultations/${id}`);
export const acknowledgeConsultation = (c: Consultation) =>
  request<ConsultationDetail>('POST', `/consultations/${c.id}/acknowledge`, undefined, undefined, ifMatch(c.version));
export const markContacted = (c: Consultation) => request<ConsultationDetail>('POST', `/consultations/${c.id}/contacted`, {}, undefined, ifMatch(c.version));
export const replyConsultation = (c: Consultation, body: ReplyBody) =>
  request<ConsultationDetail>('POST', `/consultations/${c.id}/reply`, body, undefined, ifMatch(c.version));
export const callBackConsultation = (c: Consultation, body: ConsultationCallbackBody) =>
  request<ConsultationDetail>('POST', `/consultations/${c.id}/callback`, body, undefined, ifMatch(c.version));

export const withdrawConsultation = (c: Consultation, reason: string) =>
  request<ConsultationDetail>('POST', `/consultations/${c.id}/withdraw`, { reason }, undefined, ifMatch(c.version));

export const recordForm = (month: string, unitId?: number) => request<RecordForm>('GET', '/consultations/record', undefined, { month, unitId });
/** The workbook is a download: a link the browser follows with the session cookie. */
export const recordWorkbookUrl = (month: string, unitId?: number) => `/api/consultations/record.xlsx?month=${month}${unitId ? `&unitId=${unitId}` : ''}`;
export const monthFigures = (month: string, unitId?: number) => request<ConsultationFigures>('GET', '/consultations/figures', undefined, { month, unitId });

export const listProblems = (month?: string) => request<CommonProblem[]>('GET', '/common-problems', undefined, { month });
export const fileProblem = (body: z.input<typeof CreateProblemBody>) => request<CommonProblem>('POST', '/common-problems', body);
export const updateProblem = (id: number, body: { status: 'open' | 'discussed'; meetingNote?: string | null }) =>
  request<CommonProblem>('PATCH', `/common-problems/${id}`, body);
export const listTrainings = (month?: string) => request<Training[]>('GET', '/expert-trainings', undefined, { month });
export const logTraining = (body: z.input<typeof CreateTrainingBody>) => request<Training>('POST', '/expert-trainings', body);
