import type { HotGroup, HotIssueDemands, HotIssuesReport, HotTermItem, StopWords, WeeklyThreshold } from '../../shared/schemas/hot-issues.js';
import { request } from './client.js';

// 热点问题 (API.md, "Reports and satisfaction"): the period's terms against
// the period before, the drill-down to a term's cases, the stop words and the
// volume above which a period is also read by week.

export type { HotGroup, HotIssueDemands, HotIssuesReport, HotTermItem, StopWords, WeeklyThreshold };

export interface HotQuery {
  from: string;
  to: string;
  unitId?: number | undefined;
}

export const getHotIssues = (query: HotQuery) => request<HotIssuesReport>('GET', '/reports/hot-issues', undefined, { ...query });
export const getHotIssueDemands = (query: HotQuery & { term: string; page: number }) =>
  request<HotIssueDemands>('GET', '/reports/hot-issues/demands', undefined, { ...query });
export const getStopWords = () => request<StopWords>('GET', '/hot-issues/stop-words');
export const saveStopWords = (words: readonly string[]) => request<StopWords>('PUT', '/hot-issues/stop-words', { words });
export const getWeeklyAbove = () => request<WeeklyThreshold>('GET', '/hot-issues/weekly-above');
export const saveWeeklyAbove = (cases: number) => request<WeeklyThreshold>('PUT', '/hot-issues/weekly-above', { cases });
