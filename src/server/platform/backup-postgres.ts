import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { BackupError, COUNTED_TABLES, countDifferences, firstLine, placeAttachments, syncFolder, unpackArchive } from './backup-archive.js';
import type { DialectBackup, Snapshot } from './backup.js';

// PostgreSQL's part: pg_dump (custom format) of the database DATABASE_URL
// names, in the snapshot the counts were read in, so the manifest's counts
// are the dump's; a restore is pg_restore in one transaction, which leaves
// the database as it was if anything fails.

/** The major version in `pg_dump --version`'s answer ("pg_dump (PostgreSQL) 15.20 (Debian …)"). */
export function toolMajor(versionText: string): number | null {
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(versionText);
  return match ? Number(match[1]) : null;
}

/** The URL for libpq without its password, which goes in PGPASSWORD so no process list shows it. */
export function libpqTarget(url: string): { dbname: string; env: Record<string, string>; database: string } {
  const parsed = new URL(url);
  const env: Record<string, string> = parsed.password ? { PGPASSWORD: decodeURIComponent(parsed.password) } : {};
  parsed.password = '';
  return { dbname: parsed.toString(), env, database: decodeURIComponent(parsed.pathname.slice(1)) || '(default)' };
}

/** The tables (`schema.name`) an archive's table of contents (`pg_restore --list`) creates and fills. */
export function tocTables(list: string): { tables: Set<string>; data: Set<string> } {
  const tables = new Set<string>();
  const data = new Set<string>();
  for (const line of list.split('\n')) {
    const entry = /^\s*\d+;\s+\d+\s+\d+\s+(TABLE DATA|TABLE)\s+(\S+)\s+(\S+)\s/.exec(line);
    if (entry) (entry[1] === 'TABLE' ? tables : data).add(`${entry[2]}.${entry[3]}`);
  }
  return { tables, data };
}

function run(tool: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new BackupError(`${tool} was not found on PATH: install the PostgreSQL client programs (postgresql-client) of the server's major version or later`)
          : error,
      ),
    );
    child.on('close', (code) => {
      if (code === 0) return resolve(Buffer.concat(out).toString('utf8'));
      const lines = Buffer.concat(err)
        .toString('utf8')
        .trim()
        .split('\n')
        .filter((l) => !/^\s*(Command was:|$)/.test(l));
      const message = lines.find((l) => /error:/.test(l)) ?? lines.at(-1) ?? `exit code ${code}`;
      reject(new BackupError(`${tool} failed: ${message.trim()}`));
    });
  });
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new BackupError(`cannot connect to the PostgreSQL database of DATABASE_URL: ${firstLine(error)}`);
  }
  return client;
}

/** The client program's version, refused when older than the server (pg_dump cannot read a newer server). */
async function toolFor(tool: 'pg_dump' | 'pg_restore', client: pg.Client): Promise<{ version: string; major: number }> {
  const version = (await run(tool, ['--version'])).trim();
  const major = toolMajor(version);
  if (major === null) throw new BackupError(`cannot read ${tool}'s version from "${version}"`);
  const server = Number((await client.query<{ v: string }>('SHOW server_version_num')).rows[0]!.v);
  const serverMajor = Math.floor(server / 10000);
  if (serverMajor > major)
    throw new BackupError(
      `the PostgreSQL server is version ${serverMajor} but ${tool} on PATH is version ${major}: install the client programs of version ${serverMajor} or later`,
    );
  return { version, major };
}

async function describePostgres(client: pg.Client): Promise<Pick<Snapshot, 'counts' | 'migration' | 'attachments'>> {
  const exists = async (table: string) => (await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table])).rows[0]!.t !== null;
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES)
    if (await exists(table)) counts[table] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  const migration = (await exists('kysely_migration'))
    ? ((await client.query<{ m: string | null }>('SELECT max(name) AS m FROM kysely_migration')).rows[0]!.m ?? null)
    : null;
  const attachments = new Set(
    (await exists('article_files')) ? (await client.query<{ sha256: string }>('SELECT DISTINCT sha256 FROM article_files')).rows.map((r) => r.sha256) : [],
  );
  return { counts, migration, attachments };
}

