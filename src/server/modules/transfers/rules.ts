import { addDays, DEFAULT_TIME_ZONE, localMonthRange } from '../../../shared/time.js';
import type { BusinessCalendar } from '../deadlines/calendar.js';

// 传递 (DESIGN.md, "Transfer, meetings and evaluation"): on the first working
// day of each month, the demands (complaint, opinion, suggestion) that a unit
// reported it could not resolve at its level, or that were still open past a
// deadline at the month's end, are raised (提级) to the department that owns
// their category. Plain functions over plain data.

/** A month's bounds as instants: its first local midnight to the next month's, in the company's zone. */
export function monthPeriod(month: string, zone: string = DEFAULT_TIME_ZONE): { from: string; to: string } {
  return localMonthRange(month, zone);
}

export function previousMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

export function firstWorkingDayOf(month: string, calendar: BusinessCalendar): string {
  let date = `${month}-01`;
  while (!calendar.isWorkingDay(date)) date = addDays(date, 1);
  return date;
}

/**
 * The month whose batch is due on this local date: the previous month's, from
 * the first working day of this month on (a server that was down that day
 * makes it at its next pass). Null before that day.
 */
export function batchDueOn(today: string, calendar: BusinessCalendar): string | null {
  const month = today.slice(0, 7);
  return today >= firstWorkingDayOf(month, calendar) ? previousMonth(month) : null;
}

export interface TransferCandidate {
  demandId: number;
  caseId: number;
  createdAt: string;
  category: string | null;
  /** The unit that first handled it (its first work order's, else its responsible unit). */
  fromUnitId: number;
  reason: 'unresolved' | 'overdue';
}

export interface PlannedTransfer extends TransferCandidate {
  toUnitId: number;
}

/**
 * What the month raises: one item per case (its earliest candidate; an
 * unresolved report outweighs an overdue step), to the department that owns
 * the category, never from that department or a unit under it (it holds the
 * matter already), and never a case raised before.
 */
export function planTransfers(
  candidates: readonly TransferCandidate[],
  input: { routes: ReadonlyMap<string, number>; subtreeOf: (unitId: number) => ReadonlySet<number>; casesRaised: ReadonlySet<number> },
): PlannedTransfer[] {
  const byCase = new Map<number, TransferCandidate>();
  const order = (a: TransferCandidate, b: TransferCandidate) =>
    a.reason !== b.reason ? (a.reason === 'unresolved' ? -1 : 1) : a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.demandId - b.demandId;
  for (const c of [...candidates].sort(order)) {
    if (input.casesRaised.has(c.caseId) || byCase.has(c.caseId)) continue;
    byCase.set(c.caseId, c);
  }
  const planned: PlannedTransfer[] = [];
  for (const c of byCase.values()) {
    const toUnitId = c.category === null ? undefined : input.routes.get(c.category);
    if (toUnitId === undefined || input.subtreeOf(toUnitId).has(c.fromUnitId)) continue;
    planned.push({ ...c, toUnitId });
  }
  return planned.sort((a, b) => a.toUnitId - b.toUnitId || (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.demandId - b.demandId));
}
