import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from './config.js';
import { openConfiguredDatabase } from './db/open.js';
import { migrateToLatest } from './db/migrate.js';
import { ensureDeadlineReferenceData } from './modules/deadlines/reference.js';
import { seedConsultations } from './modules/demo/consultations.js';
import { seedDemands } from './modules/demo/demands.js';
import { seedCustomerRelations } from './modules/demo/customers.js';
import { seedOutages } from './modules/demo/outages.js';
import { wireModules } from './wiring.js';
import { seedManagementLoop } from './modules/demo/management.js';
import { DEFAULT_SEED, seedDemo } from './modules/demo/seed.js';

// The database made ready for this version of the code: its migrations, the
// deadlines' reference data, and on a first start the demo city. main.ts runs
// this in a worker thread with a connection of its own: a migration or the
// demo seed holds its thread for seconds at a time, and the server's thread
// must go on answering /healthz and /readyz meanwhile.

export type PrepareMessage = { phase: 'seeding' } | { prepared: { migrations: string[]; seeded: boolean } };

const DEMO_CUSTOMERS_AT_FIRST_START = 5000;
/** Two years of history at first start: enough for the lists, the expert seat's record and the management loop to show something. */
const DEMO_DEMANDS_AT_FIRST_START = 20_000;

const port = parentPort;
if (port === null) throw new Error('prepare.ts runs in the worker thread main.ts starts');
const send = (message: PrepareMessage) => port.postMessage(message);

const config = (workerData as { config: Config }).config;
const database = openConfiguredDatabase(config);
try {
  const migrations = await migrateToLatest(database);
  await ensureDeadlineReferenceData(database.db, new Date().toISOString());
  const firstStart = (await database.db.selectFrom('units').select('id').limit(1).execute()).length === 0;
  const seeded = config.seedDemo && firstStart;
  if (seeded) {
    send({ phase: 'seeding' });
    const { timeZone } = config;
    await seedDemo(database, { customers: DEMO_CUSTOMERS_AT_FIRST_START, password: config.demoPassword, knowledge: { dataDir: config.dataDir }, timeZone });
    const now = () => new Date().toISOString();
    await seedDemands(database, { demands: DEMO_DEMANDS_AT_FIRST_START, seed: DEFAULT_SEED, now, timeZone });
    await seedConsultations(database, { seed: DEFAULT_SEED, now, timeZone });
    await seedManagementLoop(database, { now, timeZone });
    // The demo's calls during an outage are linked to it, as the app links them.
    wireModules();
    await seedOutages(database, { now, timeZone });
    await seedCustomerRelations(database, { now, timeZone });
  }
  send({ prepared: { migrations, seeded } });
} finally {
  await database.close();
}
