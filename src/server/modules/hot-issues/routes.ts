import { ErrorResponse } from '../../../shared/schemas/common.js';
import { HotIssueDemands, HotIssueDemandsQuery, HotIssuesQuery, HotIssuesReport, StopWords, StopWordsBody } from '../../../shared/schemas/hot-issues.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { hotIssueDemands, hotIssuesReport } from './service.js';
import { getStopWords, setStopWords } from './settings.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

export async function hotIssueRoutes(app: App, deps: Deps): Promise<void> {
  app.get(
    '/api/reports/hot-issues',
    {
      config: { action: ['report.read', 'evaluation.read'] },
      schema: {
        tags: ['reports'],
        summary: 'The period’s most frequent terms against the period before: trends, groups, per county and per week',
        querystring: HotIssuesQuery,
        response: { 200: HotIssuesReport, ...errors },
      },
    },
    async (request) => hotIssuesReport(serviceContext(request, deps), request.query),
  );

  app.get(
    '/api/reports/hot-issues/demands',
    {
      config: { action: ['report.read', 'evaluation.read'] },
      schema: {
        tags: ['reports'],
        summary: 'The cases of the period whose content has the term (the drill-down of a hot issue)',
        querystring: HotIssueDemandsQuery,
        response: { 200: HotIssueDemands, ...errors },
      },
    },
    async (request) => hotIssueDemands(serviceContext(request, deps), request.query),
  );

  app.get(
    '/api/hot-issues/stop-words',
    {
      config: { action: ['report.read', 'evaluation.read'] },
      schema: { tags: ['reports'], summary: 'The words the hot issues leave out', response: { 200: StopWords, ...errors } },
    },
    async (request) => getStopWords(serviceContext(request, deps)),
  );

  app.put(
    '/api/hot-issues/stop-words',
    {
      config: { action: 'report.manage' },
      schema: {
        tags: ['reports'],
        summary: 'Replace the stop words (applied at once: no rebuild)',
        body: StopWordsBody,
        response: { 200: StopWords, ...errors },
      },
    },
    async (request) => setStopWords(serviceContext(request, deps), request.body),
  );
}
