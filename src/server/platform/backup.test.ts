import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import {
  attachmentFiles,
  countDifferences,
  isMemberName,
  parseManifest,
  placeAttachments,
  restoreProblem,
  unpackArchive,
  writeArchive,
  type Manifest,
} from './backup-archive.js';
import { libpqTarget, tocTables, toolMajor } from './backup-postgres.js';
import { TarWriter } from './tar.js';

const SHA = 'ab' + '0'.repeat(62);

const manifest = (over: Partial<Manifest> = {}): Manifest => ({
  format: 'suqiu-backup',
  formatVersion: 1,
  dialect: 'sqlite',
  createdAt: '2026-12-06T01:00:00.000Z',
  suqiuVersion: '0.1.0',
  migration: '20261206020000_hardening',
  databaseVersion: 'SQLite 3.50.4',
  counts: { demands: 3, users: 10 },
  members: [
    { name: 'suqiu.db', size: 4096, sha256: SHA },
    { name: `attachments/ab/${SHA}`, size: 10, sha256: SHA },
  ],
  ...over,
});

const MIGRATIONS = ['20261123000000_foundation', '20261206020000_hardening'];

test('a manifest parses, and what is not one says so', () => {
  assert.deepEqual(parseManifest(JSON.stringify(manifest())), manifest());
  assert.throws(() => parseManifest('PK\u0003\u0004'), /not a suqiu backup: its manifest.json is not JSON/);
  assert.throws(() => parseManifest('{"format":"other"}'), /not a suqiu backup manifest/);
  assert.throws(() => parseManifest(JSON.stringify({ ...manifest(), formatVersion: 2 })), /newer suqiu: backup format 2, this suqiu reads format 1/);
  assert.throws(
    () => parseManifest(JSON.stringify(manifest({ members: [{ name: '../etc/passwd', size: 1, sha256: SHA }] }))),
    /members\.0\.name: not a member/,
  );
  assert.throws(() => parseManifest(JSON.stringify(manifest({ members: [manifest().members[0]!, manifest().members[0]!] }))), /names a member twice/);
});

test('member names: the database and content-named attachments only, never a path out of the folder', () => {
  assert.ok(isMemberName('suqiu.db'));
  assert.ok(isMemberName('suqiu.pgdump'));
  assert.ok(isMemberName(`attachments/ab/${SHA}`));
  assert.ok(!isMemberName(`attachments/cd/${SHA}`), 'the folder is the name’s first two characters');
  assert.ok(!isMemberName(`attachments/ab/${SHA}.part`));
  assert.ok(!isMemberName('attachments/../suqiu.db'));
  assert.ok(!isMemberName('/suqiu.db'));
});

test('a restore refuses the other dialect and a migration newer than the code, naming both', () => {
  assert.equal(restoreProblem(manifest(), { dialect: 'sqlite', migrations: MIGRATIONS }), null);
  assert.match(
    restoreProblem(manifest(), { dialect: 'postgres', migrations: MIGRATIONS })!,
    /backup is of a SQLite database, but this suqiu runs on PostgreSQL: restore it with DATABASE_URL unset/,
  );
  assert.match(
    restoreProblem(manifest({ dialect: 'postgres', members: [{ name: 'suqiu.pgdump', size: 1, sha256: SHA }] }), {
      dialect: 'sqlite',
      migrations: MIGRATIONS,
    })!,
    /of a PostgreSQL database, but this suqiu runs on SQLite: restore it with DATABASE_URL naming/,
  );
  assert.equal(
    restoreProblem(manifest({ migration: '20270101000000_future', suqiuVersion: '0.2.0' }), { dialect: 'sqlite', migrations: MIGRATIONS }),
    "the backup's database is at migration 20270101000000_future, newer than this suqiu knows (its latest is 20261206020000_hardening): restore it with suqiu 0.2.0 or later",
  );
  assert.match(
    restoreProblem(manifest({ migration: '20261124000000_gone' }), { dialect: 'sqlite', migrations: MIGRATIONS })!,
    /which this suqiu does not know/,
  );
  assert.equal(
    restoreProblem(manifest({ migration: '20261123000000_foundation' }), { dialect: 'sqlite', migrations: MIGRATIONS }),
    null,
    'an older backup is restored; the server migrates it',
  );
  assert.match(restoreProblem(manifest({ members: [] }), { dialect: 'sqlite', migrations: MIGRATIONS })!, /holds no suqiu\.db/);
});

test('count differences name the table and both numbers', () => {
  assert.deepEqual(countDifferences(manifest(), { counts: { demands: 3, users: 10, extra: 1 }, migration: manifest().migration }), []);
  assert.deepEqual(countDifferences(manifest(), { counts: { demands: 2 }, migration: null }), [
    'migration (none) where the manifest says 20261206020000_hardening',
    'demands: 2 rows where the manifest says 3',
    'users: no table rows where the manifest says 10',
  ]);
});

