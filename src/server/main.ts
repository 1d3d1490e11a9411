import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openConfiguredDatabase } from './db/open.js';
import { migrateToLatest } from './db/migrate.js';
import { ensureDeadlineReferenceData } from './modules/deadlines/reference.js';
import { startScheduler } from './modules/deadlines/scheduler.js';
import { ROLE_USERS } from './modules/demo/organisation.js';
import { seedConsultations } from './modules/demo/consultations.js';
import { seedDemands } from './modules/demo/demands.js';
import { seedManagementLoop } from './modules/demo/management.js';
import { DEFAULT_SEED, seedDemo } from './modules/demo/seed.js';

// Parse the configuration, open and migrate the database, load the demo city
// on first start, listen. Nothing else lives here.

const DEMO_CUSTOMERS_AT_FIRST_START = 5000;
/** Two years of history at first start: enough for the lists, the expert seat's record and the management loop to show something. */
const DEMO_DEMANDS_AT_FIRST_START = 20_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const database = openConfiguredDatabase(config);
  const applied = await migrateToLatest(database);
  await ensureDeadlineReferenceData(database.db, new Date().toISOString());
  const firstStart = (await database.db.selectFrom('units').select('id').limit(1).execute()).length === 0;
  if (config.seedDemo && firstStart) {
    const { timeZone } = config;
    await seedDemo(database, { customers: DEMO_CUSTOMERS_AT_FIRST_START, password: config.demoPassword, knowledge: { dataDir: config.dataDir }, timeZone });
    const now = () => new Date().toISOString();
    await seedDemands(database, { demands: DEMO_DEMANDS_AT_FIRST_START, seed: DEFAULT_SEED, now, timeZone });
    await seedConsultations(database, { seed: DEFAULT_SEED, now, timeZone });
    await seedManagementLoop(database, { now, timeZone });
  }
  const app = await buildApp({ config, database });
  if (applied.length > 0) app.log.info({ migrations: applied }, 'database migrated');

  const scheduler = config.schedulerIntervalSeconds > 0
    ? startScheduler(database, { intervalMs: config.schedulerIntervalSeconds * 1000, clock: () => new Date(), timeZone: config.timeZone, log: (msg, err) => app.log.error({ err }, msg) })
    : undefined;

  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await scheduler?.stop();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${config.port}`;
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `SQLite at ${config.dataDir}/suqiu.db`;
  const lines = [
    '',
    `suqiu is running at ${url}  (API docs: ${url}/api/docs)`,
    `data: ${where}`,
  ];
  if (config.seedDemo) {
    lines.push(`demo logins (password "${config.demoPassword}"): ${ROLE_USERS.map((u) => u.username).join(', ')}`);
  }
  process.stdout.write(lines.join('\n') + '\n\n');
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`suqiu: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`suqiu failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
