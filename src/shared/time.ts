// The company's time zone (SUQIU_TIME_ZONE, an IANA name; Asia/Shanghai by
// default): the local date of an instant, the instant a local date starts,
// local text for names and cells. Dates are YYYY-MM-DD, months YYYY-MM,
// instants UTC. Plain functions of (instant, zone) over Intl, used by the
// server and the web alike; correct across daylight saving.

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const DAY_MS = 86_400_000;

/** An instant: a Date, milliseconds since the epoch, or ISO text. */
export type Instant = Date | number | string;

const msOf = (instant: Instant) => (typeof instant === 'number' ? instant : typeof instant === 'string' ? Date.parse(instant) : instant.getTime());

/** The zone's canonical IANA name (`asia/shanghai` → `Asia/Shanghai`), or null when Intl does not know it. */
export function canonicalTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

// One formatter per zone, and the offset of each UTC day the zone keeps one
// offset through (NaN: it changes that day). Building a formatter costs tens of
// microseconds and formatting with one several; the deadline arithmetic asks
// for many offsets on every registration, nearly all of them from the table.
interface ZoneTable {
  format: Intl.DateTimeFormat;
  days: Map<number, number>;
}
const zones = new Map<string, ZoneTable>();
const MAX_DAYS = 100_000;

function tableOf(zone: string): ZoneTable {
  let table = zones.get(zone);
  if (!table) {
    // The wall clock's fields, which every browser's Intl gives (timeZoneName 'longOffset' is newer).
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    table = { format, days: new Map() };
    zones.set(zone, table);
  }
  return table;
}

/** The offset at an instant as Intl has it: the wall clock's fields read as UTC, less the instant (to the second; years from 100 on). */
function intlOffset(table: ZoneTable, ms: number): number {
  const at = Math.floor(ms / 1000) * 1000;
  const f = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (const part of table.format.formatToParts(at)) if (part.type in f) f[part.type as keyof typeof f] = Number(part.value);
  return Date.UTC(f.year, f.month - 1, f.day, f.hour % 24, f.minute, f.second) - at;
}

/** The zone's offset from UTC at an instant, in milliseconds (Asia/Shanghai: 8 h). */
export function offsetAt(instant: Instant, zone: string): number {
  const ms = msOf(instant);
  const table = tableOf(zone);
  const day = Math.floor(ms / DAY_MS);
  let offset = table.days.get(day);
  if (offset === undefined) {
    // Two changes within one UTC day, back to the same offset, no zone has had.
    const first = intlOffset(table, day * DAY_MS);
    offset = first === intlOffset(table, day * DAY_MS + DAY_MS - 1) ? first : Number.NaN;
    if (table.days.size >= MAX_DAYS) table.days.clear();
    table.days.set(day, offset);
  }
  return Number.isNaN(offset) ? intlOffset(table, ms) : offset;
}

/** The wall clock of an instant in the zone, as if it were UTC (for its date and time fields). */
const wallOf = (ms: number, zone: string) => new Date(ms + offsetAt(ms, zone)).toISOString();

/** The local date of an instant: 2026-12-05T23:30:00Z is 2026-12-06 in Asia/Shanghai. */
export function localDate(instant: Instant, zone: string): string {
  return wallOf(msOf(instant), zone).slice(0, 10);
}

/** The local date and time of an instant to the minute, as a cell or a name shows it: 2026-12-06 07:30. */
export function localDateTime(instant: Instant, zone: string): string {
  const wall = wallOf(msOf(instant), zone);
  return `${wall.slice(0, 10)} ${wall.slice(11, 16)}`;
}

/** The local time of day of an instant, HH:mm. */
export function localTime(instant: Instant, zone: string): string {
  return wallOf(msOf(instant), zone).slice(11, 16);
}

/** Milliseconds of a date's 00:00 read as UTC; NaN unless YYYY-MM-DD. */
function dateMs(date: string): number {
  if (date.length !== 10 || date[4] !== '-' || date[7] !== '-') return Number.NaN;
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** The day of the week of a date, 0 for Sunday to 6 for Saturday. */
export function weekdayOf(date: string): number {
  return new Date(dateMs(date)).getUTCDay();
}

/** The date `days` after (or before, when negative) a date. */
export function addDays(date: string, days: number): string {
  return new Date(dateMs(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The instant a wall-clock time (milliseconds of it read as UTC) happens in
 * the zone: the first, where the clocks go back over it; where they jump over
 * it, the instant they jump (a day whose midnight is skipped starts at 01:00).
 */
function instantOfWall(wall: number, zone: string): Date {
  const before = offsetAt(wall - DAY_MS, zone);
  const after = offsetAt(wall + DAY_MS, zone);
  for (const offset of before >= after ? [before, after] : [after, before]) {
    if (offsetAt(wall - offset, zone) === offset) return new Date(wall - offset);
  }
  // In a gap (after > before): the change lies between these two instants.
  let lo = wall - after;
  let hi = wall - before;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid, zone) === after) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/** The instant a local date starts: 2026-12-06 starts at 2026-12-05T16:00:00Z in Asia/Shanghai. */
export function startOfLocalDate(date: string, zone: string): Date {
  const wall = dateMs(date);
  if (Number.isNaN(wall)) throw new RangeError(`not a date: ${date}`);
  return instantOfWall(wall, zone);
}

/** The instant of a local date and time of day (HH:mm): noon of a date, a meeting at 09:00. */
export function instantOfLocal(date: string, time: string, zone: string): Date {
  const wall = dateMs(date) + (Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))) * 60_000;
  if (Number.isNaN(wall) || !/^\d{2}:\d{2}$/.test(time)) throw new RangeError(`not a date and time: ${date} ${time}`);
  return instantOfWall(wall, zone);
}

/** The month after (or before, when negative) a month, YYYY-MM. */
export function addMonths(month: string, months: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** A local month's bounds as instants: its first day's start to the next month's (end exclusive), ISO UTC. */
export function localMonthRange(month: string, zone: string): { from: string; to: string } {
  return { from: startOfLocalDate(`${month}-01`, zone).toISOString(), to: startOfLocalDate(`${addMonths(month, 1)}-01`, zone).toISOString() };
}
