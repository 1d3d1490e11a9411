import dayjs, { type Dayjs } from 'dayjs';
import { addDays, instantOfLocal, localDate, localDateTime, startOfLocalDate, type Instant } from '../../shared/time.js';

// Dates and times in the company's zone (useI18n().timeZone), not the
// browser's. antd's pickers read and set a dayjs value's fields in the
// browser's zone, so a picker is given the company's wall clock as those
// fields, and what the user picks is read back as the company's time.

/** Today in the company's zone, YYYY-MM-DD. */
export const todayIn = (zone: string): string => localDate(Date.now(), zone);

/** A picker's value for an instant: its fields are the company's wall clock, to the minute. */
export const wallClockOf = (instant: Instant, zone: string): Dayjs => dayjs(localDateTime(instant, zone));

/** The instant a picker's wall-clock value stands for (to the minute). */
export const instantOfWallClock = (value: Dayjs, zone: string): Date => instantOfLocal(value.format('YYYY-MM-DD'), value.format('HH:mm'), zone);

/** The end of a local date, as an instant: when something due that day becomes late. */
export const endOfLocalDay = (date: string, zone: string): string => startOfLocalDate(addDays(date, 1), zone).toISOString();
