// What a cell of an imported workbook holds, and how it reads as text. Every
// import shares these, so that a date typed in a spreadsheet arrives as the
// date it shows (2026-12-06), never as a JavaScript Date's
// "Sun Dec 06 2026 00:00:00 GMT+0000 (Coordinated Universal Time)".

/**
 * A date or time as the spreadsheet shows it: Excel keeps wall-clock time,
 * with no zone, so it is never shifted. `date` is YYYY-MM-DD, `time` HH:MM:SS;
 * a time-only cell (a format like h:mm) has no date.
 */
export interface DateCell {
  kind: 'date';
  date: string | null;
  time: string | null;
}

/** An error value a formula left (#N/A, #DIV/0!, #REF!, …). */
export interface ErrorCell {
  kind: 'error';
  code: string;
}

/** A hyperlink: the text the cell shows and where it points (a web address, or `#Sheet!A1` inside the workbook). */
export interface LinkCell {
  kind: 'link';
  text: string;
  target: string;
}

/** A cell's value; a formula's is its result as last calculated (a formula never calculated is empty). */
export type CellValue = string | number | boolean | DateCell | ErrorCell | LinkCell | null;

/**
 * A cell as text, as a person reading the sheet would copy it: rich text
 * joined, a formula's result, a hyperlink's shown text, a number at Excel's
 * own 15 significant digits (0.1 + 0.2 is 0.3), TRUE/FALSE, an error's code,
 * a date as YYYY-MM-DD with HH:MM (and :SS when it has seconds) when it has a time.
 */
export function cellText(value: CellValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(Number(value.toPrecision(15)));
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value.kind === 'error') return value.code;
  if (value.kind === 'link') return value.text;
  const time = value.time?.endsWith(':00') ? value.time.slice(0, 5) : value.time;
  return [value.date, time].filter(Boolean).join(' ');
}

// ── dates ──────────────────────────────────────────────────────────────────

export type FormatKind = 'date' | 'time' | null;

/** Excel's built-in formats that show dates or times (ids 27–36 and 50–58 are the Chinese, Japanese and Korean ones). */
const BUILT_IN: ReadonlyMap<number, FormatKind> = new Map([
  ...[14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58].map((id) => [id, 'date'] as const),
  ...[18, 19, 20, 21, 32, 33, 34, 35, 45, 46, 47, 55, 56].map((id) => [id, 'time'] as const),
]);

/** Whether a number format shows a date, a time of day, or neither (by its first section, literals and colours set aside). */
export function formatKind(id: number, code: string | undefined): FormatKind {
  if (code === undefined) return BUILT_IN.get(id) ?? null;
  const section = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '')
    .replace(/\[(h+|m+|s+)\]/gi, '$1')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/AM\/PM|A\/P|上午\/下午/gi, '')
    .replace(/general/gi, '')
    .split(';')[0]!;
  if (/[yd]/i.test(section)) return 'date';
  if (/[hs]/i.test(section)) return 'time';
  // A month alone ("mmm") is a date; m beside no h or s cannot be minutes.
  return /m/i.test(section) ? 'date' : null;
}

/**
 * The wall-clock date and time of an Excel serial number: days since
 * 1899-12-30 (Excel's 1900 system, which counts a 29 February 1900 that
 * never was, so serials below 61 start a day later), or since 1904-01-01 in
 * the 1904 system; rounded to the second, as Excel shows it. Null outside
 * the years Excel shows (before its epoch, after 9999).
 */
export function serialToDate(serial: number, date1904: boolean, kind: 'date' | 'time'): DateCell | null {
  if (!Number.isFinite(serial) || serial < 0 || serial >= 2_958_466) return null;
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : serial < 61 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const at = new Date(epoch + Math.round(serial * 86_400) * 1000);
  const iso = at.toISOString();
  const seconds = Math.round(serial * 86_400) % 86_400;
  const time = seconds === 0 ? null : iso.slice(11, 19);
  if (kind === 'time' && serial < 1) return { kind: 'date', date: null, time: time ?? '00:00:00' };
  return { kind: 'date', date: iso.slice(0, 10), time };
}

/** A cell of type `d` (an ISO 8601 text, which strict Open XML and some tools write), as written: the zone, if any, is not applied. */
export function isoToDate(text: string): DateCell | null {
  const found = /^(\d{4}-\d{2}-\d{2})?(?:T?(\d{2}:\d{2}(?::\d{2})?))?/.exec(text.trim());
  if (!found || (!found[1] && !found[2])) return null;
  const time = found[2] ? (found[2].length === 5 ? `${found[2]}:00` : found[2]) : null;
  return { kind: 'date', date: found[1] ?? null, time: time === '00:00:00' && found[1] ? null : time };
}
