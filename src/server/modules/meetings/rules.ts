import { addDays, startOfLocalDate } from '../../../shared/time.js';
import type { BusinessCalendar } from '../deadlines/calendar.js';

// A meeting's action items (整改措施) carry their own due date: the owner is
// reminded three working days before it, and the item is late (and escalated)
// once the due date has passed. Plain functions over plain data.

export const REMIND_WORKING_DAYS_BEFORE = 3;

/** The local date `n` working days before `date` (the date itself when n is 0). */
export function workingDaysBefore(date: string, n: number, calendar: BusinessCalendar): string {
  let day = date;
  for (let counted = 0; counted < n;) {
    day = addDays(day, -1);
    if (calendar.isWorkingDay(day)) counted++;
  }
  return day;
}

/** When the reminder falls (the start of the working day three before the due date) and when the item is late (the end of its due date), in the calendar's zone. */
export function actionItemTimes(dueOn: string, calendar: BusinessCalendar): { remindAt: string; lateAt: string } {
  return {
    remindAt: startOfLocalDate(workingDaysBefore(dueOn, REMIND_WORKING_DAYS_BEFORE, calendar), calendar.timeZone).toISOString(),
    lateAt: startOfLocalDate(addDays(dueOn, 1), calendar.timeZone).toISOString(),
  };
}

export const isLate = (item: { status: string; lateAt: string; doneAt: string | null }, now: string) => (item.doneAt ?? now) >= item.lateAt;
