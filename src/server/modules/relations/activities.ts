import { z } from 'zod';
import {
  INVITED_GROUPS,
  type CreateActivityBody,
  type Activity,
  type ActivityList,
  type CandidateReason,
  type ListActivitiesQuery,
  type VisitCandidates,
} from '../../../shared/schemas/relations.js';
import { localDate } from '../../../shared/time.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { invalid, notFound } from '../../platform/errors.js';
import { authorizeAny } from '../../platform/policy.js';
import { seesEveryUnit, visibleUnitIds } from '../org/service.js';
import { checkOwners, presentAction, visibleCustomer } from './plans.js';
import * as repo from './repository.js';
import { visitCandidates as pickCandidates, type CandidateEvent } from './rules.js';

// Communication activities (客户沟通): visits (走访), forums (座谈会) and open days
// (客户体验), each with the customers reached, the invited groups, the topic,
// the outcome and its follow-ups (relation_actions with activity_id set); and
// the customers to visit: an unsatisfied callback in the last 90 days, or a
// demand found not solvable yet, with no visit since.

const CANDIDATE_DAYS = { unsatisfied: 90, unresolved: 365 };

const Groups = z.array(z.enum(INVITED_GROUPS));
const groupsOf = (json: string) => {
  try {
    const parsed = Groups.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
};

export async function logActivity(ctx: ServiceContext, body: CreateActivityBody): Promise<Activity> {
  authorizeAny(ctx.actor, ['activity.log']);
  const customerIds = [...new Set(body.customerIds)];
  if (body.kind === 'visit' && customerIds.length === 0) throw invalid('customerIds', 'a visit reaches at least one customer');
  if (body.kind !== 'visit' && customerIds.length === 0 && !body.invitedGroups?.length)
    throw invalid('customerIds', 'name the customers reached, or the invited groups (invitedGroups)');
  for (const [i, id] of customerIds.entries()) await visibleCustomer(ctx, id, `customerIds.${i}`);
  await checkOwners(ctx, 'followUps', body.followUps ?? []);
  const at = ctx.now();
  const id = await ctx.transact(async (trx) => {
    const id = await repo.insertActivity(trx, {
      kind: body.kind,
      heldOn: body.heldOn,
      topic: body.topic,
      place: body.place ?? null,
      invitedGroups: [...new Set(body.invitedGroups ?? [])],
      outcome: body.outcome,
      unitId: ctx.actor.unitId,
      createdBy: ctx.actor.userId,
      at,
    });
    await repo.linkCustomers(trx, id, customerIds);
    await repo.insertActions(
      trx,
      (body.followUps ?? []).map((f) => ({
        planId: null,
        activityId: id,
        // A follow-up of a visit to one customer is that customer's.
        customerId: customerIds.length === 1 ? customerIds[0]! : null,
        text: f.text,
        ownerUserId: f.ownerUserId,
        dueOn: f.dueOn,
        at,
      })),
    );
    await recordAudit(trx, ctx, { action: 'activity.logged', entityType: 'activity', entityId: id, unitId: ctx.actor.unitId, after: body });
    return id;
  });
  return getActivity(ctx, id);
}

async function present(ctx: ServiceContext, rows: repo.ActivityRow[]): Promise<Activity[]> {
  const ids = rows.map((r) => r.id);
  const [customers, followUps] = await Promise.all([repo.activityCustomers(ctx.db, ids), repo.listActions(ctx.db, { activityIds: ids }, 10_000)]);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as Activity['kind'],
    heldOn: r.held_on,
    topic: r.topic,
    place: r.place,
    invitedGroups: groupsOf(r.invited_groups),
    outcome: r.outcome,
    unitId: r.unit_id,
    unitName: r.unit_name,
    createdBy: r.created_by,
    createdByName: r.created_by_name,
    createdAt: r.created_at,
    customers: customers.filter((c) => c.activity_id === r.id).map((c) => ({ id: c.id, accountNo: c.account_no, name: c.name })),
    followUps: followUps.filter((a) => a.activity_id === r.id).map(presentAction),
  }));
}

