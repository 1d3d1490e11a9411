import type { SatisfactionResponse, SurveyImportResult, WhatIf } from '../../shared/schemas/satisfaction.js';
import { ApiError, request } from './client.js';

// 客户满意度 (API.md, "Reports and satisfaction"): the surveys with the
// elasticity, the what-if and the callbacks; the survey import.

export type { SatisfactionResponse, SurveyImportResult, WhatIf };
export type SurveyPeriod = SatisfactionResponse['periods'][number];

export const getSatisfaction = (query: { from?: string | undefined; to?: string | undefined } = {}) =>
  request<SatisfactionResponse>('GET', '/satisfaction', undefined, query);
export const getWhatIf = (query: { outageVoltage: number; supplyService: number }) => request<WhatIf>('GET', '/satisfaction/what-if', undefined, query);

const CSRF_COOKIE = 'csrf_token';
const readCookie = (name: string) =>
  document.cookie
    .split('; ')
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);

/** Uploads a survey file (CSV or xlsx) as its own body. Refused (400) with rows named, it resolves with them: the page shows each. */
export async function importSurveys(file: File): Promise<SurveyImportResult> {
  const xlsx = /\.xlsx$/i.test(file.name);
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv',
  };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers['x-csrf-token'] = decodeURIComponent(csrf);
  const response = await fetch(`/api/satisfaction/surveys?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    body: file,
  });
  const body = (await response.json().catch(() => null)) as (SurveyImportResult & { message?: string; error?: string }) | null;
  if (response.status === 400 && body && Array.isArray(body.rejected) && body.rejected.length > 0) return { imported: 0, rejected: body.rejected };
  if (!response.ok) throw new ApiError(response.status, body?.error ?? 'http', body?.message ?? `${response.status}`);
  return body!;
}
