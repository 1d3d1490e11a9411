import type { z } from 'zod';
import type {
  CalendarDay as CalendarDaySchema,
  CategoryRoute as CategoryRouteSchema,
  EscalationLadder as EscalationLadderSchema,
  SetEscalationLadderBody,
  TimePolicy as TimePolicySchema,
  TimePolicyBody,
} from '../../shared/schemas/settings.js';
import type { PasswordPolicy } from '../../shared/schemas/auth.js';
import { request } from './client.js';

// The settings that are data (business calendar, time limits, category
// routing, the escalation ladder, the password policy): read by the centre,
// changed by an admin. Types only: see client.ts.

export type CalendarDay = z.infer<typeof CalendarDaySchema>;
export type TimePolicy = z.infer<typeof TimePolicySchema>;
export type CategoryRoute = z.infer<typeof CategoryRouteSchema>;
export type EscalationLadder = z.infer<typeof EscalationLadderSchema>;
export type LadderRungs = z.infer<typeof SetEscalationLadderBody>['rungs'];
export type { PasswordPolicy, TimePolicyBody };

export const listCalendar = (year: number) => request<CalendarDay[]>('GET', '/calendar', undefined, { year });
export const setCalendarDay = (date: string, body: { working: boolean; name?: string | null }) => request<CalendarDay>('PUT', `/calendar/${date}`, body);
export const clearCalendarDay = (date: string) => request<{ ok: true }>('DELETE', `/calendar/${date}`);

export const listTimePolicies = () => request<TimePolicy[]>('GET', '/time-policies');
export const createTimePolicy = (body: TimePolicyBody) => request<TimePolicy>('POST', '/time-policies', body);
export const updateTimePolicy = (id: number, body: TimePolicyBody) => request<TimePolicy>('PUT', `/time-policies/${id}`, body);
export const deleteTimePolicy = (id: number) => request<{ ok: true }>('DELETE', `/time-policies/${id}`);

export const listCategoryRoutes = () => request<CategoryRoute[]>('GET', '/category-routes');
export const setCategoryRoute = (category: CategoryRoute['category'], unitId: number) =>
  request<CategoryRoute>('PUT', `/category-routes/${category}`, { unitId });

/** The escalation ladder: the call of a case at which each level (1 班长, 2 中心主任, 3 责任单位负责人) is reached. */
export const getEscalationLadder = () => request<EscalationLadder>('GET', '/settings/escalation-ladder');
export const setEscalationLadder = (rungs: LadderRungs) => request<EscalationLadder>('PUT', '/settings/escalation-ladder', { rungs });

/** What a new password must be: its length, and its strength as zxcvbn scores it (0–4). Only an admin may read it. */
export const getPasswordPolicy = () => request<PasswordPolicy>('GET', '/settings/password-policy');
export const setPasswordPolicy = (policy: PasswordPolicy) => request<PasswordPolicy>('PUT', '/settings/password-policy', policy);
