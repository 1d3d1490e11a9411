import { z } from 'zod';
import { ErrorResponse, IdParams, Ok, Text } from '../../../shared/schemas/common.js';
import {
  Affecting,
  AffectingQuery,
  CancelOutageBody,
  CreateOutageBody,
  DeclareOutageBody,
  Districts,
  DistrictsQuery,
  Feeders,
  FeedersQuery,
  ListOutagesQuery,
  OutageCustomers,
  OutageCustomersQuery,
  OutageDetail,
  OutageList,
  PublicOutages,
  PublicOutagesQuery,
  RestoreOutageBody,
  SuspectedOutages,
  UpdateOutageBody,
} from '../../../shared/schemas/outages.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { announce, cancelOutage, restoreOutage, updateOutage } from './announcing.js';
import { affecting, getOutage, listDistricts, listFeeders, listOutages, outageCustomers, publicOutages } from './reading.js';
import { OutageRules } from './rules.js';
import { getOutageRules, setOutageRules } from './settings.js';
import { declareSuspected, dismissSuspected, listSuspected } from './suspected.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const tags = ['outages'];

export async function outageRoutes(app: App, deps: Deps): Promise<void> {
  app.post(
    '/api/outages',
    {
      config: { action: 'outage.manage' },
      schema: {
        tags,
        summary: 'Announce an outage over feeders, 台区 or customers; its notice is queued to every customer it cuts',
        description:
          'A planned outage announced later than its notice rule (7 days before the start; maintenance 24 h) is refused unless lateNoticeReason is given; the reason is kept and reported (GET /api/outages?late=true).',
        body: CreateOutageBody,
        response: { 201: OutageDetail, ...errors },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return announce(serviceContext(request, deps), request.body);
    },
  );
  app.get(
    '/api/outages',
    {
      config: { action: 'outage.read' },
      schema: { tags, summary: 'Outages, latest start first', querystring: ListOutagesQuery, response: { 200: OutageList, ...errors } },
    },
    async (request) => listOutages(serviceContext(request, deps), request.query),
  );
  app.get(
    '/api/outages/affecting',
    {
      config: { action: 'outage.read' },
      schema: {
        tags,
        summary: 'The outages over a caller: in progress now, and announced to start within 14 days',
        querystring: AffectingQuery,
        response: { 200: Affecting, ...errors },
      },
    },
    async (request) => affecting(serviceContext(request, deps), request.query),
  );
  app.get(
    '/api/outages/suspected',
    {
      config: { action: 'outage.read' },
      schema: { tags, summary: 'Fault calls grouped by 台区 / feeder, not yet covered by an outage', response: { 200: SuspectedOutages, ...errors } },
    },
    async (request) => listSuspected(serviceContext(request, deps)),
  );
  app.post(
    '/api/outages/suspected/declare',
    {
      config: { action: 'outage.manage' },
      schema: {
        tags,
        summary: 'Declare the fault outage a suspicion points at: its calls become the 主单 and 子单, its customers are told',
        body: DeclareOutageBody,
        response: { 201: OutageDetail, ...errors },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return declareSuspected(serviceContext(request, deps), request.body);
    },
  );
  app.post(
    '/api/outages/suspected/dismiss',
    {
      config: { action: 'outage.manage' },
      schema: {
        tags,
        summary: 'Not an outage: set the suspicion aside with the reason',
        body: z.strictObject({ place: z.enum(['district', 'feeder']), placeId: z.number().int().positive(), reason: Text(300) }),
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => dismissSuspected(serviceContext(request, deps), request.body),
  );
  app.get(
    '/api/outages/:id',
    {
      config: { action: 'outage.read' },
      schema: {
        tags,
        summary: 'An outage: its 台区 with their customers, its calls, its messages and its timeline',
        params: IdParams,
        response: { 200: OutageDetail, ...errors },
      },
    },
    async (request) => getOutage(serviceContext(request, deps), request.params.id),
  );
  app.get(
    '/api/outages/:id/customers',
    {
      config: { action: 'outage.read' },
      schema: {
        tags,
        summary: 'The customers an outage cuts, a page at a time',
        params: IdParams,
        querystring: OutageCustomersQuery,
        response: { 200: OutageCustomers, ...errors },
      },
    },
    async (request) => outageCustomers(serviceContext(request, deps), request.params.id, request.query),
  );
  app.post(
    '/api/outages/:id/update',
    {
      config: { action: 'outage.manage' },
      schema: {
        tags,
        summary: 'Move the expected end; the customers are told',
        params: IdParams,
        body: UpdateOutageBody,
        response: { 200: OutageDetail, ...errors },
      },
    },
    async (request) => updateOutage(serviceContext(request, deps), request.params.id, request.body),
  );
  app.post(
    '/api/outages/:id/restore',
    {
      config: { action: 'outage.manage' },
      schema: {
        tags,
        summary: 'Power is back: the open calls close together and their callers are told',
        params: IdParams,
        body: RestoreOutageBody,
        response: { 200: OutageDetail, ...errors },
      },
    },
    async (request) => restoreOutage(serviceContext(request, deps), request.params.id, request.body),
  );
  app.post(
    '/api/outages/:id/cancel',
    {
      config: { action: 'outage.manage' },
      schema: {
        tags,
        summary: 'Call off an announced outage; the customers are told',
        params: IdParams,
        body: CancelOutageBody,
        response: { 200: OutageDetail, ...errors },
      },
    },
    async (request) => cancelOutage(serviceContext(request, deps), request.params.id, request.body),
  );
  app.get(
    '/api/feeders',
    {
      config: { action: 'outage.read' },
      schema: { tags, summary: 'The 10 kV feeders, with their customers', querystring: FeedersQuery, response: { 200: Feeders, ...errors } },
    },
    async (request) => listFeeders(serviceContext(request, deps), request.query.unitId),
  );
  app.get(
    '/api/districts',
    {
      config: { action: 'outage.read' },
      schema: { tags, summary: 'The 台区, with their customers', querystring: DistrictsQuery, response: { 200: Districts, ...errors } },
    },
    async (request) => listDistricts(serviceContext(request, deps), request.query),
  );
  app.get(
    '/api/outage-rules',
    {
      config: { action: 'outage.read' },
      schema: { tags, summary: 'The notice rules, suspected-outage thresholds and notice templates', response: { 200: OutageRules, ...errors } },
    },
    async (request) => getOutageRules(serviceContext(request, deps)),
  );
  app.put(
    '/api/outage-rules',
    {
      config: { action: 'settings.manage' },
      schema: { tags, summary: 'Change the outage rules', body: OutageRules, response: { 200: OutageRules, ...errors } },
    },
    async (request) => setOutageRules(serviceContext(request, deps), request.body),
  );
  app.get(
    '/api/public/outages',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Public notices: announced and running outages by area, for the website and the WeChat account (no sign-in, no personal data)',
        querystring: PublicOutagesQuery,
        response: { 200: PublicOutages, 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      reply.header('access-control-allow-origin', '*');
      return publicOutages(deps.database.db, deps.clock().toISOString(), request.query.unitId);
    },
  );
}
