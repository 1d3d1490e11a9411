import type { Kysely, Transaction } from 'kysely';

// Group commit for SQLite. SQLite has one writer and a commit costs more than
// the statements of a whole registration (it writes every page the
// transaction touched to the WAL); under load most of a busy intake's time
// went to commits. Transactions submitted while one is running wait for it and
// then run together in the next transaction. When one of them fails, the
// batch is rolled back and each runs again in a transaction of its own, so
// only its caller gets the error; no caller hears "done" before the commit.
// (Savepoints per transaction would isolate the failure without a second run,
// but SQLite's full-text index flushes at every savepoint, which cost more
// than the commit saved.) Without load a batch holds one transaction.

/** A transaction's work: database statements only, for it may run twice (see above). Any schema: the tests group their own tables. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Work<T> = (trx: Transaction<any>) => Promise<T>;

interface Job {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

/** What the group commit has done since the process started (GET /metrics). */
export interface GroupCommitStats {
  /** Commits made, each of one or more transactions. */
  commits: number;
  /** Transactions committed. */
  transactions: number;
  /** Batches rolled back because one of their transactions failed, whose transactions then ran alone. */
  retriedAlone: number;
  /** Transactions waiting now for the commit in progress. */
  waiting(): number;
}

export interface GroupCommitOptions {
  /** At most this many transactions in one commit, so the first waits for a bounded time. */
  maxBatch?: number;
}

export function groupCommit<DB>(db: Kysely<DB>, options: GroupCommitOptions = {}): (<T>(work: Work<T>) => Promise<T>) & { stats: GroupCommitStats } {
  const maxBatch = options.maxBatch ?? 32;
  const queue: Job[] = [];
  let draining = false;
  const stats: GroupCommitStats = { commits: 0, transactions: 0, retriedAlone: 0, waiting: () => queue.length };

  /** Runs the jobs in one transaction; true when it committed (and their callers were answered). */
  async function commitTogether(batch: Job[]): Promise<boolean> {
    let values: unknown[];
    try {
      values = await db.transaction().execute(async (trx) => {
        const results: unknown[] = [];
        for (const job of batch) results.push(await job.work(trx));
        return results;
      });
    } catch (err) {
      if (batch.length === 1) batch[0]!.reject(err);
      return batch.length === 1;
    }
    stats.commits++;
    stats.transactions += batch.length;
    batch.forEach((job, i) => job.resolve(values[i]));
    return true;
  }

  async function commitBatch(batch: Job[]): Promise<void> {
    // One that failed rolled back the whole batch: each runs again on its own, and only the failing one hears its error.
    if (!(await commitTogether(batch))) {
      stats.retriedAlone++;
      for (const job of batch) await commitTogether([job]);
    }
  }

  async function drain(): Promise<void> {
    try {
      while (queue.length > 0) await commitBatch(queue.splice(0, maxBatch));
    } finally {
      draining = false;
    }
  }

  const submit = <T>(work: Work<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!draining) {
        draining = true;
        // On SQLite a whole transaction runs in microtasks, before the next
        // request is even read; waiting for the check phase lets the requests
        // already received in this turn of the event loop join the commit.
        setImmediate(() => void drain());
      }
    });
  return Object.assign(submit, { stats });
}
