import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiToken, ChangePasswordBody, CreatedApiToken, CreateTokenBody, LoginBody, LoginResponse, PasswordPolicy } from '../../../shared/schemas/auth.js';
import { ErrorResponse, IdParams, Ok } from '../../../shared/schemas/common.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import { isSecure } from '../../platform/security.js';
import * as auth from './service.js';

export const SESSION_COOKIE = 'suqiu_session';
export const CSRF_COOKIE = 'csrf_token';
export const CSRF_HEADER = 'x-csrf-token';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Outside the API (the web app's files) and these API paths, no session is needed. */
const PUBLIC_API_PREFIXES = ['/api/docs', '/api/openapi.json'];

/**
 * Resolves who is calling (session cookie or bearer token) before anything
 * else runs, refuses calls without one, and checks the CSRF header on every
 * state-changing call made with a session.
 */
export function authenticate(app: App, deps: Deps): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    if (!path.startsWith('/api/') && path !== '/api') return;
    const isPublic = request.routeOptions.config?.public === true || PUBLIC_API_PREFIXES.some((p) => path.startsWith(p));
    const now = deps.clock();

    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match) throw new AppError('unauthenticated', 'the Authorization header must be "Bearer <token>"');
      const actor = await auth.actorFromApiToken(deps.database.db, match[1]!, now);
      if (!actor) throw new AppError('unauthenticated', 'the API token is unknown, expired or revoked');
      request.actor = actor;
      return;
    }

    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) {
      const found = await auth.actorFromSession(deps.database.db, cookie, now, deps.config.sessionHours);
      if (found) {
        request.actor = found.actor;
        request.sessionId = found.sessionId;
        if (found.extendedTo) setSessionCookies(reply, request, deps, { sessionToken: cookie, csrfToken: found.csrfToken, expiresAt: found.extendedTo });
        if (UNSAFE_METHODS.has(request.method) && !isPublic) {
          const header = request.headers[CSRF_HEADER];
          if (!auth.csrfMatches(found.csrfToken, Array.isArray(header) ? header[0] : header)) {
            throw new AppError('csrf', `missing or wrong ${CSRF_HEADER} header: send the value of the ${CSRF_COOKIE} cookie`);
          }
        }
      }
    }
    if (!request.actor && !isPublic) {
      throw new AppError('unauthenticated', cookie ? 'your session has expired; sign in again' : 'sign in first');
    }
  });
  // The role's right to the route, after the actor is known and before the body is read: a role that may not gets 403 whatever it sent, and no upload is buffered for it.
  app.addHook('onRequest', async (request) => {
    const action = request.routeOptions.config?.action;
    if (!action || !request.actor) return;
    if (typeof action === 'string') authorize(request.actor, action);
    else if (!action.some((a) => can(request.actor!, a))) authorize(request.actor, action[0]!);
  });
}

function setSessionCookies(
  reply: FastifyReply,
  request: FastifyRequest,
  deps: Deps,
  result: Pick<auth.LoginResult, 'sessionToken' | 'csrfToken' | 'expiresAt'>,
): void {
  const common = { path: '/', sameSite: 'lax' as const, secure: isSecure(request, deps.config), expires: result.expiresAt };
  reply.setCookie(SESSION_COOKIE, result.sessionToken, { ...common, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, result.csrfToken, { ...common, httpOnly: false });
}

export async function authRoutes(app: App, deps: Deps): Promise<void> {
  app.post(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['sessions'],
        summary: 'Sign in; sets the session cookie and the readable csrf_token cookie',
        body: LoginBody,
        response: { 200: LoginResponse, 401: ErrorResponse, 423: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request, reply) => {
      const result = await auth.login({
        db: deps.database.db,
        credentials: request.body,
        sessionHours: deps.config.sessionHours,
        clock: deps.clock,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        requestId: request.id,
      });
      setSessionCookies(reply, request, deps, result);
      return { user: result.user };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['sessions'], summary: 'Sign out: the session ends on the server too', response: { 200: Ok } } },
    async (request, reply) => {
      await auth.logout(serviceContext(request, deps), request.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  app.post(
    '/api/me/password',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Change your own password: your other sessions end; 429 after five wrong current passwords in 15 minutes',
        body: ChangePasswordBody,
        response: { 200: Ok, 400: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request) => {
      await auth.changeOwnPassword(serviceContext(request, deps), request.body.currentPassword, request.body.newPassword, request.sessionId);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/settings/password-policy',
    {
      config: { action: 'user.manage' },
      schema: { tags: ['sessions'], summary: 'What a new password must be: its length and its strength (zxcvbn score 0–4)', response: { 200: PasswordPolicy } },
    },
    async (request) => auth.getPasswordPolicy(serviceContext(request, deps)),
  );
  app.put(
    '/api/settings/password-policy',
    {
      config: { action: 'settings.manage' },
      schema: {
        tags: ['sessions'],
        summary: 'Set the password policy (admin); passwords set from now on must meet it',
        body: PasswordPolicy,
        response: { 200: PasswordPolicy },
      },
    },
    async (request) => auth.setPasswordPolicy(serviceContext(request, deps), request.body),
  );

  app.post(
    '/api/tokens',
    {
      config: { action: 'token.manage' },
      schema: {
        tags: ['sessions'],
        summary: 'Create an API token for an integration (admin); the secret is shown once',
        body: CreateTokenBody,
        response: { 201: CreatedApiToken },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return auth.createApiToken(serviceContext(request, deps), request.body);
    },
  );

  app.get(
    '/api/tokens',
    { config: { action: 'token.manage' }, schema: { tags: ['sessions'], summary: 'List API tokens (admin)', response: { 200: z.array(ApiToken) } } },
    async (request) => auth.listApiTokens(serviceContext(request, deps)),
  );

  app.post(
    '/api/tokens/:id/revoke',
    {
      config: { action: 'token.manage' },
      schema: { tags: ['sessions'], summary: 'Revoke an API token (admin)', params: IdParams, response: { 200: ApiToken } },
    },
    async (request) => auth.revokeApiToken(serviceContext(request, deps), request.params.id),
  );
}
