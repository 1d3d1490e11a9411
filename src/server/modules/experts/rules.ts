import { compareExperts, coversTopic } from '../../../shared/expert-order.js';
import { CONSULTATION_STATUSES, CONSULTATION_STEPS } from '../../../shared/schemas/experts.js';
import { DEFAULT_TIME_ZONE, localDate, localMonthRange, localTime } from '../../../shared/time.js';

// The expert seat's rules (DESIGN.md, "Expert seat", the 5-5-5 protocol), as
// plain functions over plain data: who is proposed for a question, who is next
// when an expert does not acknowledge, how long each step took against its
// limit, and the month's figures.

export { CONSULTATION_STATUSES, CONSULTATION_STEPS };
/** The timed steps of a consultation, in order. */
export type ConsultationStep = (typeof CONSULTATION_STEPS)[number];

/** The seed's limits in minutes: forward within 5 of the call, acknowledge and call the customer within 5 of receiving, report within 5 of the call's end; the agent calls back within the day. Data: a company edits them. */
export const DEFAULT_LIMITS: Readonly<Record<ConsultationStep, number>> = { forward: 5, acknowledge: 5, contact: 5, reply: 5, callback: 1440 };
export type Limits = Record<ConsultationStep, number>;

export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

export interface PoolExpert {
  id: number;
  unitId: number;
  available: boolean;
  dutyFrom: string;
  dutyTo: string;
  leader: boolean;
  topics: readonly string[];
  /** Consultations in hand (not yet replied): the least busy is proposed first. */
  openCount: number;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `now` falls in the expert's hours (local time in the company's zone; 00:00–24:00 is around the clock, 22:00–06:00 spans midnight). */
