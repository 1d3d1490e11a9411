import type { Kysely } from 'kysely';
import type { Role } from '../../../shared/codes.js';
import { dialectStatement, run, statement } from '../../db/statements.js';
import type { DB } from '../../db/types.js';

// Credentials, sessions and API tokens. The only place of this module that builds SQL.

export async function findCredentials(db: Kysely<DB>, username: string) {
  return db.selectFrom('users').select(['id', 'username', 'name', 'password_hash', 'unit_id', 'active']).where('username', '=', username).executeTakeFirst();
}

// Read on every request: hand-written (see db/statements.ts).
const ROLES_OF = statement('SELECT role FROM user_roles WHERE user_id = ? ORDER BY role');

export async function rolesOf(db: Kysely<DB>, userId: number): Promise<Role[]> {
  return (await run<{ role: Role }>(db, ROLES_OF, [userId])).map((r) => r.role);
}

export interface NewSession {
  id: string;
  userId: number;
  csrfToken: string;
  now: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

export async function insertSession(db: Kysely<DB>, s: NewSession): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: s.id,
      user_id: s.userId,
      csrf_token: s.csrfToken,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
      ip: s.ip,
      user_agent: s.userAgent,
    })
    .execute();
}

// The user's roles come with the session, in the same round trip (on PostgreSQL every round trip of a request counts: see docs/ARCHITECTURE.md).
const LIVE_SESSION = dialectStatement({
  sqlite: `SELECT sessions.id, sessions.csrf_token, sessions.last_seen_at, users.id AS user_id, users.username, users.name, users.unit_id,
     (SELECT group_concat(role, ',') FROM (SELECT role FROM user_roles WHERE user_id = users.id ORDER BY role)) AS roles
   FROM sessions INNER JOIN users ON users.id = sessions.user_id
   WHERE sessions.id = ? AND sessions.expires_at > ? AND users.active = 1`,
  postgres: `SELECT sessions.id, sessions.csrf_token, sessions.last_seen_at, users.id AS user_id, users.username, users.name, users.unit_id,
     (SELECT string_agg(role, ',' ORDER BY role) FROM user_roles WHERE user_id = users.id) AS roles
   FROM sessions INNER JOIN users ON users.id = sessions.user_id
   WHERE sessions.id = ? AND sessions.expires_at > ? AND users.active = 1`,
});

/** The live session with its user and the user's roles, or nothing when it expired or the user was disabled. */
export async function findLiveSession(db: Kysely<DB>, id: string, now: string) {
  const rows = await run<{
    id: string;
    csrf_token: string;
    last_seen_at: string;
    user_id: number;
    username: string;
    name: string;
    unit_id: number;
    roles: string | null;
  }>(db, LIVE_SESSION, [id, now]);
  const row = rows[0];
  return row && { ...row, roles: row.roles ? (row.roles.split(',').sort() as Role[]) : [] };
}

export async function touchSession(db: Kysely<DB>, id: string, now: string, expiresAt: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function deleteSession(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Ends a user's sessions; returns how many. */
export async function deleteSessionsOfUser(db: Kysely<DB>, userId: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Ends a user's sessions but the one given (the one a password was changed from); returns how many. */
export async function deleteOtherSessions(db: Kysely<DB>, userId: number, keep: string | null): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .$if(keep !== null, (q) => q.where('id', '<>', keep!))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Revokes a user's live API tokens; returns how many. */
export async function revokeTokensOfUser(db: Kysely<DB>, userId: number, now: string): Promise<number> {
  const result = await db.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deleteExpiredSessions(db: Kysely<DB>, now: string): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

export async function insertApiToken(
  db: Kysely<DB>,
  t: { userId: number; name: string; hash: string; prefix: string; createdBy: number; now: string; expiresAt: string | null; roles: string | null },
): Promise<number> {
  const row = await db
    .insertInto('api_tokens')
    .values({
      user_id: t.userId,
      name: t.name,
      token_hash: t.hash,
      token_prefix: t.prefix,
      created_by: t.createdBy,
      created_at: t.now,
      expires_at: t.expiresAt,
      roles: t.roles,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The user behind a live API token. */
export async function findLiveApiToken(db: Kysely<DB>, hash: string, now: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id', 'api_tokens.last_used_at', 'api_tokens.roles', 'users.id as user_id', 'users.username', 'users.name', 'users.unit_id'])
    .where('api_tokens.token_hash', '=', hash)
    .where('api_tokens.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now)]))
    .where('users.active', '=', 1)
    .executeTakeFirst();
}

export async function touchApiToken(db: Kysely<DB>, id: number, now: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}

const tokenColumns = [
  'api_tokens.id',
  'api_tokens.user_id',
  'users.username',
  'api_tokens.name',
  'api_tokens.token_prefix',
  'api_tokens.created_at',
  'api_tokens.expires_at',
  'api_tokens.last_used_at',
  'api_tokens.revoked_at',
  'api_tokens.roles',
] as const;

export async function listApiTokens(db: Kysely<DB>) {
  return db.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id').select(tokenColumns).orderBy('api_tokens.id', 'desc').execute();
}

export async function findApiToken(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(tokenColumns)
    .where('api_tokens.id', '=', id)
    .executeTakeFirst();
}

export async function revokeApiToken(db: Kysely<DB>, id: number, now: string): Promise<void> {
  await db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

/** A user's new password (their credentials are this module's columns of the users table). */
export async function setPasswordHash(db: Kysely<DB>, userId: number, hash: string, at: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash, updated_at: at }).where('id', '=', userId).execute();
}

/** Whom an API token would act for: the user, their unit and whether they are active. */
export async function findTokenOwner(db: Kysely<DB>, userId: number) {
  return db.selectFrom('users').select(['id', 'unit_id', 'active']).where('id', '=', userId).executeTakeFirst();
}