test('pg_dump helpers: the client’s major version, the password kept off the command line, the tables of a TOC', () => {
  assert.equal(toolMajor('pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)'), 15);
  assert.equal(toolMajor('pg_restore (PostgreSQL) 17beta1'), 17);
  assert.equal(toolMajor('something else'), null);
  assert.deepEqual(libpqTarget('postgres://suqiu:p%40ss@db.example:5432/suqiu?sslmode=require'), {
    dbname: 'postgres://suqiu@db.example:5432/suqiu?sslmode=require',
    env: { PGPASSWORD: 'p@ss' },
    database: 'suqiu',
  });
  assert.deepEqual(libpqTarget('postgres://postgres@127.0.0.1/test').env, {});
  const toc = [
    ';',
    '; Archive created at 2026-12-06 09:00:00 CST',
    '215; 1259 16390 TABLE public demands postgres',
    '216; 1259 16391 SEQUENCE public demands_id_seq postgres',
    '3401; 0 16390 TABLE DATA public demands postgres',
    '220; 1259 16400 TABLE public users postgres',
    '3160; 2606 16398 CONSTRAINT public demands demands_pkey postgres',
  ].join('\n');
  assert.deepEqual(tocTables(toc), { tables: new Set(['public.demands', 'public.users']), data: new Set(['public.demands']) });
});

test('an archive round trip: unpacked as written; a flipped byte, a missing or an unlisted member is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'suqiu-backup-unit-'));
  try {
    const data = join(dir, 'data');
    const bytes = Buffer.from('the attachment');
    const sha = createHash('sha256').update(bytes).digest('hex');
    mkdirSync(join(data, 'attachments', sha.slice(0, 2)), { recursive: true });
    writeFileSync(join(data, 'attachments', sha.slice(0, 2), sha), bytes);
    writeFileSync(join(data, 'attachments', sha.slice(0, 2), `${sha}.1234.part`), 'half an upload');
    writeFileSync(join(data, 'suqiu.db'), 'database bytes');
    const files = [{ name: 'suqiu.db', path: join(data, 'suqiu.db') }, ...(await attachmentFiles(data))];
    assert.deepEqual(
      files.map((f) => f.name),
      ['suqiu.db', `attachments/${sha.slice(0, 2)}/${sha}`],
      'an upload under way is left out',
    );

    const { members: _, ...head } = manifest();
    const archive = join(dir, 'a.tar');
    const written = await writeArchive(archive, head, files);
    assert.equal(written.members[1]!.sha256, sha);
    const out = join(dir, 'out');
    assert.deepEqual(await unpackArchive(archive, out), written);
    assert.equal(readFileSync(join(out, 'attachments', sha.slice(0, 2), sha), 'utf8'), 'the attachment');

    const tampered = readFileSync(archive);
    const at = tampered.indexOf('database bytes');
    tampered[at] = tampered[at]! ^ 0x20;
    writeFileSync(join(dir, 'tampered.tar'), tampered);
    await assert.rejects(
      unpackArchive(join(dir, 'tampered.tar'), join(dir, 'out2'), () => false),
      /tampered\.tar is damaged: suqiu\.db does not match its checksum in the manifest/,
    );

    const partial = await TarWriter.create(join(dir, 'partial.tar'));
    await partial.addBytes('manifest.json', Buffer.from(JSON.stringify(written)));
    await partial.addFile('suqiu.db', join(data, 'suqiu.db'), written.members[0]!.size);
    await partial.finish();
    await assert.rejects(
      unpackArchive(join(dir, 'partial.tar'), join(dir, 'out3'), () => false),
      /partial\.tar is incomplete: attachments\/.* is missing/,
    );

    const extra = await TarWriter.create(join(dir, 'extra.tar'));
    await extra.addBytes('manifest.json', Buffer.from(JSON.stringify({ ...written, members: [] })));
    await extra.addBytes('suqiu.db', Buffer.from('x'));
    await extra.finish();
    await assert.rejects(
      unpackArchive(join(dir, 'extra.tar'), join(dir, 'out4'), () => false),
      /holds suqiu\.db, which its manifest does not list/,
    );

    await assert.rejects(unpackArchive(join(dir, 'nothing.tar'), out), /nothing\.tar: no such file/);
    writeFileSync(join(dir, 'a.tar.gz'), gzipSync(readFileSync(archive)));
    await assert.rejects(unpackArchive(join(dir, 'a.tar.gz'), out), /a\.tar\.gz is compressed: gunzip it first/);
    await assert.rejects(unpackArchive(dir, out), /is a folder, not a backup file/);
    writeFileSync(join(dir, 'notes.txt'), 'not an archive at all');
    await assert.rejects(unpackArchive(join(dir, 'notes.txt'), out), /notes\.txt is not a readable suqiu backup: not a tar archive/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('restored attachments replace the live folder, which is kept aside until the restore is done', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'suqiu-backup-unit-'));
  try {
    const folder = (name: string, file: string) => {
      mkdirSync(join(dir, name, 'ab'), { recursive: true });
      writeFileSync(join(dir, name, 'ab', file), file);
    };
    const files = () => readdirSync(join(dir, 'attachments', 'ab'));
    folder('attachments', 'old');
    folder('restored', 'new');
    const failed = await placeAttachments(dir, join(dir, 'restored'));
    assert.deepEqual(files(), ['new']);
    assert.ok(failed.aside && existsSync(failed.aside));
    await failed.putBack();
    assert.deepEqual(files(), ['old'], 'a failed restore puts the old folder back');
    assert.deepEqual(readdirSync(dir).sort(), ['attachments']);

    folder('restored', 'new');
    const done = await placeAttachments(dir, join(dir, 'restored'));
    await done.keep();
    assert.deepEqual(files(), ['new']);
    assert.deepEqual(readdirSync(dir).sort(), ['attachments'], 'the old folder is deleted once the restore is done');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
