import { Worker, type WorkerOptions } from 'node:worker_threads';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openConfiguredDatabase } from './db/open.js';
import { startScheduler } from './platform/scheduler.js';
import { runSchedulerPass } from './scheduler.js';
import { startOutbox } from './modules/messages/outbox.js';
import { ROLE_USERS } from './modules/demo/organisation.js';
import type { Startup } from './platform/readiness.js';
import type { PrepareMessage } from './prepare.js';

// Parse the configuration, open the database, listen; then prepare the
// database (prepare.ts, in a worker thread) while /healthz answers and
// /readyz says what is under way, and start the scheduler and the outbox's
// worker once it is done.

async function main(): Promise<void> {
  const config = loadConfig();
  const database = openConfiguredDatabase(config);
  const startup: Startup = { phase: 'migrating' };
  const app = await buildApp({ config, database, startup });

  let preparing: Promise<Prepared> | undefined;
  let scheduler: ReturnType<typeof startScheduler> | undefined;
  let outbox: ReturnType<typeof startOutbox> | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    // SQLite runs a migration's statements outside a transaction: one cut short would stay half applied.
    if (startup.phase !== null) app.log.info({ phase: startup.phase }, 'waiting for the database preparation to finish');
    await preparing?.catch(() => undefined);
    // The outbox claims nothing more and waits for its sends under way to be answered and marked (messages/outbox.ts).
    await Promise.all([scheduler?.stop(), outbox?.stop()]);
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info('preparing the database: migrating');
  preparing = prepareInWorker(config, (phase) => {
    startup.phase = phase;
    app.log.info(`preparing the database: ${phase}`);
  });
  const prepared = await preparing;
  startup.phase = null;
  if (prepared.migrations.length > 0) app.log.info({ migrations: prepared.migrations }, 'database migrated');
  if (prepared.seeded) app.log.info('demo data loaded');
  if (stopping) return;

  if (config.schedulerIntervalSeconds > 0) {
    scheduler = startScheduler(database, {
      intervalMs: config.schedulerIntervalSeconds * 1000,
      clock: () => new Date(),
      pass: (now) => runSchedulerPass(database.db, now, config.timeZone),
      log: (msg, err) => app.log.error({ err }, msg),
    });
  }
  if (config.outboxIntervalSeconds > 0) outbox = startOutbox(database, config, app.log);

  const url = `http://localhost:${config.port}`;
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `SQLite at ${config.dataDir}/suqiu.db`;
  const lines = ['', `suqiu is running at ${url}  (API docs: ${url}/api/docs)`, `data: ${where}`];
  if (config.seedDemo) {
    lines.push(`demo logins (password "${config.demoPassword}"): ${ROLE_USERS.map((u) => u.username).join(', ')}`);
  }
  process.stdout.write(lines.join('\n') + '\n\n');
}

type Prepared = Extract<PrepareMessage, { prepared: unknown }>['prepared'];

/** Runs prepare.ts in a worker thread; resolves when it has finished and closed its connection, rejects with its error. */
function prepareInWorker(config: Config, onPhase: (phase: 'seeding') => void): Promise<Prepared> {
  return new Promise((resolve, reject) => {
    const worker = startWorker({ workerData: { config } });
    let prepared: Prepared | undefined;
    let failure: unknown;
    worker.on('message', (message: PrepareMessage) => {
      if ('phase' in message) onPhase(message.phase);
      else prepared = message.prepared;
    });
    worker.on('error', (err) => (failure = err));
    worker.on('exit', (code) => {
      if (prepared && failure === undefined && code === 0) resolve(prepared);
      else reject(failure ?? new Error(`the database preparation stopped (exit code ${code})`));
    });
  });
}

/**
 * prepare.ts in whichever form this code runs: compiled, the .js beside this
 * file; under tsx (the tests, `npm run dev`) the .ts, and on Node 20 a worker
 * does not inherit tsx's loader, so it registers it first (as platform/xlsx.ts).
 */
function startWorker(options: WorkerOptions): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./prepare.js', here), options);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./prepare.ts', here).href);
  return new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${entry}); })`, { ...options, eval: true, execArgv: [] });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`suqiu: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`suqiu failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
