import type { z } from 'zod';
import type {
  CallbackBody,
  CasePreview,
  CaseSummary as CaseSummarySchema,
  CreateDemandBody,
  CustomerMatch as CustomerMatchSchema,
  Demand,
  DemandDetail,
  DemandExport,
  DemandList,
  HandleBody,
  ListDemandsQuery,
  Places,
  Task,
  TimelineEvent as TimelineEventSchema,
  VerdictBody,
  WorkOrderQueue,
  WorkOrderQueueQuery,
} from '../../shared/schemas/demands.js';
import type { CreateSuggestionBody, Suggestion } from '../../shared/schemas/meetings.js';
import { request } from './client.js';

// The demands API. Every change sends the version the user is looking at
// (If-Match), so that a change made meanwhile by someone else is a 409 the page
// can explain, never a silent overwrite.

export type CustomerMatch = z.infer<typeof CustomerMatchSchema>;
export type TimelineEvent = z.infer<typeof TimelineEventSchema>;
/** The case a call belongs to, with every call; null on a demand that stands alone. */
export type CaseSummary = z.infer<typeof CaseSummarySchema>;
export type CaseCall = CaseSummary['calls'][number];
/** A 台区 or a feeder, for a fault repair's place. */
export type Place = Places['items'][number];
/** A unit's work order with what the queue shows of its demand and its nearest live deadline. */
export type WorkOrder = z.infer<typeof WorkOrderQueue>['items'][number];
export type WorkOrderView = WorkOrderQueueQuery['status'];
export type DemandQuery = Partial<Omit<ListDemandsQuery, 'page' | 'pageSize'>> & { page?: number; pageSize?: number };
export type {
  CallbackBody,
  CasePreview,
  CreateDemandBody,
  CreateSuggestionBody,
  Demand,
  DemandDetail,
  DemandExport,
  DemandList,
  HandleBody,
  Suggestion,
  Task,
  VerdictBody,
};

const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

export const lookupCustomers = (query: { phone?: string; accountNo?: string; q?: string }) =>
  request<{ items: CustomerMatch[] }>('GET', '/customers/lookup', undefined, query);

/** The key makes a retried save (a timeout, a double click) return the first demand instead of a second one. */
export const createDemand = (body: CreateDemandBody, idempotencyKey: string) =>
  request<DemandDetail>('POST', '/demands', body, undefined, { 'idempotency-key': idempotencyKey });

/** Before saving: the case this caller's call would join, and the caller's recent cases (by phone or 户号). */
export const previewCase = (query: { phone: string; accountNo?: string | undefined; category?: string | undefined }) =>
  request<CasePreview>('GET', '/demands/case-preview', undefined, query);

/** 台区 and feeders by a part of their name: where a fault is. */
export const searchPlaces = (q: string) => request<Places>('GET', '/network/places', undefined, { q });

export const listDemands = (query: DemandQuery) => request<DemandList>('GET', '/demands', undefined, query);
export const getDemand = (id: number) => request<DemandDetail>('GET', `/demands/${id}`);

/** The list as filtered, exported: a job the server writes; poll it for rows written of the total, download it when done. */
export const startDemandExport = (filters: Omit<DemandQuery, 'page' | 'pageSize'>) => request<DemandExport>('POST', '/demands/exports', filters);
export const getDemandExport = (id: number) => request<DemandExport>('GET', `/demands/exports/${id}`);
/** The finished workbook (the session's cookie signs the download). */
export const demandExportFileUrl = (id: number) => `/api/demands/exports/${id}/file`;

export const answerDemand = (id: number, version: number, answer: string) =>
  request<DemandDetail>('POST', `/demands/${id}/answer`, { answer }, undefined, ifMatch(version));
export const dispatchDemand = (id: number, version: number, body: { unitId: number; instructions: string }) =>
  request<Task>('POST', `/demands/${id}/work-orders`, body, undefined, ifMatch(version));
export const recordCallback = (id: number, version: number, body: CallbackBody) =>
  request<DemandDetail>('POST', `/demands/${id}/callbacks`, body, undefined, ifMatch(version));
/** 首问负责制: hand the demand over to a colleague (an agent or team lead) by name, with the reason. */
export const handOverDemand = (id: number, version: number, body: { toUserId: number; reason: string }) =>
  request<DemandDetail>('POST', `/demands/${id}/hand-over`, body, undefined, ifMatch(version));
export const escalateDemand = (id: number, version: number, reason: string) =>
  request<DemandDetail>('POST', `/demands/${id}/escalate`, { reason }, undefined, ifMatch(version));
/** Takes a call out of the case it joined; it becomes a case of its own. The case's page does not hold the call's version: it sends none. */
export const unlinkCall = (id: number, version: number | undefined, reason: string) =>
  request<DemandDetail>('POST', `/demands/${id}/unlink`, { reason }, undefined, version === undefined ? undefined : ifMatch(version));
/** 核实定性: a complaint found unfounded (不属实) or founded after verification; a case is judged by its first complaint. */
export const recordVerdict = (id: number, version: number, body: VerdictBody) =>
  request<DemandDetail>('POST', `/demands/${id}/verdict`, body, undefined, ifMatch(version));

/** A suggestion from the front line for the next consultation meeting, here about one demand. */
export const fileSuggestion = (body: CreateSuggestionBody) => request<Suggestion>('POST', '/suggestions', body);

/** The unit's orders, the nearest live deadline first (the server sorts). */
export const listWorkOrders = (query: Partial<WorkOrderQueueQuery>) => request<{ items: WorkOrder[] }>('GET', '/work-orders', undefined, query);

// Work orders carry their own version: the unit and the centre change different records.
export const acceptOrder = (task: Task) => request<Task>('POST', `/work-orders/${task.id}/accept`, undefined, undefined, ifMatch(task.version));
/** `arrivedAt`: the actual time, where the report is made later; without it the server takes now. */
export const arriveOrder = (task: Task, arrivedAt?: string) =>
  request<Task>('POST', `/work-orders/${task.id}/arrive`, arrivedAt ? { arrivedAt } : {}, undefined, ifMatch(task.version));
export const handleOrder = (task: Task, body: HandleBody) => request<Task>('POST', `/work-orders/${task.id}/handle`, body, undefined, ifMatch(task.version));
export const returnOrder = (task: Task, reason: string) =>
  request<Task>('POST', `/work-orders/${task.id}/return`, { reason }, undefined, ifMatch(task.version));

/** A fresh idempotency key; crypto.randomUUID needs a secure context, which an intranet http address is not. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
