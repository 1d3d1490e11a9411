import MultivariateLinearRegression from 'ml-regression-multivariate-linear';
import {
  ELASTICITY_CATEGORIES,
  SATISFACTION_DIMENSIONS,
  type Elasticity,
  type ElasticityCategory,
  type SatisfactionDimension,
  type WhatIf,
} from '../../../shared/schemas/satisfaction.js';

// 客户满意度 as plain functions: the survey file's periods, columns and rows;
// the demand rates; the elasticity of satisfaction to them (the seed's, or the
// company's own least-squares estimate); and the what-if.

// ── the seed's measurement and when the company's own replaces it ──────────

/**
 * Seed 000 §二.1: "停电与电压质量诉求数量每增加1%，满意度将下降0.66%；供电服务诉求
 * 数量每增加1%，满意度将下降0.56%". An elasticity here is that figure: the % of
 * overall satisfaction lost for each 1 % more demands of the category.
 */
export const SEED_ELASTICITY: Readonly<Record<ElasticityCategory, number>> = { outage_voltage: 0.66, supply_service: 0.56 };

/**
 * The city periods (with a survey and demands of both categories) the company
 * needs before its own estimate replaces the seed's: two years of quarterly
 * surveys. The fit has three parameters (intercept and two slopes); with 8
 * periods it keeps 5 degrees of freedom, the fewest that give standard errors
 * worth showing beside a published measurement. Fewer, and one odd quarter
 * would swing the estimate more than the seed's figures are worth replacing.
 */
export const MIN_PERIODS = 8;

/** Demand rates are per 10,000 customers per 30 days, so that a month, a quarter and a year read alike. */
export const RATE_CUSTOMERS = 10_000;
export const RATE_DAYS = 30;

export const MODEL_STATEMENT =
  'ln(overall) = a + b₁·ln(outage & voltage demands per 10,000 customers per 30 days) + b₂·ln(supply service demands per 10,000 customers per 30 days), ' +
  'fitted by least squares over the city’s completed survey periods of one kind (the kind it has most of) that have demands of both categories ' +
  '(complaints, opinions and suggestions; each case once). The elasticity shown is −b: the % of overall satisfaction lost for each 1 % more demands, as the seed states its 0.66 and 0.56. ' +
  `Until the city has ${MIN_PERIODS} such periods, the seed's 0.66 and 0.56 are shown.`;

// ── periods ────────────────────────────────────────────────────────────────

export type PeriodKind = 'year' | 'quarter' | 'month';
export interface SurveyPeriodSpan {
  /** Canonical: `2026`, `2026-Q3`, `2026-11`. */
  period: string;
  kind: PeriodKind;
  /** Local dates: from inclusive, to exclusive. */
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A period as people write it — `2026`, `2026年`, `2026-Q3`, `2026Q3`, `2026年第3季度`, `2026-11`, `2026/11`, `2026年11月`, a month's first day — or null. */
export function parsePeriod(text: string): SurveyPeriodSpan | null {
  const t = text.trim().replace(/\s+/g, '');
  let m = /^(\d{4})年?$/.exec(t);
  if (m) {
    const y = Number(m[1]);
    return { period: m[1]!, kind: 'year', from: `${m[1]}-01-01`, to: `${y + 1}-01-01` };
  }
  m = /^(\d{4})[-/]?[Qq]([1-4])$/.exec(t) ?? /^(\d{4})年?第?([1-4])季度?$/.exec(t);
  if (m) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    const to = q === 4 ? `${y + 1}-01-01` : `${m[1]}-${pad(q * 3 + 1)}-01`;
    return { period: `${m[1]}-Q${q}`, kind: 'quarter', from: `${m[1]}-${pad(q * 3 - 2)}-01`, to };
  }
  m = /^(\d{4})[-/.年](\d{1,2})月?$/.exec(t) ?? /^(\d{4})-(\d{2})-01(?:00:00(?::00)?)?$/.exec(t);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) return null;
    const to = mo === 12 ? `${y + 1}-01-01` : `${m[1]}-${pad(mo + 1)}-01`;
    return { period: `${m[1]}-${pad(mo)}`, kind: 'month', from: `${m[1]}-${pad(mo)}-01`, to };
  }
  return null;
}

