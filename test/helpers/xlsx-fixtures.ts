import { constants, crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { zipDirectory } from '../../src/server/platform/xlsx-zip.js';

// Hostile workbooks, built in the test from a few kilobytes: a part repeated
// a thousand times compresses to a thousandth of its size, and a zip's
// directory can say whatever its writer wants.

/** A part already compressed (raw deflate), with the size it really unpacks to. */
export interface Deflated {
  deflated: Buffer;
  size: number;
}

export interface ZipPart {
  name: string;
  /** The part's bytes, deflated here; or a part compressed already. */
  data: Buffer | string | Deflated;
  /** What the central directory says the part unpacks to (its real size unless given). */
  claimedSize?: number;
}

/**
 * `head`, then `piece` `times` times, then `tail`, as one deflate stream built
 * without ever holding it unpacked: each piece is compressed once with a full
 * flush (byte-aligned, no reference to what came before), so its compressed
 * bytes can be repeated.
 */
export function repeated(head: string, piece: string, times: number, tail: string): Deflated {
  const open = { finishFlush: constants.Z_FULL_FLUSH };
  const pieceBytes = deflateRawSync(piece, open);
  const deflated = Buffer.concat([deflateRawSync(head, open), ...Array.from({ length: times }, () => pieceBytes), deflateRawSync(tail)]);
  return { deflated, size: Buffer.byteLength(head) + Buffer.byteLength(piece) * times + Buffer.byteLength(tail) };
}

/** A zip of the parts, each deflated, its directory claiming what `claimedSize` says. */
export function zipParts(parts: readonly ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const plain = typeof part.data === 'string' ? Buffer.from(part.data) : Buffer.isBuffer(part.data) ? part.data : null;
    const deflated = plain ? deflateRawSync(plain) : (part.data as Deflated).deflated;
    const size = plain ? plain.length : (part.data as Deflated).size;
    const crc = plain ? crc32(plain) : 0;
    const name = Buffer.from(part.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(Math.min(part.claimedSize ?? size, 0xfffffffe), 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(deflated.length, 20);
    entry.writeUInt32LE(Math.min(part.claimedSize ?? size, 0xfffffffe), 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, name, deflated);
    central.push(entry, name);
    offset += local.length + name.length + deflated.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The parts of a zip written by someone else (exceljs), unpacked, in order. */
export function unzipParts(bytes: Buffer): { name: string; data: Buffer }[] {
  return zipDirectory(bytes)!.map((e) => {
    const start = e.localOffset + 30 + bytes.readUInt16LE(e.localOffset + 26) + bytes.readUInt16LE(e.localOffset + 28);
    const raw = bytes.subarray(start, start + e.compressedSize);
    return { name: e.name, data: e.method === 0 ? Buffer.from(raw) : inflateRawSync(raw) };
  });
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const OFFICE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A minimal workbook of one sheet, its parts given (the sheet's XML, the shared strings' XML), as Excel lays them out. */
export function minimalWorkbook(sheet: string | Deflated, sharedStrings?: string | Deflated, claimed: Record<string, number> = {}): Buffer {
  const parts: ZipPart[] = [
    {
      name: '[Content_Types].xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    },
    {
      name: '_rels/.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${RELS}"><Relationship Id="rId1" Type="${OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${OFFICE}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${RELS}"><Relationship Id="rId1" Type="${OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>${sharedStrings ? `<Relationship Id="rId2" Type="${OFFICE}/sharedStrings" Target="sharedStrings.xml"/>` : ''}</Relationships>`,
    },
    { name: 'xl/worksheets/sheet1.xml', data: sheet },
    ...(sharedStrings ? [{ name: 'xl/sharedStrings.xml', data: sharedStrings }] : []),
  ];
  return zipParts(parts.map((p) => (claimed[p.name] === undefined ? p : { ...p, claimedSize: claimed[p.name]! })));
}

export const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>`;
export const SHEET_TAIL = '</sheetData></worksheet>';
export const STRINGS_HEAD = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN}">`;

/**
 * What issue 13 measured, rebuilt: a workbook whose directory says it
 * unpacks to a few kilobytes, and whose sheet unpacks to `megabytes` MB of
 * blanks (1,300 MB from about 1.3 MB, as the 1.1 MB upload that reached 1.3 GB).
 */
export function lyingWorkbook(megabytes: number): Buffer {
  const sheet = repeated(`${SHEET_HEAD}<row r="1"><c r="A1" t="inlineStr"><is><t>标题</t></is></c></row>`, ' '.repeat(1024 * 1024), megabytes, SHEET_TAIL);
  return minimalWorkbook(sheet, undefined, { 'xl/worksheets/sheet1.xml': 2_000 });
}

/** A workbook of `millions` million one-letter shared strings (9 million in about 150 KB), its directory honest. */
export function stringsWorkbook(millions: number): Buffer {
  const piece = '<si><t>a</t></si>'.repeat(65_536);
  const strings = repeated(STRINGS_HEAD, piece, Math.ceil((millions * 1_000_000) / 65_536), '</sst>');
  return minimalWorkbook(`${SHEET_HEAD}<row r="1"><c r="A1" t="s"><v>0</v></c></row>${SHEET_TAIL}`, strings);
}

/** A sheet of `millions` million numbers in one column, 1,000 rows to a piece: slow to read, small to send. */
export function cellsWorkbook(millions: number): Buffer {
  const piece = '<row><c><v>1</v></c></row>'.repeat(1000);
  return minimalWorkbook(repeated(SHEET_HEAD, piece, Math.ceil((millions * 1_000_000) / 1000), SHEET_TAIL));
}