/** The suqiu servers and anything else connected: pg_restore would wait on their locks or pull tables from under them. */
async function otherConnections(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ who: string }>(
    `SELECT coalesce(nullif(application_name, ''), host(client_addr), 'local') AS who FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
  );
  return rows.map((r) => r.who);
}

export function postgresBackup(url: string, dataDir: string): DialectBackup {
  const target = libpqTarget(url);
  return {
    async snapshot(work) {
      const client = await connect(url);
      try {
        const tool = await toolFor('pg_dump', client);
        const databaseVersion = `PostgreSQL ${(await client.query<{ v: string }>('SHOW server_version')).rows[0]!.v}`;
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const snapshotId = (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id;
        const described = await describePostgres(client);
        const path = join(work, 'suqiu.pgdump');
        // The transaction stays open until pg_dump has read the snapshot it exported.
        await run('pg_dump', ['--format=custom', '--no-owner', `--snapshot=${snapshotId}`, `--file=${path}`, `--dbname=${target.dbname}`], target.env);
        await client.query('COMMIT');
        return { path, databaseVersion, pgDumpVersion: tool.version, ...described };
      } finally {
        await client.end().catch(() => undefined);
      }
    },

    async checkCopy(path, manifest) {
      const { tables, data } = tocTables(await run('pg_restore', ['--list', path]));
      const names = (set: Set<string>) => new Set([...set].map((t) => t.slice(t.indexOf('.') + 1)));
      const missing = Object.keys(manifest.counts).filter((t) => !names(tables).has(t) || !names(data).has(t));
      if (missing.length > 0) throw new BackupError(`the archived suqiu.pgdump lacks the tables ${missing.join(', ')}`);
      return `pg_restore --list reads it (${tables.size} tables)`;
    },

    async restore(file, manifest) {
      let client = await connect(url);
      let staging: string | null = null;
      try {
        const tool = await toolFor('pg_restore', client);
        const made = manifest.pgDumpVersion ? toolMajor(manifest.pgDumpVersion) : null;
        if (made !== null && made > tool.major)
          throw new BackupError(
            `${file} was written by pg_dump ${made} but pg_restore on PATH is version ${tool.major}: install the client programs of version ${made} or later`,
          );
        staging = await mkdtemp(join(dataDir, '.restore-'));
        await unpackArchive(file, staging);
        const dump = join(staging, 'suqiu.pgdump');
        const { tables } = tocTables(await run('pg_restore', ['--list', dump]));
        // A server that just stopped may still be leaving: give its connections a few seconds.
        let others = await otherConnections(client);
        for (let i = 0; i < 10 && others.length > 0; i++) {
          await new Promise((r) => setTimeout(r, 300));
          others = await otherConnections(client);
        }
        if (others.length > 0)
          throw new BackupError(
            `database "${target.database}" has ${others.length} other connections (${[...new Set(others)].join(', ')}): stop the suqiu servers before a restore`,
          );
        const live = (
          await client.query<{ t: string }>(
            "SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
          )
        ).rows.map((r) => r.t);
        const extra = live.filter((t) => !tables.has(t));
        if (extra.length > 0)
          throw new BackupError(
            `database "${target.database}" holds tables the backup does not (${extra.slice(0, 5).join(', ')}): restore into an empty database (createdb) or one at the backup's migration`,
          );
        await client.end();

        const attachments = await placeAttachments(dataDir, join(staging, 'attachments'));
        try {
          await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', `--dbname=${target.dbname}`, dump], target.env);
        } catch (error) {
          await attachments.putBack();
          throw error instanceof BackupError ? new BackupError(`${error.message}; the database and attachments are as they were`) : error;
        }
        client = await connect(url);
        const differences = countDifferences(manifest, await describePostgres(client));
        if (differences.length > 0) {
          throw new BackupError(
            `the restored database does not match the backup's manifest: ${differences.join('; ')}` +
              (attachments.aside ? `; the attachments before the restore are kept in ${attachments.aside}` : ''),
          );
        }
        await syncFolder(dataDir);
        await attachments.keep();
      } finally {
        await client.end().catch(() => undefined);
        if (staging) await rm(staging, { recursive: true, force: true });
      }
    },
  };
}
