import { listDemands, getDemand, type DemandDetail, type Task } from '../../api/demands.js';
import { nextDeadline } from './labels.js';

// The unit's open work orders. The API has no list of work orders yet, so the
// queue is built from the demands the unit sees that are out for work (status
// "dispatched"), and each one's tasks; see the report on this page's limits.

export const OPEN_ORDER = new Set(['dispatched', 'accepted', 'arrived']);
/** The most demands read for one queue; more than this and the page says so. */
export const QUEUE_LIMIT = 100;
const PARALLEL = 6;

export interface Order {
  demand: DemandDetail;
  task: Task;
  due: DemandDetail['deadlines'][number] | undefined;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The unit's orders still to act on, the nearest deadline first; orders without a clock come last. */
export async function loadOrders(unitIds: ReadonlySet<number>): Promise<{ orders: Order[]; total: number }> {
  const list = await listDemands({ status: 'dispatched', pageSize: QUEUE_LIMIT });
  const details = await mapLimit(list.items, PARALLEL, (d) => getDemand(d.id));
  const orders = details.flatMap((demand) =>
    demand.tasks
      .filter((task) => task.kind === 'work_order' && OPEN_ORDER.has(task.status) && unitIds.has(task.unitId))
      // The demand's own clocks (arrive) and this order's (restore) are the ones the unit answers for.
      .map((task) => ({ demand, task, due: nextDeadline(demand.deadlines.filter((d) => d.taskId === null || d.taskId === task.id)) })),
  );
  orders.sort((a, b) => (a.due?.dueAt ?? '\uffff').localeCompare(b.due?.dueAt ?? '\uffff') || a.task.id - b.task.id);
  return { orders, total: list.total };
}
