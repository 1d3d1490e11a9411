import { ErrorResponse } from '../../../shared/schemas/common.js';
import {
  HotIssueDemands,
  HotIssueDemandsQuery,
  HotIssuesQuery,
  HotIssuesReport,
  StopWords,
  StopWordsBody,
  WeeklyThreshold,
  WeeklyThresholdBody,
} from '../../../shared/schemas/hot-issues.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { hotIssueDemands, hotIssuesReport } from './service.js';
import { getStopWords, getWeeklyAbove, setStopWords, setWeeklyAbove } from './settings.js';

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

  app.get(
    '/api/hot-issues/weekly-above',
    {
      config: { action: ['report.read', 'evaluation.read'] },
      schema: {
        tags: ['reports'],
        summary: 'The volume above which the hot issues also break a period into weeks',
        response: { 200: WeeklyThreshold, ...errors },
      },
    },
    async (request) => getWeeklyAbove(serviceContext(request, deps)),
  );

  app.put(
    '/api/hot-issues/weekly-above',
    {
      config: { action: 'report.manage' },
      schema: {
        tags: ['reports'],
        summary: 'Set the volume above which a period is broken into weeks (applied at once)',
        body: WeeklyThresholdBody,
        response: { 200: WeeklyThreshold, ...errors },
      },
    },
    async (request) => setWeeklyAbove(serviceContext(request, deps), request.body),
  );
}
