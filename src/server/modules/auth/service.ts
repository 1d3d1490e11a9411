import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { ApiToken, CreatedApiToken, CreateTokenBody, LoginBody } from '../../../shared/schemas/auth.js';
import type { UserView } from '../../../shared/schemas/org.js';
import { recordAudit, type AuditContext } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { decoyHash, hashPassword, verifyPassword } from '../../platform/passwords.js';
import { authorize, type Actor } from '../../platform/policy.js';
import * as repo from './repository.js';
import { afterFailedLogin, afterSuccessfulLogin, isLocked, shouldRefreshSession } from './rules.js';

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export interface LoginOptions {
  db: Kysely<DB>;
  credentials: LoginBody;
  sessionHours: number;
  clock: () => Date;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

export interface LoginResult {
  user: UserView;
  /** The cookie's secret; only its hash is stored. */
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function login({ db, credentials, sessionHours, clock, ip, userAgent, requestId }: LoginOptions): Promise<LoginResult> {
  const now = clock();
  const user = await repo.findCredentials(db, credentials.username);
  const wrong = new AppError('unauthenticated', 'wrong user name or password');
  if (!user) {
    await verifyPassword(credentials.password, await decoyHash());
    throw wrong;
  }
  const state = { failedLogins: user.failed_logins, lockedUntil: user.locked_until };
  if (isLocked(state, now)) {
    throw new AppError('locked', `account locked after repeated failed logins; try again after ${state.lockedUntil}`);
  }
  const audit: AuditContext = { actor: null, anonymous: true, requestId, ip: ip ?? undefined, now: () => now.toISOString() };
  if (!(await verifyPassword(credentials.password, user.password_hash)) || user.active !== 1) {
    const next = afterFailedLogin(state, now);
    await db.transaction().execute(async (trx) => {
      await repo.saveLoginState(trx, user.id, next, now.toISOString());
      await recordAudit(trx, audit, {
        action: next.lockedUntil ? 'auth.locked' : 'auth.login_failed',
        entityType: 'user',
        entityId: user.id,
        unitId: user.unit_id,
        after: { failedLogins: next.failedLogins, lockedUntil: next.lockedUntil },
      });
    });
    if (next.lockedUntil) throw new AppError('locked', `account locked after repeated failed logins; try again after ${next.lockedUntil}`);
    throw wrong;
  }

  const sessionToken = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + sessionHours * 3600_000);
  const roles = await repo.rolesOf(db, user.id);
  await db.transaction().execute(async (trx) => {
    await repo.saveLoginState(trx, user.id, afterSuccessfulLogin(), now.toISOString());
    await repo.insertSession(trx, {
      id: sha256(sessionToken),
      userId: user.id,
      csrfToken,
      now: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      ip,
      userAgent: userAgent?.slice(0, 300) ?? null,
    });
    await recordAudit(trx, { ...audit, actor: { userId: user.id, username: user.username, name: user.name, roles, unitId: user.unit_id, via: 'session' } }, {
      action: 'auth.login',
      entityType: 'user',
      entityId: user.id,
      unitId: user.unit_id,
    });
  });
  // Now and then, clear the sessions that ran out.
  if (Math.random() < 0.05) await repo.deleteExpiredSessions(db, now.toISOString());
  return { user: { id: user.id, username: user.username, name: user.name, roles, unitId: user.unit_id }, sessionToken, csrfToken, expiresAt };
}

export async function logout(ctx: ServiceContext, sessionId: string | null): Promise<void> {
  if (!sessionId) return;
  await ctx.db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, sessionId);
    await recordAudit(trx, ctx, { action: 'auth.logout', entityType: 'user', entityId: ctx.actor.userId, unitId: ctx.actor.unitId });
  });
}

export interface SessionActor {
  actor: Actor;
  sessionId: string;
  csrfToken: string;
  /** Set when the expiry slid forward: the cookies must be sent again with it, or the browser drops them at the old one. */
  extendedTo?: Date;
}

/** Who is behind a session cookie, sliding its expiry forward. */
export async function actorFromSession(db: Kysely<DB>, token: string, now: Date, sessionHours: number): Promise<SessionActor | null> {
  const id = sha256(token);
  const row = await repo.findLiveSession(db, id, now.toISOString());
  if (!row) return null;
  let extendedTo: Date | undefined;
  if (shouldRefreshSession(row.last_seen_at, now)) {
    extendedTo = new Date(now.getTime() + sessionHours * 3600_000);
    await repo.touchSession(db, id, now.toISOString(), extendedTo.toISOString());
  }
  const roles = await repo.rolesOf(db, row.user_id);
  return {
    actor: { userId: row.user_id, username: row.username, name: row.name, unitId: row.unit_id, roles, via: 'session' },
    sessionId: id,
    csrfToken: row.csrf_token,
    ...(extendedTo && { extendedTo }),
  };
}

