import type {
  ActionInput,
  CreatePlanBody,
  ListActionsQuery,
  ListPlansQuery,
  PlanAction,
  PlanList,
  ProgressBody,
  Segment,
  ServicePlan,
} from '../../../shared/schemas/relations.js';
import type { Kysely } from 'kysely';
import { localDate } from '../../../shared/time.js';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { authorizeAny, can } from '../../platform/policy.js';
import { seesEveryUnit, visibleUnitIds } from '../org/service.js';
import * as repo from './repository.js';
import { segmentsOf } from './rules.js';

// Differentiated service plans (差异化服务计划): standing plans for a group of
// customers (key accounts, low-voltage residential, important customers) or
// one customer, and dynamic plans proposed by the rules (timers.ts). Each is a
// list of actions with an owner and a due date, tracked to done: a plan whose
// actions are all done is done.

const SEGMENT_WORDS: Record<Segment, string> = { key_accounts: '核心客户', residential_lv: '低压居民客户', important: '重要电力用户' };

export function presentAction(r: repo.ActionRow): PlanAction {
  return {
    id: r.id,
    planId: r.plan_id,
    activityId: r.activity_id,
    parentTitle: r.plan_title ?? r.activity_topic ?? '',
    customer: r.customer_id !== null ? { id: r.customer_id, accountNo: r.account_no ?? '', name: r.customer_name ?? '' } : null,
    text: r.text,
    ownerUserId: r.owner_user_id,
    ownerName: r.owner_name,
    dueOn: r.due_on,
    status: r.status as PlanAction['status'],
    doneAt: r.done_at,
    note: r.note,
    remindedAt: r.reminded_at,
    overdueNotifiedAt: r.overdue_notified_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function presentPlan(r: repo.PlanRow, actions: PlanAction[]): ServicePlan {
  return {
    id: r.id,
    customer: r.customer_id !== null ? { id: r.customer_id, accountNo: r.account_no ?? '', name: r.customer_name ?? '' } : null,
    segment: r.segment as ServicePlan['segment'],
    kind: r.kind as ServicePlan['kind'],
    title: r.title,
    ruleKey: r.rule_key,
    reason: r.reason,
    status: r.status as ServicePlan['status'],
    dismissReason: r.dismiss_reason,
    createdBy: r.created_by,
    createdByName: r.created_by_name,
    createdAt: r.created_at,
    closedAt: r.closed_at,
    version: r.version,
    actions,
  };
}

async function withActions(db: Kysely<DB>, rows: repo.PlanRow[]): Promise<ServicePlan[]> {
  const actions = await repo.listActions(db, { planIds: rows.map((r) => r.id) }, 10_000);
  return rows.map((r) => presentPlan(r, actions.filter((a) => a.plan_id === r.id).map(presentAction)));
}

/** The units whose customers' plans the caller sees (undefined: all). */
async function unitBound(ctx: ServiceContext): Promise<number[] | undefined> {
  return (await seesEveryUnit(ctx)) ? undefined : [...(await visibleUnitIds(ctx))];
}

/** A visible customer, or a 400 naming the field. */
export async function visibleCustomer(ctx: ServiceContext, id: number, field: string): Promise<repo.CustomerRow> {
  const [c] = await repo.customersByIds(ctx.db, [id]);
  if (!c || !(await visibleUnitIds(ctx)).has(c.unit_id)) throw invalid(field, `no customer with id ${id}`);
  return c;
}

/** Each action's owner is an active user: else a 400 naming the action's index. */
export async function checkOwners(ctx: ServiceContext, field: string, actions: readonly ActionInput[]): Promise<void> {
  const users = await repo.usersByIds(
    ctx.db,
    actions.map((a) => a.ownerUserId),
  );
  actions.forEach((a, i) => {
    const u = users.find((x) => x.id === a.ownerUserId);
    if (!u || u.active !== 1) throw invalid(`${field}.${i}.ownerUserId`, `no active user with id ${a.ownerUserId}`);
  });
}

export async function createPlan(ctx: ServiceContext, body: CreatePlanBody): Promise<ServicePlan> {
  authorizeAny(ctx.actor, ['plan.manage']);
  if ((body.customerId === undefined) === (body.segment === undefined))
    throw invalid(
      'customerId',
      `give exactly one of customerId and segment (${body.customerId === undefined ? 'neither was given' : 'both were given'}): a plan is for one customer or for a group`,
    );
  if (body.kind === 'dynamic' && body.segment !== undefined) throw invalid('segment', 'a dynamic plan is for one customer: give customerId');
  const customer = body.customerId !== undefined ? await visibleCustomer(ctx, body.customerId, 'customerId') : undefined;
  await checkOwners(ctx, 'actions', body.actions);
  const at = ctx.now();
  const title = body.title ?? (customer ? `${customer.name}服务计划` : `${SEGMENT_WORDS[body.segment!]}服务计划`);
  const id = await ctx.transact(async (trx) => {
    const id = await repo.insertPlan(trx, {
      customerId: customer?.id ?? null,
      segment: body.segment ?? null,
      kind: body.kind,
      title,
      ruleKey: null,
      reason: null,
      createdBy: ctx.actor.userId,
      at,
    });
    await repo.insertActions(
      trx,
      body.actions.map((a) => ({
        planId: id,
        activityId: null,
        customerId: customer?.id ?? null,
        text: a.text,
        ownerUserId: a.ownerUserId,
        dueOn: a.dueOn,
        at,
      })),
    );
    await recordAudit(trx, ctx, {
      action: 'service_plan.created',
      entityType: 'service_plan',
      entityId: id,
      unitId: customer?.unit_id ?? null,
      after: { ...body, title },
    });
    return id;
  });
  return getPlan(ctx, id);
}

export async function listPlans(ctx: ServiceContext, q: ListPlansQuery): Promise<PlanList> {
  authorizeAny(ctx.actor, ['customer.read', 'plan.manage']);
  let customer: repo.PlanFilter['customer'];
  if (q.customerId !== undefined) {
    const c = await visibleCustomer(ctx, q.customerId, 'customerId').catch(() => {
      throw notFound('customer');
    });
    customer = {
      id: c.id,
      segments: segmentsOf({ keyAccount: c.key_account === 1, important: c.important === 1, customerClass: c.customer_class }),
    };
  }
  const { rows, total } = await repo.listPlans(
    ctx.db,
    { ...(customer && { customer }), segment: q.segment, status: q.status, kind: q.kind, unitIds: await unitBound(ctx) },
    { limit: q.pageSize, offset: (q.page - 1) * q.pageSize },
  );
  return { items: await withActions(ctx.db, rows), total };
}

async function visiblePlan(ctx: ServiceContext, id: number): Promise<repo.PlanRow> {
  const row = await repo.findPlan(ctx.db, id);
  if (!row) throw notFound('service plan');
  if (row.customer_unit_id !== null && !(await visibleUnitIds(ctx)).has(row.customer_unit_id)) throw notFound('service plan');
  return row;
}

export async function getPlan(ctx: ServiceContext, id: number): Promise<ServicePlan> {
  authorizeAny(ctx.actor, ['customer.read', 'plan.manage']);
  const [plan] = await withActions(ctx.db, [await visiblePlan(ctx, id)]);
  return plan!;
}

/** A proposed plan judged unnecessary: set aside with the reason (its rule does not propose it again within its window). */
export async function dismissPlan(ctx: ServiceContext, id: number, reason: string): Promise<ServicePlan> {
  authorizeAny(ctx.actor, ['plan.manage']);
  const plan = await visiblePlan(ctx, id);
  if (plan.status !== 'open') throw conflict(`the plan is ${plan.status}: only an open plan is dismissed`);
  await ctx.transact(async (trx) => {
    if (!(await repo.dismissPlan(trx, id, reason, ctx.now()))) throw conflict('the plan was closed meanwhile');
    await recordAudit(trx, ctx, {
      action: 'service_plan.dismissed',
      entityType: 'service_plan',
      entityId: id,
      unitId: plan.customer_unit_id,
      before: { status: plan.status },
      after: { status: 'dismissed', reason },
    });
  });
  return getPlan(ctx, id);
}

/** The actions: an owner sees theirs; plan.manage sees everyone's (by owner when asked). */
export async function listPlanActions(ctx: ServiceContext, q: ListActionsQuery) {
  const all = can(ctx.actor, 'plan.manage') && q.mine !== 'true';
  const ownerUserId = all ? q.ownerUserId : ctx.actor.userId;
  if (!all && q.ownerUserId !== undefined && q.ownerUserId !== ctx.actor.userId) throw forbidden('only plan.manage sees the actions of others');
  const filter = { ownerUserId, status: q.status, dueBefore: q.dueBefore };
  const [rows, total] = await Promise.all([repo.listActions(ctx.db, filter, q.limit), repo.countActions(ctx.db, filter)]);
  return { items: rows.map(presentAction), total };
}

/** Progress on an action by its owner or plan.manage: a note, and done when it is; the plan is done when all its actions are. */
export async function progressAction(ctx: ServiceContext, id: number, body: ProgressBody): Promise<PlanAction> {
  const action = await repo.findAction(ctx.db, id);
  if (!action) throw notFound('action');
  if (action.owner_user_id !== ctx.actor.userId && !can(ctx.actor, 'plan.manage'))
    throw forbidden('only the action’s owner or plan.manage records its progress');
  if (action.status !== 'open') throw conflict('the action is done already');
  const at = ctx.now();
  const day = localDate(at, ctx.timeZone);
  const [me] = await repo.usersByIds(ctx.db, [ctx.actor.userId]);
  const note = [action.note, `${day} ${me?.name ?? ctx.actor.username}：${body.note}`].filter(Boolean).join('\n');
  await ctx.transact(async (trx) => {
    if (!(await repo.recordProgress(trx, id, { note, done: body.done === true, by: ctx.actor.userId, at }))) throw conflict('the action was done meanwhile');
    if (body.done && action.plan_id !== null) await repo.closePlanIfDone(trx, action.plan_id, at);
    await recordAudit(trx, ctx, {
      action: body.done ? 'relation_action.done' : 'relation_action.progress',
      entityType: 'relation_action',
      entityId: id,
      after: body,
    });
  });
  return presentAction((await repo.findAction(ctx.db, id))!);
}
