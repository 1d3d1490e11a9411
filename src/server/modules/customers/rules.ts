// The customers' pure rules (DESIGN.md, "Customers and key accounts"): reading
// a consumption file's rows (CSV or a sheet's cells), the checks of each row,
// the year a key-account list defaults to, and the ranking with each account's
// share and the cumulative share.

/** One row of a consumption file as read: its number in the file (the header is row 1), and its three cells. */
export interface ConsumptionCells {
  row: number;
  accountNo: string;
  month: string;
  kwh: string;
}

export interface ConsumptionRow {
  row: number;
  accountNo: string;
  month: string;
  kwh: number;
}

export interface Rejection {
  row: number;
  problem: string;
}

const HEADERS: Record<'accountNo' | 'month' | 'kwh', string[]> = {
  accountNo: ['accountno', 'account', 'account_no', '户号', '用户编号', '客户编号'],
  month: ['month', '月份', '年月', '电费年月'],
  kwh: ['kwh', 'kw·h', 'kw.h', 'consumption', '电量', '用电量', '电量(kwh)', '电量（kwh）', '用电量(kwh)', '用电量（kwh）'],
};

const LABELS = { accountNo: '户号', month: '月份', kwh: '电量' };

/** Which column holds what, from the header row; the columns it lacks are named. */
export function consumptionColumns(header: readonly string[]): { columns: Record<'accountNo' | 'month' | 'kwh', number> } | { missing: string[] } {
  const normal = header.map((h) =>
    h
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase()
      .replace(/\s+/g, ''),
  );
  const columns = {} as Record<'accountNo' | 'month' | 'kwh', number>;
  const missing: string[] = [];
  for (const key of ['accountNo', 'month', 'kwh'] as const) {
    const i = normal.findIndex((h) => HEADERS[key].includes(h));
    if (i < 0) missing.push(`${key} (${LABELS[key]})`);
    else columns[key] = i;
  }
  return missing.length > 0 ? { missing } : { columns };
}

/** A month as people write it (2026-01, 2026/1, 202601, a date cell 2026-01-01) as YYYY-MM, or null. */
export function normalMonth(text: string): string | null {
  const t = text.trim();
  const m = /^(\d{4})[-/.年](\d{1,2})月?$/.exec(t) ?? /^(\d{4})(\d{2})$/.exec(t) ?? /^(\d{4})-(\d{2})-01(?: 00:00(?::00)?)?$/.exec(t);
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return `${m[1]}-${String(month).padStart(2, '0')}`;
}

/**
 * Each row checked on its own and against the file's other rows: a month
 * YYYY-MM, kWh a number not negative, an account and month once in the file.
 * Whether the 户号 exists is the caller's (it reads the customers).
 */
export function checkConsumptionRows(cells: readonly ConsumptionCells[]): { rows: ConsumptionRow[]; rejected: Rejection[] } {
  const rows: ConsumptionRow[] = [];
  const rejected: Rejection[] = [];
  const seen = new Map<string, number>();
  for (const c of cells) {
    const problems: string[] = [];
    const accountNo = c.accountNo.trim();
    if (!accountNo) problems.push('户号 (accountNo) is empty');
    const month = normalMonth(c.month);
    if (month === null) problems.push(`month "${c.month.trim()}" is not a month YYYY-MM`);
    const kwhText = c.kwh.trim().replace(/,/g, '');
    const kwh = kwhText === '' ? NaN : Number(kwhText);
    if (!Number.isFinite(kwh)) problems.push(`kWh "${c.kwh.trim()}" is not a number`);
    else if (kwh < 0) problems.push(`kWh ${kwh} is negative`);
    if (accountNo && month !== null) {
      const key = `${accountNo}\u0000${month}`;
      const first = seen.get(key);
      if (first !== undefined) problems.push(`account ${accountNo} and month ${month} are already in row ${first}`);
      else seen.set(key, c.row);
    }
    if (problems.length > 0) rejected.push({ row: c.row, problem: problems.join('; ') });
    else rows.push({ row: c.row, accountNo, month: month!, kwh });
  }
  return { rows, rejected };
}

/** The rows of a CSV text (RFC 4180: quoted cells with commas, quotes and line breaks; a BOM; CRLF or LF; comma, semicolon or tab). */
export function parseCsv(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const sep = firstLine.includes(',') ? ',' : firstLine.includes('\t') ? '\t' : firstLine.includes(';') ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"') {
        if (body[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === sep) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/**
 * The year key accounts are ranked by unless one is asked for: the latest whose
 * twelve months are all imported, so that a new year's first month (imported in
 * February) does not re-rank every customer on one month; with no whole year
 * yet, the latest with any (null: nothing imported).
 */
export function defaultYear(years: readonly { year: number; months: number }[]): number | null {
  const whole = years.filter((y) => y.months >= 12);
  const from = whole.length > 0 ? whole : years;
  return from.length === 0 ? null : Math.max(...from.map((y) => y.year));
}

export const yearOf = (month: string): number => Number(month.slice(0, 4));

export interface Ranked<T> {
  item: T;
  rank: number;
  /** This account's part of the year's total, 0…1. */
  share: number;
  /** The part of the total used by this account and every larger one. */
  cumulativeShare: number;
}

/**
 * The accounts by consumption, largest first (ties by id, so that the order
 * never changes between two reads), each with its share of the year's total
 * and the cumulative share; `top` of them.
 */
export function rankByConsumption<T extends { customerId: number; kwh: number }>(items: readonly T[], totalKwh: number, top: number): Ranked<T>[] {
  const sorted = [...items].sort((a, b) => b.kwh - a.kwh || a.customerId - b.customerId).slice(0, top);
  let sum = 0;
  return sorted.map((item, i) => {
    sum += item.kwh;
    return {
      item,
      rank: i + 1,
      share: totalKwh > 0 ? item.kwh / totalKwh : 0,
      cumulativeShare: totalKwh > 0 ? sum / totalKwh : 0,
    };
  });
}

/** The months a record's chart shows: the last `count` months up to `latest` (YYYY-MM), oldest first. */
export function monthsUpTo(latest: string, count: number): string[] {
  let y = Number(latest.slice(0, 4));
  let m = Number(latest.slice(5, 7));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.unshift(`${y}-${String(m).padStart(2, '0')}`);
    m--;
    if (m === 0) {
      m = 12;
      y--;
    }
  }
  return out;
}
