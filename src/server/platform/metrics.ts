import { statSync } from 'node:fs';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { App } from './context.js';

// GET /metrics in Prometheus's text format (prom-client): the process, the
// requests by route, and what each module says of its own state at scrape
// time (queues, the scheduler's backlog). A registry per app, not the
// library's global one, so that the tests' apps do not count each other.

/** A module's figures, read when Prometheus scrapes: one gauge, its labels and values. */
export interface MetricSource {
  name: string;
  help: string;
  labelNames?: string[];
  read(now: Date): Promise<{ labels?: Record<string, string>; value: number }[]>;
}

/** Who may read /metrics: with SUQIU_METRICS_TOKEN, whoever sends it as a Bearer token; without, the machine itself (a local agent). */
function mayScrape(authorization: string | undefined, ip: string, token: string | undefined): boolean {
  if (token) return authorization === `Bearer ${token}`;
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}

export function registerMetrics(
  app: App,
  deps: { database: Database; config: Pick<Config, 'metricsToken'>; clock: () => Date },
  sources: readonly MetricSource[],
): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'suqiu_' });

  const duration = new Histogram({
    name: 'suqiu_http_request_duration_seconds',
    help: 'Time to answer a request, by route (its pattern, not its ids) and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // Unmatched paths share one label, so that a scan of random URLs cannot grow the series without bound.
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  for (const source of sources) {
    new Gauge({
      name: source.name,
      help: source.help,
      labelNames: source.labelNames ?? [],
      registers: [registry],
      async collect() {
        this.reset();
        for (const { labels, value } of await source.read(deps.clock())) {
          if (labels) this.set(labels, value);
          else this.set(value);
        }
      },
    });
  }

  const sqlite = deps.database.sqlite;
  if (sqlite) {
    const commits = new Counter({
      name: 'suqiu_sqlite_commits_total',
      help: 'SQLite commits made by the group commit',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(sqlite.groupCommit.commits);
      },
    });
    const transactions = new Counter({
      name: 'suqiu_sqlite_transactions_total',
      help: 'Transactions committed, several per commit under load',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(sqlite.groupCommit.transactions);
      },
    });
    const retried = new Counter({
      name: 'suqiu_sqlite_batches_retried_total',
      help: 'Batches rolled back by one failing transaction, whose transactions then ran alone',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(sqlite.groupCommit.retriedAlone);
      },
    });
    const waiting = new Gauge({
      name: 'suqiu_sqlite_transactions_waiting',
      help: 'Transactions waiting for the commit in progress',
      registers: [registry],
      collect() {
        this.set(sqlite.groupCommit.waiting());
      },
    });
    const wal = new Gauge({
      name: 'suqiu_sqlite_wal_bytes',
      help: 'Size of the write-ahead log not yet checkpointed into the database file (the checkpoint worker keeps it small)',
      registers: [registry],
      collect() {
        try {
          this.set(sqlite.walFile ? statSync(sqlite.walFile).size : 0);
        } catch {
          this.set(0);
        }
      },
    });
    void [commits, transactions, retried, waiting, wal];
  }

  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    if (!mayScrape(request.headers.authorization, request.ip, deps.config.metricsToken)) {
      return reply
        .code(403)
        .header('content-type', 'text/plain; charset=utf-8')
        .send('metrics: send SUQIU_METRICS_TOKEN as a Bearer token, or scrape from this machine\n');
    }
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
  return registry;
}
