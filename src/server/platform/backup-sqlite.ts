import BetterSqlite3 from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { copyFile, link, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { asideSuffix, BackupError, COUNTED_TABLES, countDifferences, placeAttachments, syncFolder, unpackArchive, type Manifest } from './backup-archive.js';
import type { DialectBackup, Snapshot } from './backup.js';

// SQLite's part: the copy is made with the online backup API while the
// server writes; a restore replaces suqiu.db by a rename, with the server
// stopped (an exclusive lock on the live file proves no one has it open).

// better-sqlite3's own step: 100 pages, then back to the event loop.
const STEP_PAGES = 100;
const ALL_PAGES = 0x7fffffff;

type Sqlite = BetterSqlite3.Database;

function tableNames(sqlite: Sqlite): Set<string> {
  return new Set(sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
}

/** The counts, latest migration and named attachments of a SQLite database. */
export function describeSqlite(sqlite: Sqlite): Pick<Snapshot, 'counts' | 'migration' | 'attachments'> {
  const tables = tableNames(sqlite);
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES) if (tables.has(table)) counts[table] = sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const migration = tables.has('kysely_migration') ? ((sqlite.prepare('SELECT max(name) FROM kysely_migration').pluck().get() as string | null) ?? null) : null;
  const attachments = new Set(tables.has('article_files') ? (sqlite.prepare('SELECT DISTINCT sha256 FROM article_files').pluck().all() as string[]) : []);
  return { counts, migration, attachments };
}

function integrityOf(sqlite: Sqlite): string {
  const rows = sqlite.prepare('PRAGMA integrity_check').pluck().all() as string[];
  return rows.join('; ');
}

/** Opens a copy read-only and checks it: integrity_check, then the counts and migration the manifest names. */
function checkSqliteFile(path: string, manifest: Pick<Manifest, 'counts' | 'migration'>, what: string): void {
  const sqlite = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = integrityOf(sqlite);
    if (integrity !== 'ok') throw new BackupError(`${what} fails SQLite's integrity check: ${integrity.slice(0, 200)}`);
    const differences = countDifferences(manifest, describeSqlite(sqlite));
    if (differences.length > 0) throw new BackupError(`${what} does not match its manifest: ${differences.join('; ')}`);
  } finally {
    sqlite.close();
  }
}

/**
 * Takes an exclusive lock on the live database, which succeeds only when no
 * other connection has it open (in WAL mode each holds a shared lock for its
 * life): the proof that the server is stopped. Then folds the write-ahead log
 * into the database file, so that the file alone holds every commit.
 */
function foldStoppedDatabase(path: string): void {
  let sqlite: Sqlite;
  try {
    sqlite = new BetterSqlite3(path, { fileMustExist: true, timeout: 0 });
    sqlite.pragma('locking_mode = EXCLUSIVE');
  } catch {
    return; // not a database SQLite can open: nothing to fold
  }
  try {
    sqlite.exec('BEGIN EXCLUSIVE');
    sqlite.exec('COMMIT');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY')
      throw new BackupError(`${path} is in use: stop the suqiu server (and anything else that has the database open) before a restore`);
    throw error;
  } finally {
    sqlite.close();
  }
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) throw new BackupError(`could not fold ${wal} into the database; nothing was changed`);
}

export function sqliteBackup(dataDir: string): DialectBackup {
  const live = join(dataDir, 'suqiu.db');
  return {
    async snapshot(work) {
      if (!existsSync(live)) throw new BackupError(`there is no database at ${live} (SUQIU_DATA_DIR)`);
      const path = join(work, 'suqiu.db');
      const source = new BetterSqlite3(live, { readonly: true, fileMustExist: true, timeout: 5000 });
      let databaseVersion: string;
      let restarted = false as boolean;
      try {
        databaseVersion = `SQLite ${source.prepare('SELECT sqlite_version()').pluck().get() as string}`;
        let remaining = Infinity;
        await source.backup(path, {
          progress({ remainingPages }) {
            // Another connection's commit restarts the copy at its next step; after a
            // restart the rest goes in one step, one read transaction, which in WAL mode
            // never holds up the server's writes.
            if (remainingPages > remaining) restarted = true;
            remaining = remainingPages;
            return restarted ? ALL_PAGES : STEP_PAGES;
          },
        });
      } finally {
        source.close();
      }
      const copy = new BetterSqlite3(path, { fileMustExist: true });
      try {
        // One self-contained file: no write-ahead log beside it.
        copy.pragma('journal_mode = DELETE');
        const integrity = integrityOf(copy);
        if (integrity !== 'ok') throw new BackupError(`the copy of ${live} fails SQLite's integrity check: ${integrity.slice(0, 200)}`);
        return {
          path,
          databaseVersion,
          ...describeSqlite(copy),
          ...(restarted && { note: 'the server wrote during the copy: after its restart the copy was finished in one step' }),
        };
      } finally {
        copy.close();
      }
    },

    async checkCopy(path, manifest) {
      checkSqliteFile(path, manifest, 'the archived suqiu.db');
      return 'integrity_check ok, counts and migration as in the manifest';
    },

    async restore(file, manifest) {
      await mkdir(dataDir, { recursive: true });
      // Unpacked beside the live files (the same file system, so the renames below are atomic).
      const staging = await mkdtemp(join(dataDir, '.restore-'));
      try {
        await unpackArchive(file, staging);
        checkSqliteFile(join(staging, 'suqiu.db'), manifest, `${file}'s suqiu.db`);

        if (existsSync(live)) foldStoppedDatabase(live);
        const aside = existsSync(live) ? `${live}.${asideSuffix()}` : null;
        if (aside) await link(live, aside).catch(() => copyFile(live, aside));
        await rm(`${live}-wal`, { force: true });
        await rm(`${live}-shm`, { force: true });
        await rename(join(staging, 'suqiu.db'), live);
        let attachments: Awaited<ReturnType<typeof placeAttachments>> | null = null;
        try {
          attachments = await placeAttachments(dataDir, join(staging, 'attachments'));
          checkSqliteFile(live, manifest, `the restored ${live}`);
        } catch (error) {
          await attachments?.putBack();
          if (aside) await rename(aside, live);
          else await rm(live, { force: true });
          throw error instanceof BackupError ? new BackupError(`${error.message}; the database and attachments are as they were`) : error;
        }
        await syncFolder(dataDir);
        await attachments.keep();
        if (aside) await rm(aside, { force: true });
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
    },
  };
}
