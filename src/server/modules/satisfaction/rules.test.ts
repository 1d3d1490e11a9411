import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkSurveyRows,
  daysOf,
  demandRate,
  estimateElasticity,
  MIN_PERIODS,
  parsePeriod,
  SEED_ELASTICITY,
  surveyColumns,
  whatIf,
  type FitPeriod,
  type SurveyCells,
} from './rules.js';

describe('survey periods', () => {
  test('a year, a quarter and a month, as people write them, with the local dates they span', () => {
    assert.deepEqual(parsePeriod('2025'), { period: '2025', kind: 'year', from: '2025-01-01', to: '2026-01-01' });
    assert.deepEqual(parsePeriod('2025-Q4'), { period: '2025-Q4', kind: 'quarter', from: '2025-10-01', to: '2026-01-01' });
    assert.deepEqual(parsePeriod('2025q2'), { period: '2025-Q2', kind: 'quarter', from: '2025-04-01', to: '2025-07-01' });
    assert.deepEqual(parsePeriod('2025年第3季度'), { period: '2025-Q3', kind: 'quarter', from: '2025-07-01', to: '2025-10-01' });
    assert.deepEqual(parsePeriod('2025-12'), { period: '2025-12', kind: 'month', from: '2025-12-01', to: '2026-01-01' });
    assert.deepEqual(parsePeriod('2025/3'), { period: '2025-03', kind: 'month', from: '2025-03-01', to: '2025-04-01' });
    assert.deepEqual(parsePeriod('2025年3月'), { period: '2025-03', kind: 'month', from: '2025-03-01', to: '2025-04-01' });
    assert.deepEqual(parsePeriod('2025-03-01'), { period: '2025-03', kind: 'month', from: '2025-03-01', to: '2025-04-01' });
    for (const bad of ['', '2025-13', '2025-Q5', '25', 'next year', '2025-03-15']) assert.equal(parsePeriod(bad), null, bad);
    assert.equal(daysOf(parsePeriod('2024-Q1')!), 91);
    assert.equal(daysOf(parsePeriod('2025-02')!), 28);
  });
});

describe('the survey file', () => {
  test('English or Chinese headers in any order; the unit column may be absent; the missing ones are named', () => {
    const english = surveyColumns([
      'period',
      'unitId',
      'stability',
      'safety',
      'payment',
      'business',
      'hall',
      'hotline',
      'communication',
      'handling',
      'overall',
    ]);
    assert.ok('columns' in english);
    assert.equal(english.columns.overall, 10);
    const chinese = surveyColumns(['总体', '期间', '单位', '供电稳定', '供电安全', '用电缴费', '业务办理', '营业厅服务', '95598热线', '客户沟通', '问题处理']);
    assert.ok('columns' in chinese);
    assert.equal(chinese.columns.overall, 0);
    assert.equal(chinese.columns.unit, 2);
    const noUnit = surveyColumns(['period', 'stability', 'safety', 'payment', 'business', 'hall', 'hotline', 'communication', 'handling', 'overall']);
    assert.ok('columns' in noUnit && noUnit.columns.unit === null);
    assert.deepEqual(surveyColumns(['period', 'overall']), {
      missing: [
        'stability (供电稳定)',
        'safety (供电安全)',
        'payment (用电缴费)',
        'business (业务办理)',
        'hall (营业厅服务)',
        'hotline (95598热线)',
        'communication (客户沟通)',
        'handling (问题处理)',
      ],
    });
  });

  const scores = (overall = '80') => ({
    stability: '70',
    safety: '75',
    payment: '66.5',
    business: '68',
    hall: '90',
    hotline: '88',
    communication: '79',
    handling: '72',
    overall,
  });
  const units = new Map([
    ['7', 7],
    ['QL', 7],
    ['麒麟区供电局', 7],
  ]);
  const unitOf = (text: string) => units.get(text) ?? null;

  test('every problem of a row is named; a period and unit twice is refused in its second row', () => {
    const cells: SurveyCells[] = [
      { row: 2, period: '2025-Q4', unit: '', scores: scores() },
      { row: 3, period: '2025-Q4', unit: 'QL', scores: scores() },
      { row: 4, period: '2025-Q5', unit: '', scores: scores() },
      { row: 5, period: '2025-Q3', unit: '火星供电局', scores: scores() },
      { row: 6, period: '2025-Q3', unit: '', scores: { ...scores(), safety: '101', hall: 'abc', handling: '' } },
      { row: 7, period: '2025-Q4', unit: '麒麟区供电局', scores: scores() },
      { row: 8, period: '2027', unit: '', scores: scores() },
    ];
    const { rows, rejected } = checkSurveyRows(cells, unitOf, '2026-12-07');
    assert.deepEqual(
      rows.map((r) => [r.row, r.period, r.unitId, r.scores.payment, r.scores.overall]),
      [
        [2, '2025-Q4', null, 66.5, 80],
        [3, '2025-Q4', 7, 66.5, 80],
      ],
    );
    assert.deepEqual(rejected, [
      { row: 4, problem: 'period (期间) "2025-Q5" is not a year YYYY, a quarter YYYY-Qn or a month YYYY-MM' },
      { row: 5, problem: 'no unit (单位) "火星供电局": give its id, code or name, or leave it empty for the city' },
      { row: 6, problem: 'safety (供电安全) 101 is not a score from 0 to 100; hall (营业厅服务) "abc" is not a number; handling (问题处理) is empty' },
      { row: 7, problem: 'period 2025-Q4 of unit "麒麟区供电局" is already in row 3' },
      { row: 8, problem: 'period 2027 has not begun yet' },
    ]);
  });
});

