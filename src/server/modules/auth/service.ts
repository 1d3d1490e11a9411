import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Role } from '../../../shared/codes.js';
import {
  PasswordPolicy as PasswordPolicySchema,
  type ApiToken,
  type CreatedApiToken,
  type CreateTokenBody,
  type LoginBody,
  type PasswordPolicy,
} from '../../../shared/schemas/auth.js';
import type { UserView } from '../../../shared/schemas/org.js';
import { recordAudit, type AuditContext } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { decoyHash, DEFAULT_PASSWORD_RULES, hashPassword, passwordProblem, verifyPassword } from '../../platform/passwords.js';
import { readSetting, writeSetting } from '../../platform/settings.js';
import { authorize, type Actor } from '../../platform/policy.js';
import * as repo from './repository.js';
import { ACCOUNT_LOGINS, ADDRESS_LOGINS, PASSWORD_CHECKS, shouldRefreshSession } from './rules.js';
import { clearOldAttempts, countAttempt, forgive, uncount } from '../../platform/throttle.js';

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
  const address = ip ?? 'unknown';
  const audit: AuditContext = { actor: null, anonymous: true, requestId, ip: ip ?? undefined, now: () => now.toISOString() };
  // Counted before the password is checked (platform/throttle.ts): first the client address on any account, then this address on this account.
  const fromAddress = await countAttempt(db, `login:address:${address}`, null, ADDRESS_LOGINS, now);
  if (fromAddress.over) {
    throw new AppError(
      'too_many_requests',
      `too many sign-in attempts from your address; try again in ${waitWords(fromAddress.retryAfterSeconds)}`,
      undefined,
      { retryAfterSeconds: fromAddress.retryAfterSeconds },
    );
  }
  const user = await repo.findCredentials(db, credentials.username);
  const wrong = new AppError('unauthenticated', 'wrong user name or password');
  if (!user) {
    await verifyPassword(credentials.password, await decoyHash());
    throw wrong;
  }
  // A lock holds this address out of this account only: a stranger's wrong guesses never lock the admin out of their own desk.
  const accountKey = `login:account:${user.id}:${address}`;
  const onAccount = await countAttempt(db, accountKey, user.id, ACCOUNT_LOGINS, now);
  const lockedFor = (seconds: number) =>
    new AppError(
      'locked',
      `account locked for your address after ${ACCOUNT_LOGINS.limit} wrong passwords; try again in ${waitWords(seconds)} or ask an administrator to unlock it`,
      undefined,
      { retryAfterSeconds: seconds },
    );
  if (onAccount.over) throw lockedFor(onAccount.retryAfterSeconds);
  if (!(await verifyPassword(credentials.password, user.password_hash)) || user.active !== 1) {
    const locks = onAccount.attempts === ACCOUNT_LOGINS.limit;
    await recordAudit(db, audit, {
      action: locks ? 'auth.locked' : 'auth.login_failed',
      entityType: 'user',
      entityId: user.id,
      unitId: user.unit_id,
      after: { failedLogins: onAccount.attempts, address, ...(locks && { lockedForSeconds: onAccount.retryAfterSeconds }) },
    });
    if (locks) throw lockedFor(onAccount.retryAfterSeconds);
    throw wrong;
  }
  // The right password: nothing is held against this account from here, nor this attempt against the address.
  await forgive(db, accountKey);
  await uncount(db, `login:address:${address}`);

  const sessionToken = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + sessionHours * 3600_000);
  const roles = await repo.rolesOf(db, user.id);
  await db.transaction().execute(async (trx) => {
    await repo.insertSession(trx, {
      id: sha256(sessionToken),
      userId: user.id,
      csrfToken,
      now: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      ip,
      userAgent: userAgent?.slice(0, 300) ?? null,
    });
    await recordAudit(
      trx,
      { ...audit, actor: { userId: user.id, username: user.username, name: user.name, roles, unitId: user.unit_id, via: 'session' } },
      {
        action: 'auth.login',
        entityType: 'user',
        entityId: user.id,
        unitId: user.unit_id,
      },
    );
  });
  // Now and then, clear the sessions that ran out and the counts of windows long over.
  if (Math.random() < 0.05) {
    await repo.deleteExpiredSessions(db, now.toISOString());
    await clearOldAttempts(db, now);
  }
  return { user: { id: user.id, username: user.username, name: user.name, roles, unitId: user.unit_id }, sessionToken, csrfToken, expiresAt };
}

/** "15 分钟" said in English for the message: minutes, or seconds under one. */
const waitWords = (seconds: number) => (seconds >= 60 ? `${Math.ceil(seconds / 60)} min` : `${seconds} s`);