/** The months (YYYY-MM) a period spans. */
export function monthsOf(span: { from: string; to: string }): string[] {
  const months: string[] = [];
  let y = Number(span.from.slice(0, 4));
  let m = Number(span.from.slice(5, 7));
  for (;;) {
    const month = `${y}-${pad(m)}`;
    if (`${month}-01` >= span.to) return months;
    months.push(month);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
}

/** The days a period spans. */
export function daysOf(span: { from: string; to: string }): number {
  return Math.round((Date.parse(`${span.to}T00:00:00Z`) - Date.parse(`${span.from}T00:00:00Z`)) / 86_400_000);
}

// ── the file ───────────────────────────────────────────────────────────────

export type SurveyColumn = 'period' | 'unit' | SatisfactionDimension | 'overall';
export const SCORE_COLUMNS = [...SATISFACTION_DIMENSIONS, 'overall'] as const;
export type ScoreColumn = (typeof SCORE_COLUMNS)[number];

/** The Chinese names of the survey's columns (seed 000 §一.1), as the page and the problems name them. */
export const COLUMN_LABELS: Record<SurveyColumn, string> = {
  period: '期间',
  unit: '单位',
  stability: '供电稳定',
  safety: '供电安全',
  payment: '用电缴费',
  business: '业务办理',
  hall: '营业厅服务',
  hotline: '95598热线',
  communication: '客户沟通',
  handling: '问题处理',
  overall: '总体',
};

const HEADERS: Record<SurveyColumn, string[]> = {
  period: ['period', '期间', '周期', '时期', '调查期间'],
  unit: ['unitid', 'unit', 'unit_id', '单位', '单位名称', '单位编码', '單位'],
  stability: ['stability', '供电稳定', '供電穩定'],
  safety: ['safety', '供电安全', '供電安全'],
  payment: ['payment', '用电缴费', '用電繳費'],
  business: ['business', '业务办理', '業務辦理'],
  hall: ['hall', '营业厅服务', '營業廳服務', '营业厅'],
  hotline: ['hotline', '95598热线', '95598熱線', '95598'],
  communication: ['communication', '客户沟通', '客戶溝通'],
  handling: ['handling', '问题处理', '問題處理'],
  overall: ['overall', '总体', '總體', '总体满意度', '總體滿意度', '满意度', '總分', '总分'],
};

const normalHeader = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '');

/** Which column holds what, from the header row; the unit column may be absent (every row the city); the others it lacks are named. */
export function surveyColumns(
  header: readonly string[],
): { columns: Record<Exclude<SurveyColumn, 'unit'>, number> & { unit: number | null } } | { missing: string[] } {
  const normal = header.map(normalHeader);
  const found: Partial<Record<SurveyColumn, number>> = {};
  const missing: string[] = [];
  for (const key of Object.keys(HEADERS) as SurveyColumn[]) {
    const i = normal.findIndex((h) => HEADERS[key].includes(h));
    if (i >= 0) found[key] = i;
    else if (key !== 'unit') missing.push(`${key} (${COLUMN_LABELS[key]})`);
  }
  if (missing.length > 0) return { missing };
  return { columns: { ...(found as Record<Exclude<SurveyColumn, 'unit'>, number>), unit: found.unit ?? null } };
}

export interface SurveyCells {
  row: number;
  period: string;
  unit: string;
  scores: Record<ScoreColumn, string>;
}

export interface SurveyRow extends SurveyPeriodSpan {
  row: number;
  /** null: the whole city. */
  unitId: number | null;
  scores: Record<ScoreColumn, number>;
}

export interface Rejection {
  row: number;
  problem: string;
}

/**
 * Each row checked on its own and against the file's other rows: a period
 * (year, quarter or month) that has begun by `today`, a unit that exists (by
 * id, code or name; empty for the city), every score a number from 0 to 100,
 * a period and unit once in the file.
 */
