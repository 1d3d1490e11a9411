import type { DemandDetail, TimelineEvent } from '../../api/demands.js';

// 传递 (the monthly transfer) as the demand page sees it: read from the
// timeline, where the server records the raise and the department's answer,
// and from the clock of the answer (step transfer_answer).

export interface RaisedAnswer {
  measures: string;
  unitName: string;
  resolved: boolean | null;
  expectedBy: string | null;
  owner: string | null;
  at: string;
  byName: string | null;
}

export interface Raised {
  month: string;
  fromUnitId: number | null;
  fromUnitName: string;
  toUnitName: string;
  raisedAt: string;
  dueAt: string | null;
  overdue: boolean;
  /** The department's latest answer to this raise; null while it is awaited. */
  answer: RaisedAnswer | null;
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const dataOf = (event: TimelineEvent) => (event.data && typeof event.data === 'object' ? (event.data as Record<string, unknown>) : {});

/**
 * The unit a raise came from, by name. The event names the demand's responsible
 * unit at the time, which need not be the first handling unit it gives by id
 * (a demand routed to the department and worked by a station): the id wins
 * where one of the demand's work orders names its unit.
 */
export function raisedFromName(data: Record<string, unknown>, tasks: readonly { unitId: number; unitName: string }[]): string {
  const id = typeof data.fromUnitId === 'number' ? data.fromUnitId : null;
  return (id !== null ? tasks.find((task) => task.unitId === id)?.unitName : undefined) ?? str(data.fromUnitName) ?? '';
}

/** The demand's latest raise to a department and its answer, or null when it was never raised. */
export function raisedOf(demand: Pick<DemandDetail, 'timeline' | 'deadlines' | 'tasks'>): Raised | null {
  const events = demand.timeline;
  let index = -1;
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i]!.kind === 'transfer.raised') {
      index = i;
      break;
    }
  }
  if (index < 0) return null;
  const raise = events[index]!;
  const data = dataOf(raise);
  const answered = events
    .slice(index + 1)
    .filter((e) => e.kind === 'transfer.answered')
    .at(-1);
  const clock = demand.deadlines.filter((d) => d.step === 'transfer_answer').sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  const answerData = answered ? dataOf(answered) : {};
  return {
    month: str(data.month) ?? '',
    fromUnitId: typeof data.fromUnitId === 'number' ? data.fromUnitId : null,
    fromUnitName: raisedFromName(data, demand.tasks),
    toUnitName: str(data.toUnitName) ?? '',
    raisedAt: raise.at,
    dueAt: str(data.dueAt) ?? clock?.dueAt ?? null,
    overdue: !answered && clock !== undefined && clock.metAt === null && clock.overdue,
    answer: answered
      ? {
          measures: answered.note ?? '',
          unitName: str(answerData.unitName) ?? '',
          resolved: typeof answerData.resolved === 'boolean' ? answerData.resolved : null,
          expectedBy: str(answerData.expectedBy),
          owner: str(answerData.owner),
          at: answered.at,
          byName: answered.actorName,
        }
      : null,
  };
}
