import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, pack, type Pack } from 'tar-stream';

// The backup archive's tar, over tar-stream: ustar headers GNU and BSD tar
// read (`tar -tvf`), streamed both ways so a database of gigabytes is never
// held whole. What is ours is the strictness: regular files only, a damaged
// or truncated archive refused with a one-line TarError rather than read as
// a shorter one.

const BLOCK = 512;
const COPY_CHUNK = 1 << 20;

export class TarError extends Error {}

export interface TarMember {
  name: string;
  size: number;
  /** The member's bytes; read them whole (or stop reading the archive) before the next member. */
  body: AsyncIterable<Buffer>;
}

const padded = (size: number) => size + ((BLOCK - (size % BLOCK)) % BLOCK);

export class TarWriter {
  private readonly drained: Promise<void>;
  /** Why writing the file failed: the entry being added then fails with it, not with "Premature close". */
  private failure: Error | null = null;

  private constructor(
    private readonly handle: FileHandle,
    private readonly archive: Pack,
  ) {
    this.drained = (async () => {
      // Leaving the loop destroys the archive, and with it the entry being added.
      for await (const chunk of archive) {
        await handle.write(chunk as Buffer).catch((error: Error) => {
          this.failure = error;
          throw error;
        });
      }
    })();
    this.drained.catch(() => undefined); // surfaces from the entry being written, or finish()
  }

  /** A new archive at `path`; fails if the file exists. */
  static async create(path: string): Promise<TarWriter> {
    return new TarWriter(await open(path, 'wx'), pack());
  }

  addBytes(name: string, bytes: Uint8Array, mtime = new Date()): Promise<void> {
    return new Promise((resolve, reject) => {
      this.archive.entry({ name, mtime, mode: 0o644 }, Buffer.from(bytes), (error) => (error ? reject(this.failure ?? error) : resolve()));
    });
  }

  /** Copies `size` bytes of the file at `source`; a file that turned shorter is an error. */
  async addFile(name: string, source: string, size: number, mtime = new Date()): Promise<void> {
    const entry = this.archive.entry({ name, size, mtime, mode: 0o644 });
    let copied = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        copied += chunk.length;
        done(null, chunk);
      },
      flush: (done) => done(copied === size ? null : new TarError(`${source} ended after ${copied} of ${size} bytes`)),
    });
    // Only `size` bytes, the size the manifest states, even if the file has grown since.
    const input = size === 0 ? [] : createReadStream(source, { start: 0, end: size - 1, highWaterMark: COPY_CHUNK });
    await pipeline(input, counted, entry).catch((error: unknown) => {
      throw this.failure ?? error;
    });
  }

  /** Writes the end blocks and flushes the file to disk. */
  async finish(): Promise<void> {
    this.archive.finalize();
    await this.drained;
    await this.handle.sync();
    await this.handle.close();
  }

  async abort(): Promise<void> {
    this.archive.destroy();
    await this.drained.catch(() => undefined);
    await this.handle.close().catch(() => undefined);
  }
}

/**
 * The members of an open archive, in order, streamed. Anything but a regular
 * file, a damaged header, a member cut short, or an archive without its end
 * blocks is a TarError.
 */
export async function* tarMembers(handle: FileHandle): AsyncGenerator<TarMember> {
  const { size: total } = await handle.stat();
  const reader = extract();
  // Its errors (a read error included: pipeline destroys the extractor with it) surface through `reader`.
  const feeding = pipeline(handle.createReadStream({ start: 0, autoClose: false, highWaterMark: COPY_CHUNK }), reader).catch(() => undefined);
  let last: { name: string; end: number } | null = null;
  let reading: { name: string; end: number } | null = null;
  // Told apart by where the file ends, not by tar-stream's wording.
  const problem = (error: unknown) => {
    if (error instanceof TarError) return error;
    if (reading)
      return new TarError(reading.end > total ? `${reading.name} is cut short: the archive is truncated` : `${reading.name}: ${(error as Error).message}`);
    if (!last) return new TarError('not a tar archive');
    return new TarError(last.end + BLOCK > total ? `the archive is truncated after ${last.name}` : `damaged tar header at byte ${last.end}`);
  };
  try {
    for await (const source of reader) {
      const { name, size, type } = source.header;
      if (type !== 'file') throw new TarError(`${name}: only regular files are expected, not type "${type ?? 'unknown'}"`);
      const member = { name, end: source.offset + BLOCK + size };
      let started = false;
      const body = async function* () {
        started = true;
        reading = member;
        try {
          for await (const chunk of source) yield chunk as Buffer;
        } catch (error) {
          throw problem(error);
        }
        reading = null;
      };
      yield { name, size, body: body() };
      if (!started) {
        reading = member;
        for await (const _ of source);
        reading = null;
      }
      last = { name, end: source.offset + BLOCK + padded(size) };
    }
  } catch (error) {
    throw problem(error);
  } finally {
    reader.destroy();
    await feeding;
  }
  if (total === 0) throw new TarError('not a tar archive');
  if (total - (last?.end ?? 0) < 2 * BLOCK) throw new TarError('the archive ends without its end blocks (truncated?)');
}
