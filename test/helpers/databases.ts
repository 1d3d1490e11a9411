import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createDatabase, type Database } from '../../src/server/db/database.js';
import { MIGRATION_LOCK, migrateToLatest } from '../../src/server/db/migrate.js';

// Every data test runs on SQLite, and again on PostgreSQL when
// TEST_DATABASE_URL is set. Each PostgreSQL run gets a schema of its own, so
// test files can run side by side on one database.

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  /** A fresh, migrated database and the means to throw it away. */
  open(): Promise<{ database: Database; cleanup: () => Promise<void> }>;
}

const sqlite: TestDatabase = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'suqiu-test-'));
    const database = createDatabase({ dialect: 'sqlite', filename: join(dir, 'suqiu.db') });
    await migrateToLatest(database);
    return {
      database,
      cleanup: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

function postgres(url: string): TestDatabase {
  return {
    name: 'postgres',
    async open() {
      const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      const database = createDatabase({ dialect: 'postgres', url, searchPath: schema, poolSize: 4 });
      await migrateToLatest(database);
      return {
        database,
        cleanup: async () => {
          await database.close();
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          // Not while another schema's migration reads the catalog (db/migrate.ts MIGRATION_LOCK).
          await client.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
          await client.query(`DROP SCHEMA ${schema} CASCADE`);
          await client.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]);
          await client.end();
        },
      };
    },
  };
}

export function testDatabases(): TestDatabase[] {
  const url = process.env.TEST_DATABASE_URL;
  return url ? [sqlite, postgres(url)] : [sqlite];
}
