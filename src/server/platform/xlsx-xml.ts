import { WorkbookRefusal } from './xlsx-zip.js';

// The XML of a workbook's parts, read as it is unpacked, chunk by chunk: a
// part is never held whole, and a hostile part costs the time to scan it,
// not the memory. SpreadsheetML needs little of XML: elements, attributes,
// text, the five entities and character references, CDATA. A DOCTYPE's
// entities are never expanded (Excel writes none), so an entity bomb is plain
// text here.

export interface XmlHandler {
  /** An element's start, by its local name (`x:c` is `c`); `attrs` is the raw text after the name, for `attrs()`. */
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
  /** Text as written (entities not yet decoded, `decodeText` does), or a CDATA section's as it is. */
  text(text: string, cdata: boolean): void;
}

/** A start tag, comment or CDATA section left unfinished longer than this is not a workbook's. */
const MAX_PENDING = 1024 * 1024;

export class XmlScanner {
  private pending = '';
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly handler: XmlHandler) {}

  write(chunk: Uint8Array): void {
    this.scan(this.pending + this.decoder.decode(chunk, { stream: true }), false);
  }

  end(): void {
    this.scan(this.pending + this.decoder.decode(), true);
  }

  private scan(s: string, final: boolean): void {
    const h = this.handler;
    let pos = 0;
    while (pos < s.length) {
      const lt = s.indexOf('<', pos);
      if (lt < 0) {
        // Text runs on into the next chunk: handed over in pieces, so a long text never waits whole in `pending`.
        h.text(s.slice(pos), false);
        pos = s.length;
        break;
      }
      if (lt > pos) h.text(s.slice(pos, lt), false);
      pos = lt;
      let end: number;
      if (s.startsWith('<!--', lt)) {
        end = s.indexOf('-->', lt + 4);
        if (end < 0) break;
        pos = end + 3;
      } else if (s.startsWith('<![CDATA[', lt)) {
        end = s.indexOf(']]>', lt + 9);
        if (end < 0) break;
        h.text(s.slice(lt + 9, end), true);
        pos = end + 3;
      } else {
        end = tagEnd(s, lt + 1);
        if (end < 0) break;
        const first = s.charCodeAt(lt + 1);
        if (first === 0x2f /* / */) {
          h.close(localName(s.slice(lt + 2, end).trim()));
        } else if (first !== 0x3f /* ? */ && first !== 0x21 /* ! */) {
          const selfClosing = s.charCodeAt(end - 1) === 0x2f;
          const inner = s.slice(lt + 1, selfClosing ? end - 1 : end);
          let space = 0;
          while (space < inner.length && inner.charCodeAt(space) > 0x20) space++;
          if (space === inner.length) space = -1;
          const name = localName(space < 0 ? inner : inner.slice(0, space));
          h.open(name, space < 0 ? '' : inner.slice(space), selfClosing);
          if (selfClosing) h.close(name);
        }
        pos = end + 1;
      }
    }
    this.pending = s.slice(pos);
    if (this.pending.length > MAX_PENDING || (final && this.pending)) throw new WorkbookRefusal('is not an Excel workbook (.xlsx): a tag never ends');
  }
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** Where a tag begins at `from` ends (its `>`), a `>` inside a quoted attribute value passed over; -1 when not in `s` yet. */
function tagEnd(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3e) return i;
    if (c === 0x22 || c === 0x27) {
      // A quoted value: whatever it holds, `>` included, up to its closing quote.
      i = s.indexOf(c === 0x22 ? '"' : "'", i + 1);
      if (i < 0) return -1;
    }
  }
  return -1;
}

/** An attribute's value by its local name (`r:id` is `id`), its entities decoded; undefined when absent. */
export const attr = (raw: string, name: string): string | undefined => attrs(raw)[name];

/**
 * A tag's attributes by local name, values decoded: one pass over the tag,
 * each value taken whole (a value that holds `t="s"` is not an attribute).
 */
export function attrs(raw: string): Record<string, string> {
  const found: Record<string, string> = {};
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(raw); m; m = ATTRIBUTE.exec(raw)) {
    // Namespace declarations (`xmlns:r="…"`) are no attributes of the element.
    if (m[1] === 'xmlns' || (m[1] === undefined && m[2] === 'xmlns')) continue;
    const value = m[3] ?? m[4] ?? '';
    found[m[2]!] = value.includes('&') ? decodeEntities(value) : value;
  }
  return found;
}

const ATTRIBUTE = /(?:([\w.-]+):)?([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Text as it reads: entities and character references decoded, and
 * SpreadsheetML's own escape of characters XML cannot carry (`_x000D_` is a
 * carriage return, `_x005F_` the underscore that starts a literal `_x…_`).
 */
export function decodeText(raw: string): string {
  const text = raw.includes('&') ? decodeEntities(raw) : raw;
  return text.includes('_x') ? text.replace(/_x([0-9a-f]{4})_/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

/** The five entities and character references; an attribute's value needs no more (a number format's `_x` is its own syntax). */
function decodeEntities(raw: string): string {
  return raw.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return ENTITIES[ref] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
