import { cellText, isoToDate, serialToDate, type CellValue, type FormatKind } from './xlsx-cells.js';
import { Chunked, count, MAX_LINKS, Relationships, relsOf, resolvePart, SharedStrings, Styles, TextBuffer, TextCollector, WorkbookPart } from './xlsx-parts.js';
import { attr, attrs as attributes, XmlScanner, type XmlHandler } from './xlsx-xml.js';
import { declaredSize, NOT_A_WORKBOOK, unpack, WorkbookRefusal, zipDirectory, type UnpackBudget, type ZipEntry } from './xlsx-zip.js';

// The cells of a workbook, read straight from its parts (the zip, the XML)
// with every limit counted while reading: the bytes unpacked, the shared
// strings, the rows, the cells. A library that builds the whole workbook
// first (exceljs) spent 7.8 s and gigabytes on a 381 KB file of 9 million
// shared strings before anyone could count them (issue 13). This runs in a
// worker thread (xlsx-worker.ts); platform/xlsx.ts starts it.

export interface ReadLimits {
  /** Bytes unpacked from the zip, counted as they are inflated, over every part read. */
  maxUnpackedBytes: number;
  maxSharedStrings: number;
  /** Rows with a value, over the sheets read. */
  maxRows: number;
  /** Cells with a value, over the sheets read. */
  maxCells: number;
  /** A value further right than this is refused: no import reads that far. */
  maxColumns: number;
  /** The first sheets in the workbook's order; the others are never unpacked. */
  maxSheets: number;
  /** Ends a refusal: "has more than 20,000 rows, more than <a workbook of articles needs>". */
  purpose: string;
}

export interface SheetRow {
  /** The row's number in the sheet (1 is the first). */
  number: number;
  /** Column A first; a cell without a value is null. */
  cells: CellValue[];
}

export interface Sheet {
  name: string;
  /** The rows that have a value, in order. */
  rows: SheetRow[];
}

/** A sheet as the worker sends it: its rows in pieces of 65,536 (see Chunked), joined by the caller. */
export interface SheetPieces {
  name: string;
  rows: SheetRow[][];
}

export const joinSheets = (sheets: readonly SheetPieces[]): Sheet[] => sheets.map((s) => ({ name: s.name, rows: s.rows.flat() }));

/** Reads a workbook's sheets, or throws a WorkbookRefusal saying why not. */
export async function readSheets(bytes: Uint8Array, limits: ReadLimits): Promise<SheetPieces[]> {
  const entries = zipDirectory(bytes);
  if (!entries) throw new WorkbookRefusal(NOT_A_WORKBOOK);
  const parts = new Map(entries.map((e) => [e.name.toLowerCase(), e]));
  const budget: UnpackBudget = { left: limits.maxUnpackedBytes, limit: limits.maxUnpackedBytes };
  const read = async (name: string, handler: XmlHandler): Promise<boolean> => {
    const entry = parts.get(name.toLowerCase());
    if (!entry) return false;
    await scan(bytes, entry, budget, handler);
    return true;
  };

  const root = new Relationships();
  await read('_rels/.rels', root);
  const workbookPath = root.target('officeDocument', '') ?? 'xl/workbook.xml';
  const workbook = new WorkbookPart(limits.maxSheets);
  if (!(await read(workbookPath, workbook))) throw new WorkbookRefusal(NOT_A_WORKBOOK);
  const rels = new Relationships();
  await read(relsOf(workbookPath), rels);

  const styles = new Styles();
  await read(rels.target('styles', workbookPath) ?? resolvePart(workbookPath, 'styles.xml'), styles);
  const strings = new SharedStrings(limits.maxSharedStrings, limits.purpose);
  await read(rels.target('sharedStrings', workbookPath) ?? resolvePart(workbookPath, 'sharedStrings.xml'), strings);

  const sheets: SheetPieces[] = [];
  const tally = { rows: 0, cells: 0 };
  for (const [i, s] of workbook.sheets.entries()) {
    const path = (s.id && rels.byId(s.id, workbookPath)) || resolvePart(workbookPath, `worksheets/sheet${i + 1}.xml`);
    const sheetRels = new Relationships();
    await read(relsOf(path), sheetRels);
    const reader = new SheetReader({ strings: strings.strings, styles: styles.kinds(), date1904: workbook.date1904, limits, tally });
    if (!(await read(path, reader))) throw new WorkbookRefusal(`${NOT_A_WORKBOOK}: sheet "${s.name}" is missing`);
    sheets.push({ name: s.name, rows: reader.finish((id) => sheetRels.byId(id, null)) });
  }
  return sheets;
}

