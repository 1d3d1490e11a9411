import type { SatisfactionResponse, SurveyImportResult, WhatIf } from '../../shared/schemas/satisfaction.js';
import { request, uploadTable } from './client.js';

// 客户满意度 (API.md, "Reports and satisfaction"): the surveys with the
// elasticity, the what-if and the callbacks; the survey import.

export type { SatisfactionResponse, SurveyImportResult, WhatIf };
export type SurveyPeriod = SatisfactionResponse['periods'][number];

export const getSatisfaction = (query: { from?: string | undefined; to?: string | undefined } = {}) =>
  request<SatisfactionResponse>('GET', '/satisfaction', undefined, query);
export const getWhatIf = (query: { outageVoltage: number; supplyService: number }) => request<WhatIf>('GET', '/satisfaction/what-if', undefined, query);

/** Uploads a survey file (CSV or xlsx); refused with rows named, it resolves with them. */
export const importSurveys = (file: File) => uploadTable<SurveyImportResult>('/satisfaction/surveys', file);
