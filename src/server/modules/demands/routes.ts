import type { FastifyReply } from 'fastify';
import { ErrorResponse, IdParams } from '../../../shared/schemas/common.js';
import {
  AnswerBody,
  CallbackBody,
  CreateDemandBody,
  DemandDetail,
  DemandList,
  DispatchBody,
  EscalateBody,
  HandOverBody,
  UnlinkBody,
  BulkReassignBody,
  BulkResult,
  BulkUrgeBody,
  Supervision,
  CasePreview,
  CasePreviewQuery,
  UrgeBody,
  HandleBody,
  ArriveBody,
  ListDemandsQuery,
  ReturnBody,
  Task,
  VerdictBody,
  ProgressMessagesBody,
  WorkOrderQueue,
  WorkOrderQueueQuery,
  CreateDemandExportBody,
  DemandExport,
  DEMAND_EXPORT_LIMIT,
} from '../../../shared/schemas/demands.js';
import { XLSX_TYPE } from '../../platform/xlsx.js';
import { exportFile, getExport, startExport, stopExports } from './exporting.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { versionOf } from '../../platform/versions.js';
import { AppError } from '../../platform/errors.js';
import { zodIssues } from '../../platform/http-errors.js';
import { answerOnCall, dispatchWorkOrder, eachCase, escalate, reassign, recordCallback, recordVerdict, unlinkCall, urge } from './actions.js';
import { supervision } from './supervision.js';
import { previewCase, registerDemand } from './intake.js';
import { getDemand, listDemands } from './read.js';
import { handOver } from './ownership.js';
import { actOnWorkOrder } from './work-orders.js';
import { setProgressMessages } from './progress.js';
import { workOrderQueue } from './queue.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

function withEtag<T extends { version: number }>(reply: FastifyReply, body: T): T {
  reply.header('etag', `"${body.version}"`);
  return body;
}

