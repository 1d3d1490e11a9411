import { sql } from 'kysely';
import type { z } from 'zod';
import type { WorkOrderQueue, WorkOrderQueueQuery } from '../../../shared/schemas/demands.js';
import type { ServiceContext } from '../../platform/context.js';
import { authorize } from '../../platform/policy.js';
import { visibleUnitIds } from '../org/service.js';
import { subtreeOf } from '../org/rules.js';
import { unitTree } from '../org/directory.js';

const OPEN = ['dispatched', 'accepted', 'arrived'];

/** The unit's work orders, the nearest deadline first: what the unit must do next. */
export async function workOrderQueue(ctx: ServiceContext, query: WorkOrderQueueQuery): Promise<z.infer<typeof WorkOrderQueue>> {
  authorize(ctx.actor, 'demand.read');
  const scope = await visibleUnitIds(ctx);
  const units = query.unitId === undefined ? [...scope] : [...subtreeOf(await unitTree(ctx.db), query.unitId)].filter((id) => scope.has(id));
  const now = ctx.now();
  // The demand's nearest live deadline, as a correlated subquery usable in SELECT and ORDER BY alike.
  const nextDue = () =>
    ctx.db
      .selectFrom('deadlines')
      .select((d) => d.fn.min('deadlines.due_at').as('due'))
      .where('deadlines.demand_id', '=', sql<number>`tasks.demand_id`)
      .where('deadlines.met_at', 'is', null)
      .where('deadlines.cancelled_at', 'is', null);
  const statuses = query.status === 'open' ? OPEN : query.status === 'all' ? [...OPEN, 'handled', 'returned', 'closed'] : [query.status];
  const rows = await ctx.db
    .selectFrom('tasks')
    .innerJoin('demands', 'demands.id', 'tasks.demand_id')
    .innerJoin('units', 'units.id', 'tasks.unit_id')
    .selectAll('tasks')
    .select([
      'units.name as unit_name',
      'demands.number',
      'demands.type',
      'demands.category',
      'demands.priority',
      'demands.escalation_level',
      'demands.customer_name',
      'demands.phone',
      'demands.content',
      'demands.call_count',
      nextDue().as('next_due_at'),
    ])
    .where('tasks.kind', '=', 'work_order')
    .where('tasks.unit_id', 'in', units.length > 0 ? units : [-1])
    .where('tasks.status', 'in', statuses)
    // The nearest deadline first, in SQL, so that the limit keeps the most urgent orders; those without one last.
    .orderBy(sql`case when ${nextDue()} is null then 1 else 0 end`)
    .orderBy(nextDue())
    .orderBy('tasks.created_at', 'desc')
    .limit(query.limit)
    .execute();
  const deadlineSteps = rows.length
    ? await ctx.db
        .selectFrom('deadlines')
        .select(['demand_id', 'step', 'due_at'])
        .where(
          'demand_id',
          'in',
          rows.map((r) => r.demand_id),
        )
        .where('met_at', 'is', null)
        .where('cancelled_at', 'is', null)
        .execute()
    : [];
  const items = rows.map((r) => {
    const next = r.next_due_at === null ? undefined : deadlineSteps.find((d) => d.demand_id === r.demand_id && d.due_at === r.next_due_at);
    return {
      id: r.id,
      demandId: r.demand_id,
      kind: r.kind,
      unitId: r.unit_id,
      unitName: r.unit_name,
      status: r.status,
      instructions: r.instructions,
      report: r.report_json === null ? null : JSON.parse(r.report_json),
      returnReason: r.return_reason,
      createdAt: r.created_at,
      acceptedAt: r.accepted_at,
      arrivedAt: r.arrived_at,
      handledAt: r.handled_at,
      urgeCount: r.urge_count,
      urgedAt: r.urged_at,
      version: r.version,
      demand: {
        number: r.number,
        type: r.type as z.infer<typeof WorkOrderQueue>['items'][number]['demand']['type'],
        category: r.category as z.infer<typeof WorkOrderQueue>['items'][number]['demand']['category'],
        priority: r.priority as 'normal' | 'high' | 'urgent',
        escalationLevel: r.escalation_level,
        customerName: r.customer_name,
        phone: r.phone,
        content: r.content,
        callCount: r.call_count,
      },
      nextDueAt: r.next_due_at === null ? null : String(r.next_due_at),
      nextStep: next?.step ?? null,
      overdue: r.next_due_at !== null && String(r.next_due_at) < now,
    };
  });
  return { items };
}
