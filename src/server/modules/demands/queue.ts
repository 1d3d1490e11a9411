import type { z } from 'zod';
import { OPEN_ORDER_STATUSES } from '../../../shared/work-orders.js';
import type { WorkOrderQueue, WorkOrderQueueQuery } from '../../../shared/schemas/demands.js';
import type { ServiceContext } from '../../platform/context.js';
import { authorize } from '../../platform/policy.js';
import { visibleUnitIds } from '../org/service.js';
import { subtreeOf } from '../org/rules.js';
import { unitTree } from '../org/directory.js';
import { deadlinesOf } from '../deadlines/service.js';
import * as repo from './repository.js';

const OPEN: readonly string[] = OPEN_ORDER_STATUSES;

/** The unit's work orders, the nearest deadline first: what the unit must do next. */
export async function workOrderQueue(ctx: ServiceContext, query: WorkOrderQueueQuery): Promise<z.infer<typeof WorkOrderQueue>> {
  authorize(ctx.actor, 'demand.read');
  const scope = await visibleUnitIds(ctx);
  const units = query.unitId === undefined ? [...scope] : [...subtreeOf(await unitTree(ctx.db), query.unitId)].filter((id) => scope.has(id));
  const now = ctx.now();
  const statuses = query.status === 'open' ? OPEN : query.status === 'all' ? [...OPEN, 'handled', 'returned', 'closed'] : [query.status];
  const rows = await repo.workOrderQueueRows(ctx.db, { unitIds: units, statuses, limit: query.limit });
  // The live deadlines of these demands, for the step the nearest one is.
  const deadlineSteps = (await deadlinesOf(ctx.db, [...new Set(rows.map((r) => r.demand_id))])).filter((d) => d.met_at === null && d.cancelled_at === null);
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
