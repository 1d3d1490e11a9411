import { z } from 'zod';
import { ErrorResponse } from '../../../shared/schemas/common.js';
import { CentreDashboard, StaffFigures, StaffQuery, UnitDashboard, UnitDashboardQuery, Wallboard } from '../../../shared/schemas/dashboards.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { sendWorkbook, XLSX_TYPE } from '../../platform/xlsx.js';
import { centreDashboard, unitDashboard, wallboard } from './service.js';
import { staffFiguresOf, staffWorkbook } from './staff.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
const tags = ['reports'];

export async function dashboardRoutes(app: App, deps: Deps): Promise<void> {
  app.get(
    '/api/dashboard/centre',
    {
      config: { action: 'report.read' },
      schema: {
        tags,
        summary: 'The centre manager’s dashboard: today and this month against the periods before, the trends by type, this month’s worst units',
        response: { 200: CentreDashboard, ...errors },
      },
    },
    async (request) => centreDashboard(serviceContext(request, deps)),
  );
  app.get(
    '/api/dashboard/wallboard',
    {
      config: { action: 'report.read' },
      schema: {
        tags,
        summary: 'The team lead’s wall screen: open work and overdue steps by unit and step, escalations, experts on duty, today’s calls per hour',
        response: { 200: Wallboard, ...errors },
      },
    },
    async (request) => wallboard(serviceContext(request, deps)),
  );
  app.get(
    '/api/dashboard/unit',
    {
      config: { action: 'report.read' },
      schema: {
        tags,
        summary: 'A unit’s own page: its open work orders with their limits, this month’s timeliness by step, its evaluation score this quarter',
        querystring: UnitDashboardQuery,
        response: { 200: UnitDashboard, ...errors },
      },
    },
    async (request) => unitDashboard(serviceContext(request, deps), request.query),
  );
  app.get(
    '/api/reports/staff',
    {
      config: { action: 'staff.read' },
      schema: {
        tags,
        summary:
          'Each staff member’s month: demands taken, timeliness, callback satisfaction, first-call resolution (the caller’s own, their team’s, or everyone’s)',
        querystring: StaffQuery.extend({ format: z.enum(['json', 'xlsx']).default('json') }),
        produces: ['application/json', XLSX_TYPE],
        response: { 200: StaffFigures, ...errors },
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, deps);
      const figures = await staffFiguresOf(ctx, request.query);
      if (request.query.format !== 'xlsx') return figures;
      return sendWorkbook(reply, await staffWorkbook(figures, ctx.now()), `staff-${figures.month}.xlsx`, `人员指标-${figures.month}.xlsx`);
    },
  );
}
