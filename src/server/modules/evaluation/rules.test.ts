import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  countedCases,
  dateInPeriod,
  evaluate,
  evaluationScore,
  quarterPeriod,
  rankWithinKind,
  type EvaluationDemand,
  type EvaluationEvent,
  type EvaluationUnit,
} from './rules.js';

// A small city: two departments owning two categories each, two county
// bureaus with a station each. Each case writes its expected score out.

const units: EvaluationUnit[] = [
  { id: 1, name: '云岭供电局', kind: 'bureau', parentId: null },
  { id: 2, name: '95598客户服务中心', kind: 'centre', parentId: 1 },
  { id: 10, name: '生产设备部', kind: 'department', parentId: 1 },
  { id: 11, name: '市场营销部', kind: 'department', parentId: 1 },
  { id: 12, name: '物资部', kind: 'department', parentId: 1 },
  { id: 20, name: '麒麟区供电局', kind: 'county', parentId: 1 },
  { id: 21, name: '城关供电所', kind: 'station', parentId: 20 },
  { id: 30, name: '沾益区供电局', kind: 'county', parentId: 1 },
  { id: 31, name: '西平供电所', kind: 'station', parentId: 30 },
];
const routes = [
  { category: 'outage_voltage', unitId: 10 },
  { category: 'supply_safety', unitId: 10 },
  { category: 'supply_service', unitId: 11 },
  { category: 'grid_construction', unitId: 11 },
];
const Q4 = quarterPeriod(2026, 4);

let nextId = 1;
function call(over: Partial<EvaluationDemand> = {}): EvaluationDemand {
  const id = nextId++;
  return {
    id,
    caseId: id,
    type: 'complaint',
    category: 'outage_voltage',
    createdAt: '2026-11-02T02:00:00.000Z',
    verdict: null,
    firstUnitId: 21,
    firstResolved: true,
    firstHandledAt: '2026-11-03T02:00:00.000Z',
    closedAt: '2026-11-04T02:00:00.000Z',
    ...over,
  };
}
const row = (result: ReturnType<typeof evaluate>, unitId: number) => result.units.find((u) => u.unitId === unitId)!;
const run = (calls: EvaluationDemand[], events: EvaluationEvent[] = []) => evaluate({ period: Q4, units, routes, calls, events });

test('the formula: 100 − share×30 − rate×70 − 2×events − repeated − criticisms + praises, to two decimals', () => {
  assert.equal(evaluationScore({ share: 0.2, unresolvedRate: 0.1, serviceEvents: 1, repeated: 2, criticisms: 1, praises: 3 }), 100 - 6 - 7 - 2 - 2 - 1 + 3);
  assert.equal(evaluationScore({ share: 1 / 3, unresolvedRate: 1 / 3, serviceEvents: 0, repeated: 0, criticisms: 0, praises: 0 }), 66.67);
});

test('a unit with no demands scores 100 plus its praises minus its events', () => {
  const result = run(
    [call({ firstUnitId: 21 })],
    [
      { unitId: 30, kind: 'praise', occurredOn: '2026-11-10' },
      { unitId: 30, kind: 'praise', occurredOn: '2026-11-11' },
      { unitId: 30, kind: 'service_event', occurredOn: '2026-11-12' },
    ],
  );
  const zy = row(result, 30);
  assert.deepEqual(
    { demands: zy.demands, share: zy.share, unresolvedRate: zy.unresolvedRate, serviceEvents: zy.serviceEvents, praises: zy.praises, score: zy.score },
    { demands: 0, share: 0, unresolvedRate: 0, serviceEvents: 1, praises: 2, score: 100 - 2 + 2 },
  );
  // 市场营销部 owns categories but had none of this quarter's demands; 物资部 owns none and is not a responsible department.
  assert.equal(row(result, 11).score, 100);
  assert.equal(
    result.units.some((u) => u.unitId === 12),
    false,
  );
});

test('a unit holding the whole city’s demands: share 1 costs 30 points, and its open ones the rate × 70', () => {
  const calls = [call(), call(), call(), call({ closedAt: null })];
  const result = run(calls);
  assert.equal(result.total, 4);
  const scb = row(result, 10);
  assert.deepEqual([scb.demands, scb.share, scb.unresolved, scb.unresolvedRate], [4, 1, 1, 0.25]);
  assert.equal(scb.score, 100 - 30 - 0.25 * 70); // 52.5
  const ql = row(result, 20);
  assert.equal(ql.score, 52.5, 'the county that first handled them all carries the same terms');
});

test('unfounded complaints are not counted anywhere, not even in the city’s total', () => {
  const calls = [call(), call({ verdict: 'unfounded', closedAt: null }), call({ category: 'supply_service', firstUnitId: 31 })];
  const result = run(calls);
  assert.equal(result.total, 2);
  const scb = row(result, 10);
  assert.deepEqual([scb.demands, scb.unresolved], [1, 0]);
  assert.equal(scb.score, 100 - 0.5 * 30); // 85
  assert.equal(row(result, 20).score, 85);
  assert.equal(row(result, 30).score, 85);
  const founded = run([call({ verdict: 'founded' })]);
  assert.equal(founded.total, 1, 'a complaint found founded again is counted');
});

