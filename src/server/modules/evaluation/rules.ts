import { COUNTED_TYPES, type EvaluationEventKind } from '../../../shared/codes.js';
import { isRepeated } from '../../../shared/cases.js';
import { DEFAULT_TIME_ZONE, startOfLocalDate } from '../../../shared/time.js';

// The evaluation (评价, DESIGN.md "Transfer, meetings and evaluation"): which
// demands count, whose scope each falls in, and the published formula
//
//   score = 100 − share × 30 − unresolved_rate × 70 − 2 × service_events
//           − 1 × repeated − 1 × criticisms + 1 × praises
//
// as plain functions over plain data. The seed (000, 三.3) gives the formula
// for departments and county bureaus alike; it says 上级通报批评扣1分 without
// "each", DESIGN.md counts each criticism, and DESIGN.md stands.

/** A period: `from` inclusive, `to` exclusive, ISO instants. */
export interface Period {
  from: string;
  to: string;
}

/** What the evaluation needs to know of one call (a demand row). */
export interface EvaluationDemand {
  id: number;
  /** The first call of the case (the demand itself when it stands alone). */
  caseId: number;
  type: string;
  category: string | null;
  createdAt: string;
  /** `unfounded` when verification showed the company did not cause it (不属实). */
  verdict: string | null;
  /** The unit that first handled it: its first work order's, else its responsible unit when registered. */
  firstUnitId: number;
  /** What the first handling reported: true resolved, false not at that level, null none yet. */
  firstResolved: boolean | null;
  firstHandledAt: string | null;
  closedAt: string | null;
}

export interface EvaluationUnit {
  id: number;
  name: string;
  kind: string;
  parentId: number | null;
}

export interface EvaluationEvent {
  unitId: number;
  kind: EvaluationEventKind;
  /** The local date it happened, YYYY-MM-DD. */
  occurredOn: string;
}

export interface EvaluationTerms {
  demands: number;
  share: number;
  unresolved: number;
  unresolvedRate: number;
  serviceEvents: number;
  repeated: number;
  criticisms: number;
  praises: number;
}

export interface EvaluationRow extends EvaluationTerms {
  unitId: number;
  unitName: string;
  kind: 'department' | 'county';
  score: number;
  rank: number;
}

export interface EvaluationResult {
  from: string;
  to: string;
  /** The city's counted demands. */
  total: number;
  units: EvaluationRow[];
}

const COUNTED: ReadonlySet<string> = new Set(COUNTED_TYPES);

const round2 = (x: number) => Math.round((x + Number.EPSILON) * 100) / 100;

/** The published formula, rounded to two decimals. Share and rate are fractions. */
export function evaluationScore(t: Pick<EvaluationTerms, 'share' | 'unresolvedRate' | 'serviceEvents' | 'repeated' | 'criticisms' | 'praises'>): number {
  return round2(100 - t.share * 30 - t.unresolvedRate * 70 - 2 * t.serviceEvents - t.repeated - t.criticisms + t.praises);
}

/** A local date (in the company's zone) falls in the period when its midnight does. */
export function dateInPeriod(date: string, period: Period, zone: string = DEFAULT_TIME_ZONE): boolean {
  const midnight = startOfLocalDate(date, zone).toISOString();
  return midnight >= period.from && midnight < period.to;
}

const byTime = (a: EvaluationDemand, b: EvaluationDemand) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id);

export interface CountedCase {
  /** The case's first call of a counted type: the one that is counted. */
  demand: EvaluationDemand;
  /** The case's calls registered before the period's end, of any type. */
  calls: number;
}

/**
 * The counted demands of a period, once per case: the case's first call of a
 * counted type (complaint, opinion, suggestion), when it was registered in the
 * period and is not marked unfounded. A repeat call joins its case and is not
 * counted again; it makes the case a repeated one (多次诉求).
 *
 * `calls` holds every call of the cases concerned (earlier and later ones too).
 */
export function countedCases(calls: readonly EvaluationDemand[], period: Period): CountedCase[] {
  const cases = new Map<number, EvaluationDemand[]>();
  for (const call of calls) {
    const list = cases.get(call.caseId);
    if (list) list.push(call);
    else cases.set(call.caseId, [call]);
  }
  const counted: CountedCase[] = [];
  for (const list of cases.values()) {
    const first = list.filter((d) => COUNTED.has(d.type)).sort(byTime)[0];
    if (!first || first.createdAt < period.from || first.createdAt >= period.to) continue;
    if (first.verdict === 'unfounded') continue;
    counted.push({ demand: first, calls: list.filter((d) => d.createdAt < period.to).length });
  }
  return counted.sort((a, b) => byTime(a.demand, b.demand));
}

/** The county bureau a unit belongs to (itself, or the county above a station), if any. */
export function countyOf(units: ReadonlyMap<number, EvaluationUnit>, unitId: number): number | null {
  let unit = units.get(unitId);
  const seen = new Set<number>();
  while (unit && !seen.has(unit.id)) {
    if (unit.kind === 'county') return unit.id;
    seen.add(unit.id);
    unit = unit.parentId === null ? undefined : units.get(unit.parentId);
  }
  return null;
}

const closedBy = (d: EvaluationDemand, period: Period) => d.closedAt !== null && d.closedAt < period.to;

