import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import * as repo from './repository.js';
import { isFor, takePoll, type PollMark, type Recipient } from './rules.js';

// One poll of the notifications table per process, fanned out to the live
// connections of that process: every app server behind a load balancer
// delivers the rows any of them (or the scheduler) wrote, also those whose
// transaction committed after a later one's (rules.ts PollMark).

export type Row = {
  id: number;
  user_id: number | null;
  role: string | null;
  unit_id: number | null;
  kind: string;
  demand_id: number | null;
  task_id: number | null;
  consultation_id: number | null;
  title: string;
  created_at: string;
};

interface Subscriber {
  recipient: Recipient;
  send: (row: Row) => void;
}

/** How far below the newest id a first subscriber looks for rows still being written. */
const LOOK_BACK = 100;

export class NotificationHub {
  private readonly subscribers = new Set<Subscriber>();
  private mark: PollMark | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly intervalMs = 1000,
  ) {}

  /** Live delivery from now on: the poll's starting point is fixed before the subscriber is added, so nothing slips between. */
  async subscribe(recipient: Recipient, send: (row: Row) => void): Promise<() => void> {
    this.mark ??= await this.startMark();
    const subscriber = { recipient, send };
    this.subscribers.add(subscriber);
    this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
        // Nobody listening: the next subscriber starts from its own now, not from the rows of the quiet time.
        this.mark = undefined;
      }
    };
  }

  /** The recipient's notifications after `afterId` (oldest first), or their latest ones when `afterId` is undefined. */
  async since(recipient: Recipient, afterId: number | undefined, limit = 200): Promise<Row[]> {
    const rows = await repo.notificationsFor(this.db, recipient, afterId, limit);
    return afterId === undefined ? rows.reverse() : rows;
  }

  /** The newest id, with the ids just below it not yet committed counted as missing. */
  private async startMark(): Promise<PollMark> {
    const latest = await repo.newestId(this.db);
    const mark: PollMark = { lastId: Math.max(0, latest - LOOK_BACK), missing: new Map() };
    const recent = await repo.idsAfter(this.db, mark.lastId);
    takePoll(
      mark,
      recent.map((r) => r.id),
      Date.now(),
    );
    return mark;
  }

  async poll(): Promise<void> {
    const mark = this.mark;
    if (this.polling || !mark) return;
    this.polling = true;
    try {
      const missing = [...mark.missing.keys()];
      const rows = await repo.pollRows(this.db, mark.lastId, missing, 500);
      const taken = new Set(
        takePoll(
          mark,
          rows.map((r) => r.id),
          Date.now(),
        ),
      );
      for (const row of rows) {
        if (!taken.has(row.id)) continue;
        for (const s of this.subscribers) if (isFor(row, s.recipient)) s.send(row);
      }
    } finally {
      this.polling = false;
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.subscribers.clear();
  }
}