/** What the zip's directory claims the workbook unpacks to, or null when it is no zip: measured before a worker is started. */
export function claimedSize(bytes: Uint8Array): number | null {
  const entries = zipDirectory(bytes);
  return entries ? declaredSize(entries) : null;
}

async function scan(bytes: Uint8Array, entry: ZipEntry, budget: UnpackBudget, handler: XmlHandler): Promise<void> {
  const scanner = new XmlScanner(handler);
  for await (const chunk of unpack(bytes, entry, budget)) scanner.write(chunk);
  scanner.end();
}

interface SheetContext {
  strings: Chunked<string>;
  styles: readonly FormatKind[];
  date1904: boolean;
  limits: ReadLimits;
  tally: { rows: number; cells: number };
}

/** The column number of a cell reference's letters (`AB12` is 28), 0 when it has none. */
export function columnOf(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20;
    if (c < 0x61 || c > 0x7a) break;
    col = col * 26 + (c - 0x60);
  }
  return col;
}

const rowOf = (ref: string) => Number(/\d+$/.exec(ref)?.[0] ?? 0);

export const columnName = (col: number): string => (col <= 0 ? '' : columnName(Math.floor((col - 1) / 26)) + String.fromCharCode(65 + ((col - 1) % 26)));

class SheetReader implements XmlHandler {
  private readonly rows = new Chunked<SheetRow>();
  private readonly links: { ref: string; id: string | undefined; location: string | undefined }[] = [];
  private row: CellValue[] | null = null;
  private rowNumber = 0;
  private col = 0;
  private cell: { ref: string; type: string; style: number } | null = null;
  private readonly value = new TextBuffer();
  /** An inline string's text, decoded already. */
  private inlineText: string | null = null;
  private hasValue = false;
  private inV = false;
  private inline: TextCollector | null = null;

  constructor(private readonly c: SheetContext) {}

  open(name: string, raw: string) {
    if (this.inline) return this.inline.open(name);
    switch (name) {
      case 'row':
        this.rowNumber = Number(attributes(raw).r) || this.rowNumber + 1;
        this.row = [];
        this.col = 0;
        break;
      case 'c': {
        const { r: ref, t: type, s: style } = attributes(raw);
        this.col = (ref && columnOf(ref)) || this.col + 1;
        this.cell = { ref: ref ?? `${columnName(this.col)}${this.rowNumber}`, type: type ?? 'n', style: Number(style ?? 0) };
        this.inlineText = null;
        this.hasValue = false;
        break;
      }
      case 'v':
        if (this.cell) this.inV = this.hasValue = true;
        break;
      case 'is':
        if (this.cell) this.inline = new TextCollector();
        break;
      case 'hyperlink':
        if (this.links.length >= MAX_LINKS) throw new WorkbookRefusal(`has more than ${count(MAX_LINKS)} hyperlinks in a sheet`);
        this.links.push({ ref: attr(raw, 'ref') ?? '', id: attr(raw, 'id'), location: attr(raw, 'location') });
        break;
    }
  }

  close(name: string) {
    if (this.inline) {
      if (name !== 'is') return this.inline.close(name);
      this.inlineText = this.inline.take();
      this.hasValue = true;
      this.inline = null;
      return;
    }
    if (name === 'v') this.inV = false;
    else if (name === 'c') this.endCell();
    else if (name === 'row') this.endRow();
  }

