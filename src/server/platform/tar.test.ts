import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TarError, tarMembers, TarWriter } from './tar.js';

// What tar.ts adds to tar-stream: the strict reading the backup relies on.

const withDir = async (work: (dir: string) => Promise<void>) => {
  const dir = mkdtempSync(join(tmpdir(), 'suqiu-tar-'));
  try {
    await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

async function readAll(path: string) {
  const handle = await open(path, 'r');
  try {
    const members: { name: string; bytes: Buffer; chunks: number }[] = [];
    for await (const member of tarMembers(handle)) {
      const chunks: Buffer[] = [];
      for await (const chunk of member.body) chunks.push(chunk);
      members.push({ name: member.name, bytes: Buffer.concat(chunks), chunks: chunks.length });
    }
    return members;
  } finally {
    await handle.close();
  }
}

async function names(path: string) {
  const handle = await open(path, 'r');
  try {
    const found: string[] = [];
    for await (const member of tarMembers(handle)) found.push(member.name);
    return found;
  } finally {
    await handle.close();
  }
}

async function write(path: string, members: [name: string, bytes: Buffer][]) {
  const writer = await TarWriter.create(path);
  for (const [name, bytes] of members) await writer.addBytes(name, bytes);
  await writer.finish();
}

test('an archive written here reads back whole, streamed, and GNU tar reads it too', async () => {
  await withDir(async (dir) => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 7);
    writeFileSync(join(dir, 'big.bin'), big);
    const archive = join(dir, 'a.tar');
    const writer = await TarWriter.create(archive);
    await writer.addBytes('manifest.json', Buffer.from('{"a":1}'));
    await writer.addFile('suqiu.db', join(dir, 'big.bin'), big.length);
    await writer.addBytes('attachments/ab/empty', Buffer.alloc(0));
    await writer.finish();
    const members = await readAll(archive);
    assert.deepEqual(
      members.map((m) => [m.name, m.bytes.length]),
      [
        ['manifest.json', 7],
        ['suqiu.db', big.length],
        ['attachments/ab/empty', 0],
      ],
    );
    assert.ok(members[1]!.bytes.equals(big));
    assert.ok(members[1]!.chunks > 1, 'a big member comes in pieces, never whole');
    assert.equal(readFileSync(archive).length % 512, 0);
    await assert.rejects(TarWriter.create(archive), /EEXIST/, 'never over an existing file');
    assert.deepEqual(await names(archive), ['manifest.json', 'suqiu.db', 'attachments/ab/empty'], 'members left unread are skipped');
    const listed = execFileSync('tar', ['-tvf', archive], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(
      listed.map((line) => line.split(/\s+/).at(-1)),
      ['manifest.json', 'suqiu.db', 'attachments/ab/empty'],
    );
    assert.match(listed[1]!, new RegExp(`^-rw-r--r-- .* ${big.length} `));
    assert.equal(execFileSync('tar', ['-xOf', archive, 'manifest.json'], { encoding: 'utf8' }), '{"a":1}');
  });
});

test('a file is copied at the size the manifest states: one that shrank is an error, one that grew is cut to it', async () => {
  await withDir(async (dir) => {
    writeFileSync(join(dir, 'db'), Buffer.alloc(1000, 1));
    const shrank = await TarWriter.create(join(dir, 'shrank.tar'));
    await assert.rejects(
      shrank.addFile('suqiu.db', join(dir, 'db'), 5000),
      (e: unknown) => e instanceof TarError && /db ended after 1000 of 5000 bytes/.test(e.message),
    );
    await shrank.abort();

    const grew = await TarWriter.create(join(dir, 'grew.tar'));
    await grew.addFile('suqiu.db', join(dir, 'db'), 600);
    await grew.finish();
    assert.deepEqual(
      (await readAll(join(dir, 'grew.tar'))).map((m) => [m.name, m.bytes.length]),
      [['suqiu.db', 600]],
    );
  });
});

test('a truncated archive is refused, not read as shorter', async () => {
  await withDir(async (dir) => {
    const archive = join(dir, 'a.tar');
    await write(archive, [
      ['manifest.json', Buffer.from('{}')],
      ['suqiu.db', Buffer.alloc(5000, 1)],
    ]);
    const cut = (name: string, length: number) => {
      writeFileSync(join(dir, name), readFileSync(archive).subarray(0, length));
      return join(dir, name);
    };
    await assert.rejects(
      readAll(cut('cut.tar', 1024 + 3000)),
      (e: unknown) => e instanceof TarError && e.message === 'suqiu.db is cut short: the archive is truncated',
    );
    await assert.rejects(names(cut('cut-unread.tar', 1024 + 3000)), /suqiu\.db is cut short/, 'also when its bytes are skipped');
    await assert.rejects(readAll(cut('ends.tar', 1024 + 512 + 5120)), /the archive ends without its end blocks/);
    await assert.rejects(readAll(cut('header.tar', 1024 + 100)), /the archive is truncated after manifest\.json/);
    await assert.rejects(readAll(cut('empty.tar', 0)), /not a tar archive/);
    writeFileSync(join(dir, 'hello.tar'), 'hello');
    await assert.rejects(readAll(join(dir, 'hello.tar')), /not a tar archive/);
    writeFileSync(join(dir, 'text.tar'), '这不是备份文件\n'.repeat(100));
    await assert.rejects(readAll(join(dir, 'text.tar')), /not a tar archive/);
  });
});

test('a damaged header, and anything but a regular file, is a TarError naming where', async () => {
  await withDir(async (dir) => {
    const archive = join(dir, 'a.tar');
    await write(archive, [
      ['manifest.json', Buffer.from('{}')],
      ['suqiu.db', Buffer.from('db')],
    ]);
    const damaged = readFileSync(archive);
    damaged[1024 + 3] = damaged[1024 + 3]! ^ 1;
    writeFileSync(join(dir, 'damaged.tar'), damaged);
    await assert.rejects(readAll(join(dir, 'damaged.tar')), (e: unknown) => e instanceof TarError && e.message === 'damaged tar header at byte 1024');

    mkdirSync(join(dir, 'tree', 'attachments'), { recursive: true });
    symlinkSync('/etc/passwd', join(dir, 'tree', 'suqiu.db'));
    execFileSync('tar', ['-cf', join(dir, 'link.tar'), '-C', join(dir, 'tree'), 'suqiu.db']);
    await assert.rejects(
      names(join(dir, 'link.tar')),
      (e: unknown) => e instanceof TarError && e.message === 'suqiu.db: only regular files are expected, not type "symlink"',
    );
    execFileSync('tar', ['-cf', join(dir, 'folder.tar'), '-C', join(dir, 'tree'), 'attachments']);
    await assert.rejects(names(join(dir, 'folder.tar')), /attachments\/: only regular files are expected, not type "directory"/);
  });
});