/** Who is behind an integration's bearer token. */
export async function actorFromApiToken(db: Kysely<DB>, token: string, now: Date): Promise<Actor | null> {
  const row = await repo.findLiveApiToken(db, sha256(token), now.toISOString());
  if (!row) return null;
  if (row.last_used_at === null || shouldRefreshSession(row.last_used_at, now)) await repo.touchApiToken(db, row.id, now.toISOString());
  const roles = await repo.rolesOf(db, row.user_id);
  return { userId: row.user_id, username: row.username, name: row.name, unitId: row.unit_id, roles, via: 'token' };
}

/** A user acting from the command line (an import, the demo seed), by username: null when there is none or the account is off. */
export async function actorOfUsername(db: Kysely<DB>, username: string): Promise<Actor | null> {
  const user = await repo.findCredentials(db, username);
  if (!user || !user.active) return null;
  return { userId: user.id, username: user.username, name: user.name, unitId: user.unit_id, roles: await repo.rolesOf(db, user.id), via: 'cli' };
}

export function csrfMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function changeOwnPassword(ctx: ServiceContext, currentPassword: string, newPassword: string): Promise<void> {
  const user = await repo.findCredentials(ctx.db, ctx.actor.username);
  if (!user) throw notFound('user');
  if (!(await verifyPassword(currentPassword, user.password_hash))) throw invalid('currentPassword', 'is not your current password');
  const hash = await hashPassword(newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, updated_at: ctx.now() }).where('id', '=', user.id).execute();
    await recordAudit(trx, ctx, { action: 'user.password_changed', entityType: 'user', entityId: user.id, unitId: user.unit_id });
  });
}

function presentToken(row: NonNullable<Awaited<ReturnType<typeof repo.findApiToken>>>): ApiToken {
  return {
    id: row.id,
    userId: row.user_id,
    username: row.username,
    name: row.name,
    prefix: row.token_prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export async function createApiToken(ctx: ServiceContext, body: CreateTokenBody): Promise<CreatedApiToken> {
  authorize(ctx.actor, 'token.manage');
  const owner = await ctx.db.selectFrom('users').select(['id', 'unit_id', 'active']).where('id', '=', body.userId).executeTakeFirst();
  if (!owner) throw invalid('userId', `no user with id ${body.userId}`);
  if (owner.active !== 1) throw invalid('userId', 'the user is disabled');
  if (body.expiresAt && Date.parse(body.expiresAt) <= Date.parse(ctx.now())) throw invalid('expiresAt', 'must be in the future');
  const token = `sq_${randomBytes(32).toString('base64url')}`;
  const id = await ctx.db.transaction().execute(async (trx) => {
    const id = await repo.insertApiToken(trx, {
      userId: owner.id,
      name: body.name,
      hash: sha256(token),
      prefix: token.slice(0, 10),
      createdBy: ctx.actor.userId,
      now: ctx.now(),
      expiresAt: body.expiresAt ? new Date(body.expiresAt).toISOString() : null,
    });
    await recordAudit(trx, ctx, { action: 'token.created', entityType: 'api_token', entityId: id, unitId: owner.unit_id, after: { userId: owner.id, name: body.name } });
    return id;
  });
  const row = await repo.findApiToken(ctx.db, id);
  return { ...presentToken(row!), token };
}

export async function listApiTokens(ctx: ServiceContext): Promise<ApiToken[]> {
  authorize(ctx.actor, 'token.manage');
  return (await repo.listApiTokens(ctx.db)).map(presentToken);
}

export async function revokeApiToken(ctx: ServiceContext, id: number): Promise<ApiToken> {
  authorize(ctx.actor, 'token.manage');
  const before = await repo.findApiToken(ctx.db, id);
  if (!before) throw notFound('API token');
  await ctx.db.transaction().execute(async (trx) => {
    await repo.revokeApiToken(trx, id, ctx.now());
    await recordAudit(trx, ctx, { action: 'token.revoked', entityType: 'api_token', entityId: id, before: presentToken(before) });
  });
  return presentToken((await repo.findApiToken(ctx.db, id))!);
}
