import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

// The attachments' bytes on disk, under SUQIU_DATA_DIR/attachments, each file
// named by its SHA-256: the same bytes are kept once, a name never changes
// meaning, and a file is written whole (to a temporary name, flushed, then
// renamed) before any row points at it, so a crash leaves no half file behind
// a row.

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export class FileStore {
  constructor(private readonly root: string) {}

  static under(dataDir: string): FileStore {
    return new FileStore(join(dataDir, 'attachments'));
  }

  private pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  /** Keeps the bytes (once) and returns their SHA-256. */
  async put(bytes: Uint8Array): Promise<string> {
    const sha256 = sha256Of(bytes);
    const path = this.pathOf(sha256);
    if (await exists(path)) return sha256;
    await mkdir(join(this.root, sha256.slice(0, 2)), { recursive: true });
    const temporary = `${path}.${randomUUID()}.part`;
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return sha256;
  }

  async get(sha256: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
