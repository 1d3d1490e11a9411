import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Config } from '../config.js';
import type { Dialect } from '../db/database.js';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BackupError,
  attachmentFiles,
  databaseMember,
  dialectName,
  firstLine,
  knownMigrations,
  megabytes,
  plural,
  publishArchive,
  readManifest,
  restoreProblem,
  suqiuVersion,
  unpackArchive,
  writeArchive,
  type Manifest,
} from './backup-archive.js';
import { postgresBackup } from './backup-postgres.js';
import { sqliteBackup } from './backup-sqlite.js';

// `suqiu backup <file>` and `suqiu restore <file>` (the archive's format is
// backup-archive.ts's). A backup is taken while the server serves, written
// beside its final name, read back and checked, and only then given its name.
// A restore checks the whole archive before it touches anything, and keeps
// what it replaces until the restored data is checked.

export { BackupError } from './backup-archive.js';

export interface BackupOptions {
  config: Config;
  file: string;
  log: (line: string) => void;
}

export interface Snapshot {
  /** The database's file, written into the work folder. */
  path: string;
  migration: string | null;
  counts: Record<string, number>;
  /** The attachments the database names (article_files.sha256). */
  attachments: Set<string>;
  databaseVersion: string;
  pgDumpVersion?: string;
  /** Said to the operator with the result. */
  note?: string;
}

/** The dialect's part of a backup and a restore (backup-sqlite.ts, backup-postgres.ts). */
export interface DialectBackup {
  snapshot(work: string): Promise<Snapshot>;
  /** Checks the database member as unpacked from the written archive; returns what was checked. */
  checkCopy(path: string, manifest: Manifest): Promise<string>;
  /** Replaces the live database and attachments with the archive's, checked before and after. */
  restore(file: string, manifest: Manifest): Promise<void>;
}

/** Writes the archive next to its final name, checks it as read back, then gives it its name. */
async function writeBackup(dialect: Dialect, part: DialectBackup, { config, file, log }: BackupOptions): Promise<void> {
  const target = resolve(file);
  if (existsSync(target)) throw new BackupError(`${file} already exists: name a new file`);
  if (!existsSync(dirname(target))) throw new BackupError(`${dirname(file)}: no such folder`);
  const work = await mkdtemp(join(dirname(target), `.${basename(target)}.`));
  try {
    const started = Date.now();
    const snapshot = await part.snapshot(work);
    // Listed after the database's snapshot: a file is on disk before the row that names it, so every row has its file.
    const attachments = await attachmentFiles(config.dataDir);
    const onDisk = new Set(attachments.map((a) => basename(a.name)));
    const missing = [...snapshot.attachments].filter((sha) => !onDisk.has(sha));
    if (missing.length > 0)
      log(`warning: ${missing.length} attachments the database names are not under ${join(config.dataDir, 'attachments')} (e.g. ${missing[0]})`);
    const archive = join(work, 'archive.tar');
    const manifest = await writeArchive(
      archive,
      {
        format: BACKUP_FORMAT,
        formatVersion: BACKUP_FORMAT_VERSION,
        dialect,
        createdAt: new Date().toISOString(),
        suqiuVersion: suqiuVersion(),
        migration: snapshot.migration,
        databaseVersion: snapshot.databaseVersion,
        ...(snapshot.pgDumpVersion && { pgDumpVersion: snapshot.pgDumpVersion }),
        counts: snapshot.counts,
      },
      [{ name: databaseMember(dialect), path: snapshot.path }, ...attachments],
    );
    await rm(snapshot.path);
    const check = join(work, 'check');
    await unpackArchive(archive, check, (name) => name === databaseMember(dialect));
    const checked = await part.checkCopy(join(check, databaseMember(dialect)), manifest);
    await publishArchive(archive, target);
    const size = (await stat(target)).size;
    log(
      `backup written: ${file} (${dialectName(dialect)}, ${megabytes(size)}, ${plural(attachments.length, 'attachment')}, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    log(
      `  migration ${manifest.migration ?? '(none)'}; ${Object.entries(manifest.counts)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}`,
    );
    if (snapshot.note) log(`  ${snapshot.note}`);
    log(`  checked as read back: every member's SHA-256, ${checked}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Reads the manifest, refuses what this suqiu must not restore, then hands over to the dialect. */
async function restoreBackup(dialect: Dialect, part: DialectBackup, { file, log }: BackupOptions): Promise<void> {
  const manifest = await readManifest(file);
  const problem = restoreProblem(manifest, { dialect, migrations: knownMigrations() });
  if (problem) throw new BackupError(`${file}: ${problem}`);
  await part.restore(file, manifest);
  const latest = knownMigrations().at(-1);
  const pending = knownMigrations().filter((m) => manifest.migration === null || m > manifest.migration).length;
  log(
    `restored ${file}, made ${manifest.createdAt} by suqiu ${manifest.suqiuVersion}: ${Object.entries(manifest.counts)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}; ${plural(manifest.members.length - 1, 'attachment')}`,
  );
  if (pending > 0) log(`  the server applies ${plural(pending, 'newer migration')} (up to ${latest}) when it starts`);
}

function partFor(config: Config): [Dialect, DialectBackup] {
  return config.databaseUrl ? ['postgres', postgresBackup(config.databaseUrl, config.dataDir)] : ['sqlite', sqliteBackup(config.dataDir)];
}

/** Any failure as one line naming what went wrong, never a stack trace. */
async function oneLine(what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    throw error instanceof BackupError ? error : new BackupError(`${what} failed: ${firstLine(error)}`);
  }
}

export const backupDatabase = (options: BackupOptions) => oneLine('the backup', () => writeBackup(...partFor(options.config), options));
export const restoreDatabase = (options: BackupOptions) => oneLine('the restore', () => restoreBackup(...partFor(options.config), options));
