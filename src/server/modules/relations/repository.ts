import { sql, type Kysely } from 'kysely';
import type { PlanRule, Segment } from '../../../shared/schemas/relations.js';
import type { DB } from '../../db/types.js';
import type { RuleEvent } from './rules.js';

// The SQL of service plans and activities. The tables (migration
// 20261208000000): service_plans (a customer's plan or a segment's standing
// plan; a dynamic one carries its rule_key and reason), relation_actions (a
// plan's actions and an activity's follow-ups, each with an owner and a due
// date; reminded_at and overdue_notified_at are the scheduler's claims),
// activities and activity_customers. The customer record and the account
// manager's desk read these tables directly.

export async function customersByIds(db: Kysely<DB>, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('customers')
    .select(['id', 'account_no', 'name', 'unit_id', 'key_account', 'important', 'customer_class', 'account_manager_id'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
}
export type CustomerRow = Awaited<ReturnType<typeof customersByIds>>[number];

export async function usersByIds(db: Kysely<DB>, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('users')
    .select(['id', 'name', 'active', 'unit_id'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
}

export async function unitName(db: Kysely<DB>, id: number): Promise<string> {
  return (await db.selectFrom('units').select('name').where('id', '=', id).executeTakeFirst())?.name ?? '';
}

/** The head of the unit above the customer's station (its county bureau), when one is named and active. */
export async function countyHead(db: Kysely<DB>, stationUnitId: number): Promise<number | null> {
  const row = await db
    .selectFrom('units as s')
    .innerJoin('units as c', 'c.id', 's.parent_id')
    .innerJoin('users as u', 'u.id', 'c.head_user_id')
    .select('u.id')
    .where('s.id', '=', stationUnitId)
    .where('u.active', '=', 1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The first active team lead: the last owner a rule's action falls back to. */
export async function firstTeamLead(db: Kysely<DB>): Promise<number | null> {
  const row = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select('u.id')
    .where('r.role', '=', 'team_lead')
    .where('u.active', '=', 1)
    .orderBy('u.id')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

// ── plans ────────────────────────────────────────────────────────────────
export interface NewPlan {
  customerId: number | null;
  segment: string | null;
  kind: string;
  title: string;
  ruleKey: string | null;
  reason: string | null;
  createdBy: number | null;
  at: string;
}

export async function insertPlan(db: Kysely<DB>, p: NewPlan): Promise<number> {
  const { id } = await db
    .insertInto('service_plans')
    .values({
      customer_id: p.customerId,
      segment: p.segment,
      kind: p.kind,
      title: p.title,
      rule_key: p.ruleKey,
      reason: p.reason,
      status: 'open',
      created_by: p.createdBy,
      created_at: p.at,
      updated_at: p.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export interface NewAction {
  planId: number | null;
  activityId: number | null;
  customerId: number | null;
  text: string;
  ownerUserId: number;
  dueOn: string;
  at: string;
}

export async function insertActions(db: Kysely<DB>, actions: readonly NewAction[]): Promise<void> {
  if (actions.length === 0) return;
  await db
    .insertInto('relation_actions')
    .values(
      actions.map((a) => ({
        plan_id: a.planId,
        activity_id: a.activityId,
        customer_id: a.customerId,
        text: a.text,
        owner_user_id: a.ownerUserId,
        due_on: a.dueOn,
        status: 'open',
        created_at: a.at,
        updated_at: a.at,
      })),
    )
    .execute();
}

const planColumns = [
  'p.id',
  'p.customer_id',
  'p.segment',
  'p.kind',
  'p.title',
  'p.rule_key',
  'p.reason',
  'p.status',
  'p.dismiss_reason',
  'p.version',
  'p.created_by',
  'p.created_at',
  'p.closed_at',
  'c.account_no',
  'c.name as customer_name',
  'c.unit_id as customer_unit_id',
  'u.name as created_by_name',
] as const;

export interface PlanFilter {
  id?: number;
  /** A customer's own plans, and the standing plans of its groups. */
  customer?: { id: number; segments: Segment[] };
  segment?: string | undefined;
  status?: string | undefined;
  kind?: string | undefined;
  /** Customers' plans only within these units (segment plans are everyone's). */
  unitIds?: readonly number[] | undefined;
}

function plansQuery(db: Kysely<DB>, f: PlanFilter) {
  let q = db.selectFrom('service_plans as p').leftJoin('customers as c', 'c.id', 'p.customer_id').leftJoin('users as u', 'u.id', 'p.created_by');
  if (f.id !== undefined) q = q.where('p.id', '=', f.id);
  if (f.customer) {
    const { id, segments } = f.customer;
    q = q.where((eb) =>
      eb.or([eb('p.customer_id', '=', id), ...(segments.length ? [eb.and([eb('p.segment', 'in', segments), eb('p.kind', '=', 'standing')])] : [])]),
    );
  }
  if (f.segment !== undefined) q = q.where('p.segment', '=', f.segment);
  if (f.status !== undefined) q = q.where('p.status', '=', f.status);
  if (f.kind !== undefined) q = q.where('p.kind', '=', f.kind);
  if (f.unitIds) {
    const units = [...f.unitIds];
    q = q.where((eb) => eb.or([eb('p.customer_id', 'is', null), units.length ? eb('c.unit_id', 'in', units) : sql<boolean>`1 = 0`]));
  }
  return q;
}

export async function listPlans(db: Kysely<DB>, f: PlanFilter, page: { limit: number; offset: number }) {
  const [rows, count] = await Promise.all([
    plansQuery(db, f)
      .select([...planColumns])
      // Proposed dynamic plans first, then the newest.
      .orderBy(sql`case when p.status = 'open' and p.kind = 'dynamic' then 0 when p.status = 'open' then 1 else 2 end`)
      .orderBy('p.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    plansQuery(db, f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
export type PlanRow = Awaited<ReturnType<typeof listPlans>>['rows'][number];

export async function findPlan(db: Kysely<DB>, id: number): Promise<PlanRow | undefined> {
  return plansQuery(db, { id })
    .select([...planColumns])
    .executeTakeFirst();
}

export async function dismissPlan(db: Kysely<DB>, id: number, reason: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('service_plans')
    .set((eb) => ({ status: 'dismissed', dismiss_reason: reason, closed_at: at, updated_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A plan whose actions are all done becomes done (once). */
export async function closePlanIfDone(db: Kysely<DB>, planId: number, at: string): Promise<boolean> {
  const open = await db.selectFrom('relation_actions').select('id').where('plan_id', '=', planId).where('status', '<>', 'done').limit(1).executeTakeFirst();
  if (open) return false;
  const r = await db
    .updateTable('service_plans')
    .set((eb) => ({ status: 'done', closed_at: at, updated_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', planId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The customers already given a plan by a rule since `since`, whatever became of it. */
export async function proposedSince(db: Kysely<DB>, ruleKey: string, since: string, customerIds: readonly number[]): Promise<Set<number>> {
  if (customerIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('service_plans')
    .select('customer_id')
    .where('rule_key', '=', ruleKey)
    .where('customer_id', 'in', [...new Set(customerIds)])
    .where('created_at', '>=', since)
    .execute();
  return new Set(rows.map((r) => r.customer_id!));
}

// ── actions ──────────────────────────────────────────────────────────────
const actionColumns = [
  'a.id',
  'a.plan_id',
  'a.activity_id',
  'a.customer_id',
  'a.text',
  'a.owner_user_id',
  'a.due_on',
  'a.status',
  'a.done_at',
  'a.note',
  'a.reminded_at',
  'a.overdue_notified_at',
  'a.created_at',
  'a.updated_at',
  'o.name as owner_name',
  'p.title as plan_title',
  'p.created_by as plan_created_by',
  'act.topic as activity_topic',
  'act.created_by as activity_created_by',
  'c.account_no',
  'c.name as customer_name',
  'c.account_manager_id',
] as const;

export interface ActionFilter {
  id?: number;
  planIds?: readonly number[];
  activityIds?: readonly number[];
  ownerUserId?: number | undefined;
  status?: string | undefined;
  dueBefore?: string | undefined;
}

function actionsQuery(db: Kysely<DB>, f: ActionFilter) {
  let q = db
    .selectFrom('relation_actions as a')
    .innerJoin('users as o', 'o.id', 'a.owner_user_id')
    .leftJoin('service_plans as p', 'p.id', 'a.plan_id')
    .leftJoin('activities as act', 'act.id', 'a.activity_id')
    .leftJoin('customers as c', 'c.id', 'a.customer_id');
  if (f.id !== undefined) q = q.where('a.id', '=', f.id);
  if (f.planIds) q = f.planIds.length ? q.where('a.plan_id', 'in', [...f.planIds]) : q.where(sql<boolean>`1 = 0`);
  if (f.activityIds) q = f.activityIds.length ? q.where('a.activity_id', 'in', [...f.activityIds]) : q.where(sql<boolean>`1 = 0`);
  if (f.ownerUserId !== undefined) q = q.where('a.owner_user_id', '=', f.ownerUserId);
  if (f.status !== undefined) q = q.where('a.status', '=', f.status);
  if (f.dueBefore !== undefined) q = q.where('a.due_on', '<=', f.dueBefore);
  return q;
}

export async function listActions(db: Kysely<DB>, f: ActionFilter, limit = 1000) {
  return actionsQuery(db, f)
    .select([...actionColumns])
    .orderBy(sql`case when a.status = 'open' then 0 else 1 end`)
    .orderBy('a.due_on')
    .orderBy('a.id')
    .limit(limit)
    .execute();
}
export type ActionRow = Awaited<ReturnType<typeof listActions>>[number];

export async function countActions(db: Kysely<DB>, f: ActionFilter): Promise<number> {
  const row = await actionsQuery(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findAction(db: Kysely<DB>, id: number): Promise<ActionRow | undefined> {
  return (await listActions(db, { id }, 1))[0];
}

export async function recordProgress(db: Kysely<DB>, id: number, p: { note: string; done: boolean; by: number; at: string }): Promise<boolean> {
  const r = await db
    .updateTable('relation_actions')
    .set({
      note: p.note,
      updated_at: p.at,
      ...(p.done && { status: 'done', done_at: p.at, done_by: p.by }),
    })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The open actions that may be owed a notice by `horizon` (a local date): due then or before, not both notices given. */
export async function actionsToNotice(db: Kysely<DB>, horizon: string) {
  return actionsQuery(db, { status: 'open', dueBefore: horizon })
    .where((eb) => eb.or([eb('a.reminded_at', 'is', null), eb('a.overdue_notified_at', 'is', null)]))
    .select([...actionColumns])
    .orderBy('a.id')
    .limit(500)
    .execute();
}

/** The scheduler's claim on a notice: set once, by the one pass that sets it. */
export async function claimNotice(
  db: Kysely<DB>,
  id: number,
  column: 'reminded_at' | 'overdue_notified_at',
  at: string,
  alsoReminded: boolean,
): Promise<boolean> {
  const r = await db
    .updateTable('relation_actions')
    .set({ [column]: at, ...(alsoReminded && { reminded_at: sql<string>`coalesce(reminded_at, ${at})` }) })
    .where('id', '=', id)
    .where(column, 'is', null)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The business calendar's listed days (the deadlines module's table, read here). */
export async function calendarDays(db: Kysely<DB>) {
  const rows = await db.selectFrom('calendar_days').select(['date', 'working']).execute();
  return rows.map((r) => ({ date: r.date, working: Number(r.working) === 1 }));
}

// ── rules' events ───────────────────────────────────────────────────────
/** The demands (or callbacks) since `since` that a rule may count, with their customers' facts. */
export async function ruleEvents(db: Kysely<DB>, rule: PlanRule, since: string): Promise<RuleEvent[]> {
  const segment =
    rule.segment === 'key_accounts'
      ? sql<boolean>`c.key_account = 1`
      : rule.segment === 'important'
        ? sql<boolean>`c.important = 1`
        : rule.segment === 'residential_lv'
          ? sql<boolean>`c.customer_class = 'residential'`
          : sql<boolean>`1 = 1`;
  const facts = ['c.key_account', 'c.important', 'c.customer_class'] as const;
  type Row = {
    customer_id: number | null;
    id: number;
    number: string;
    at: string;
    category: string | null;
    type: string;
    key_account: number;
    important: number;
    customer_class: string;
    outcome?: string | null;
  };
  let rows: Row[];
  if (rule.callbackOutcome) {
    let q = db
      .selectFrom('timeline as t')
      .innerJoin('demands as d', 'd.id', 't.demand_id')
      .innerJoin('customers as c', 'c.id', 'd.customer_id')
      .select(['d.customer_id', 'd.id', 'd.number', 't.at as at', 'd.category', 'd.type', ...facts])
      .where('t.kind', 'in', ['callback.reopened', 'callback.closed'])
      .where('t.at', '>=', since)
      .where('t.data_json', 'like', `%"outcome":"${rule.callbackOutcome}"%`);
    if (rule.category) q = q.where('d.category', '=', rule.category);
    if (rule.type) q = q.where('d.type', '=', rule.type);
    rows = ((await q.where(segment).execute()) as Row[]).map((r) => ({ ...r, outcome: rule.callbackOutcome }));
  } else {
    let q = db
      .selectFrom('demands as d')
      .innerJoin('customers as c', 'c.id', 'd.customer_id')
      .select(['d.customer_id', 'd.id', 'd.number', 'd.created_at as at', 'd.category', 'd.type', ...facts])
      .where('d.created_at', '>=', since);
    if (rule.category) q = q.where('d.category', '=', rule.category);
    if (rule.type) q = q.where('d.type', '=', rule.type);
    rows = (await q.where(segment).execute()) as Row[];
  }
  return rows.map((r) => ({
    customerId: r.customer_id!,
    demandId: r.id,
    number: r.number,
    at: r.at,
    category: r.category,
    type: r.type,
    callbackOutcome: r.outcome ?? null,
    customer: { keyAccount: Number(r.key_account) === 1, important: Number(r.important) === 1, customerClass: r.customer_class },
  }));
}

// ── activities ──────────────────────────────────────────────────────────
export async function insertActivity(
  db: Kysely<DB>,
  a: {
    kind: string;
    heldOn: string;
    topic: string;
    place: string | null;
    invitedGroups: string[];
    outcome: string;
    unitId: number;
    createdBy: number;
    at: string;
  },
): Promise<number> {
  const { id } = await db
    .insertInto('activities')
    .values({
      kind: a.kind,
      held_on: a.heldOn,
      topic: a.topic,
      place: a.place,
      invited_groups: JSON.stringify(a.invitedGroups),
      outcome: a.outcome,
      unit_id: a.unitId,
      created_by: a.createdBy,
      created_at: a.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function linkCustomers(db: Kysely<DB>, activityId: number, customerIds: readonly number[]): Promise<void> {
  if (customerIds.length === 0) return;
  await db
    .insertInto('activity_customers')
    .values([...new Set(customerIds)].map((customer_id) => ({ activity_id: activityId, customer_id })))
    .execute();
}

export interface ActivityFilter {
  id?: number;
  customerId?: number | undefined;
  kind?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  unitIds?: readonly number[] | undefined;
}

function activitiesQuery(db: Kysely<DB>, f: ActivityFilter) {
  let q = db.selectFrom('activities as a');
  if (f.id !== undefined) q = q.where('a.id', '=', f.id);
  if (f.customerId !== undefined) {
    const customerId = f.customerId;
    q = q.where((eb) =>
      eb.exists(
        eb.selectFrom('activity_customers as ac').select('ac.activity_id').whereRef('ac.activity_id', '=', 'a.id').where('ac.customer_id', '=', customerId),
      ),
    );
  }
  if (f.kind !== undefined) q = q.where('a.kind', '=', f.kind);
  if (f.from !== undefined) q = q.where('a.held_on', '>=', f.from);
  if (f.to !== undefined) q = q.where('a.held_on', '<=', f.to);
  if (f.unitIds) q = f.unitIds.length ? q.where('a.unit_id', 'in', [...f.unitIds]) : q.where(sql<boolean>`1 = 0`);
  return q;
}

export async function listActivities(db: Kysely<DB>, f: ActivityFilter, page: { limit: number; offset: number }) {
  const [rows, count, months] = await Promise.all([
    activitiesQuery(db, f)
      .innerJoin('units as un', 'un.id', 'a.unit_id')
      .innerJoin('users as u', 'u.id', 'a.created_by')
      .select([
        'a.id',
        'a.kind',
        'a.held_on',
        'a.topic',
        'a.place',
        'a.invited_groups',
        'a.outcome',
        'a.unit_id',
        'a.created_by',
        'a.created_at',
        'un.name as unit_name',
        'u.name as created_by_name',
      ])
      .orderBy('a.held_on', 'desc')
      .orderBy('a.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    activitiesQuery(db, f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    activitiesQuery(db, f)
      .select((eb) => [sql<string>`substr(a.held_on, 1, 7)`.as('month'), 'a.kind', eb.fn.countAll<number>().as('n')])
      .groupBy([sql`substr(a.held_on, 1, 7)`, 'a.kind'])
      .execute(),
  ]);
  return {
    rows,
    total: Number(count.n),
    byMonth: months
      .map((m) => ({ month: m.month, kind: m.kind, count: Number(m.n) }))
      .sort((a, b) => a.month.localeCompare(b.month) || a.kind.localeCompare(b.kind)),
  };
}
export type ActivityRow = Awaited<ReturnType<typeof listActivities>>['rows'][number];

export async function activityCustomers(db: Kysely<DB>, activityIds: readonly number[]) {
  if (activityIds.length === 0) return [];
  return db
    .selectFrom('activity_customers as ac')
    .innerJoin('customers as c', 'c.id', 'ac.customer_id')
    .select(['ac.activity_id', 'c.id', 'c.account_no', 'c.name'])
    .where('ac.activity_id', 'in', [...activityIds])
    .orderBy('c.id')
    .execute();
}

// ── visit candidates ────────────────────────────────────────────────────
/** Unsatisfied callbacks recorded since `since`, with the demand and its customer. */
export async function unsatisfiedCallbacks(db: Kysely<DB>, since: string) {
  return db
    .selectFrom('timeline as t')
    .innerJoin('demands as d', 'd.id', 't.demand_id')
    .select(['d.id', 'd.number', 'd.customer_id', 't.at'])
    .where('t.kind', 'in', ['callback.reopened', 'callback.closed'])
    .where('t.at', '>=', since)
    .where('t.data_json', 'like', '%"outcome":"unsatisfied"%')
    .where('d.customer_id', 'is not', null)
    .execute();
}

/** Demands registered since `since` whose handling found them not solvable yet (demands.unresolved_reason). */
export async function unresolvedDemands(db: Kysely<DB>, since: string) {
  return db
    .selectFrom('demands as d')
    .select(['d.id', 'd.number', 'd.customer_id', 'd.unresolved_reason', 'd.created_at', 'd.first_handled_at'])
    .where('d.created_at', '>=', since)
    .where('d.unresolved_reason', 'is not', null)
    .where('d.customer_id', 'is not', null)
    .execute();
}

/** Each customer's latest visit date. */
export async function lastVisits(db: Kysely<DB>, customerIds: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const ids = [...new Set(customerIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('activity_customers as ac')
      .innerJoin('activities as a', 'a.id', 'ac.activity_id')
      .select((eb) => ['ac.customer_id', eb.fn.max('a.held_on').as('held_on')])
      .where('a.kind', '=', 'visit')
      .where('ac.customer_id', 'in', ids.slice(i, i + 500))
      .groupBy('ac.customer_id')
      .execute();
    for (const r of rows) out.set(r.customer_id, String(r.held_on));
  }
  return out;
}

export async function customersWithManagers(db: Kysely<DB>, ids: readonly number[]) {
  if (ids.length === 0) return [];
  const out = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    out.push(
      ...(await db
        .selectFrom('customers as c')
        .leftJoin('users as m', 'm.id', 'c.account_manager_id')
        .select(['c.id', 'c.account_no', 'c.name', 'c.unit_id', 'c.account_manager_id', 'm.name as manager_name'])
        .where('c.id', 'in', unique.slice(i, i + 500))
        .execute()),
    );
  }
  return out;
}
