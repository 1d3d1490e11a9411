import type {
  CreateEvaluationBody,
  CreateEvaluationEventBody,
  EvaluationDoc,
  EvaluationEvent,
  EvaluationResponse,
  EvaluationSummary,
  EvaluationTrend,
  EvaluationUnitRow,
} from '../../shared/schemas/evaluation.js';
import type {
  ActionItem,
  ActionItemProgressBody,
  CreateActionItemBody,
  CreateMeetingBody,
  CreateSuggestionBody,
  HotItem,
  Meeting,
  MeetingSummary,
  Suggestion,
} from '../../shared/schemas/meetings.js';
import type { AnswerTransferBody, TransferBatch, TransferBatchSummary, TransferItem } from '../../shared/schemas/transfers.js';
import { request } from './client.js';

// The management loop's API (管理闭环): the monthly transfer to the departments,
// the consultation meetings and their action items, the evaluation of units.
// Answers and progress send the version the user read (If-Match): a change
// meanwhile is a 409, shown rather than overwritten.

export type {
  ActionItem,
  EvaluationDoc,
  EvaluationEvent,
  EvaluationResponse,
  EvaluationSummary,
  EvaluationTrend,
  EvaluationUnitRow,
  HotItem,
  Meeting,
  MeetingSummary,
  Suggestion,
  TransferBatch,
  TransferBatchSummary,
  TransferItem,
};

const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

// ── 传递 ───────────────────────────────────────────────────────────────────
export const listTransferBatches = (month?: string) => request<TransferBatchSummary[]>('GET', '/transfers', undefined, { month });
export const getTransferBatch = (id: number) => request<TransferBatch>('GET', `/transfers/${id}`);
export const makeTransferBatch = (month: string) => request<TransferBatch>('POST', '/transfers', { month });
export const listTransferItems = (query: { status?: 'open' | 'answered'; toUnitId?: number; demandId?: number } = {}) =>
  request<TransferItem[]>('GET', '/transfer-items', undefined, query);
export const answerTransferItem = (item: TransferItem, body: AnswerTransferBody) =>
  request<TransferItem>('POST', `/transfer-items/${item.id}/answer`, body, undefined, ifMatch(item.version));
/** The workbooks are downloads: links the browser follows with the session cookie. */
export const transferBatchWorkbookUrl = (id: number) => `/api/transfers/${id}/export`;

// ── 会商会议 ───────────────────────────────────────────────────────────────
export const listMeetings = () => request<MeetingSummary[]>('GET', '/meetings');
export const getMeeting = (id: number) => request<Meeting>('GET', `/meetings/${id}`);
export const openMeeting = (body: CreateMeetingBody) => request<Meeting>('POST', '/meetings', body);
export const reassembleMeeting = (id: number) => request<Meeting>('POST', `/meetings/${id}/assemble`);
export const meetingWorkbookUrl = (id: number) => `/api/meetings/${id}/export`;
export const addActionItem = (meetingId: number, body: CreateActionItemBody) => request<ActionItem>('POST', `/meetings/${meetingId}/action-items`, body);

export interface ActionItemsFilter {
  status?: 'open' | 'done';
  ownerUnitId?: number;
  meetingId?: number;
  late?: 'true' | 'false';
}
export const listActionItems = (query: ActionItemsFilter = {}) => request<ActionItem[]>('GET', '/action-items', undefined, { ...query });
export const recordProgress = (item: ActionItem, body: ActionItemProgressBody) =>
  request<ActionItem>('POST', `/action-items/${item.id}/progress`, body, undefined, ifMatch(item.version));

export const fileSuggestion = (body: CreateSuggestionBody) => request<Suggestion>('POST', '/suggestions', body);
export const listSuggestions = (query: { pending?: 'true' | 'false'; meetingId?: number } = {}) =>
  request<Suggestion[]>('GET', '/suggestions', undefined, query);

// ── 评价 ───────────────────────────────────────────────────────────────────
/** Any period's scores; `to` is exclusive (a date means its local midnight). */
export const evaluationOfPeriod = (from: string, to: string) => request<EvaluationResponse>('GET', '/evaluation', undefined, { from, to });
export const listEvaluationEvents = (query: { from?: string; to?: string; unitId?: number } = {}) =>
  request<EvaluationEvent[]>('GET', '/evaluation/events', undefined, query);
export const recordEvaluationEvent = (body: CreateEvaluationEventBody) => request<EvaluationEvent>('POST', '/evaluation/events', body);
export const listEvaluations = (year?: number) => request<EvaluationSummary[]>('GET', '/evaluations', undefined, { year });
export const getEvaluation = (id: number) => request<EvaluationDoc>('GET', `/evaluations/${id}`);
export const computeQuarter = (body: CreateEvaluationBody) => request<EvaluationDoc>('POST', '/evaluations', body);
export const publishEvaluation = (id: number) => request<EvaluationDoc>('POST', `/evaluations/${id}/publish`);
export const evaluationTrend = () => request<EvaluationTrend>('GET', '/evaluations/trend');
export const evaluationWorkbookUrl = (id: number) => `/api/evaluations/${id}/export`;
