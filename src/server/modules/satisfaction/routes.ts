import { ErrorResponse } from '../../../shared/schemas/common.js';
import {
  SatisfactionQuery,
  SatisfactionResponse,
  SurveyImportQuery,
  SurveyImportResult,
  SurveyRefused,
  WhatIf,
  WhatIfQuery,
} from '../../../shared/schemas/satisfaction.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { XLSX_TYPE } from '../../platform/xlsx.js';
import { importSurveys, satisfaction, satisfactionWhatIf } from './service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };
const tags = ['satisfaction'];
/** A survey file has a row per period and unit. */
const SURVEY_MAX_BYTES = 10 * 1024 * 1024;

export async function satisfactionRoutes(app: App, deps: Deps): Promise<void> {
  app.get(
    '/api/satisfaction',
    {
      config: { action: 'report.read' },
      schema: {
        tags,
        summary:
          'The surveys (city and units) with each period’s demand rates, the elasticity of satisfaction to the outage & voltage and supply service demand rates (the seed’s 0.66 and 0.56 until the city has its own periods), a what-if, and the callbacks’ satisfaction by channel and unit',
        description:
          'from/to (local dates) bound the surveys listed (those overlapping) and the callbacks counted (default: the last twelve months); outageVoltage/supplyService are the what-if’s change of each rate in percent (default −10 and 0). A unit’s handlers see the city’s rows and their own units’.',
        querystring: SatisfactionQuery,
        response: { 200: SatisfactionResponse, ...errors },
      },
    },
    async (request) => satisfaction(serviceContext(request, deps), request.query),
  );
  app.get(
    '/api/satisfaction/what-if',
    {
      config: { action: 'report.read' },
      schema: {
        tags,
        summary: 'The expected change of overall satisfaction for a change (percent) of each category’s demand rate, with the elasticity’s source',
        querystring: WhatIfQuery,
        response: { 200: WhatIf, ...errors },
      },
    },
    async (request) => satisfactionWhatIf(serviceContext(request, deps), request.query),
  );

  // The file itself is the body: CSV (text/csv) or a workbook (the xlsx type, or application/octet-stream), its name in the query.
  await app.register(async (scope: App) => {
    scope.addContentTypeParser(
      ['text/csv', XLSX_TYPE, 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: SURVEY_MAX_BYTES },
      (_request, body, done) => done(null, body),
    );
    scope.post(
      '/api/satisfaction/surveys',
      {
        config: { action: 'report.manage', tooLarge: 'a survey file may be at most 10 MB' },
        bodyLimit: SURVEY_MAX_BYTES,
        schema: {
          tags,
          summary:
            'Import the third party’s survey results (the body: CSV, text/csv, or xlsx) with the columns period/期间 (YYYY, YYYY-Qn or YYYY-MM), unitId/单位 (id, code or name; empty: the city), stability/供电稳定, safety/供电安全, payment/用电缴费, business/业务办理, hall/营业厅服务, hotline/95598热线, communication/客户沟通, handling/问题处理, overall/总体 (0–100); a period and unit imported before is replaced; all or nothing: 400 names each bad row',
          consumes: ['text/csv', XLSX_TYPE, 'application/octet-stream'],
          querystring: SurveyImportQuery,
          response: { 200: SurveyImportResult, 400: SurveyRefused, 401: ErrorResponse, 403: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse },
        },
      },
      async (request, reply) => {
        if (!Buffer.isBuffer(request.body))
          throw new AppError('unsupported_media_type', 'send the file itself as the body, with content-type text/csv or the xlsx type');
        const type = String(request.headers['content-type'] ?? '');
        const result = await importSurveys(serviceContext(request, deps), request.body, type, request.query.name ?? null);
        if (result.rejected.length > 0)
          return reply.code(400).send({
            statusCode: 400,
            error: 'validation',
            message: `nothing imported: ${result.rejected.length} row(s) rejected: ${result.rejected
              .slice(0, 5)
              .map((r) => `row ${r.row}: ${r.problem}`)
              .join('; ')}${result.rejected.length > 5 ? '; …' : ''}`,
            imported: 0,
            rejected: result.rejected,
          });
        return result;
      },
    );
  });
}
