import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database, Dialect } from '../db/database.js';
import type { DB } from '../db/types.js';
import { DEFAULT_TIME_ZONE } from '../../shared/time.js';
import type { AuditContext } from './audit.js';
import { AppError } from './errors.js';
import type { Action, Actor } from './policy.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
  }
  interface FastifyContextConfig {
    /** Reachable without a session or token (login, health checks, the web app). */
    public?: boolean;
    /** The action the route needs (or any one of several); checked before the body is validated, so a role that may not gets 403 whatever it sent. */
    action?: Action | readonly Action[];
    /** What a 413 says on a route that takes a file, its limit in words. */
    tooLarge?: string;
  }
}

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/** What the modules are given: the database, the configuration and the clock. */
export interface Deps {
  database: Database;
  config: Config;
  clock: () => Date;
}

/** What one service call needs: where to read and write, who is acting, and when. */
export interface ServiceContext extends AuditContext {
  /** The company's time zone (SUQIU_TIME_ZONE): its local dates name days, months and files. */
  timeZone: string;
  db: Kysely<DB>;
  /** For the few queries the two databases spell differently (full-text search). */
  dialect: Dialect;
  /** A transaction for the writes of a service call (group-committed on SQLite). */
  transact: Database['transact'];
  actor: Actor;
}

export function serviceContext(request: FastifyRequest, deps: Deps): ServiceContext {
  const actor = request.actor;
  if (!actor) throw new AppError('unauthenticated', 'sign in first');
  return {
    db: deps.database.db,
    dialect: deps.database.dialect,
    transact: deps.database.transact,
    actor,
    requestId: request.id,
    ip: request.ip,
    now: () => deps.clock().toISOString(),
    timeZone: deps.config.timeZone,
  };
}

/** The context of a command run outside a request (the command line, the demo seed), as `actor`. */
export function commandContext(
  database: Database,
  actor: Actor,
  now: () => string = () => new Date().toISOString(),
  timeZone: string = DEFAULT_TIME_ZONE,
): ServiceContext {
  return { db: database.db, dialect: database.dialect, transact: database.transact, actor, now, timeZone };
}
