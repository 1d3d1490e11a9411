import { formatKind, type FormatKind } from './xlsx-cells.js';
import { attr, decodeText, type XmlHandler } from './xlsx-xml.js';
import { WorkbookRefusal } from './xlsx-zip.js';

// The parts of a workbook around its sheets: the relationships that say
// where each part is, the workbook's list of sheets, the styles (which cells
// are dates) and the shared strings; and the text of a cell as it is
// gathered. Each keeps what it collects bounded (see MAX_CELL_TEXT).

export const count = (n: number) => n.toLocaleString('en-US');

/** A part's path from another's relative target (`worksheets/sheet1.xml` from `xl/workbook.xml`), `..` resolved. */
export function resolvePart(from: string, target: string): string {
  const segments = target.startsWith('/') ? [] : from.split('/').slice(0, -1);
  for (const s of target.replace(/^\/+/, '').split('/')) {
    if (s === '..') segments.pop();
    else if (s && s !== '.') segments.push(s);
  }
  return segments.join('/');
}

export const relsOf = (path: string) => {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}_rels/${path.slice(slash + 1)}.rels`;
};

/** Excel's own limit of hyperlinks in a sheet, each a relationship: no part needs more. */
export const MAX_LINKS = 65_530;

export class Relationships implements XmlHandler {
  private readonly rels = new Map<string, { type: string; target: string; external: boolean }>();
  open(name: string, attrs: string) {
    if (name !== 'Relationship') return;
    if (this.rels.size >= MAX_LINKS) throw new WorkbookRefusal(`has more than ${count(MAX_LINKS)} relationships in one part`);
    const id = attr(attrs, 'Id') ?? '';
    if (!this.rels.has(id))
      this.rels.set(id, { type: attr(attrs, 'Type') ?? '', target: attr(attrs, 'Target') ?? '', external: attr(attrs, 'TargetMode') === 'External' });
  }
  close() {}
  text() {}
  /** The part a relationship of this type points at (by the type's last word: `styles`, `sharedStrings`). */
  target(type: string, from: string): string | undefined {
    const rel = [...this.rels.values()].find((r) => r.type.endsWith(`/${type}`) && !r.external);
    return rel && resolvePart(from, rel.target);
  }
  /** A relationship's target by its id: a part (resolved from `from`) or, with `from` null, as written (a hyperlink's address). */
  byId(id: string, from: string | null): string | undefined {
    const rel = this.rels.get(id);
    if (!rel) return undefined;
    return from === null || rel.external ? rel.target : resolvePart(from, rel.target);
  }
}

/** The workbook's sheets in order (the first `max` of them, which are all that is read) and its date system. */
export class WorkbookPart implements XmlHandler {
  readonly sheets: { name: string; id: string | undefined }[] = [];
  date1904 = false;
  constructor(private readonly max: number) {}
  open(name: string, attrs: string) {
    if (name === 'sheet' && this.sheets.length < this.max) this.sheets.push({ name: attr(attrs, 'name') ?? '', id: attr(attrs, 'id') });
    else if (name === 'workbookPr') this.date1904 = ['1', 'true'].includes(attr(attrs, 'date1904') ?? '');
  }
  close() {}
  text() {}
}

/** Excel's own limit of cell formats in a workbook. */
const MAX_STYLES = 65_490;

/** Which cell styles show dates or times, by their number formats. */
export class Styles implements XmlHandler {
  private readonly formats = new Map<number, string>();
  private readonly xfs: number[] = [];
  private inCellXfs = false;
  open(name: string, attrs: string) {
    if (name === 'numFmt') this.formats.set(Number(attr(attrs, 'numFmtId')), attr(attrs, 'formatCode') ?? '');
    else if (name === 'cellXfs') this.inCellXfs = true;
    else if (name === 'xf' && this.inCellXfs) this.xfs.push(Number(attr(attrs, 'numFmtId') ?? 0));
    if (this.xfs.length > MAX_STYLES || this.formats.size > MAX_STYLES) throw new WorkbookRefusal(`has more than ${count(MAX_STYLES)} cell styles`);
  }
  close(name: string) {
    if (name === 'cellXfs') this.inCellXfs = false;
  }
  text() {}
  kinds(): FormatKind[] {
    return this.xfs.map((id) => formatKind(id, this.formats.get(id)));
  }
}

/**
 * No cell's text is longer than this (Excel holds 32,767 characters; an old
 * export of ours wrote FAQ cells of up to 450,000). Past it the workbook is
 * refused before the text is joined: a worker's heap limit stops gradual
 * growth cleanly, but one allocation that overshoots the limit by more than
 * Node's 16 MB of leeway ends the whole process (measured: a 72 MB array
 * allocated at a 64 MB limit aborted the server, at 32 MB the worker was
 * stopped), so nothing here is ever allocated in pieces that large.
 */
export const MAX_CELL_TEXT = 1024 * 1024;

/** Raw text gathered for one value, its length counted as it comes (entities may make it up to 10 times the text). */
export class TextBuffer {
  private parts: string[] = [];
  private length = 0;
  push(text: string, cdata: boolean) {
    this.length += text.length;
    if (this.length > MAX_CELL_TEXT * 10) tooLong();
    this.parts.push(cdata ? text.replace(/&/g, '&amp;') : text);
  }
  take(): string {
    const text = this.parts.length === 1 ? decodeText(this.parts[0]!) : decodeText(this.parts.join(''));
    if (text.length > MAX_CELL_TEXT) tooLong();
    this.parts = [];
    this.length = 0;
    return text;
  }
}

function tooLong(): never {
  throw new WorkbookRefusal(`has a cell of more than ${count(MAX_CELL_TEXT)} characters (Excel holds ${count(32_767)})`);
}

/** Text in `<t>` (a plain string, or each run of rich text), the phonetic guides (`<rPh>`) left out. */
export class TextCollector {
  private readonly buffer = new TextBuffer();
  private inT = false;
  private phonetic = 0;
  open(name: string) {
    if (name === 't' && this.phonetic === 0) this.inT = true;
    else if (name === 'rPh') this.phonetic++;
  }
  close(name: string) {
    if (name === 't') this.inT = false;
    else if (name === 'rPh') this.phonetic--;
  }
  text(text: string, cdata: boolean) {
    if (this.inT) this.buffer.push(text, cdata);
  }
  take(): string {
    return this.buffer.take();
  }
}

/** A long list kept in pieces of 65,536: growing one array of millions would allocate its whole length again at once (see MAX_CELL_TEXT). */
export class Chunked<T> {
  private readonly chunks: T[][] = [[]];
  length = 0;
  push(value: T) {
    let last = this.chunks[this.chunks.length - 1]!;
    if (last.length === 65_536) this.chunks.push((last = []));
    last.push(value);
    this.length++;
  }
  at(i: number): T | undefined {
    return this.chunks[Math.floor(i / 65_536)]?.[i % 65_536];
  }
  /** The pieces themselves, to be sent as they are and joined where memory is not so tight. */
  pieces(): T[][] {
    return this.chunks;
  }
}

/** The workbook's texts, each kept once and named by its place (`<c t="s"><v>7</v>`), counted as they are read. */
export class SharedStrings implements XmlHandler {
  readonly strings = new Chunked<string>();
  private si: TextCollector | null = null;
  constructor(
    private readonly max: number,
    private readonly purpose: string,
  ) {}
  private refuse(): never {
    throw new WorkbookRefusal(`has more than ${count(this.max)} different texts (shared strings), more than ${this.purpose}`);
  }
  open(name: string, attrs: string) {
    // Its own count first: a workbook that says it holds too many is refused before they are read.
    if (name === 'sst' && Number(attr(attrs, 'uniqueCount') ?? 0) > this.max) this.refuse();
    else if (name === 'si') this.si = new TextCollector();
    else this.si?.open(name);
  }
  close(name: string) {
    if (name !== 'si') return this.si?.close(name);
    this.strings.push(this.si?.take() ?? '');
    this.si = null;
    if (this.strings.length > this.max) this.refuse();
  }
  text(text: string, cdata: boolean) {
    this.si?.text(text, cdata);
  }
}
