import { join } from 'node:path';
import type { Config } from '../config.js';
import { createDatabase, type Database } from './database.js';

/** The database the configuration names: PostgreSQL when DATABASE_URL is set, else the embedded SQLite file. */
export function openConfiguredDatabase(config: Config): Database {
  return config.databaseUrl
    ? createDatabase({ dialect: 'postgres', url: config.databaseUrl })
    : createDatabase({ dialect: 'sqlite', filename: join(config.dataDir, 'suqiu.db') });
}