describe('the elasticity and the what-if', () => {
  test('a demand rate is per 10,000 customers per 30 days', () => {
    assert.equal(demandRate(90, 90, 10_000), 30);
    assert.equal(demandRate(45, 90, 5_000), 30);
    assert.equal(demandRate(10, 30, 0), null);
  });

  /** Twelve quarters whose overall follows ln(S) = a + b₁ ln(r₁) + b₂ ln(r₂) exactly. */
  const series = (b1: number, b2: number, a = 5, count = 12): FitPeriod[] =>
    Array.from({ length: count }, (_, i) => {
      const year = 2023 + Math.floor(i / 4);
      const q = (i % 4) + 1;
      const span = parsePeriod(`${year}-Q${q}`)!;
      const cases = { outage_voltage: 30 + ((i * 7) % 11) * 5, supply_service: 20 + ((i * 5) % 7) * 6 };
      const days = daysOf(span);
      const overall = Math.exp(a + b1 * Math.log((cases.outage_voltage * 30) / days) + b2 * Math.log((cases.supply_service * 30) / days));
      return { ...span, overall, cases };
    });

  test('with fewer than the minimum of city periods, the seed’s 0.66 and 0.56, saying how many there are', () => {
    const few = series(-0.3, -0.2).slice(0, MIN_PERIODS - 1);
    const e = estimateElasticity(few, '2026-12-07');
    assert.equal(e.source, 'seed');
    assert.equal(e.outage_voltage, SEED_ELASTICITY.outage_voltage);
    assert.equal(e.supply_service, 0.56);
    assert.equal(e.periods, MIN_PERIODS - 1);
    assert.equal(e.kind, 'quarter');
    assert.equal(e.fit, null);
  });

  test('with enough, the least-squares fit recovers the slopes, with standard errors and R²', () => {
    const e = estimateElasticity(series(-0.3, -0.2), '2026-12-07');
    assert.equal(e.source, 'estimated');
    assert.equal(e.periods, 12);
    assert.ok(Math.abs(e.outage_voltage - 0.3) < 1e-9, String(e.outage_voltage));
    assert.ok(Math.abs(e.supply_service - 0.2) < 1e-9, String(e.supply_service));
    assert.ok(Math.abs(e.fit!.intercept - 5) < 1e-8);
    assert.ok(e.fit!.r2 > 0.999999);
    assert.ok(e.fit!.standardErrors.outage_voltage < 1e-6);
  });

  test('periods not yet over, without demands of a category, or of a rarer kind are left out', () => {
    const quarters = series(-0.3, -0.2);
    const months = [parsePeriod('2025-01')!, parsePeriod('2025-02')!].map((s) => ({ ...s, overall: 80, cases: { outage_voltage: 3, supply_service: 2 } }));
    const e = estimateElasticity([...quarters, ...months], '2025-12-01');
    // 2025-Q4 is not over on the day: eleven quarters, still enough; the two months are another kind.
    assert.equal(e.periods, 11);
    assert.equal(e.kind, 'quarter');
    const gaps = quarters.map((p, i) => (i < 5 ? { ...p, cases: { ...p.cases, supply_service: 0 } } : p));
    assert.equal(estimateElasticity(gaps, '2026-12-07').source, 'seed');
    assert.equal(estimateElasticity(gaps, '2026-12-07').periods, 7);
  });

  test('rates moving in lockstep cannot be told apart: the seed’s figures stay', () => {
    const lockstep = series(-0.3, -0.2).map((p) => ({ ...p, cases: { outage_voltage: p.cases.outage_voltage, supply_service: p.cases.outage_voltage } }));
    const e = estimateElasticity(lockstep, '2026-12-07');
    assert.equal(e.source, 'seed');
  });

  test('若停电与电压质量诉求下降10%: satisfaction rises by 0.9^−0.66 − 1 ≈ 7.20 %, from the latest city score', () => {
    const seed = { ...SEED_ELASTICITY, source: 'seed' as const, periods: 3 };
    const w = whatIf(seed, { outage_voltage: -10, supply_service: 0 }, { period: '2026-Q3', overall: 80 });
    assert.ok(Math.abs(w.expectedChange - (0.9 ** -0.66 - 1) * 100) < 1e-4);
    assert.equal(w.expectedChange.toFixed(2), '7.20');
    assert.equal(w.base!.expected.toFixed(2), '85.76');
    assert.equal(w.base!.points.toFixed(2), '5.76');
    assert.equal(w.source, 'seed');
    // Both categories at once multiply; more demands cost; the score stops at 100.
    const both = whatIf(seed, { outage_voltage: 10, supply_service: 20 }, null);
    assert.ok(Math.abs(both.expectedChange - (1.1 ** -0.66 * 1.2 ** -0.56 - 1) * 100) < 1e-4);
    assert.ok(both.expectedChange < 0);
    assert.equal(both.base, null);
    assert.equal(whatIf(seed, { outage_voltage: -90, supply_service: -90 }, { period: '2026', overall: 90 }).base!.expected, 100);
    assert.equal(whatIf(seed, { outage_voltage: 0, supply_service: 0 }, null).expectedChange, 0);
  });
});
