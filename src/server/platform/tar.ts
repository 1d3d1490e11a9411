import { open, type FileHandle } from 'node:fs/promises';

// A minimal POSIX ustar writer and reader for the backup archive: regular
// files only, read by random access (a member is a header and its bytes at a
// known offset). GNU and BSD tar read what it writes (`tar -tvf`); sizes past
// the octal field's 8 GiB use GNU's base-256 form.

const BLOCK = 512;
const OCTAL_SIZE_LIMIT = 8 ** 11;
const COPY_CHUNK = 1 << 20;

export class TarError extends Error {}

export interface TarEntry {
  name: string;
  size: number;
  /** Where the member's bytes start in the archive. */
  offset: number;
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

function writeOctal(block: Buffer, at: number, width: number, value: number): void {
  block.write(value.toString(8).padStart(width - 1, '0') + '\0', at, width, 'ascii');
}

function writeSize(block: Buffer, size: number): void {
  if (size < OCTAL_SIZE_LIMIT) return writeOctal(block, 124, 12, size);
  block[124] = 0x80;
  let rest = BigInt(size);
  for (let i = 135; i > 124; i--, rest >>= 8n) block[i] = Number(rest & 0xffn);
}

/** Splits a name into ustar's name (100 bytes) and prefix (155 bytes) at a slash. */
function splitName(name: string): [prefix: string, base: string] {
  if (Buffer.byteLength(name) <= 100) return ['', name];
  for (let cut = name.indexOf('/'); cut !== -1; cut = name.indexOf('/', cut + 1)) {
    const [prefix, base] = [name.slice(0, cut), name.slice(cut + 1)];
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(base) <= 100) return [prefix, base];
  }
  throw new TarError(`the name "${name}" is too long for a tar header`);
}

export function tarHeader(name: string, size: number, mtime: Date): Buffer {
  if (!Number.isSafeInteger(size) || size < 0) throw new TarError(`bad size ${size} for ${name}`);
  const [prefix, base] = splitName(name);
  const block = Buffer.alloc(BLOCK);
  block.write(base, 0, 100, 'utf8');
  writeOctal(block, 100, 8, 0o644);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeSize(block, size);
  writeOctal(block, 136, 12, Math.max(0, Math.floor(mtime.getTime() / 1000)));
  block.write('0', 156, 1, 'ascii');
  block.write('ustar\0' + '00', 257, 8, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  block.fill(' ', 148, 156);
  writeOctal(block, 148, 7, checksum(block));
  block[155] = 0x20;
  return block;
}

function checksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum;
}

const text = (block: Buffer, at: number, width: number) => {
  const field = block.subarray(at, at + width);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? width : end).toString('utf8');
};

function readNumber(block: Buffer, at: number, width: number): number {
  if (block[at]! & 0x80) {
    let value = 0n;
    for (let i = at + 1; i < at + width; i++) value = (value << 8n) | BigInt(block[i]!);
    return Number(value);
  }
  const digits = text(block, at, width).trim();
  return /^[0-7]+$/.test(digits) ? parseInt(digits, 8) : NaN;
}

/** The member a header block describes; null for an end-of-archive (zero) block. */
export function parseTarHeader(block: Buffer, at: number): Omit<TarEntry, 'offset'> | null {
  if (block.every((byte) => byte === 0)) return null;
  if (readNumber(block, 148, 8) !== checksum(block)) throw new TarError(at === 0 ? 'not a tar archive' : `damaged tar header at byte ${at}`);
  if (text(block, 257, 6) !== 'ustar') throw new TarError(`not a ustar header at byte ${at}`);
  const type = String.fromCharCode(block[156]!);
  const prefix = text(block, 345, 155);
  const name = prefix ? `${prefix}/${text(block, 0, 100)}` : text(block, 0, 100);
  if (type !== '0' && type !== '\0') throw new TarError(`${name}: only regular files are expected, not type "${type}"`);
  const size = readNumber(block, 124, 12);
  if (!Number.isSafeInteger(size)) throw new TarError(`${name}: bad size in its header`);
  return { name, size };
}

export class TarWriter {
  private constructor(private readonly handle: FileHandle) {}

  /** A new archive at `path`; fails if the file exists. */
  static async create(path: string): Promise<TarWriter> {
    return new TarWriter(await open(path, 'wx'));
  }

  async addBytes(name: string, bytes: Uint8Array, mtime = new Date()): Promise<void> {
    await this.handle.write(tarHeader(name, bytes.length, mtime));
    await this.handle.write(bytes);
    await this.handle.write(Buffer.alloc(padding(bytes.length)));
  }

  /** Copies `size` bytes of the file at `source`; a file that turned shorter is an error. */
  async addFile(name: string, source: string, size: number, mtime = new Date()): Promise<void> {
    await this.handle.write(tarHeader(name, size, mtime));
    const input = await open(source, 'r');
    try {
      const chunk = Buffer.alloc(Math.min(COPY_CHUNK, Math.max(size, 1)));
      for (let done = 0; done < size; ) {
        const { bytesRead } = await input.read(chunk, 0, Math.min(chunk.length, size - done), done);
        if (bytesRead === 0) throw new TarError(`${source} ended after ${done} of ${size} bytes`);
        await this.handle.write(chunk, 0, bytesRead);
        done += bytesRead;
      }
    } finally {
      await input.close();
    }
    await this.handle.write(Buffer.alloc(padding(size)));
  }

  /** Writes the end blocks and flushes the file to disk. */
  async finish(): Promise<void> {
    await this.handle.write(Buffer.alloc(2 * BLOCK));
    await this.handle.sync();
    await this.handle.close();
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

/** The members of an open archive, in order; a truncated or damaged one is a TarError. */
export async function* tarEntries(handle: FileHandle): AsyncGenerator<TarEntry> {
  const { size: total } = await handle.stat();
  const block = Buffer.alloc(BLOCK);
  for (let at = 0; ; ) {
    const { bytesRead } = await handle.read(block, 0, BLOCK, at);
    if (bytesRead === 0 && at > 0) throw new TarError('the archive ends without its end blocks (truncated?)');
    if (bytesRead < BLOCK) throw new TarError(at === 0 ? 'not a tar archive' : `the archive is truncated at byte ${at}`);
    const header = parseTarHeader(block, at);
    if (header === null) return;
    const offset = at + BLOCK;
    if (offset + header.size > total) throw new TarError(`${header.name} is cut short: the archive is truncated`);
    yield { ...header, offset };
    at = offset + header.size + padding(header.size);
  }
}

/** Hands a member's bytes to `onChunk`, a megabyte at a time. */
export async function readTarEntry(handle: FileHandle, entry: TarEntry, onChunk: (chunk: Buffer) => void | Promise<void>): Promise<void> {
  const chunk = Buffer.alloc(Math.min(COPY_CHUNK, Math.max(entry.size, 1)));
  for (let done = 0; done < entry.size; ) {
    const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, entry.size - done), entry.offset + done);
    if (bytesRead === 0) throw new TarError(`${entry.name} is cut short: the archive is truncated`);
    await onChunk(chunk.subarray(0, bytesRead));
    done += bytesRead;
  }
}
