import { ErrorResponse } from '../../../shared/schemas/common.js';
import { HotIssuesQuery, HotIssuesReport } from '../../../shared/schemas/meetings.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { hotIssuesReport } from './service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

export async function hotIssueRoutes(app: App, deps: Deps): Promise<void> {
  app.get(
    '/api/reports/hot-issues',
    {
      config: { action: 'evaluation.read' },
      schema: {
        tags: ['reports'],
        summary: 'The period’s most frequent words against the period before, with the share resolved',
        querystring: HotIssuesQuery,
        response: { 200: HotIssuesReport, ...errors },
      },
    },
    async (request) => hotIssuesReport(serviceContext(request, deps), request.query),
  );
}
