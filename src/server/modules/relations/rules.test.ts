import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PlanRules } from '../../../shared/schemas/relations.js';
import { calendarFrom, workingDaysBetween } from '../deadlines/calendar.js';
import {
  actionNotice,
  DEFAULT_PLAN_RULES,
  dueOn,
  matches,
  proposalReason,
  proposals,
  resolveOwner,
  segmentsOf,
  visitCandidates,
  type RuleEvent,
} from './rules.js';

const outages = DEFAULT_PLAN_RULES.find((r) => r.key === 'key_account_outages')!;
const unsatisfied = DEFAULT_PLAN_RULES.find((r) => r.key === 'unsatisfied_callback')!;
const keyAccount = { keyAccount: true, important: false, customerClass: 'high_voltage' };
const resident = { keyAccount: false, important: false, customerClass: 'residential' };
const now = '2026-12-07T02:00:00.000Z';

const event = (over: Partial<RuleEvent>): RuleEvent => ({
  customerId: 1,
  demandId: 1,
  number: 'SQ202612070001',
  at: '2026-12-01T02:00:00.000Z',
  category: 'outage_voltage',
  type: 'fault_repair',
  callbackOutcome: null,
  customer: keyAccount,
  ...over,
});

test('the default rules read through their schema; a key used twice is refused', () => {
  assert.ok(PlanRules.safeParse(DEFAULT_PLAN_RULES).success);
  const twice = PlanRules.safeParse([outages, outages]);
  assert.equal(twice.success, false);
  assert.match(JSON.stringify(twice.error?.issues), /used twice/);
  assert.equal(PlanRules.safeParse([{ ...outages, count: 0 }]).success, false);
});

test('a customer belongs to the groups its facts say', () => {
  assert.deepEqual(segmentsOf(keyAccount), ['key_accounts']);
  assert.deepEqual(segmentsOf({ keyAccount: true, important: true, customerClass: 'residential' }), ['key_accounts', 'residential_lv', 'important']);
  assert.deepEqual(segmentsOf({ keyAccount: false, important: false, customerClass: 'high_voltage' }), []);
});

test('two outage demands of a key account within 30 days propose a plan; one does not, nor a resident, nor an old demand', () => {
  const one = [event({ demandId: 1, number: 'A1' })];
  assert.deepEqual(proposals(outages, one, now, new Set()), []);
  const two = [...one, event({ demandId: 2, number: 'A2', at: '2026-12-05T02:00:00.000Z' })];
  const [p] = proposals(outages, two, now, new Set());
  assert.deepEqual(p, { ruleKey: 'key_account_outages', customerId: 1, demandNumbers: ['A1', 'A2'] });
  assert.equal(proposalReason(outages, p!), '近30天内2件诉求（A1、A2）');
  // Already proposed within the window: not again.
  assert.deepEqual(proposals(outages, two, now, new Set([1])), []);
  // A resident is not a key account; another category does not count; a demand 31 days back is outside the window.
  assert.deepEqual(
    proposals(
      outages,
      two.map((e) => ({ ...e, customer: resident })),
      now,
      new Set(),
    ),
    [],
  );
  assert.deepEqual(proposals(outages, [...one, event({ demandId: 2, category: 'supply_service' })], now, new Set()), []);
  assert.deepEqual(proposals(outages, [...one, event({ demandId: 2, at: '2026-11-06T01:00:00.000Z' })], now, new Set()), []);
  // The same demand seen twice counts once.
  assert.deepEqual(proposals(outages, [...one, ...one], now, new Set()), []);
});

test('an unsatisfied callback proposes a visit for any customer; the demand itself does not count', () => {
  const cb = event({ customer: resident, category: 'supply_service', callbackOutcome: 'unsatisfied' });
  assert.ok(matches(unsatisfied, cb));
  assert.equal(matches(unsatisfied, { ...cb, callbackOutcome: null }), false);
  assert.equal(matches(outages, { ...cb, customer: keyAccount, category: 'outage_voltage' }), false, 'a callback is not an outage demand');
  assert.equal(proposals(unsatisfied, [cb], now, new Set()).length, 1);
  assert.match(proposalReason(unsatisfied, proposals(unsatisfied, [cb], now, new Set())[0]!), /1次回访不满意/);
});

test('an action is owned by the account manager, else the county head, else a team lead', () => {
  assert.equal(resolveOwner('account_manager', { accountManagerId: 5, countyHeadId: 6, teamLeadId: 7 }), 5);
  assert.equal(resolveOwner('account_manager', { accountManagerId: null, countyHeadId: 6, teamLeadId: 7 }), 6);
  assert.equal(resolveOwner('account_manager', { accountManagerId: null, countyHeadId: null, teamLeadId: 7 }), 7);
  assert.equal(resolveOwner('county_head', { accountManagerId: 5, countyHeadId: null, teamLeadId: 7 }), 7);
  assert.equal(resolveOwner('team_lead', { accountManagerId: 5, countyHeadId: 6, teamLeadId: null }), null);
  assert.equal(dueOn('2026-12-28', 5), '2027-01-02');
});

test('an action is reminded 3 working days before its date, then told overdue once', () => {
  const calendar = calendarFrom([{ date: '2026-12-09', working: false }]);
  const between = (from: string, to: string) => workingDaysBetween(from, to, calendar);
  const open = { dueOn: '2026-12-11', status: 'open', remindedAt: null, overdueNotifiedAt: null };
  // Monday 7th: 8, (9 a holiday), 10, 11 → 3 working days left.
  assert.equal(actionNotice(open, '2026-12-07', between), 'remind');
  assert.equal(actionNotice(open, '2026-12-04', between), null, 'Friday the 4th: 4 working days left');
  assert.equal(actionNotice({ ...open, remindedAt: 'x' }, '2026-12-08', between), null, 'reminded once');
  assert.equal(actionNotice({ ...open, remindedAt: 'x' }, '2026-12-11', between), null, 'due today is not late');
  assert.equal(actionNotice({ ...open, remindedAt: 'x' }, '2026-12-12', between), 'overdue');
  assert.equal(actionNotice({ ...open, remindedAt: 'x', overdueNotifiedAt: 'y' }, '2026-12-14', between), null, 'overdue told once');
  assert.equal(actionNotice({ ...open, status: 'done' }, '2026-12-12', between), null);
});

test('visit candidates: the latest reason per customer, gone once a visit reached them on or after it', () => {
  const events = [
    { customerId: 1, demandId: 10, number: 'D10', date: '2026-11-20', reason: 'unsatisfied_callback' as const },
    { customerId: 1, demandId: 11, number: 'D11', date: '2026-12-01', reason: 'investment' as const },
    { customerId: 2, demandId: 12, number: 'D12', date: '2026-11-25', reason: 'unsatisfied_callback' as const },
    { customerId: 3, demandId: 13, number: 'D13', date: '2026-11-26', reason: 'policy' as const },
  ];
  const found = visitCandidates(events, new Map([[2, '2026-11-25']]));
  assert.deepEqual(
    found.map((c) => [c.customerId, c.number]),
    [
      [1, 'D11'],
      [3, 'D13'],
    ],
  );
  assert.deepEqual(
    visitCandidates(events, new Map([[3, '2026-11-20']])).map((c) => c.customerId),
    [1, 3, 2],
    'a visit before the demand does not count',
  );
});