export function checkSurveyRows(
  cells: readonly SurveyCells[],
  unitOf: (text: string) => number | null,
  today: string,
): { rows: SurveyRow[]; rejected: Rejection[] } {
  const rows: SurveyRow[] = [];
  const rejected: Rejection[] = [];
  const seen = new Map<string, number>();
  for (const c of cells) {
    const problems: string[] = [];
    const span = parsePeriod(c.period);
    if (span === null) problems.push(`period (期间) "${c.period.trim()}" is not a year YYYY, a quarter YYYY-Qn or a month YYYY-MM`);
    else if (span.from > today) problems.push(`period ${span.period} has not begun yet`);
    const unitText = c.unit.trim();
    const unitId = unitText === '' ? null : unitOf(unitText);
    if (unitText !== '' && unitId === null) problems.push(`no unit (单位) "${unitText}": give its id, code or name, or leave it empty for the city`);
    const scores = {} as Record<ScoreColumn, number>;
    for (const key of SCORE_COLUMNS) {
      const text = c.scores[key].trim();
      const value = text === '' ? NaN : Number(text.replace(/%$/, ''));
      const name = `${key} (${COLUMN_LABELS[key]})`;
      if (text === '') problems.push(`${name} is empty`);
      else if (!Number.isFinite(value)) problems.push(`${name} "${text}" is not a number`);
      else if (value < 0 || value > 100) problems.push(`${name} ${value} is not a score from 0 to 100`);
      scores[key] = value;
    }
    if (span !== null && (unitText === '' || unitId !== null)) {
      const key = `${span.period}|${unitId ?? 0}`;
      const first = seen.get(key);
      if (first !== undefined) problems.push(`period ${span.period} of ${unitText === '' ? 'the city' : `unit "${unitText}"`} is already in row ${first}`);
      else seen.set(key, c.row);
    }
    if (problems.length > 0) rejected.push({ row: c.row, problem: problems.join('; ') });
    else rows.push({ ...span!, row: c.row, unitId, scores });
  }
  return { rows, rejected };
}

// ── demand rates ───────────────────────────────────────────────────────────

/** Demands per 10,000 customers per 30 days over a period of `days`; null without customers. */
export function demandRate(cases: number, days: number, customers: number): number | null {
  if (customers <= 0 || days <= 0) return null;
  return ((cases / customers) * RATE_CUSTOMERS * RATE_DAYS) / days;
}

/** Callback satisfaction: satisfied ÷ (satisfied + unsatisfied), null with no callback. */
export function callbackRate(satisfied: number, unsatisfied: number): number | null {
  const n = satisfied + unsatisfied;
  return n === 0 ? null : satisfied / n;
}

// ── the elasticity ─────────────────────────────────────────────────────────

/** A city period as the fit reads it. */
export interface FitPeriod {
  period: string;
  kind: PeriodKind;
  from: string;
  to: string;
  overall: number;
  /** Counted demands (cases) of each category in the period. */
  cases: Record<ElasticityCategory, number>;
}

/**
 * The city periods the fit may read: completed by `today` (the period's
 * demands are all in), an overall score above 0 and demands of both
 * categories (the model takes logarithms), of the one kind the city has most
 * of (a tie: quarters, then months, then years).
 */
export function fitPeriods(periods: readonly FitPeriod[], today: string): { kind: PeriodKind | null; periods: FitPeriod[] } {
  const usable = periods.filter((p) => p.to <= today && p.overall > 0 && ELASTICITY_CATEGORIES.every((c) => p.cases[c] > 0));
  let best: { kind: PeriodKind | null; periods: FitPeriod[] } = { kind: null, periods: [] };
  for (const kind of ['quarter', 'month', 'year'] as const) {
    const of = usable.filter((p) => p.kind === kind);
    if (of.length > best.periods.length) best = { kind, periods: of };
  }
  return best;
}

/**
 * Whether two regressors can be told apart: each must vary, and they must not
 * move in lockstep (|correlation| below 0.999), or the normal equations are
 * (nearly) singular and any split of the effect between them fits as well.
 */
export function identifiable(x: readonly (readonly number[])[]): boolean {
  const n = x.length;
  const mean = (j: number) => x.reduce((s, r) => s + r[j]!, 0) / n;
  const [m0, m1] = [mean(0), mean(1)];
  let s00 = 0;
  let s11 = 0;
  let s01 = 0;
  for (const r of x) {
    s00 += (r[0]! - m0) ** 2;
    s11 += (r[1]! - m1) ** 2;
    s01 += (r[0]! - m0) * (r[1]! - m1);
  }
  if (s00 < 1e-12 || s11 < 1e-12) return false;
  return Math.abs(s01 / Math.sqrt(s00 * s11)) < 0.999;
}