/**
 * Every responsible department's and every county bureau's terms, score and
 * rank for the period.
 * - A department's scope: the counted demands whose category it owns
 *   (`routes`, the category → department map). Unresolved: not closed at the
 *   period's end.
 * - A county's scope: the counted demands first handled in its area (by the
 *   county or a station under it). Unresolved: its first handling reported
 *   unresolved (before the period's end), or not closed at the period's end.
 * - Units are ranked within their kind, the highest score first; equal scores
 *   share a rank.
 */
export function evaluate(input: {
  period: Period;
  units: readonly EvaluationUnit[];
  routes: readonly { category: string; unitId: number }[];
  calls: readonly EvaluationDemand[];
  events: readonly EvaluationEvent[];
  /** The company's zone, whose local dates the events carry. */
  timeZone?: string;
}): EvaluationResult {
  const { period, timeZone = DEFAULT_TIME_ZONE } = input;
  const byId = new Map(input.units.map((u) => [u.id, u]));
  const counted = countedCases(input.calls, period);
  const total = counted.length;

  const departmentOf = new Map(input.routes.map((r) => [r.category, r.unitId]));
  const departments = input.units.filter((u) => u.kind === 'department' && [...departmentOf.values()].includes(u.id));
  const counties = input.units.filter((u) => u.kind === 'county');

  const events = new Map<number, Record<EvaluationEventKind, number>>();
  for (const e of input.events) {
    if (!dateInPeriod(e.occurredOn, period, timeZone)) continue;
    const tally = events.get(e.unitId) ?? { service_event: 0, criticism: 0, praise: 0 };
    tally[e.kind]++;
    events.set(e.unitId, tally);
  }

  const termsOf = (unitId: number, scope: CountedCase[], unresolved: (d: EvaluationDemand) => boolean): EvaluationTerms => {
    const open = scope.filter((c) => unresolved(c.demand)).length;
    const tally = events.get(unitId) ?? { service_event: 0, criticism: 0, praise: 0 };
    return {
      demands: scope.length,
      share: total === 0 ? 0 : scope.length / total,
      unresolved: open,
      unresolvedRate: scope.length === 0 ? 0 : open / scope.length,
      serviceEvents: tally.service_event,
      repeated: scope.filter((c) => isRepeated(c.calls)).length,
      criticisms: tally.criticism,
      praises: tally.praise,
    };
  };

  const rows: Omit<EvaluationRow, 'rank'>[] = [];
  for (const unit of departments) {
    const scope = counted.filter((c) => c.demand.category !== null && departmentOf.get(c.demand.category) === unit.id);
    const terms = termsOf(unit.id, scope, (d) => !closedBy(d, period));
    rows.push({ unitId: unit.id, unitName: unit.name, kind: 'department', ...terms, score: evaluationScore(terms) });
  }
  // Each counted demand's county, once (not once per county).
  const countyMemo = new Map<number, number | null>();
  const countyOfUnit = (unitId: number) => {
    if (!countyMemo.has(unitId)) countyMemo.set(unitId, countyOf(byId, unitId));
    return countyMemo.get(unitId)!;
  };
  const byCounty = new Map<number, CountedCase[]>();
  for (const c of counted) {
    const county = countyOfUnit(c.demand.firstUnitId);
    if (county === null) continue;
    const list = byCounty.get(county);
    if (list) list.push(c);
    else byCounty.set(county, [c]);
  }
  for (const unit of counties) {
    const scope = byCounty.get(unit.id) ?? [];
    const reportedUnresolved = (d: EvaluationDemand) => d.firstResolved === false && d.firstHandledAt !== null && d.firstHandledAt < period.to;
    const terms = termsOf(unit.id, scope, (d) => reportedUnresolved(d) || !closedBy(d, period));
    rows.push({ unitId: unit.id, unitName: unit.name, kind: 'county', ...terms, score: evaluationScore(terms) });
  }
  return { from: period.from, to: period.to, total, units: rankWithinKind(rows) };
}

/** Ranks rows within their kind by score, highest first (1, 1, 3 for a tie), keeping departments before counties. */
export function rankWithinKind<T extends { kind: string; score: number; unitId: number }>(rows: readonly T[]): (T & { rank: number })[] {
  const out: (T & { rank: number })[] = [];
  for (const kind of ['department', 'county']) {
    const sorted = rows.filter((r) => r.kind === kind).sort((a, b) => b.score - a.score || a.unitId - b.unitId);
    sorted.forEach((row, i) => {
      const rank = i > 0 && sorted[i - 1]!.score === row.score ? out[out.length - 1]!.rank : i + 1;
      out.push({ ...row, rank });
    });
  }
  return out;
}

/** The period of a quarter: its first day's local midnight to the next quarter's, in the company's zone. */
export function quarterPeriod(year: number, quarter: number, zone: string = DEFAULT_TIME_ZONE): Period {
  const month = (quarter - 1) * 3 + 1;
  const next = quarter === 4 ? `${year + 1}-01-01` : `${year}-${String(month + 3).padStart(2, '0')}-01`;
  return { from: startOfLocalDate(`${year}-${String(month).padStart(2, '0')}-01`, zone).toISOString(), to: startOfLocalDate(next, zone).toISOString() };
}

/** An instant or a date (its local midnight in the company's zone) as an ISO instant. */
export function instantOf(value: string, zone: string = DEFAULT_TIME_ZONE): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? startOfLocalDate(value, zone).toISOString() : new Date(value).toISOString();
}
