import { ErrorResponse, IdParams } from '../../../shared/schemas/common.js';
import {
  ApplicationDetail,
  ApplicationList,
  ApplicationStageRules,
  CancelApplicationBody,
  CompleteStageBody,
  CompleteStageParams,
  CreateApplicationBody,
  ExportApplicationsQuery,
  ListApplicationsQuery,
} from '../../../shared/schemas/applications.js';
import { localDate } from '../../../shared/time.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { versionOf } from '../../platform/versions.js';
import { sendWorkbook, XLSX_TYPE } from '../../platform/xlsx.js';
import { cancelApplication, completeStage, createApplication, exportRows, getApplication, listApplications } from './service.js';
import { getStageRules, setStageRules } from './settings.js';
import { applicationsWorkbook } from './workbook.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const tags = ['applications'];

export async function applicationRoutes(app: App, deps: Deps): Promise<void> {
  app.post(
    '/api/applications',
    {
      config: { action: 'application.manage' },
      schema: {
        tags,
        summary: 'A green-channel connection application (业扩): its track’s stages, the first under way at once',
        description:
          'The track follows the voltage (0.22 / 0.4 kV: residential for a residential customer, else low_voltage; 10 kV and above: hv_single or hv_double by the supply); a double supply at low voltage is refused naming `supply`. The account manager is the customer’s, else the creator when they are one.',
        body: CreateApplicationBody,
        response: { 201: ApplicationDetail, ...errors },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return createApplication(serviceContext(request, deps), request.body);
    },
  );
  app.get(
    '/api/applications',
    {
      config: { action: 'application.read' },
      schema: {
        tags,
        summary: 'Applications, newest first, with the open ones counted by the stage under way (and how many are late)',
        querystring: ListApplicationsQuery,
        response: { 200: ApplicationList, ...errors },
      },
    },
    async (request) => listApplications(serviceContext(request, deps), request.query),
  );
  app.get(
    '/api/applications/export',
    {
      config: { action: 'application.read' },
      schema: { tags, summary: 'The list (the same filters, every page) as an Excel workbook', produces: [XLSX_TYPE], querystring: ExportApplicationsQuery },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, deps);
      const rows = await exportRows(ctx, request.query);
      const day = localDate(ctx.now(), ctx.timeZone);
      return sendWorkbook(reply, await applicationsWorkbook(rows, ctx.now(), ctx.timeZone), `applications-${day}.xlsx`, `绿色通道-${day}.xlsx`);
    },
  );
  app.get(
    '/api/applications/:id',
    {
      config: { action: 'application.read' },
      schema: {
        tags,
        summary: 'An application with its stages (owner, limit, due, done) and its events',
        params: IdParams,
        response: { 200: ApplicationDetail, ...errors },
      },
    },
    async (request) => getApplication(serviceContext(request, deps), request.params.id),
  );
  app.post(
    '/api/applications/:id/stages/:stage/complete',
    {
      config: { action: 'application.manage' },
      schema: {
        tags,
        summary: 'Complete the stage under way: the next starts and its owner unit is told; the last completes the application',
        description:
          'By an account manager, or a handler of the stage’s owner unit (or a unit above it). Another stage than the one under way answers 409 naming it. If-Match: the version read.',
        params: CompleteStageParams,
        body: CompleteStageBody,
        response: { 200: ApplicationDetail, ...errors },
      },
    },
    async (request) => completeStage(serviceContext(request, deps), request.params.id, request.params.stage, request.body, versionOf(request)),
  );
  app.post(
    '/api/applications/:id/cancel',
    {
      config: { action: 'application.manage' },
      schema: {
        tags,
        summary: 'Cancel an open application, with the reason',
        params: IdParams,
        body: CancelApplicationBody,
        response: { 200: ApplicationDetail, ...errors },
      },
    },
    async (request) => cancelApplication(serviceContext(request, deps), request.params.id, request.body, versionOf(request)),
  );
  app.get(
    '/api/application-stages',
    {
      config: { action: 'application.read' },
      schema: { tags, summary: 'The stages of each track: owner and limit in working days (data)', response: { 200: ApplicationStageRules, ...errors } },
    },
    async (request) => getStageRules(serviceContext(request, deps)),
  );
  app.put(
    '/api/application-stages',
    {
      config: { action: 'settings.manage' },
      schema: {
        tags,
        summary: 'Change the stages (applications made afterwards follow them)',
        body: ApplicationStageRules,
        response: { 200: ApplicationStageRules, ...errors },
      },
    },
    async (request) => setStageRules(serviceContext(request, deps), request.body),
  );
}
