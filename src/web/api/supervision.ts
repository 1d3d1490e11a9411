import type { BulkResult, Supervision } from '../../shared/schemas/demands.js';
import { request } from './client.js';

// 班长督办: the open cases escalated or with a step past its limit, and what a
// team lead does to several of them at once. Each case is changed in its own
// transaction: the answer says which were done and why the others were refused.

export type SupervisedCase = Supervision['items'][number];
export type { BulkResult, Supervision };

export const getSupervision = () => request<Supervision>('GET', '/supervision');
/** 催办: each case's open work orders are urged and their units told, with the note. */
export const urgeCases = (ids: readonly number[], note: string) => request<BulkResult>('POST', '/demands/urge', { ids, note });
/** 改派: each case's open work orders are withdrawn and one goes to the unit. */
export const reassignCases = (ids: readonly number[], unitId: number, note: string) => request<BulkResult>('POST', '/demands/reassign', { ids, unitId, note });
