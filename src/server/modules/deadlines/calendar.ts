// The business calendar (工作日): Chinese public holidays and the weekend days
// made working days (调休). Days the calendar does not list follow the week:
// Monday to Friday work, Saturday and Sunday rest.
//
// Dates are the centre's local dates (China Standard Time, UTC+8, no daylight
// saving), written YYYY-MM-DD.

export const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

export interface CalendarDay {
  date: string;
  working: boolean;
  name?: string | null;
}

export interface BusinessCalendar {
  isWorkingDay(date: string): boolean;
}

export function calendarFrom(days: readonly CalendarDay[]): BusinessCalendar {
  const listed = new Map(days.map((d) => [d.date, d.working]));
  return {
    isWorkingDay(date: string): boolean {
      const known = listed.get(date);
      if (known !== undefined) return known;
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      return weekday !== 0 && weekday !== 6;
    },
  };
}

/** The local (UTC+8) date of an instant. */
export function localDate(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a local date starts (00:00 UTC+8). */
export function startOfLocalDate(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - CHINA_OFFSET_MS);
}

export function nextDate(date: string, days = 1): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The deadline of "within N working days" of `start`: counting begins the
 * working day after the day of receipt and ends at midnight of the Nth (a
 * case received on a holiday Friday evening is due at the end of the Nth
 * working day after it). A half day ends at noon of the last day counted, so
 * an important customer's halved 5 WD end at noon of the third working day.
 */
export function addWorkingDays(start: Date, workingDays: number, calendar: BusinessCalendar): Date {
  if (workingDays <= 0) return start;
  const whole = Math.ceil(workingDays);
  const half = whole - workingDays >= 0.5 - 1e-9;
  let date = localDate(start);
  for (let counted = 0; counted < whole; ) {
    date = nextDate(date);
    if (calendar.isWorkingDay(date)) counted++;
  }
  const startOfDay = startOfLocalDate(date).getTime();
  return new Date(half ? startOfDay + 12 * 3600_000 : startOfDay + DAY_MS);
}

/**
 * The instant at which `share` of the working time from `start` to `due` is
 * gone. Working time is counted as `addWorkingDays` counts it: the working
 * days after the day of receipt, each whole, up to the due time (a half day to
 * noon). Weekends and holidays in between do not use up the time, so the 80 %
 * warning of a 5-working-day limit received on a Friday falls at the end of
 * the fourth working day, not on the Wednesday that clock time would give.
 * Null when no working time lies between them.
 */
export function workingInstantAt(start: Date, due: Date, share: number, calendar: BusinessCalendar): Date | null {
  const segments: [number, number][] = [];
  for (let date = nextDate(localDate(start)); startOfLocalDate(date).getTime() < due.getTime(); date = nextDate(date)) {
    if (!calendar.isWorkingDay(date)) continue;
    const from = startOfLocalDate(date).getTime();
    segments.push([from, Math.min(from + DAY_MS, due.getTime())]);
  }
  const total = segments.reduce((sum, [from, to]) => sum + (to - from), 0);
  if (total === 0) return null;
  let left = Math.round(total * share);
  for (const [from, to] of segments) {
    if (left <= to - from) return new Date(from + left);
    left -= to - from;
  }
  return due;
}

/** Whole working days between two local dates, the first excluded and the last included. */
export function workingDaysBetween(from: string, to: string, calendar: BusinessCalendar): number {
  let count = 0;
  for (let date = nextDate(from); date <= to; date = nextDate(date)) if (calendar.isWorkingDay(date)) count++;
  return count;
}