export async function demandRoutes(app: App, deps: Deps): Promise<void> {
  app.post(
    '/api/demands',
    {
      config: { action: 'demand.create' },
      schema: {
        tags: ['demands'],
        summary: 'Register a demand; an Idempotency-Key header makes retries safe',
        body: CreateDemandBody,
        response: { 201: DemandDetail, ...errors },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (key !== undefined && (typeof key !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(key))) {
        throw new AppError('validation', 'headers.idempotency-key: must be 1-128 visible ASCII characters', [
          { path: 'headers.idempotency-key', message: 'must be 1-128 visible ASCII characters' },
        ]);
      }
      const ctx = serviceContext(request, deps);
      const result = await registerDemand(ctx, request.body, key);
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      reply.code(201);
      // 首问负责: the registering agent owns the new demand; the answer is not read back, so their name is added here.
      const { demand } = result;
      return withEtag(reply, demand.ownerName === null && demand.ownerId === ctx.actor.userId ? { ...demand, ownerName: ctx.actor.name } : demand);
    },
  );

  app.get(
    '/api/demands',
    {
      config: { action: 'demand.read' },
      schema: {
        tags: ['demands'],
        summary: 'Demands the caller may see, newest first',
        querystring: ListDemandsQuery,
        response: { 200: DemandList, ...errors },
      },
    },
    async (request) => listDemands(serviceContext(request, deps), request.query),
  );

  // The list's export: a job written in batches, polled for its progress, downloaded when done (exporting.ts).
  app.addHook('onClose', () => stopExports(deps.config.dataDir));
  app.post(
    '/api/demands/exports',
    {
      config: { action: 'demand.read' },
      schema: {
        tags: ['demands'],
        summary: `Export the list as filtered (GET /api/demands's query, the caller's units) to xlsx, up to ${DEMAND_EXPORT_LIMIT.toLocaleString('en-US')} rows: a job, answered at once; poll it for its progress`,
        body: CreateDemandExportBody,
        response: { 202: DemandExport, ...errors, 413: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request, reply) => {
      reply.code(202);
      return startExport(serviceContext(request, deps), deps.config.dataDir, request.body);
    },
  );
  app.get(
    '/api/demands/exports/:id',
    {
      config: { action: 'demand.read' },
      schema: {
        tags: ['demands'],
        summary: 'An export of the caller’s: rows written of the total, and its status',
        params: IdParams,
        response: { 200: DemandExport, ...errors },
      },
    },
    async (request) => getExport(serviceContext(request, deps), deps.config.dataDir, request.params.id),
  );
  app.get(
    '/api/demands/exports/:id/file',
    {
      config: { action: 'demand.read' },
      schema: { tags: ['demands'], summary: 'The finished export’s workbook (kept a day)', params: IdParams, produces: [XLSX_TYPE] },
    },
    async (request, reply) => {
      const file = await exportFile(serviceContext(request, deps), deps.config.dataDir, request.params.id);
      if (file.size !== null) reply.header('content-length', String(file.size));
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', `attachment; filename="${file.asciiName}"; filename*=UTF-8''${encodeURIComponent(file.name)}`)
        .send(file.stream);
    },
  );

  app.get(
    '/api/demands/:id',
    {
      config: { action: 'demand.read' },
      schema: { tags: ['demands'], summary: 'A demand with its tasks and timeline', params: IdParams, response: { 200: DemandDetail, ...errors } },
    },
    async (request, reply) => withEtag(reply, await getDemand(serviceContext(request, deps), request.params.id)),
  );

  app.post(
    '/api/demands/:id/answer',
    {
      config: { action: 'demand.create' },
      schema: {
        tags: ['demands'],
        summary: 'Answered on first contact: closes the demand',
        params: IdParams,
        body: AnswerBody,
        response: { 200: DemandDetail, ...errors },
      },
    },
    async (request, reply) => withEtag(reply, await answerOnCall(serviceContext(request, deps), request.params.id, request.body, versionOf(request))),
  );

  app.post(
    '/api/demands/:id/work-orders',
    {
      config: { action: 'demand.dispatch' },
      schema: { tags: ['work orders'], summary: 'Dispatch a work order to a unit', params: IdParams, body: DispatchBody, response: { 201: Task, ...errors } },
    },
    async (request, reply) => {
      reply.code(201);
      return dispatchWorkOrder(serviceContext(request, deps), request.params.id, request.body, versionOf(request));
    },
  );

  app.post(
    '/api/demands/:id/callbacks',
    {
      config: { action: 'demand.callback' },
      schema: {
        tags: ['demands'],
        summary: 'Record a callback: satisfied, unsatisfied or unreachable',
        params: IdParams,
        body: CallbackBody,
        response: { 200: DemandDetail, ...errors },
      },
    },
    async (request, reply) => withEtag(reply, await recordCallback(serviceContext(request, deps), request.params.id, request.body, versionOf(request))),
  );

  app.post(
    '/api/demands/:id/escalate',
    {
      config: { action: 'demand.escalate' },
      schema: { tags: ['demands'], summary: 'Escalate one level', params: IdParams, body: EscalateBody, response: { 200: DemandDetail, ...errors } },
    },
    async (request, reply) => withEtag(reply, await escalate(serviceContext(request, deps), request.params.id, request.body.reason, versionOf(request))),
  );

  app.post(
    '/api/demands/:id/hand-over',
    {
      config: { action: 'demand.hand_over' },
      schema: {
        tags: ['demands'],
        summary: '首问负责制: the owner, or a team lead, hands the demand over to an agent or team lead by name, with the reason; the new owner is told',
        params: IdParams,
        body: HandOverBody,
        response: { 200: DemandDetail, ...errors },
      },
    },
    async (request, reply) => withEtag(reply, await handOver(serviceContext(request, deps), request.params.id, request.body, versionOf(request))),
  );

  app.get(
    '/api/supervision',
    {
      config: { action: 'demand.urge' },
      schema: {
        tags: ['demands'],
        summary: '班长督办: the open cases escalated or with a step past its limit, one row a case',
        response: { 200: Supervision, ...errors },
      },
    },
    async (request) => supervision(serviceContext(request, deps)),
  );
  app.post(
    '/api/demands/urge',
    {
      config: { action: 'demand.urge' },
      schema: {
        tags: ['demands'],
        summary: '催办 several cases at once: each case’s open orders are urged',
        body: BulkUrgeBody,
        response: { 200: BulkResult, ...errors },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, deps);
      return eachCase(ctx, request.body.ids, (id) => urge(ctx, id, request.body.note));
    },
  );
  app.post(
    '/api/demands/reassign',
    {
      config: { action: 'demand.reassign' },
      schema: { tags: ['demands'], summary: '改派 several cases at once to one unit', body: BulkReassignBody, response: { 200: BulkResult, ...errors } },
    },
    async (request) => {
      const ctx = serviceContext(request, deps);
      return eachCase(ctx, request.body.ids, (id) => reassign(ctx, id, { unitId: request.body.unitId, note: request.body.note }));
    },
  );

  app.get(
    '/api/demands/case-preview',
    {
      config: { action: 'demand.create' },
      schema: {
        tags: ['demands'],
        summary: 'Before saving: the case the caller’s call would join, with its calls and orders, and the caller’s recent cases by phone or 户号',
        querystring: CasePreviewQuery,
        response: { 200: CasePreview, ...errors },
      },
    },
    async (request) => previewCase(serviceContext(request, deps), request.query),
  );

  app.post(
    '/api/demands/:id/unlink',
    {
      config: { action: 'demand.unlink' },
      schema: {
        tags: ['demands'],
        summary: 'Take a call out of the case it joined, with the reason: it becomes a case of its own with its own clocks',
        params: IdParams,
        body: UnlinkBody,
        response: { 200: DemandDetail, ...errors },
      },
    },
    async (request, reply) => withEtag(reply, await unlinkCall(serviceContext(request, deps), request.params.id, request.body.reason, versionOf(request))),
  );

  app.post(
    '/api/demands/:id/urge',
    {
      config: { action: 'demand.urge' },
      schema: {
        tags: ['demands'],
        summary: '催办: urge the case’s open work orders; their units are told',
        params: IdParams,
        body: UrgeBody,
        response: { 200: DemandDetail, ...errors },
      },
    },
    async (request, reply) => withEtag(reply, await urge(serviceContext(request, deps), request.params.id, request.body.note, versionOf(request))),
  );

  app.post(
    '/api/demands/:id/verdict',
    {
      config: { action: 'demand.verdict' },
      schema: {
        tags: ['demands'],
        summary: 'Mark a complaint unfounded (不属实) after verification, or founded, with the reason',
        params: IdParams,
        body: VerdictBody,
        response: { 200: DemandDetail, ...errors },
      },
    },
    async (request, reply) => withEtag(reply, await recordVerdict(serviceContext(request, deps), request.params.id, request.body, versionOf(request))),
  );

  app.post(
    '/api/demands/:id/progress-messages',
    {
      config: { action: 'demand.progress' },
      schema: {
        tags: ['demands'],
        summary: 'Progress messages to the customer of a long-running demand: at each change of its status and every so many working days until it closes',
        params: IdParams,
        body: ProgressMessagesBody,
        response: { 200: DemandDetail, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(reply, await setProgressMessages(serviceContext(request, deps), request.params.id, request.body.everyWorkingDays, versionOf(request))),
  );

  app.get(
    '/api/work-orders',
    {
      config: { action: 'demand.read' },
      schema: {
        tags: ['work orders'],
        summary: 'The unit’s work orders, the nearest deadline first',
        querystring: WorkOrderQueueQuery,
        response: { 200: WorkOrderQueue, ...errors },
      },
    },
    async (request) => workOrderQueue(serviceContext(request, deps), request.query),
  );

  app.post(
    '/api/work-orders/:id/accept',
    {
      config: { action: 'work_order.handle' },
      schema: { tags: ['work orders'], summary: 'The unit takes the order', params: IdParams, response: { 200: Task, ...errors } },
    },
    async (request) => actOnWorkOrder(serviceContext(request, deps), request.params.id, { action: 'accept' }, versionOf(request)),
  );
  app.post(
    '/api/work-orders/:id/arrive',
    {
      config: { action: 'work_order.handle' },
      // The body is optional (most arrivals are now): read here, so that a POST without one is taken.
      schema: {
        tags: ['work orders'],
        summary: 'The crew is on site (repairs), now or at `arrivedAt` (body optional: {arrivedAt?})',
        params: IdParams,
        response: { 200: Task, ...errors },
      },
    },
    async (request) => {
      const parsed = ArriveBody.safeParse(request.body ?? {});
      if (!parsed.success) {
        const issues = zodIssues('body', parsed.error.issues as never);
        throw new AppError('validation', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
      }
      return actOnWorkOrder(serviceContext(request, deps), request.params.id, { action: 'arrive', arrivedAt: parsed.data.arrivedAt }, versionOf(request));
    },
  );

  app.post(
    '/api/work-orders/:id/handle',
    {
      config: { action: 'work_order.handle' },
      schema: {
        tags: ['work orders'],
        summary: 'Hand back with the structured report',
        params: IdParams,
        body: HandleBody,
        response: { 200: Task, ...errors },
      },
    },
    async (request) => actOnWorkOrder(serviceContext(request, deps), request.params.id, { action: 'handle', report: request.body }, versionOf(request)),
  );

  app.post(
    '/api/work-orders/:id/return',
    {
      config: { action: 'work_order.handle' },
      schema: {
        tags: ['work orders'],
        summary: 'Send a misrouted order back to the centre',
        params: IdParams,
        body: ReturnBody,
        response: { 200: Task, ...errors },
      },
    },
    async (request) => actOnWorkOrder(serviceContext(request, deps), request.params.id, { action: 'return', reason: request.body.reason }, versionOf(request)),
  );
}
