import type { Supervision } from '../../../shared/schemas/demands.js';
import type { ServiceContext } from '../../platform/context.js';
import { authorize } from '../../platform/policy.js';
import * as repo from './repository.js';

// The team lead's supervision page (班长督办): the cases escalated or with a
// step past its limit, one row per case whatever its number of calls, with
// how long each step is overdue and what is out with the units. The page
// groups them by unit and level.

const LIMIT = 500;

export async function supervision(ctx: ServiceContext): Promise<Supervision> {
  authorize(ctx.actor, 'demand.urge');
  const now = ctx.now();
  const cases = await repo.supervisedCases(ctx.db, now, LIMIT);
  const ids = cases.map((c) => c.id);
  const [overdue, orders] = await Promise.all([repo.overdueStepsOf(ctx.db, ids, now), repo.openOrdersOf(ctx.db, ids)]);
  const minutes = (from: string) => Math.max(0, Math.floor((Date.parse(now) - Date.parse(from)) / 60_000));
  const items = cases.map((c) => {
    const steps = overdue.filter((d) => d.demand_id === c.id).map((d) => ({ step: d.step, dueAt: d.due_at, overdueMinutes: minutes(d.due_at) }));
    return {
      id: c.id,
      number: c.number,
      type: c.type as Supervision['items'][number]['type'],
      category: c.category as Supervision['items'][number]['category'],
      status: c.status as Supervision['items'][number]['status'],
      priority: c.priority as Supervision['items'][number]['priority'],
      customerName: c.customer_name,
      phone: c.phone,
      content: c.content,
      unitId: c.unit_id,
      unitName: c.unit_name,
      escalationLevel: c.escalation_level,
      callCount: c.call_count,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
      overdueSteps: steps,
      overdueMinutes: steps.reduce((most, s) => Math.max(most, s.overdueMinutes), 0),
      orders: orders
        .filter((o) => o.demand_id === c.id)
        .map((o) => ({ taskId: o.id, unitId: o.unit_id, unitName: o.unit_name, status: o.status, urgeCount: o.urge_count, urgedAt: o.urged_at })),
      version: c.version,
    };
  });
  items.sort((a, b) => b.escalationLevel - a.escalationLevel || b.overdueMinutes - a.overdueMinutes || (a.createdAt < b.createdAt ? -1 : 1));
  return { at: now, items, capped: cases.length >= LIMIT };
}