export async function logout(ctx: ServiceContext, sessionId: string | null): Promise<void> {
  if (!sessionId) return;
  await ctx.transact(async (trx) => {
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
  return {
    actor: { userId: row.user_id, username: row.username, name: row.name, unitId: row.unit_id, roles: row.roles, via: 'session' },
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
  const roles = tokenRoles(await repo.rolesOf(db, row.user_id), row.roles);
  return { userId: row.user_id, username: row.username, name: row.name, unitId: row.unit_id, roles, via: 'token' };
}

/** A scoped token acts with the roles it names that its user still has: a role taken from the user is taken from the token too. */
export function tokenRoles(userRoles: readonly Role[], scoped: string | null): Role[] {
  if (scoped === null) return [...userRoles];
  const named = new Set(JSON.parse(scoped) as string[]);
  return userRoles.filter((r) => named.has(r));
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

/**
 * A new password for oneself. The current password is checked at most five
 * times in 15 minutes (a stolen session must not become a password oracle);
 * the change ends every other session of the user, and the one it was made
 * from goes on.
 */
export async function changeOwnPassword(ctx: ServiceContext, currentPassword: string, newPassword: string, sessionId: string | null): Promise<void> {
  const user = await repo.findCredentials(ctx.db, ctx.actor.username);
  if (!user) throw notFound('user');
  const key = `password:${user.id}`;
  const checks = await countAttempt(ctx.db, key, user.id, PASSWORD_CHECKS, new Date(ctx.now()));
  if (checks.over) {
    throw new AppError('too_many_requests', `too many wrong current passwords; try again in ${waitWords(checks.retryAfterSeconds)}`, undefined, {
      retryAfterSeconds: checks.retryAfterSeconds,
    });
  }
  if (!(await verifyPassword(currentPassword, user.password_hash))) throw invalid('currentPassword', 'is not your current password');
  await forgive(ctx.db, key);
  await checkNewPassword(ctx.db, 'newPassword', newPassword, [user.username, user.name]);
  if (await verifyPassword(newPassword, user.password_hash)) throw invalid('newPassword', 'is your current password');
  const hash = await hashPassword(newPassword);
  await ctx.transact(async (trx) => {
    await repo.setPasswordHash(trx, user.id, hash, ctx.now());
    const ended = await repo.deleteOtherSessions(trx, user.id, sessionId);
    await recordAudit(trx, ctx, {
      action: 'user.password_changed',
      entityType: 'user',
      entityId: user.id,
      unitId: user.unit_id,
      after: { otherSessionsEnded: ended },
    });
  });
}

// ── the password policy ────────────────────────────────────────────────────
const PASSWORD_POLICY_KEY = 'password-policy';

export async function passwordPolicy(db: Kysely<DB>): Promise<PasswordPolicy> {
  return readSetting(db, PASSWORD_POLICY_KEY, PasswordPolicySchema, DEFAULT_PASSWORD_RULES);
}

export async function getPasswordPolicy(ctx: ServiceContext): Promise<PasswordPolicy> {
  authorize(ctx.actor, 'user.manage');
  return passwordPolicy(ctx.db);
}

export async function setPasswordPolicy(ctx: ServiceContext, policy: PasswordPolicy): Promise<PasswordPolicy> {
  authorize(ctx.actor, 'settings.manage');
  const before = await passwordPolicy(ctx.db);
  await ctx.transact(async (trx) => {
    await writeSetting(trx, PASSWORD_POLICY_KEY, policy, ctx.now(), ctx.actor.userId);
    await recordAudit(trx, ctx, { action: 'settings.password_policy', entityType: 'setting', entityId: null, before, after: policy });
  });
  return passwordPolicy(ctx.db);
}

/** Refuses a new password the policy does not take, naming the field and why (400). */
export async function checkNewPassword(db: Kysely<DB>, field: string, password: string, personal: readonly string[]): Promise<void> {
  const problem = passwordProblem(password, await passwordPolicy(db), personal);
  if (problem) throw invalid(field, problem);
}

/**
 * Ends everything a user is signed in with: their sessions, and with
 * `tokens`, their API tokens too (revoked for good: a user disabled and
 * enabled again, or whose password an admin reset, does not get them back).
 */
export async function endUserAccess(db: Kysely<DB>, userId: number, now: string, what: { tokens: boolean }): Promise<{ sessions: number; tokens: number }> {
  const sessions = await repo.deleteSessionsOfUser(db, userId);
  const tokens = what.tokens ? await repo.revokeTokensOfUser(db, userId, now) : 0;
  return { sessions, tokens };
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
    roles: row.roles === null ? null : (JSON.parse(row.roles) as Role[]),
  };
}

export async function createApiToken(ctx: ServiceContext, body: CreateTokenBody): Promise<CreatedApiToken> {
  authorize(ctx.actor, 'token.manage');
  const owner = await repo.findTokenOwner(ctx.db, body.userId);
  if (!owner) throw invalid('userId', `no user with id ${body.userId}`);
  if (owner.active !== 1) throw invalid('userId', 'the user is disabled');
  if (body.expiresAt && Date.parse(body.expiresAt) <= Date.parse(ctx.now())) throw invalid('expiresAt', 'must be in the future');
  if (body.roles) {
    const has = new Set(await repo.rolesOf(ctx.db, owner.id));
    const foreign = body.roles.filter((r) => !has.has(r));
    if (foreign.length > 0) throw invalid('roles', `the user does not have ${foreign.join(', ')}: a token acts with some of its user's roles`);
  }
  const token = `sq_${randomBytes(32).toString('base64url')}`;
  const id = await ctx.transact(async (trx) => {
    const id = await repo.insertApiToken(trx, {
      userId: owner.id,
      name: body.name,
      hash: sha256(token),
      prefix: token.slice(0, 10),
      createdBy: ctx.actor.userId,
      now: ctx.now(),
      expiresAt: body.expiresAt ? new Date(body.expiresAt).toISOString() : null,
      roles: body.roles ? JSON.stringify(body.roles) : null,
    });
    await recordAudit(trx, ctx, {
      action: 'token.created',
      entityType: 'api_token',
      entityId: id,
      unitId: owner.unit_id,
      after: { userId: owner.id, name: body.name, roles: body.roles ?? null },
    });
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
  await ctx.transact(async (trx) => {
    await repo.revokeApiToken(trx, id, ctx.now());
    await recordAudit(trx, ctx, { action: 'token.revoked', entityType: 'api_token', entityId: id, before: presentToken(before) });
  });
  return presentToken((await repo.findApiToken(ctx.db, id))!);
}