  text(text: string, cdata: boolean) {
    if (this.inline) this.inline.text(text, cdata);
    else if (this.inV) this.value.push(text, cdata);
  }

  private endCell() {
    const cell = this.cell;
    this.cell = null;
    if (!cell || !this.row || !this.hasValue) return;
    const raw = this.value.take();
    const value = this.cellValue(cell.type, this.inlineText ?? raw, cell.style);
    // An empty text is no value: a person sees an empty cell, and LibreOffice drops it.
    if (value === null || value === '') return;
    const { limits, tally } = this.c;
    if (this.col > limits.maxColumns)
      throw new WorkbookRefusal(`has a value in cell ${cell.ref}, past column ${columnName(limits.maxColumns)} (${limits.maxColumns} columns are read)`);
    if (++tally.cells > limits.maxCells) throw new WorkbookRefusal(`has more than ${count(limits.maxCells)} filled cells, more than ${limits.purpose}`);
    while (this.row.length < this.col - 1) this.row.push(null);
    this.row[this.col - 1] = value;
  }

  private endRow() {
    if (this.row && this.row.some((v) => v !== null)) {
      if (++this.c.tally.rows > this.c.limits.maxRows)
        throw new WorkbookRefusal(`has more than ${count(this.c.limits.maxRows)} rows, more than ${this.c.limits.purpose}`);
      // Rows come in order (the format says so, and every writer keeps it); one out of order is a made-up file.
      const last = this.rows.at(this.rows.length - 1);
      if (last && last.number >= this.rowNumber) throw new WorkbookRefusal(`${NOT_A_WORKBOOK}: row ${this.rowNumber} comes after row ${last.number}`);
      this.rows.push({ number: this.rowNumber, cells: this.row });
    }
    this.row = null;
  }

  private cellValue(type: string, raw: string, style: number): CellValue {
    switch (type) {
      case 's':
        return /^\s*\d+\s*$/.test(raw) ? (this.c.strings.at(Number(raw)) ?? null) : null;
      case 'str':
      case 'inlineStr':
        return raw;
      case 'b':
        return raw.trim() === '1' || raw.trim().toLowerCase() === 'true';
      case 'e':
        return { kind: 'error', code: raw.trim() };
      case 'd':
        return isoToDate(raw) ?? raw;
      default: {
        if (raw.trim() === '') return null;
        const n = Number(raw);
        if (!Number.isFinite(n)) return raw;
        const kind = this.c.styles[style];
        return (kind && serialToDate(n, this.c.date1904, kind)) || n;
      }
    }
  }

  /** The rows, in order, each hyperlink's cells made links (its address from the sheet's relationships). */
  finish(address: (id: string) => string | undefined): SheetRow[][] {
    const rows = this.rows;
    let work = 0;
    for (const link of this.links) {
      const target = (link.id && address(link.id)) || (link.location ? `#${link.location}` : undefined);
      const [from, to = from] = link.ref.split(':') as [string, string?];
      if (!target || !from) continue;
      const [r1, r2, c1, c2] = [rowOf(from), rowOf(to!), columnOf(from), columnOf(to!)];
      // The first row in range by halving; a link over a whole column costs the rows that exist, and never more than there are cells.
      let lo = 0;
      for (let hi = rows.length; lo < hi;) {
        const mid = (lo + hi) >> 1;
        if (rows.at(mid)!.number < r1) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < rows.length && rows.at(i)!.number <= r2; i++) {
        const cells = rows.at(i)!.cells;
        for (let col = c1; col <= Math.min(c2, cells.length); col++) {
          const value = cells[col - 1] ?? null;
          // Text, a number or a date shown as a link; an error stays the error.
          if (value !== null && (typeof value !== 'object' || value.kind === 'date')) cells[col - 1] = { kind: 'link', text: cellText(value), target };
        }
        if ((work += cells.length + 1) > this.c.limits.maxCells * 2) throw new WorkbookRefusal(`has more hyperlinks than ${this.c.limits.purpose}`);
      }
    }
    return rows.pieces();
  }
}