/**
 * Activities, latest first. Bounded by unit: the activities logged in the
 * caller's units, or (for one customer the caller sees) every activity that
 * reached the customer.
 */
export async function listActivities(ctx: ServiceContext, q: ListActivitiesQuery): Promise<ActivityList> {
  authorizeAny(ctx.actor, ['customer.read', 'activity.log']);
  if (q.customerId !== undefined) await visibleCustomer(ctx, q.customerId, 'customerId').catch(() => Promise.reject(notFound('customer')));
  const unitIds = q.customerId !== undefined || (await seesEveryUnit(ctx)) ? undefined : [...(await visibleUnitIds(ctx))];
  const { rows, total, byMonth } = await repo.listActivities(
    ctx.db,
    { customerId: q.customerId, kind: q.kind, from: q.from, to: q.to, unitIds },
    { limit: q.pageSize, offset: (q.page - 1) * q.pageSize },
  );
  return { items: await present(ctx, rows), total, byMonth: byMonth as ActivityList['byMonth'] };
}

export async function getActivity(ctx: ServiceContext, id: number): Promise<Activity> {
  authorizeAny(ctx.actor, ['customer.read', 'activity.log']);
  const { rows } = await repo.listActivities(ctx.db, { id }, { limit: 1, offset: 0 });
  const row = rows[0];
  if (!row) throw notFound('activity');
  const visible = await visibleUnitIds(ctx);
  if (!visible.has(row.unit_id)) {
    const reached = await repo.activityCustomers(ctx.db, [id]);
    const theirs = await repo.customersByIds(
      ctx.db,
      reached.map((c) => c.id),
    );
    if (!theirs.some((c) => visible.has(c.unit_id))) throw notFound('activity');
  }
  return (await present(ctx, [row]))[0]!;
}

/** The customers to visit: an unsatisfied callback in the last 90 days, or a demand not solvable yet (last 365 days), not visited since. */
export async function listCandidates(ctx: ServiceContext): Promise<VisitCandidates> {
  authorizeAny(ctx.actor, ['activity.log', 'customer.read']);
  const now = ctx.now();
  const since = (days: number) => new Date(Date.parse(now) - days * 86_400_000).toISOString();
  const [callbacks, unresolved] = await Promise.all([
    repo.unsatisfiedCallbacks(ctx.db, since(CANDIDATE_DAYS.unsatisfied)),
    repo.unresolvedDemands(ctx.db, since(CANDIDATE_DAYS.unresolved)),
  ]);
  const events: CandidateEvent[] = [
    ...callbacks.map((c) => ({
      customerId: c.customer_id!,
      demandId: c.id,
      number: c.number,
      date: localDate(c.at, ctx.timeZone),
      reason: 'unsatisfied_callback' as const,
    })),
    ...unresolved.map((d) => ({
      customerId: d.customer_id!,
      demandId: d.id,
      number: d.number,
      date: localDate(d.first_handled_at ?? d.created_at, ctx.timeZone),
      reason: d.unresolved_reason as CandidateReason,
    })),
  ];
  const picked = pickCandidates(
    events,
    await repo.lastVisits(
      ctx.db,
      events.map((e) => e.customerId),
    ),
  );
  const customers = new Map(
    (
      await repo.customersWithManagers(
        ctx.db,
        picked.map((p) => p.customerId),
      )
    ).map((c) => [c.id, c]),
  );
  const visible = await visibleUnitIds(ctx);
  const items: VisitCandidates['items'] = [];
  for (const p of picked) {
    const c = customers.get(p.customerId);
    if (!c || !visible.has(c.unit_id)) continue;
    items.push({
      customerId: c.id,
      accountNo: c.account_no,
      customerName: c.name,
      reason: p.reason,
      demandId: p.demandId,
      demandNumber: p.number,
      date: p.date,
      accountManagerId: c.account_manager_id,
      accountManagerName: c.manager_name,
    });
  }
  return { items };
}
