import type { CalendarDay } from './calendar.js';

// Public holidays and 调休 working weekend days, as published by the State
// Council (国务院办公厅). Loaded into the calendar table on first start and
// editable there; the admin adds the next year when it is announced (usually
// in November). Days not listed follow the week.

function days(name: string, working: boolean, dates: string[]): CalendarDay[] {
  return dates.map((date) => ({ date, working, name }));
}

const range = (from: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));

/** 2026: the schedule the State Council published in November 2025. */
export const CHINA_2026: CalendarDay[] = [
  ...days('元旦', false, range('2026-01-01', 3)),
  ...days('元旦调休', true, ['2026-01-04']),
  ...days('春节', false, range('2026-02-15', 9)),
  ...days('春节调休', true, ['2026-02-14', '2026-02-28']),
  ...days('清明节', false, range('2026-04-04', 3)),
  ...days('劳动节', false, range('2026-05-01', 5)),
  ...days('劳动节调休', true, ['2026-05-09']),
  ...days('端午节', false, range('2026-06-19', 3)),
  ...days('国庆节调休', true, ['2026-09-20', '2026-10-10']),
  ...days('中秋节', false, range('2026-09-25', 3)),
  ...days('国庆节', false, range('2026-10-01', 7)),
];

/**
 * 2027: the State Council had not published the schedule when this was
 * written. These are the statutory holiday dates themselves (元旦, 春节 eve to
 * the third day, 清明, 劳动节, 端午, 中秋, 国庆 1-3 October), without the bridge
 * days and 调休 Saturdays that the schedule will add: replace them when it is out.
 */
export const CHINA_2027_PROVISIONAL: CalendarDay[] = [
  ...days('元旦', false, ['2027-01-01']),
  ...days('春节', false, range('2027-02-05', 4)),
  ...days('清明节', false, ['2027-04-05']),
  ...days('劳动节', false, range('2027-05-01', 2)),
  ...days('端午节', false, ['2027-06-09']),
  ...days('中秋节', false, ['2027-09-15']),
  ...days('国庆节', false, range('2027-10-01', 3)),
];
