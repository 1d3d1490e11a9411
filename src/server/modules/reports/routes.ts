import { ErrorResponse } from '../../../shared/schemas/common.js';
import {
  ComplaintsQuery,
  ComplaintsReport,
  DemandReport,
  DemandReportQuery,
  RatesQuery,
  RatesReport,
  TimelinessQuery,
  TimelinessReport,
} from '../../../shared/schemas/reports.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { sendWorkbook, XLSX_TYPE } from '../../platform/xlsx.js';
import { complaintsReport, demandReport, ratesReport, timelinessReport } from './service.js';
import { complaintsWorkbook, demandReportWorkbook, ratesWorkbook, timelinessWorkbook } from './workbook.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
const tags = ['reports'];
const produces = ['application/json', XLSX_TYPE];

/** The file a report downloads as: `demands-2026-11-01-2026-12-01.xlsx`, and its Chinese name. */
const fileNames = (ascii: string, chinese: string, report: { from: string; to: string }) =>
  [`${ascii}-${report.from}-${report.to}.xlsx`, `${chinese}-${report.from}-${report.to}.xlsx`] as const;

export async function reportRoutes(app: App, deps: Deps): Promise<void> {
  app.get(
    '/api/reports/demands',
    {
      config: { action: 'report.read' },
      schema: {
        tags,
        summary: 'Demands (cases) by unit × category × type × channel × day, ISO week or month; format=xlsx for the workbook',
        produces,
        querystring: DemandReportQuery,
        response: { 200: DemandReport, ...errors },
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, deps);
      const report = await demandReport(ctx, request.query);
      if (request.query.format !== 'xlsx') return report;
      const [ascii, name] = fileNames('demands', '诉求报表', report);
      return sendWorkbook(reply, await demandReportWorkbook(report, ctx.now()), ascii, name);
    },
  );
  app.get(
    '/api/reports/timeliness',
    {
      config: { action: 'report.read' },
      schema: {
        tags,
        summary: 'Each unit’s steps met in time, late and still running, and the share within the limit',
        produces,
        querystring: TimelinessQuery,
        response: { 200: TimelinessReport, ...errors },
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, deps);
      const report = await timelinessReport(ctx, request.query);
      if (request.query.format !== 'xlsx') return report;
      const [ascii, name] = fileNames('timeliness', '时限达标', report);
      return sendWorkbook(reply, await timelinessWorkbook(report, ctx.now()), ascii, name);
    },
  );
  app.get(
    '/api/reports/rates',
    {
      config: { action: 'report.read' },
      schema: {
        tags,
        summary: 'Resolution, closure, repeat and callback satisfaction rates by unit or channel, each with its numerator and denominator',
        produces,
        querystring: RatesQuery,
        response: { 200: RatesReport, ...errors },
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, deps);
      const report = await ratesReport(ctx, request.query);
      if (request.query.format !== 'xlsx') return report;
      const [ascii, name] = fileNames(`rates-${report.by}`, report.by === 'unit' ? '诉求指标-单位' : '诉求指标-渠道', report);
      return sendWorkbook(reply, await ratesWorkbook(report, ctx.now()), ascii, name);
    },
  );
  app.get(
    '/api/reports/complaints',
    {
      config: { action: 'report.read' },
      schema: {
        tags,
        summary: 'Complaints per 10,000 customers of each county bureau and station',
        produces,
        querystring: ComplaintsQuery,
        response: { 200: ComplaintsReport, ...errors },
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, deps);
      const report = await complaintsReport(ctx, request.query);
      if (request.query.format !== 'xlsx') return report;
      const [ascii, name] = fileNames('complaints', '万户投诉率', report);
      return sendWorkbook(reply, await complaintsWorkbook(report, ctx.now()), ascii, name);
    },
  );
}
