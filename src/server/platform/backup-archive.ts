import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { link, mkdir, open, readdir, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Dialect } from '../db/database.js';
import { migrations } from '../db/migrations/index.js';
import { TarError, tarMembers, TarWriter, type TarMember } from './tar.js';

// The backup archive (backup.ts): one tar file holding manifest.json (first),
// the database (suqiu.db, a SQLite copy made with the online backup API, or
// suqiu.pgdump, pg_dump's custom format) and the attachments
// (attachments/<2>/<sha256>, as under SUQIU_DATA_DIR). The manifest names
// every other member with its size and SHA-256, so an archive is checked whole
// before anything is restored from it.

export const BACKUP_FORMAT = 'suqiu-backup';
export const BACKUP_FORMAT_VERSION = 1;

/** The tables whose row counts the manifest carries, checked after a backup and after a restore. */
export const COUNTED_TABLES = ['units', 'users', 'customers', 'demands', 'tasks', 'deadlines', 'articles', 'article_files', 'audit_log'] as const;

export class BackupError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, ' '));
  }
}

export const isMemberName = (name: string) => /^(suqiu\.db|suqiu\.pgdump|attachments\/([0-9a-f]{2})\/\2[0-9a-f]{62})$/.test(name);

const Member = z.object({
  name: z.string().refine(isMemberName, 'not a member a suqiu backup holds'),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const ManifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(BACKUP_FORMAT_VERSION),
  dialect: z.enum(['sqlite', 'postgres']),
  createdAt: z.string(),
  suqiuVersion: z.string(),
  /** The latest migration applied to the database backed up. */
  migration: z.string().nullable(),
  databaseVersion: z.string(),
  pgDumpVersion: z.string().optional(),
  counts: z.record(z.string(), z.number().int().nonnegative()),
  members: z.array(Member),
});

export type Manifest = z.infer<typeof ManifestSchema>;
export type ManifestMember = z.infer<typeof Member>;

