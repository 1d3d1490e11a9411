import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { migrateToLatest } from './db/migrate.js';
import { openConfiguredDatabase } from './db/open.js';
import { runSchedulerPass } from './scheduler.js';
import { seedDemands } from './modules/demo/demands.js';
import { seedManagementLoop } from './modules/demo/management.js';
import { seedCustomerRelations } from './modules/demo/customers.js';
import { seedOutages } from './modules/demo/outages.js';
import { wireModules } from './wiring.js';
import { seedConsultations } from './modules/demo/consultations.js';
import { DEFAULT_SEED, seedDemo } from './modules/demo/seed.js';
import { CommandError, KNOWLEDGE_HELP, knowledgeCommand } from './modules/knowledge/commands.js';
import { backupDatabase, BackupError, restoreDatabase } from './platform/backup.js';
import { AppError } from './platform/errors.js';

// The command-line tool of docs/API.md: `npm run suqiu -- <command>`.
// Each command works on the database the environment names, like the server.

const HELP = `usage: npm run suqiu -- <command> [options]

commands:
  migrate                         apply the pending database migrations
  seed [--customers N] [--seed S] load the demo city (idempotent); tops the customers up to N (default 5000)
       [--demands N]              and the demands up to N: two years of history (default: none added)
  scheduler --once [--at ISO]     one scheduler pass (warnings, overdue escalations) as of now or of that time
${KNOWLEDGE_HELP}
  backup <file>                   write one archive (tar) of the database and the attachments while the server runs
                                  (SQLite: the online backup API; PostgreSQL: pg_dump), then read it back and check it
  restore <file>                  check a backup's checksums, then replace the database and the attachments with its
                                  own; stop the server first (on PostgreSQL every server), and start it after
  help                            this text

environment: DATABASE_URL (PostgreSQL) or SUQIU_DATA_DIR (SQLite), SUQIU_DEMO_PASSWORD`;

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(HELP + '\n');
    return command ? 0 : 2;
  }
  const config = loadConfig();
  if (command === 'backup' || command === 'restore') {
    // Before the database is opened here: a restore replaces it, and takes a lock that proves no one has it open.
    const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError(`${command} takes one file, e.g. npm run suqiu -- ${command} suqiu-backup.tar`);
    const options = { config, file: positionals[0]!, log: (line: string) => process.stdout.write(line + '\n') };
    await (command === 'backup' ? backupDatabase(options) : restoreDatabase(options));
    return 0;
  }
  const database = openConfiguredDatabase(config);
  try {
    switch (command) {
      case 'migrate': {
        const applied = await migrateToLatest(database);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'the database is up to date\n');
        return 0;
      }
      case 'seed': {
        const { values } = parseArgs({
          args: rest,
          options: { customers: { type: 'string' }, seed: { type: 'string' }, demands: { type: 'string' } },
          strict: true,
        });
        const customers = values.customers === undefined ? 5000 : Number(values.customers);
        const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
        if (!Number.isInteger(customers) || customers < 0) throw new UsageError('--customers must be a whole number');
        if (!Number.isInteger(seed)) throw new UsageError('--seed must be a whole number');
        const demands = values.demands === undefined ? 0 : Number(values.demands);
        if (!Number.isInteger(demands) || demands < 0) throw new UsageError('--demands must be a whole number');
        await migrateToLatest(database);
        const started = Date.now();
        const report = await seedDemo(database, {
          customers,
          seed,
          password: config.demoPassword,
          knowledge: { dataDir: config.dataDir },
          timeZone: config.timeZone,
          log: (m) => process.stdout.write(m + '\n'),
        });
        process.stdout.write(
          `seeded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${report.unitsCreated} units, ${report.usersCreated} users, ` +
            `${report.customersCreated} customers created (${report.customersTotal} in all), ${report.articlesCreated} knowledge articles\n`,
        );
        if (demands > 0) {
          const at = Date.now();
          const history = await seedDemands(database, {
            demands,
            seed,
            now: () => new Date().toISOString(),
            timeZone: config.timeZone,
            log: (m) => process.stdout.write(m + '\n'),
          });
          process.stdout.write(
            `demands in ${((Date.now() - at) / 1000).toFixed(1)} s: ${history.demandsCreated} created (${history.demandsTotal} in all), ` +
              `${history.tasksCreated} work orders, ${history.deadlinesCreated} live deadlines\n`,
          );
          const seat = await seedConsultations(database, { seed, now: () => new Date().toISOString(), timeZone: config.timeZone });
          if (seat.consultationsCreated > 0) process.stdout.write(`expert seat: ${seat.consultationsCreated} consultations of the last 60 days\n`);
          const loop = await seedManagementLoop(database, { now: () => new Date().toISOString(), timeZone: config.timeZone });
          if (loop.batches + loop.evaluations + loop.meetings > 0)
            process.stdout.write(`management loop: ${loop.batches} transfer batches, ${loop.evaluations} published quarters, ${loop.meetings} meeting\n`);
          wireModules();
          const outages = await seedOutages(database, { now: () => new Date().toISOString(), timeZone: config.timeZone });
          if (outages > 0) process.stdout.write(`outages: ${outages} (one in progress with its calls, two announced, one restored)\n`);
          const relations = await seedCustomerRelations(database, { now: () => new Date().toISOString(), timeZone: config.timeZone });
          if (relations.consumption + relations.applications + relations.relations + relations.surveys > 0)
            process.stdout.write(
              `customers: consumption of ${relations.consumption} customers, ${relations.applications} green-channel applications, ${relations.relations} plans and activities, ${relations.surveys} satisfaction survey rows\n`,
            );
        }
        return 0;
      }
      case 'scheduler': {
        const { values } = parseArgs({ args: rest, options: { once: { type: 'boolean' }, at: { type: 'string' } }, strict: true });
        if (!values.once) throw new UsageError('the scheduler runs inside the server; from the command line it runs --once');
        const at = values.at === undefined ? new Date() : new Date(values.at);
        if (Number.isNaN(at.getTime())) throw new UsageError('--at must be an ISO time, e.g. 2026-11-23T09:30:00+08:00');
        await migrateToLatest(database);
        const report = await runSchedulerPass(database.db, at, config.timeZone);
        process.stdout.write(
          `scheduler pass as of ${at.toISOString()}: ${report.warnings} warnings, ${report.escalations} overdue escalations, ${report.handOvers} expert hand-overs, ${report.reminders} expert-seat reminders, ${report.revisionNotices} knowledge revision notices, ${report.transferBatches} transfer batches, ${report.actionItemNotices} action-item notices\n`,
        );
        return 0;
      }
      case 'knowledge': {
        await migrateToLatest(database);
        return await knowledgeCommand(database, config, rest, (line) => process.stdout.write(line + '\n'));
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    await database.close();
  }
}

class UsageError extends Error {}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof AppError || err instanceof BackupError) {
      process.stderr.write(`suqiu: ${err.message}\n`);
      process.exit(1);
    }
    if (
      err instanceof UsageError ||
      err instanceof CommandError ||
      err instanceof ConfigError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`suqiu: ${(err as Error).message}\n\n${HELP}\n`);
      process.exit(2);
    }
    process.stderr.write(`suqiu: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
