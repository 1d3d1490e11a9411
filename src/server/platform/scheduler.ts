import type { Pool, PoolClient } from 'pg';
import type { Database } from '../db/database.js';

// The scheduler's clock: one process runs the pass (src/server/scheduler.ts)
// every few seconds. Everything a pass does is rows: each module claims what
// has come due with a guarded UPDATE in the transaction that acts on it, so
// a restart, a second pass or a second process never fires a thing twice;
// this file only decides who runs the passes and when. The outbox's worker
// (modules/messages/outbox.ts) runs on the same loop with a lock of its own,
// so that each has one leader, not necessarily the same process.

/** Where several app servers share one PostgreSQL, only the holder of this lock runs the scheduler. */
const SCHEDULER_LOCK = 95_598;

export interface SchedulerHandle {
  /** Whether this process runs the passes (always on SQLite; the lock holder on PostgreSQL). */
  isLeader(): boolean;
  stop(): Promise<void>;
}

/** Runs `pass` every `intervalMs` (after the previous one ends); on PostgreSQL only while holding the advisory lock. */
export function startScheduler(
  database: Database,
  options: {
    intervalMs: number;
    clock: () => Date;
    pass: (now: Date) => Promise<unknown>;
    log: (msg: string, err?: unknown) => void;
    /** The advisory lock that makes one process the leader (default: the scheduler's). */
    lock?: number;
    /** What the log calls the loop (default: scheduler). */
    name?: string;
  },
): SchedulerHandle {
  const lock = options.lock ?? SCHEDULER_LOCK;
  const name = options.name ?? 'scheduler';
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let leader = database.dialect === 'sqlite';
  let lockConnection: PoolClient | undefined;
  // The lock belongs to the connection's session: closing the connection (not returning it to the pool) lets it go.
  const dropLock = () => {
    lockConnection?.release(true);
    lockConnection = undefined;
    leader = database.dialect === 'sqlite';
  };
  const connect = async (pool: Pool) => {
    const connection = await pool.connect();
    // The server may end this idle connection (a restart, a failover, pg_terminate_backend): pg reports it as an
    // 'error' event, which would end the process without a listener. The lock went with it: step down, try again.
    connection.on('error', (err) => {
      if (connection !== lockConnection) return;
      options.log(`${name} lock connection lost`, err);
      dropLock();
    });
    return connection;
  };

  const tick = async () => {
    try {
      if (!leader && database.pool) {
        lockConnection ??= await connect(database.pool);
        const { rows } = await lockConnection.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [lock]);
        leader = rows[0]?.locked === true;
      }
      if (leader) await options.pass(options.clock());
    } catch (err) {
      options.log(`${name} pass failed`, err);
      // A broken lock connection loses the lock with it: try again from scratch.
      if (database.dialect === 'postgres') dropLock();
    }
  };
  const loop = () => {
    if (stopped) return;
    running = tick().finally(() => {
      if (!stopped) timer = setTimeout(loop, options.intervalMs);
    });
  };
  loop();
  return {
    isLeader: () => leader,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      dropLock();
    },
  };
}
