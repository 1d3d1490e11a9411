import { z } from 'zod';
import { ErrorResponse, IdParams } from '../../../shared/schemas/common.js';
import {
  CreateEvaluationBody,
  CreateEvaluationEventBody,
  EvaluationDoc,
  EvaluationEvent,
  EvaluationEventsQuery,
  EvaluationListQuery,
  EvaluationQuery,
  EvaluationResponse,
  EvaluationSummary,
  EvaluationTrend,
} from '../../../shared/schemas/evaluation.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { sendWorkbook, XLSX_TYPE } from '../../platform/xlsx.js';
import { computeQuarter, evaluationOfPeriod, evaluationTrend, getEvaluation, listEvaluations, listEvents, publishEvaluation, recordEvent } from './service.js';
import { evaluationWorkbook } from './workbook.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const tags = ['evaluation'];

export async function evaluationRoutes(app: App, deps: Deps): Promise<void> {
  app.post(
    '/api/evaluation/events',
    {
      config: { action: 'evaluation.manage' },
      schema: {
        tags,
        summary: 'Enter a service event (客服事件), a criticism or a praise from above for a unit',
        body: CreateEvaluationEventBody,
        response: { 201: EvaluationEvent, ...errors },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return recordEvent(serviceContext(request, deps), request.body);
    },
  );
  app.get(
    '/api/evaluation/events',
    {
      config: { action: 'evaluation.read' },
      schema: { tags, summary: 'The entered events, newest first', querystring: EvaluationEventsQuery, response: { 200: z.array(EvaluationEvent), ...errors } },
    },
    async (request) => listEvents(serviceContext(request, deps), request.query),
  );
  app.get(
    '/api/evaluation',
    {
      config: { action: 'evaluation.read' },
      schema: {
        tags,
        summary: 'Every department’s and county bureau’s score for any period, with its terms',
        querystring: EvaluationQuery,
        response: { 200: EvaluationResponse, ...errors },
      },
    },
    async (request) => evaluationOfPeriod(serviceContext(request, deps), request.query),
  );

  app.post(
    '/api/evaluations',
    {
      config: { action: 'evaluation.manage' },
      schema: {
        tags,
        summary: 'Compute a quarter as a draft (again while it is one); a published quarter takes a revision with its reason',
        body: CreateEvaluationBody,
        response: { 200: EvaluationDoc, 201: EvaluationDoc, ...errors },
      },
    },
    async (request, reply) => {
      const { doc, created } = await computeQuarter(serviceContext(request, deps), request.body);
      reply.code(created ? 201 : 200);
      return doc;
    },
  );
  app.get(
    '/api/evaluations',
    {
      config: { action: 'evaluation.read' },
      schema: {
        tags,
        summary: 'The quarters’ tables, newest first',
        querystring: EvaluationListQuery,
        response: { 200: z.array(EvaluationSummary), ...errors },
      },
    },
    async (request) => listEvaluations(serviceContext(request, deps), request.query.year),
  );
  app.get(
    '/api/evaluations/trend',
    {
      config: { action: 'evaluation.read' },
      schema: { tags, summary: 'Each unit’s published score over the quarters', response: { 200: EvaluationTrend, ...errors } },
    },
    async (request) => evaluationTrend(serviceContext(request, deps)),
  );
  app.get(
    '/api/evaluations/:id',
    {
      config: { action: 'evaluation.read' },
      schema: { tags, summary: 'A quarter’s table with its rows', params: IdParams, response: { 200: EvaluationDoc, ...errors } },
    },
    async (request) => getEvaluation(serviceContext(request, deps), request.params.id),
  );
  app.post(
    '/api/evaluations/:id/publish',
    {
      config: { action: 'evaluation.manage' },
      schema: { tags, summary: 'Publish a draft: the table is frozen and every unit is told', params: IdParams, response: { 200: EvaluationDoc, ...errors } },
    },
    async (request) => publishEvaluation(serviceContext(request, deps), request.params.id),
  );
  app.get(
    '/api/evaluations/:id/export',
    {
      config: { action: 'evaluation.read' },
      schema: { tags, summary: 'The table as an Excel workbook in the layout of the seed’s tables 5 and 6', produces: [XLSX_TYPE], params: IdParams },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, deps);
      const doc = await getEvaluation(ctx, request.params.id);
      const name = `${doc.year}-Q${doc.quarter}${doc.revision > 1 ? `-r${doc.revision}` : ''}`;
      return sendWorkbook(reply, await evaluationWorkbook(doc, ctx.now()), `evaluation-${name}.xlsx`, `诉求处理评价-${name}.xlsx`);
    },
  );
}
