import { addDays, DEFAULT_TIME_ZONE, instantOfLocal, localDate as localDateIn, startOfLocalDate, weekdayOf } from '../../../shared/time.js';

// The business calendar (工作日): Chinese public holidays and the weekend days
// made working days (调休). Days the calendar does not list follow the week:
// Monday to Friday work, Saturday and Sunday rest.
//
// Dates are the centre's local dates in the company's time zone
// (SUQIU_TIME_ZONE, Asia/Shanghai by default), written YYYY-MM-DD; a day runs
// from its local midnight to the next one (23 or 25 hours where the clocks
// change).

export interface CalendarDay {
  date: string;
  working: boolean;
  name?: string | null;
}

export interface BusinessCalendar {
  /** The zone whose local dates the calendar lists. */
  timeZone: string;
  isWorkingDay(date: string): boolean;
}

export function calendarFrom(days: readonly CalendarDay[], timeZone: string = DEFAULT_TIME_ZONE): BusinessCalendar {
  const listed = new Map(days.map((d) => [d.date, d.working]));
  return {
    timeZone,
    isWorkingDay(date: string): boolean {
      const known = listed.get(date);
      if (known !== undefined) return known;
      const weekday = weekdayOf(date);
      return weekday !== 0 && weekday !== 6;
    },
  };
}

/** The local date of an instant, in Asia/Shanghai unless a zone is given (the modules use shared/time.ts with the company's zone). */
export function localDate(instant: Date, zone: string = DEFAULT_TIME_ZONE): string {
  return localDateIn(instant, zone);
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
  let date = localDateIn(start, calendar.timeZone);
  for (let counted = 0; counted < whole;) {
    date = addDays(date, 1);
    if (calendar.isWorkingDay(date)) counted++;
  }
  return half ? instantOfLocal(date, '12:00', calendar.timeZone) : startOfLocalDate(addDays(date, 1), calendar.timeZone);
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
  const zone = calendar.timeZone;
  const segments: [number, number][] = [];
  let date = addDays(localDateIn(start, zone), 1);
  for (let from = startOfLocalDate(date, zone).getTime(); from < due.getTime();) {
    const next = addDays(date, 1);
    const to = startOfLocalDate(next, zone).getTime();
    if (calendar.isWorkingDay(date)) segments.push([from, Math.min(to, due.getTime())]);
    [date, from] = [next, to];
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
  for (let date = addDays(from, 1); date <= to; date = addDays(date, 1)) if (calendar.isWorkingDay(date)) count++;
  return count;
}
