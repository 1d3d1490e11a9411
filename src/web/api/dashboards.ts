import type { CentreDashboard, PeriodFigures, StaffFigures, StaffRow, UnitDashboard, Wallboard } from '../../shared/schemas/dashboards.js';
import { request } from './client.js';

// The dashboards and the staff figures (issue 18): read-only views of the
// rollups and of the open work.

export type { CentreDashboard, PeriodFigures, StaffFigures, StaffRow, UnitDashboard, Wallboard };

export const centreDashboard = () => request<CentreDashboard>('GET', '/dashboard/centre');
export const wallboard = () => request<Wallboard>('GET', '/dashboard/wallboard');
export const unitDashboard = (unitId?: number) => request<UnitDashboard>('GET', '/dashboard/unit', undefined, { unitId });
export const staffFigures = (month?: string) => request<StaffFigures>('GET', '/reports/staff', undefined, { month });
export const staffWorkbookUrl = (month: string) => `/api/reports/staff?month=${encodeURIComponent(month)}&format=xlsx`;