test('a repeat is counted once in the share and once as repeated; a consultation in the case is a call but not a demand', () => {
  const first = call({ createdAt: '2026-11-02T02:00:00.000Z' });
  const again = call({ caseId: first.id, createdAt: '2026-11-05T02:00:00.000Z' });
  const third = call({ caseId: first.id, type: 'consultation', createdAt: '2026-11-06T02:00:00.000Z' });
  const other = call({ category: 'supply_service', firstUnitId: 31 });
  const result = run([first, again, third, other]);
  assert.equal(result.total, 2);
  assert.deepEqual(
    countedCases([first, again, third, other], Q4).map((c) => [c.demand.id, c.calls]),
    [
      [first.id, 3],
      [other.id, 1],
    ],
  );
  const scb = row(result, 10);
  assert.deepEqual([scb.demands, scb.share, scb.repeated], [1, 0.5, 1]);
  assert.equal(scb.score, 100 - 15 - 1); // 84
  assert.equal(row(result, 20).score, 84);
});

test('a case is counted in the quarter of its first counted call; its later calls only make it repeated', () => {
  const september = call({ createdAt: '2026-09-20T02:00:00.000Z', closedAt: '2026-09-25T02:00:00.000Z' });
  const october = call({ caseId: september.id, createdAt: '2026-10-02T02:00:00.000Z' });
  assert.equal(run([september, october]).total, 0);
  const q3 = evaluate({ period: quarterPeriod(2026, 3), units, routes, calls: [september, october], events: [] });
  assert.deepEqual([row(q3, 10).demands, row(q3, 10).repeated], [1, 0], 'the October call came after Q3 ended');
  const consultationFirst = call({ type: 'consultation', createdAt: '2026-09-20T02:00:00.000Z' });
  const complaintLater = call({ caseId: consultationFirst.id, createdAt: '2026-10-03T02:00:00.000Z' });
  assert.deepEqual(
    countedCases([consultationFirst, complaintLater], Q4).map((c) => [c.demand.id, c.calls]),
    [[complaintLater.id, 2]],
    'a complaint that follows a consultation is the case’s counted demand',
  );
});

test('a county’s first handling reported unresolved and later closed by the department: unresolved for the county, resolved for the department', () => {
  const transferred = call({ firstUnitId: 21, firstResolved: false, firstHandledAt: '2026-11-03T02:00:00.000Z', closedAt: '2026-12-20T02:00:00.000Z' });
  const resolved = call({ firstUnitId: 21 });
  const result = run([transferred, resolved]);
  const scb = row(result, 10);
  assert.deepEqual([scb.demands, scb.unresolved], [2, 0]);
  assert.equal(scb.score, 70); // 100 − 1×30
  const ql = row(result, 20);
  assert.deepEqual([ql.demands, ql.unresolved, ql.unresolvedRate], [2, 1, 0.5]);
  assert.equal(ql.score, 100 - 30 - 35); // 35
  // Closed after the quarter's end: unresolved for the department too.
  const late = run([{ ...transferred, closedAt: '2027-01-05T02:00:00.000Z' }, resolved]);
  assert.equal(row(late, 10).unresolved, 1);
  // Reported unresolved only after the quarter's end: the county's quarter saw it resolved (and closed).
  const reportedLater = run([{ ...transferred, firstHandledAt: '2027-01-02T02:00:00.000Z' }]);
  assert.equal(row(reportedLater, 20).unresolved, 0);
});

test('events count in the quarter of their local date: 30 September is Q3, 1 October and 31 December are Q4, 1 January is not', () => {
  const events: EvaluationEvent[] = [
    { unitId: 20, kind: 'service_event', occurredOn: '2026-09-30' },
    { unitId: 20, kind: 'criticism', occurredOn: '2026-10-01' },
    { unitId: 20, kind: 'praise', occurredOn: '2026-12-31' },
    { unitId: 20, kind: 'service_event', occurredOn: '2027-01-01' },
  ];
  const ql = row(run([], events), 20);
  assert.deepEqual([ql.serviceEvents, ql.criticisms, ql.praises], [0, 1, 1]);
  assert.equal(ql.score, 100 - 1 + 1);
  const q3 = row(evaluate({ period: quarterPeriod(2026, 3), units, routes, calls: [], events }), 20);
  assert.deepEqual([q3.serviceEvents, q3.score], [1, 98]);
  assert.equal(dateInPeriod('2026-10-01', Q4), true);
  assert.equal(dateInPeriod('2026-09-30', Q4), false);
});

test('a demand registered just before local midnight of the quarter’s first day belongs to the quarter before', () => {
  assert.deepEqual(Q4, { from: '2026-09-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
  const lastMinuteOfQ3 = call({ createdAt: '2026-09-30T15:59:59.999Z' });
  const firstOfQ4 = call({ createdAt: '2026-09-30T16:00:00.000Z' });
  assert.deepEqual(
    countedCases([lastMinuteOfQ3, firstOfQ4], Q4).map((c) => c.demand.id),
    [firstOfQ4.id],
  );
});

test('units rank within their kind, highest first; equal scores share a rank', () => {
  const ranked = rankWithinKind([
    { unitId: 1, kind: 'county', score: 90 },
    { unitId: 2, kind: 'county', score: 95 },
    { unitId: 3, kind: 'county', score: 90 },
    { unitId: 4, kind: 'county', score: 80 },
    { unitId: 5, kind: 'department', score: 70 },
  ]);
  assert.deepEqual(
    ranked.map((r) => [r.unitId, r.rank]),
    [
      [5, 1],
      [2, 1],
      [1, 2],
      [3, 2],
      [4, 4],
    ],
  );
});
