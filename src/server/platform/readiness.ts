import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { pendingMigrations } from '../db/migrate.js';
import type { App } from './context.js';

// Alive is not ready. The process answers /healthz as soon as it listens;
// /readyz only once main.ts has prepared the database (migrations, then the
// demo city on a first start) and while the database answers with every
// migration this code knows. Until then the API and /metrics answer 503 with
// Retry-After, so that a load balancer or a client waits instead of a route
// meeting a table that is not there yet.

export const STARTUP_PHASES = ['migrating', 'seeding'] as const;
export type StartupPhase = (typeof STARTUP_PHASES)[number];

/** Set by main.ts while it prepares the database, null once done. An app built without one (the tests) is prepared. */
export interface Startup {
  phase: StartupPhase | null;
}

const RETRY_AFTER_SECONDS = 5;
/** While migrations are pending, the migration table is read at most this often, however many requests ask. */
const RECHECK_MS = 1000;

type NotReady = { status: 'starting'; phase: StartupPhase; message: string } | { status: 'unavailable'; message: string; pendingMigrations?: number };

const PHASE_TEXT: Record<StartupPhase, string> = {
  migrating: 'migrating the database',
  seeding: 'loading the demo data of a first start',
};

const ReadyBody = z.object({ status: z.literal('ready'), database: z.string() });
const NotReadyBody = z.discriminatedUnion('status', [
  z.object({ status: z.literal('starting'), phase: z.enum(STARTUP_PHASES), database: z.string(), message: z.string() }),
  z.object({
    status: z.literal('unavailable'),
    database: z.string(),
    pendingMigrations: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('migrations of this version the database has not applied (another server migrating, or a deploy without `suqiu migrate`)'),
    message: z.string(),
  }),
]);

/** Whether the database has every migration of this code; once it has, the answer is kept and never read again. */
function migrationCheck(database: Database): () => Promise<number> {
  let upToDate = false;
  let last: { at: number; pending: Promise<number> } | undefined;
  return () => {
    if (upToDate) return Promise.resolve(0);
    if (last === undefined || Date.now() - last.at >= RECHECK_MS) {
      const pending = pendingMigrations(database).then((names) => names.length);
      const entry = { at: Date.now(), pending };
      last = entry;
      pending.then(
        (n) => (upToDate ||= n === 0),
        () => {
          if (last === entry) last = undefined;
        },
      );
    }
    return last.pending;
  };
}

/** GET /healthz, GET /readyz, and the 503 of every API request until ready. Registered before authentication, which reads the sessions table. */
export function registerReadiness(app: App, database: Database, startup?: Startup): void {
  const migrationsPending = migrationCheck(database);
  let ready = false;

  /** Why the app is not ready, or null; `probe` also asks the database to answer once the migrations are known to be there. */
  async function notReady(probe: boolean): Promise<NotReady | null> {
    if (startup?.phase) return { status: 'starting', phase: startup.phase, message: `suqiu is starting: ${PHASE_TEXT[startup.phase]}` };
    try {
      const pending = await migrationsPending();
      if (pending > 0) {
        return {
          status: 'unavailable',
          pendingMigrations: pending,
          message: `the database lacks ${pending} migration${pending === 1 ? '' : 's'} of this version: another server may be migrating it, and a restart of this one migrates it`,
        };
      }
      ready = true;
      if (probe) await sql`select 1`.execute(database.db);
      return null;
    } catch (err) {
      app.log.error({ err }, 'database not ready');
      return { status: 'unavailable', message: 'the database does not answer' };
    }
  }

  app.addHook('onRequest', async (request, reply) => {
    if (ready) return;
    const path = request.url.split('?', 1)[0]!;
    if (!(path === '/api' || path.startsWith('/api/') || path === '/metrics')) return;
    const why = await notReady(false);
    if (why === null) return;
    return reply
      .code(503)
      .header('retry-after', String(RETRY_AFTER_SECONDS))
      .send({ statusCode: 503, error: 'unavailable', message: why.message, requestId: request.id });
  });

  app.get(
    '/healthz',
    { schema: { tags: ['health'], summary: 'The process is alive', response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({
      status: 'ok' as const,
    }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Ready for traffic: started, the database answers and has every migration of this version',
        description:
          'While the server prepares the database it answers 503 `starting` with the phase; later 503 `unavailable` when the database does not answer or lacks migrations. The API answers 503 meanwhile.',
        response: { 200: ReadyBody, 503: NotReadyBody },
      },
    },
    async (_request, reply) => {
      const why = await notReady(true);
      if (why === null) return { status: 'ready' as const, database: database.dialect };
      return reply
        .code(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send({ ...why, database: database.dialect });
    },
  );
}
