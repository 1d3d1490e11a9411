import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { isFor, type Recipient } from './rules.js';

// One poll of the notifications table per process, fanned out to the live
// connections of that process: every app server behind a load balancer
// delivers the rows any of them (or the scheduler) wrote.

export type Row = { id: number; user_id: number | null; role: string | null; unit_id: number | null; kind: string; demand_id: number | null; task_id: number | null; consultation_id: number | null; title: string; created_at: string };

interface Subscriber {
  recipient: Recipient;
  send: (row: Row) => void;
}

export class NotificationHub {
  private readonly subscribers = new Set<Subscriber>();
  private lastId: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly intervalMs = 1000,
  ) {}

  /** Live delivery from now on: the poll's starting point is fixed before the subscriber is added, so nothing slips between. */
  async subscribe(recipient: Recipient, send: (row: Row) => void): Promise<() => void> {
    this.lastId ??= await this.latestId();
    const subscriber = { recipient, send };
    this.subscribers.add(subscriber);
    this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** The recipient's notifications after `afterId` (oldest first), or their latest ones when `afterId` is undefined. */
  async since(recipient: Recipient, afterId: number | undefined, limit = 200): Promise<Row[]> {
    const units = [...recipient.visibleUnits];
    const rows = await this.db
      .selectFrom('notifications')
      .selectAll()
      // The same rule as isFor, in SQL, so that a user's few rows are found among everyone's many.
      .where((eb) =>
        eb.or([
          eb('user_id', '=', recipient.userId),
          eb.and([
            eb('user_id', 'is', null),
            eb('role', 'in', recipient.roles.length > 0 ? [...recipient.roles] : ['-']),
            eb.or([eb('unit_id', 'is', null), eb('unit_id', 'in', units.length > 0 ? units : [-1])]),
          ]),
        ]),
      )
      .$if(afterId !== undefined, (q) => q.where('id', '>', afterId!).orderBy('id', 'asc'))
      .$if(afterId === undefined, (q) => q.orderBy('id', 'desc'))
      .limit(limit)
      .execute();
    return afterId === undefined ? rows.reverse() : rows;
  }

  async latestId(): Promise<number> {
    const row = await this.db.selectFrom('notifications').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      if (this.lastId === undefined) return;
      const rows = await this.db.selectFrom('notifications').selectAll().where('id', '>', this.lastId).orderBy('id').limit(500).execute();
      for (const row of rows) {
        this.lastId = row.id;
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