export const databaseMember = (dialect: Dialect) => (dialect === 'sqlite' ? 'suqiu.db' : 'suqiu.pgdump');
export const dialectName = (dialect: Dialect) => (dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL');

/** The manifest of an archive, or why the text is not one. */
export function parseManifest(text: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupError('not a suqiu backup: its manifest.json is not JSON');
  }
  const head = json as { format?: unknown; formatVersion?: unknown };
  if (head?.format !== BACKUP_FORMAT) throw new BackupError('not a suqiu backup: its manifest.json is not a suqiu backup manifest');
  if (typeof head.formatVersion === 'number' && head.formatVersion > BACKUP_FORMAT_VERSION) {
    throw new BackupError(`made by a newer suqiu: backup format ${head.formatVersion}, this suqiu reads format ${BACKUP_FORMAT_VERSION}`);
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BackupError(`its manifest.json is not valid: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  const names = new Set(parsed.data.members.map((m) => m.name));
  if (names.size !== parsed.data.members.length) throw new BackupError('its manifest.json names a member twice');
  return parsed.data;
}

/** Why this suqiu must not restore the backup, or null. */
export function restoreProblem(manifest: Manifest, setup: { dialect: Dialect; migrations: readonly string[] }): string | null {
  if (manifest.dialect !== setup.dialect) {
    return (
      `this backup is of a ${dialectName(manifest.dialect)} database, but this suqiu runs on ${dialectName(setup.dialect)}` +
      (manifest.dialect === 'postgres'
        ? ': restore it with DATABASE_URL naming the PostgreSQL database'
        : ': restore it with DATABASE_URL unset (SQLite under SUQIU_DATA_DIR)')
    );
  }
  const latest = [...setup.migrations].sort().at(-1) ?? '(none)';
  if (manifest.migration !== null && !setup.migrations.includes(manifest.migration)) {
    return manifest.migration > latest
      ? `the backup's database is at migration ${manifest.migration}, newer than this suqiu knows (its latest is ${latest}): restore it with suqiu ${manifest.suqiuVersion} or later`
      : `the backup's database is at migration ${manifest.migration}, which this suqiu does not know (its latest is ${latest})`;
  }
  const member = databaseMember(manifest.dialect);
  if (!manifest.members.some((m) => m.name === member)) return `the backup holds no ${member}`;
  return null;
}

/** What differs between the counts and migration a manifest promises and those found; empty when they agree. */
export function countDifferences(expected: Pick<Manifest, 'counts' | 'migration'>, found: Pick<Manifest, 'counts' | 'migration'>): string[] {
  const differences: string[] = [];
  if (expected.migration !== found.migration)
    differences.push(`migration ${found.migration ?? '(none)'} where the manifest says ${expected.migration ?? '(none)'}`);
  for (const [table, count] of Object.entries(expected.counts)) {
    const actual = found.counts[table];
    if (actual !== count) differences.push(`${table}: ${actual ?? 'no table'} rows where the manifest says ${count}`);
  }
  return differences;
}

export const knownMigrations = () => Object.keys(migrations).sort();

export function suqiuVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export async function sha256OfFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** The attachments on disk, as archive members; anything but a finished file (e.g. an upload's `.part`) is left out. */
export async function attachmentFiles(dataDir: string): Promise<{ name: string; path: string }[]> {
  const root = join(dataDir, 'attachments');
  if (!existsSync(root)) return [];
  const files: { name: string; path: string }[] = [];
  for (const folder of (await readdir(root)).sort()) {
    if (!/^[0-9a-f]{2}$/.test(folder)) continue;
    for (const file of (await readdir(join(root, folder))).sort()) {
      const name = `attachments/${folder}/${file}`;
      if (isMemberName(name) && (await stat(join(root, folder, file))).isFile()) files.push({ name, path: join(root, folder, file) });
    }
  }
  return files;
}

/** Hashes the files, then writes the archive: the manifest first, then each file. */
export async function writeArchive(path: string, head: Omit<Manifest, 'members'>, files: { name: string; path: string }[]): Promise<Manifest> {
  const members: ManifestMember[] = [];
  for (const file of files) {
    const { size, sha256 } = await sha256OfFile(file.path);
    members.push({ name: file.name, size, sha256 });
  }
  const manifest: Manifest = { ...head, members };
  const writer = await TarWriter.create(path);
  try {
    await writer.addBytes('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));
    for (const [i, file] of files.entries()) await writer.addFile(file.name, file.path, members[i]!.size);
    await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return manifest;
}

const COMPRESSED: [magic: number[], tool: string][] = [
  [[0x1f, 0x8b], 'gunzip'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a], 'unxz'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'unzstd'],
  [[0x42, 0x5a, 0x68], 'bunzip2'],
];

async function openArchive(file: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BackupError(code === 'ENOENT' ? `${file}: no such file` : `${file}: ${(error as Error).message}`);
  }
  const head = Buffer.alloc(8);
  try {
    await handle.read(head, 0, 8, 0);
  } catch (error) {
    await handle.close();
    throw new BackupError(
      (error as NodeJS.ErrnoException).code === 'EISDIR' ? `${file} is a folder, not a backup file` : `${file}: ${(error as Error).message}`,
    );
  }
  const compressed = COMPRESSED.find(([magic]) => magic.every((byte, i) => head[i] === byte));
  if (compressed) {
    await handle.close();
    throw new BackupError(`${file} is compressed: ${compressed[1]} it first`);
  }
  return handle;
}

async function firstEntryAsManifest(file: string, entries: AsyncGenerator<TarMember>): Promise<Manifest> {
  const first = await entries.next();
  if (first.done || first.value.name !== 'manifest.json') throw new BackupError(`${file} is not a suqiu backup: it does not begin with manifest.json`);
  if (first.value.size > 256 * 1024 * 1024) throw new BackupError(`${file}: its manifest.json is too large to be one`);
  const chunks: Buffer[] = [];
  for await (const chunk of first.value.body) chunks.push(chunk);
  try {
    return parseManifest(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new BackupError(`${file}: ${(error as Error).message}`);
  }
}

function tarProblem(file: string, error: unknown): unknown {
  return error instanceof TarError ? new BackupError(`${file} is not a readable suqiu backup: ${error.message}`) : error;
}

/** The archive's manifest, read without checking the members. */
export async function readManifest(file: string): Promise<Manifest> {
  const handle = await openArchive(file);
  const entries = tarMembers(handle);
  try {
    return await firstEntryAsManifest(file, entries);
  } catch (error) {
    throw tarProblem(file, error);
  } finally {
    await entries.return(undefined);
    await handle.close();
  }
}

/**
 * Reads the whole archive and checks every member against the manifest (its
 * size and SHA-256, none missing, none unlisted); the members `wanted` names
 * are written under `into` meanwhile. Nothing outside `into` is touched.
 */
export async function unpackArchive(file: string, into: string, wanted: (name: string) => boolean = () => true): Promise<Manifest> {
  const handle = await openArchive(file);
  const entries = tarMembers(handle);
  try {
    const manifest = await firstEntryAsManifest(file, entries);
    const listed = new Map(manifest.members.map((m) => [m.name, m]));
    const seen = new Set<string>();
    for await (const entry of entries) {
      const member = listed.get(entry.name);
      if (!member) throw new BackupError(`${file} holds ${entry.name}, which its manifest does not list`);
      if (seen.has(entry.name)) throw new BackupError(`${file} holds ${entry.name} twice`);
      seen.add(entry.name);
      const hash = createHash('sha256');
      let output: FileHandle | null = null;
      if (wanted(entry.name)) {
        await mkdir(dirname(join(into, entry.name)), { recursive: true });
        output = await open(join(into, entry.name), 'wx');
      }
      try {
        for await (const chunk of entry.body) {
          hash.update(chunk);
          if (output) await output.write(chunk);
        }
        if (output) await output.sync();
      } finally {
        await output?.close();
      }
      if (entry.size !== member.size || hash.digest('hex') !== member.sha256) {
        throw new BackupError(`${file} is damaged: ${entry.name} does not match its checksum in the manifest; nothing was restored from it`);
      }
    }
    const missing = manifest.members.find((m) => !seen.has(m.name));
    if (missing) throw new BackupError(`${file} is incomplete: ${missing.name}, listed in its manifest, is missing`);
    return manifest;
  } catch (error) {
    throw tarProblem(file, error);
  } finally {
    await entries.return(undefined);
    await handle.close();
  }
}

/** A unique suffix for the names kept aside during a restore. */
export const asideSuffix = () => `before-restore-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;

/**
 * Puts the restored attachments in place of the live folder, keeping the old
 * one aside until `keep()` (success: it is deleted) or `putBack()`.
 */
export async function placeAttachments(dataDir: string, restored: string): Promise<{ keep(): Promise<void>; putBack(): Promise<void>; aside: string | null }> {
  const live = join(dataDir, 'attachments');
  const aside = existsSync(live) ? join(dataDir, `attachments.${asideSuffix()}`) : null;
  await mkdir(restored, { recursive: true });
  if (aside) await rename(live, aside);
  try {
    await rename(restored, live);
  } catch (error) {
    if (aside) await rename(aside, live);
    throw error;
  }
  return {
    aside,
    keep: async () => {
      if (aside) await rm(aside, { recursive: true, force: true });
    },
    putBack: async () => {
      await rm(live, { recursive: true, force: true });
      if (aside) await rename(aside, live);
    },
  };
}

/** Makes the renames in a folder durable. */
export async function syncFolder(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Moves a finished archive to its name, never over an existing file. */
export async function publishArchive(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
    await unlink(from);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new BackupError(`${to} already exists: name a new file`);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
    if (existsSync(to)) throw new BackupError(`${to} already exists: name a new file`);
    await rename(from, to);
  }
  await syncFolder(dirname(to));
}

export const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
