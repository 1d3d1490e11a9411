import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { MetricSource } from '../../platform/metrics.js';
import * as repo from './repository.js';

// What the demand desk has in hand, for GET /metrics: the open cases by
// status and the work orders out by status. Both are read through the status
// indexes over the open rows only (a million closed demands cost nothing).

const OPEN_DEMANDS = ['open', 'dispatched', 'awaiting_callback'] as const;
const ORDERS_OUT = ['dispatched', 'accepted', 'arrived', 'handled', 'returned'] as const;

export function demandMetrics(db: Kysely<DB>): MetricSource[] {
  return [
    {
      name: 'suqiu_open_cases',
      help: 'Open cases (a case counted once, however many calls), by status',
      labelNames: ['status'],
      async read() {
        const rows = await repo.openCasesByStatus(db, OPEN_DEMANDS);
        const by = new Map(rows.map((r) => [r.status, Number(r.n)]));
        return OPEN_DEMANDS.map((status) => ({ labels: { status }, value: by.get(status) ?? 0 }));
      },
    },
    {
      name: 'suqiu_work_orders_out',
      help: 'Work orders not yet closed, by status',
      labelNames: ['status'],
      async read() {
        const rows = await repo.workOrdersByStatus(db, ORDERS_OUT);
        const by = new Map(rows.map((r) => [r.status, Number(r.n)]));
        return ORDERS_OUT.map((status) => ({ labels: { status }, value: by.get(status) ?? 0 }));
      },
    },
  ];
}
