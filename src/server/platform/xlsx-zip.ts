import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

// The zip container of an .xlsx, read for an import. The central directory
// says what each part is and where it lies; the sizes it states are only a
// claim: a 1.1 MB upload whose directory understated them inflated to 1.3 GB
// when a library trusted it (issue 13). So the directory only answers "which
// parts, where", and the bytes an import unpacks are counted as they come out
// of the inflater, against a budget shared by every part it reads.

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; anything else is refused when the part is read. */
  method: number;
  flags: number;
  compressedSize: number;
  /** What the directory says the part unpacks to: a claim, not a measure. */
  declaredSize: number;
  localOffset: number;
}

/** Why a workbook is refused, as a message after its file name (`kb.xlsx: unpacks to more than 200 MB`). */
export class WorkbookRefusal extends Error {}

export const NOT_A_WORKBOOK = 'is not an Excel workbook (.xlsx)';

/**
 * The parts of a zip, by its central directory, or null when it is not a zip
 * read this way: ZIP64 (a workbook an import reads never needs it), split
 * archives, two parts of one name (which one a reader takes is how
 * look-alike files get past a check).
 */
export function zipDirectory(bytes: Uint8Array): ZipEntry[] | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 22) return null;
  // The end-of-central-directory record: in the last 22 bytes plus a comment of at most 65,535.
  let end = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65_535); i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = b.readUInt16LE(end + 10);
  const size = b.readUInt32LE(end + 12);
  const offset = b.readUInt32LE(end + 16);
  if (b.readUInt16LE(end + 4) !== 0 || b.readUInt16LE(end + 6) !== 0 || count !== b.readUInt16LE(end + 8)) return null;
  if (count === 0xffff || offset === 0xffffffff || size === 0xffffffff || offset + size > end) return null;
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let at = offset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > end || b.readUInt32LE(at) !== 0x02014b50) return null;
    const flags = b.readUInt16LE(at + 8);
    const nameLength = b.readUInt16LE(at + 28);
    if (at + 46 + nameLength > end) return null;
    const name = b.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength).replace(/^\/+/, '');
    const entry: ZipEntry = {
      name,
      method: b.readUInt16LE(at + 10),
      flags,
      compressedSize: b.readUInt32LE(at + 20),
      declaredSize: b.readUInt32LE(at + 24),
      localOffset: b.readUInt32LE(at + 42),
    };
    if (entry.compressedSize === 0xffffffff || entry.declaredSize === 0xffffffff || entry.localOffset === 0xffffffff) return null;
    if (names.has(name.toLowerCase())) return null;
    names.add(name.toLowerCase());
    entries.push(entry);
    at += 46 + nameLength + b.readUInt16LE(at + 30) + b.readUInt16LE(at + 32);
  }
  return entries;
}

/** What the directory claims the parts unpack to, in bytes. */
export const declaredSize = (entries: readonly ZipEntry[]) => entries.reduce((sum, e) => sum + e.declaredSize, 0);

/** The bytes an import may still unpack, shared by every part it reads. */
export interface UnpackBudget {
  left: number;
  readonly limit: number;
}

export const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * A part's unpacked bytes, chunk by chunk, each counted against the budget as
 * the inflater hands it over: past the budget the inflater is stopped, so no
 * more than the budget (and one chunk) is ever produced, whatever the
 * directory said. The consumer pulls, so a part is never held whole.
 */
export async function* unpack(bytes: Uint8Array, entry: ZipEntry, budget: UnpackBudget): AsyncGenerator<Buffer> {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localOffset;
  if (at + 30 > b.length || b.readUInt32LE(at) !== 0x04034b50) throw new WorkbookRefusal(NOT_A_WORKBOOK);
  // Encrypted parts (bit 0) are a password-protected workbook: Excel saves those as an OLE file, not a zip.
  if (entry.flags & 1 || (entry.method !== 0 && entry.method !== 8)) throw new WorkbookRefusal(NOT_A_WORKBOOK);
  const start = at + 30 + b.readUInt16LE(at + 26) + b.readUInt16LE(at + 28);
  if (start + entry.compressedSize > b.length) throw new WorkbookRefusal(NOT_A_WORKBOOK);
  const data = b.subarray(start, start + entry.compressedSize);
  const take = (chunk: Buffer) => {
    budget.left -= chunk.length;
    if (budget.left < 0) throw new WorkbookRefusal(`unpacks to more than ${megabytes(budget.limit)}`);
    return chunk;
  };
  if (entry.method === 0) {
    for (let i = 0; i < data.length; i += 65_536) yield take(data.subarray(i, i + 65_536));
    return;
  }
  const inflater = createInflateRaw({ chunkSize: 65_536 });
  Readable.from([data]).pipe(inflater);
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) yield take(chunk);
  } catch (error) {
    if (error instanceof WorkbookRefusal) throw error;
    throw new WorkbookRefusal(NOT_A_WORKBOOK);
  } finally {
    inflater.destroy();
  }
}
