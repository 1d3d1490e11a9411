import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTarHeader, readTarEntry, tarEntries, TarError, tarHeader, TarWriter } from './tar.js';

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
    const members: { name: string; bytes: Buffer }[] = [];
    for await (const entry of tarEntries(handle)) {
      const chunks: Buffer[] = [];
      await readTarEntry(handle, entry, (chunk) => void chunks.push(Buffer.from(chunk)));
      members.push({ name: entry.name, bytes: Buffer.concat(chunks) });
    }
    return members;
  } finally {
    await handle.close();
  }
}

test('a header reads back as written: name, size, a long name split at a slash, a size past 8 GiB in base-256', () => {
  const at = new Date('2026-12-06T00:00:00Z');
  assert.deepEqual(parseTarHeader(tarHeader('manifest.json', 1234, at), 0), { name: 'manifest.json', size: 1234 });
  const long = `attachments/${'a'.repeat(90)}/${'b'.repeat(90)}`;
  assert.deepEqual(parseTarHeader(tarHeader(long, 0, at), 0), { name: long, size: 0 });
  const huge = 9 * 1024 ** 3;
  assert.deepEqual(parseTarHeader(tarHeader('suqiu.db', huge, at), 0), { name: 'suqiu.db', size: huge });
  assert.throws(() => tarHeader('x'.repeat(101), 1, at), /too long/);
  assert.equal(parseTarHeader(Buffer.alloc(512), 0), null, 'a zero block ends the archive');
});

test('a damaged header or a foreign file is a TarError naming where', () => {
  const header = tarHeader('suqiu.db', 10, new Date());
  header[5] = header[5]! ^ 1;
  assert.throws(() => parseTarHeader(header, 1024), (e: unknown) => e instanceof TarError && /damaged tar header at byte 1024/.test(e.message));
  assert.throws(() => parseTarHeader(Buffer.alloc(512, 'x'), 0), /not a tar archive/);
});

test('an archive written here reads back whole, and GNU tar reads it too', async () => {
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
    assert.deepEqual(members.map((m) => [m.name, m.bytes.length]), [['manifest.json', 7], ['suqiu.db', big.length], ['attachments/ab/empty', 0]]);
    assert.ok(members[1]!.bytes.equals(big));
    assert.equal(readFileSync(archive).length % 512, 0);
    await assert.rejects(TarWriter.create(archive), /EEXIST/, 'never over an existing file');
    const listed = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(listed, ['manifest.json', 'suqiu.db', 'attachments/ab/empty']);
    assert.equal(execFileSync('tar', ['-xOf', archive, 'manifest.json'], { encoding: 'utf8' }), '{"a":1}');
  });
});

test('a truncated archive is refused, not read as shorter', async () => {
  await withDir(async (dir) => {
    const archive = join(dir, 'a.tar');
    const writer = await TarWriter.create(archive);
    await writer.addBytes('suqiu.db', Buffer.alloc(5000, 1));
    await writer.finish();
    writeFileSync(join(dir, 'cut.tar'), readFileSync(archive).subarray(0, 3000));
    await assert.rejects(readAll(join(dir, 'cut.tar')), /suqiu\.db is cut short/);
    writeFileSync(join(dir, 'ends.tar'), readFileSync(archive).subarray(0, 512 + 5120));
    await assert.rejects(readAll(join(dir, 'ends.tar')), /without its end blocks/);
    writeFileSync(join(dir, 'text.tar'), 'hello');
    await assert.rejects(readAll(join(dir, 'text.tar')), /not a tar archive/);
  });
});
