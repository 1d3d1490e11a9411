import type {
  ApplicationDetail,
  ApplicationEvent,
  ApplicationKind,
  ApplicationList,
  ApplicationStage,
  ApplicationStageRow,
  ApplicationStageRules,
  ApplicationStatus,
  ApplicationSummary,
  ApplicationSupply,
  ApplicationTrack,
  ApplicationVoltage,
  CreateApplicationBody,
  ListApplicationsQuery,
} from '../../shared/schemas/applications.js';
import { request } from './client.js';

// The green channel (API.md, "Customers and key accounts"): the list by stage
// and lateness, one application with its stages and events, making one,
// completing its stage under way, cancelling it, and the export.

export type ApplicationQuery = Partial<ListApplicationsQuery>;
export type {
  ApplicationDetail,
  ApplicationEvent,
  ApplicationKind,
  ApplicationList,
  ApplicationStage,
  ApplicationStageRow,
  ApplicationStageRules,
  ApplicationStatus,
  ApplicationSummary,
  ApplicationSupply,
  ApplicationTrack,
  ApplicationVoltage,
  CreateApplicationBody,
};

export const listApplications = (query: ApplicationQuery) => request<ApplicationList>('GET', '/applications', undefined, query);
export const getApplication = (id: number) => request<ApplicationDetail>('GET', `/applications/${id}`);
export const createApplication = (body: CreateApplicationBody) => request<ApplicationDetail>('POST', '/applications', body);
/** Completes the stage under way, at the version read (a change meanwhile answers 409). */
export const completeStage = (id: number, stage: ApplicationStage, note: string, version: number) =>
  request<ApplicationDetail>('POST', `/applications/${id}/stages/${stage}/complete`, { note }, undefined, { 'if-match': `"${version}"` });
export const cancelApplication = (id: number, reason: string, version: number) =>
  request<ApplicationDetail>('POST', `/applications/${id}/cancel`, { reason }, undefined, { 'if-match': `"${version}"` });
export const getStageRules = () => request<ApplicationStageRules>('GET', '/application-stages');

/** The export is a download: a link the browser follows with the session cookie, with the list's filters. */
export function applicationsExportUrl(query: Omit<ApplicationQuery, 'page' | 'pageSize'>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null) params.set(key, String(value));
  const text = params.toString();
  return `/api/applications/export${text ? `?${text}` : ''}`;
}
