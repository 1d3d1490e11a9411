import { z } from 'zod';
import { ErrorResponse, IdParams, Ok } from '../../../shared/schemas/common.js';
import {
  CalendarDay,
  CalendarQuery,
  CategoryParams,
  CategoryRoute,
  DateParams,
  EscalationLadder,
  SetCalendarDayBody,
  SetCategoryRouteBody,
  SetEscalationLadderBody,
  TimePolicy,
  TimePolicyBody,
} from '../../../shared/schemas/settings.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import * as settings from './settings.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
const tags = ['settings'];

export async function settingsRoutes(app: App, deps: Deps): Promise<void> {
  app.get(
    '/api/calendar',
    {
      schema: {
        tags,
        summary: 'The business calendar’s listed days of a year (holidays, 调休 working days)',
        querystring: CalendarQuery,
        response: { 200: z.array(CalendarDay), ...errors },
      },
    },
    async (request) => settings.calendarYear(serviceContext(request, deps), request.query.year),
  );
  app.put(
    '/api/calendar/:date',
    {
      config: { action: 'settings.manage' },
      schema: {
        tags,
        summary: 'Set a day as working or rest (admin)',
        params: DateParams,
        body: SetCalendarDayBody,
        response: { 200: CalendarDay, ...errors },
      },
    },
    async (request) => settings.setCalendarDay(serviceContext(request, deps), request.params.date, request.body),
  );
  app.delete(
    '/api/calendar/:date',
    {
      config: { action: 'settings.manage' },
      schema: { tags, summary: 'Unlist a day: it follows the week again (admin)', params: DateParams, response: { 200: Ok, ...errors } },
    },
    async (request) => {
      await settings.clearCalendarDay(serviceContext(request, deps), request.params.date);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/time-policies',
    { schema: { tags, summary: 'The time limits by step, type, category, area and priority', response: { 200: z.array(TimePolicy) } } },
    async (request) => settings.listPolicies(serviceContext(request, deps)),
  );
  app.post(
    '/api/time-policies',
    { config: { action: 'settings.manage' }, schema: { tags, body: TimePolicyBody, response: { 201: TimePolicy, ...errors } } },
    async (request, reply) => {
      reply.code(201);
      return settings.savePolicy(serviceContext(request, deps), null, request.body);
    },
  );
  app.put(
    '/api/time-policies/:id',
    { config: { action: 'settings.manage' }, schema: { tags, params: IdParams, body: TimePolicyBody, response: { 200: TimePolicy, ...errors } } },
    async (request) => settings.savePolicy(serviceContext(request, deps), request.params.id, request.body),
  );
  app.delete(
    '/api/time-policies/:id',
    { config: { action: 'settings.manage' }, schema: { tags, params: IdParams, response: { 200: Ok, ...errors } } },
    async (request) => {
      await settings.deletePolicy(serviceContext(request, deps), request.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/category-routes',
    { schema: { tags, summary: 'Category → responsible department', response: { 200: z.array(CategoryRoute) } } },
    async (request) => settings.listRoutes(serviceContext(request, deps)),
  );
  app.put(
    '/api/category-routes/:category',
    {
      config: { action: 'settings.manage' },
      schema: { tags, params: CategoryParams, body: SetCategoryRouteBody, response: { 200: CategoryRoute, ...errors } },
    },
    async (request) => settings.setRoute(serviceContext(request, deps), request.params.category, request.body.unitId),
  );

  app.get(
    '/api/settings/escalation-ladder',
    { schema: { tags, summary: 'The escalation ladder: the call of a case at which each level is reached', response: { 200: EscalationLadder } } },
    async (request) => settings.escalationLadder(serviceContext(request, deps)),
  );
  app.put(
    '/api/settings/escalation-ladder',
    {
      config: { action: 'settings.manage' },
      schema: { tags, summary: 'Set the escalation ladder (admin)', body: SetEscalationLadderBody, response: { 200: EscalationLadder, ...errors } },
    },
    async (request) => settings.setEscalationLadder(serviceContext(request, deps), request.body),
  );
}
