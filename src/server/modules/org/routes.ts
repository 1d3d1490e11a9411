import { z } from 'zod';
import { MeResponse } from '../../../shared/schemas/auth.js';
import { ErrorResponse, IdParams } from '../../../shared/schemas/common.js';
import { CreateUnitBody, CreateUserBody, ListUsersQuery, Unit, UpdateUnitBody, UpdateUserBody, UserDetail } from '../../../shared/schemas/org.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import * as org from './service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export async function orgRoutes(app: App, deps: Deps): Promise<void> {
  // Who is signed in, where in the organisation, and what the web shows them (auth/ signs in; org/ says who that is).
  app.get(
    '/api/me',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Who is signed in, and what they may do',
        description:
          "The user and their unit, the web's areas their roles open, and `can`: the actions the policy allows them (a scoped API token: its roles' only), which the web offers and never works out from role names.",
        response: { 200: MeResponse, 401: ErrorResponse },
      },
    },
    async (request) => org.me(serviceContext(request, deps)),
  );

  app.get(
    '/api/units',
    { schema: { tags: ['organisation'], summary: 'The units of the organisation tree', response: { 200: z.array(Unit) } } },
    async (request) => org.listUnits(serviceContext(request, deps)),
  );

  app.get('/api/units/:id', { schema: { tags: ['organisation'], params: IdParams, response: { 200: Unit, ...errors } } }, async (request) =>
    org.getUnit(serviceContext(request, deps), request.params.id),
  );

  app.post(
    '/api/units',
    {
      config: { action: 'unit.manage' },
      schema: { tags: ['organisation'], summary: 'Add a unit to the tree (admin)', body: CreateUnitBody, response: { 201: Unit, ...errors } },
    },
    async (request, reply) => {
      reply.code(201);
      return org.createUnit(serviceContext(request, deps), request.body);
    },
  );

  app.patch(
    '/api/units/:id',
    {
      config: { action: 'unit.manage' },
      schema: {
        tags: ['organisation'],
        summary: 'Rename, move or disable a unit (admin)',
        params: IdParams,
        body: UpdateUnitBody,
        response: { 200: Unit, ...errors },
      },
    },
    async (request) => org.updateUnit(serviceContext(request, deps), request.params.id, request.body),
  );

  app.get(
    '/api/users',
    {
      schema: {
        tags: ['organisation'],
        summary: 'Users of the units the caller may see',
        querystring: ListUsersQuery,
        response: { 200: z.array(UserDetail), ...errors },
      },
    },
    async (request) => org.listUsers(serviceContext(request, deps), request.query),
  );

  app.get('/api/users/:id', { schema: { tags: ['organisation'], params: IdParams, response: { 200: UserDetail, ...errors } } }, async (request) =>
    org.getUser(serviceContext(request, deps), request.params.id),
  );

  app.post(
    '/api/users',
    {
      config: { action: 'user.manage' },
      schema: { tags: ['organisation'], summary: 'Create a user (admin)', body: CreateUserBody, response: { 201: UserDetail, ...errors } },
    },
    async (request, reply) => {
      reply.code(201);
      return org.createUser(serviceContext(request, deps), request.body);
    },
  );

  app.patch(
    '/api/users/:id',
    {
      config: { action: 'user.manage' },
      schema: {
        tags: ['organisation'],
        summary: 'Change a user: name, roles, unit, phone, active, password (admin)',
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: UserDetail, ...errors },
      },
    },
    async (request) => org.updateUser(serviceContext(request, deps), request.params.id, request.body),
  );

  app.post(
    '/api/users/:id/unlock',
    {
      config: { action: 'user.manage' },
      schema: { tags: ['organisation'], summary: 'Lift a lock-out after failed logins (admin)', params: IdParams, response: { 200: UserDetail, ...errors } },
    },
    async (request) => org.unlockUser(serviceContext(request, deps), request.params.id),
  );
}
