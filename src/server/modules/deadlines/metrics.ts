import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { MetricSource } from '../../platform/metrics.js';
import { overdueNotEscalated } from './repository.js';

// The scheduler's backlog for GET /metrics: clocks past their limit that no
// pass has escalated yet, and how long the oldest has waited. A healthy
// scheduler keeps the lag under its interval (SUQIU_SCHEDULER_SECONDS); a
// growing lag means no process holds the scheduler or its passes fall behind.
// Read through the live-deadline index (migration 20261123010000).

export function schedulerMetrics(db: Kysely<DB>): MetricSource[] {
  return [
    {
      name: 'suqiu_scheduler_backlog',
      help: 'Deadlines past their limit not yet escalated by the scheduler',
      async read(now) {
        return [{ value: Number((await overdueNotEscalated(db, now.toISOString())).n) }];
      },
    },
    {
      name: 'suqiu_scheduler_lag_seconds',
      help: 'How long the oldest deadline past its limit has waited for the scheduler (0 when none waits)',
      async read(now) {
        const { oldest } = await overdueNotEscalated(db, now.toISOString());
        return [{ value: oldest ? Math.max(0, (now.getTime() - Date.parse(oldest)) / 1000) : 0 }];
      },
    },
  ];
}