export function onDuty(expert: Pick<PoolExpert, 'dutyFrom' | 'dutyTo'>, now: Date, zone: string = DEFAULT_TIME_ZONE): boolean {
  const minute = minutesOf(localTime(now, zone));
  const from = minutesOf(expert.dutyFrom);
  const to = minutesOf(expert.dutyTo);
  if (from === to) return true;
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

export { coversTopic };

/**
 * The pool of a question, in the order its experts are asked
 * (shared/expert-order.ts): available and on duty only, `tried` left out.
 */
export function poolOrder(
  experts: readonly PoolExpert[],
  topic: string | null | undefined,
  now: Date,
  tried: ReadonlySet<number> = new Set(),
  zone: string = DEFAULT_TIME_ZONE,
): PoolExpert[] {
  return experts.filter((e) => e.available && onDuty(e, now, zone) && !tried.has(e.id)).sort((a, b) => compareExperts(a, b, topic));
}

/** The expert proposed for a question, or the next one after a silence: the head of the pool, if anyone is left. */
export function nextExpert(
  experts: readonly PoolExpert[],
  topic: string | null | undefined,
  now: Date,
  tried: ReadonlySet<number> = new Set(),
  zone: string = DEFAULT_TIME_ZONE,
): PoolExpert | undefined {
  return poolOrder(experts, topic, now, tried, zone)[0];
}

// ── the steps' times ───────────────────────────────────────────────────────

export interface ConsultationTimes {
  calledAt: string;
  forwardedAt: string;
  /** When the expert who answered (or holds it now) received it. */
  assignedAt: string;
  acknowledgedAt: string | null;
  contactedAt: string | null;
  callEndedAt: string | null;
  repliedAt: string | null;
  callbackAt: string | null;
}

export interface StepTime {
  step: ConsultationStep;
  startedAt: string | null;
  endedAt: string | null;
  /** Whole minutes and seconds as a decimal, when the step is over. */
  minutes: number | null;
  limit: number;
  /** Kept its limit; null while it runs within it. False once over the limit, done or not. */
  withinLimit: boolean | null;
}

const minutesBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 60_000;

/** Each step's start, end, duration and verdict, as of `now`. */
export function stepTimes(c: ConsultationTimes, limits: Limits, now: Date): StepTime[] {
  const spans: Record<ConsultationStep, [string | null, string | null]> = {
    forward: [c.calledAt, c.forwardedAt],
    acknowledge: [c.assignedAt, c.acknowledgedAt],
    contact: [c.assignedAt, c.contactedAt],
    // Reported within 5 minutes of the call's end (of the call itself when its end was not given).
    reply: [c.callEndedAt ?? c.contactedAt, c.repliedAt],
    callback: [c.repliedAt, c.callbackAt],
  };
  return CONSULTATION_STEPS.map((step) => {
    const [startedAt, endedAt] = spans[step];
    const limit = limits[step];
    if (!startedAt) return { step, startedAt, endedAt: null, minutes: null, limit, withinLimit: null };
    if (endedAt) {
      const minutes = Math.max(0, minutesBetween(startedAt, endedAt));
      return { step, startedAt, endedAt, minutes: Math.round(minutes * 100) / 100, limit, withinLimit: minutes <= limit };
    }
    return { step, startedAt, endedAt: null, minutes: null, limit, withinLimit: minutesBetween(startedAt, now.toISOString()) > limit ? false : null };
  });
}

// ── the month's figures ────────────────────────────────────────────────────

export interface FigureInput extends ConsultationTimes {
  unitId: number;
  expertId: number;
  handOvers: number;
  /** Acknowledgements missed in this group (a silent expert passed over); the hand-overs when not given. */
  silences?: number;
}

export interface StepFigure {
  step: ConsultationStep;
  /** Steps completed. */
  count: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
  /**
   * Share within the limit, 0–1, of the steps judged: those completed, those
   * still running past their limit, and (acknowledge) each silence that passed
   * the question on.
   */
  withinShare: number | null;
}

export interface Figures {
  consultations: number;
  handOvers: number;
  steps: StepFigure[];
}

/** The value at rank ceil(p × n) of the sorted values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1]!;
}

export function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round2 = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);

/**
 * Counts, median and 90th percentile of each step, the share within its limit,
 * and the hand-overs after silences. `otherSilences`: acknowledgements missed
 * on consultations not among these (an expert's, passed over to another).
 */
export function figuresOf(consultations: readonly FigureInput[], limits: Limits, now: Date, otherSilences = 0): Figures {
  const durations = new Map<ConsultationStep, number[]>(CONSULTATION_STEPS.map((s) => [s, []]));
  const within = new Map<ConsultationStep, number>(CONSULTATION_STEPS.map((s) => [s, 0]));
  const judged = new Map<ConsultationStep, number>(CONSULTATION_STEPS.map((s) => [s, 0]));
  const add = (map: Map<ConsultationStep, number>, step: ConsultationStep, n = 1) => map.set(step, map.get(step)! + n);
  for (const c of consultations) {
    for (const t of stepTimes(c, limits, now)) {
      if (t.minutes !== null) {
        durations.get(t.step)!.push(t.minutes);
        add(judged, t.step);
        if (t.withinLimit) add(within, t.step);
      } else if (t.withinLimit === false) add(judged, t.step); // running, already past its limit
    }
    add(judged, 'acknowledge', c.silences ?? c.handOvers);
  }
  add(judged, 'acknowledge', otherSilences);
  return {
    consultations: consultations.length,
    handOvers: consultations.reduce((sum, c) => sum + c.handOvers, 0),
    steps: CONSULTATION_STEPS.map((step) => {
      const sorted = durations.get(step)!.sort((a, b) => a - b);
      const n = judged.get(step)!;
      return {
        step,
        count: sorted.length,
        medianMinutes: round2(median(sorted)),
        p90Minutes: round2(percentile(sorted, 0.9)),
        withinShare: n === 0 ? null : Math.round((within.get(step)! / n) * 1000) / 1000,
      };
    }),
  };
}

/** The local month (YYYY-MM) of an instant, in the company's zone. */
export function localMonth(iso: string, zone: string = DEFAULT_TIME_ZONE): string {
  return localDate(iso, zone).slice(0, 7);
}

/** The instants a local month starts and ends at (end exclusive), as ISO UTC. */
export function monthRange(month: string, zone: string = DEFAULT_TIME_ZONE): { from: string; to: string } {
  return localMonthRange(month, zone);
}
