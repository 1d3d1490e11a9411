import type { ComplaintsReport, DemandReport, DemandReportRow, RatesReport, Share, TimelinessReport } from '../../shared/schemas/reports.js';
import { request } from './client.js';

// The standard reports (GET /api/reports/*): each as JSON for the page, and
// the same address with format=xlsx as the download the browser follows with
// its session cookie.

export type { ComplaintsReport, DemandReport, DemandReportRow, RatesReport, Share, TimelinessReport };

export interface ReportFilter {
  from: string;
  /** Exclusive. */
  to: string;
  unitId?: number | null | undefined;
}

const query = (filter: ReportFilter, more: Record<string, string | undefined> = {}) => ({ from: filter.from, to: filter.to, unitId: filter.unitId, ...more });

export const demandReport = (filter: ReportFilter, groupBy: readonly string[]) =>
  request<DemandReport>('GET', '/reports/demands', undefined, query(filter, { groupBy: groupBy.join(',') }));
export const timelinessReport = (filter: ReportFilter) => request<TimelinessReport>('GET', '/reports/timeliness', undefined, query(filter));
export const ratesReport = (filter: ReportFilter, by: 'unit' | 'channel') => request<RatesReport>('GET', '/reports/rates', undefined, query(filter, { by }));
export const complaintsReport = (filter: ReportFilter) => request<ComplaintsReport>('GET', '/reports/complaints', undefined, query(filter));

/** The workbook of a report: `kind` is its path under /api/reports. */
export function reportWorkbookUrl(kind: 'demands' | 'timeliness' | 'rates' | 'complaints', filter: ReportFilter, more: Record<string, string> = {}): string {
  const params = new URLSearchParams({ from: filter.from, to: filter.to, ...more, format: 'xlsx' });
  if (filter.unitId) params.set('unitId', String(filter.unitId));
  return `/api/reports/${kind}?${params.toString()}`;
}