/** The seed's elasticity, saying how many usable periods the company has so far. */
export function seedElasticity(periods: number, kind: PeriodKind | null): Elasticity {
  return { ...SEED_ELASTICITY, source: 'seed', periods, minPeriods: MIN_PERIODS, kind, model: MODEL_STATEMENT, fit: null, seed: { ...SEED_ELASTICITY } };
}

/**
 * The elasticity: the seed's until there are MIN_PERIODS usable city periods,
 * then the least-squares fit of the stated model (ml-regression-multivariate-
 * linear, with its standard errors). A fit that cannot be made (a rate that
 * does not move, or the two moving in lockstep: see identifiable) keeps the seed's.
 * The customer count scales every rate alike, so it moves only the intercept.
 */
export function estimateElasticity(periods: readonly FitPeriod[], today: string): Elasticity {
  const chosen = fitPeriods(periods, today);
  const n = chosen.periods.length;
  if (n < MIN_PERIODS) return seedElasticity(n, chosen.kind);
  const x = chosen.periods.map((p) => ELASTICITY_CATEGORIES.map((c) => Math.log((p.cases[c] * RATE_DAYS) / daysOf(p))));
  if (!identifiable(x)) return seedElasticity(n, chosen.kind);
  const y = chosen.periods.map((p) => [Math.log(p.overall)]);
  let model: MultivariateLinearRegression;
  try {
    model = new MultivariateLinearRegression(x, y, { intercept: true, statistics: true });
  } catch {
    return seedElasticity(n, chosen.kind);
  }
  // weights: one row per input, the intercept last; stdErrors in the same order.
  const [bOv, bSs, a] = model.weights.map((w) => w[0]!);
  const [seOv, seSs, seA] = model.stdErrors;
  const numbers = [bOv, bSs, a, seOv, seSs, seA, model.stdError];
  if (!numbers.every((v) => v !== undefined && Number.isFinite(v))) return seedElasticity(n, chosen.kind);
  const fitted = model.predict(x).map((r) => r[0]!);
  const mean = y.reduce((s, r) => s + r[0]!, 0) / n;
  const total = y.reduce((s, r) => s + (r[0]! - mean) ** 2, 0);
  const residual = y.reduce((s, r, i) => s + (r[0]! - fitted[i]!) ** 2, 0);
  return {
    outage_voltage: -bOv!,
    supply_service: -bSs!,
    source: 'estimated',
    periods: n,
    minPeriods: MIN_PERIODS,
    kind: chosen.kind,
    model: MODEL_STATEMENT,
    fit: {
      intercept: a!,
      coefficients: { outage_voltage: bOv!, supply_service: bSs! },
      standardErrors: { intercept: seA!, outage_voltage: seOv!, supply_service: seSs! },
      r2: total === 0 ? 0 : 1 - residual / total,
      residualStandardError: model.stdError,
    },
    seed: { ...SEED_ELASTICITY },
  };
}

// ── the what-if ────────────────────────────────────────────────────────────

/**
 * 若停电与电压质量诉求下降10%，满意度预计上升…: under the constant-elasticity
 * model, overall satisfaction is multiplied by Π (1 + change)^(−elasticity).
 * `change` is in percent; the expected score is capped at 100.
 */
export function whatIf(
  elasticity: Pick<Elasticity, ElasticityCategory | 'source' | 'periods'>,
  change: Record<ElasticityCategory, number>,
  base: { period: string; overall: number } | null,
): WhatIf {
  let factor = 1;
  for (const c of ELASTICITY_CATEGORIES) factor *= (1 + change[c] / 100) ** -elasticity[c];
  const expectedChange = (factor - 1) * 100;
  const expected = base === null ? null : Math.min(100, base.overall * factor);
  return {
    change: { ...change },
    expectedChange: round(expectedChange, 4),
    base:
      base === null || expected === null
        ? null
        : { period: base.period, overall: base.overall, expected: round(expected, 4), points: round(expected - base.overall, 4) },
    source: elasticity.source,
    periods: elasticity.periods,
  };
}

export const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
