import { sql, type Insertable, type Kysely, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { DB, MessageTable } from '../../db/types.js';
import type { Channel } from './rules.js';

// The outbox's SQL: the only place of this module that builds it. Both
// databases read every statement; ON CONFLICT (key) DO NOTHING is how both
// spell "queued already".

const INSERT_CHUNK = 500;
const TOTAL_CAP = 1000;

/** The columns of customers that decide where their messages go. */
export async function customersToMessage(db: Kysely<DB>, ids: readonly number[]) {
  const found = [];
  for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
    found.push(
      ...(await db
        .selectFrom('customers')
        .select(['id', 'phone', 'email', 'message_channel', 'messages_opt_out'])
        .where('id', 'in', ids.slice(i, i + INSERT_CHUNK))
        .execute()),
    );
  }
  return found;
}

/** Inserts the rows whose key is new; answers how many were. */
export async function insertMessages(db: Kysely<DB>, rows: readonly Insertable<MessageTable>[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const result = await db
      .insertInto('messages')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any query whose rows carry a customer's id, whatever it reads
export type CustomerIdQuery = SelectQueryBuilder<DB, any, { id: number }>;

export interface Broadcast {
  keyPrefix: string;
  kind: string;
  essential: boolean;
  outageId: number | null;
  demandId: number | null;
  subject: string | null;
  body: string;
}

/**
 * One INSERT … SELECT of a message to each customer of `customerIds` (key
 * `${keyPrefix}:${id}`) through their channel, leaving out those who opted out
 * (unless it is essential) and those with no address. Every value is cast:
 * PostgreSQL types a bare parameter in a SELECT list as text, which an
 * integer column does not take.
 */
export async function insertForCustomers(db: Kysely<DB>, now: string, customerIds: CustomerIdQuery, m: Broadcast): Promise<number> {
  const text = (v: string | null) => sql<string>`cast(${v} as text)`;
  const integer = (v: number | null) => sql<number>`cast(${v} as integer)`;
  const emailable = sql<boolean>`(c.message_channel = 'email' and c.email is not null and c.email <> '')`;
  const result = await db
    .insertInto('messages')
    .columns([
      'key',
      'kind',
      'essential',
      'channel',
      'address',
      'customer_id',
      'demand_id',
      'outage_id',
      'subject',
      'body',
      'status',
      'attempts',
      'next_attempt_at',
      'created_at',
      'updated_at',
    ])
    .expression(
      db
        .selectFrom('customers as c')
        .select([
          sql<string>`${text(`${m.keyPrefix}:`)} || cast(c.id as text)`.as('key'),
          text(m.kind).as('kind'),
          integer(m.essential ? 1 : 0).as('essential'),
          sql<string>`case when ${emailable} then 'email' else 'sms' end`.as('channel'),
          sql<string>`case when ${emailable} then c.email else c.phone end`.as('address'),
          'c.id',
          integer(m.demandId).as('demand_id'),
          integer(m.outageId).as('outage_id'),
          text(m.subject).as('subject'),
          text(m.body).as('body'),
          sql<string>`'queued'`.as('status'),
          sql<number>`0`.as('attempts'),
          text(now).as('next_attempt_at'),
          text(now).as('created_at'),
          text(now).as('updated_at'),
        ])
        .where('c.id', 'in', customerIds)
        .$if(!m.essential, (q) => q.where('c.messages_opt_out', '=', 0))
        .where((eb) => eb.or([sql<boolean>`${emailable}`, eb(sql`trim(c.phone)`, '<>', '')])),
    )
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** Of the customers of `customerIds`: how many opted out of non-essential messages, and how many have no address a message could go to. */
export async function audienceOf(db: Kysely<DB>, customerIds: CustomerIdQuery, essential: boolean): Promise<{ optedOut: number; noAddress: number }> {
  const skipped = essential ? sql<number>`0` : sql<number>`c.messages_opt_out`;
  const row = await db
    .selectFrom('customers as c')
    .select([
      sql<number>`coalesce(sum(case when ${skipped} = 1 then 1 else 0 end), 0)`.as('optedOut'),
      sql<number>`coalesce(sum(case when ${skipped} = 0 and trim(c.phone) = '' and (c.message_channel <> 'email' or c.email is null or c.email = '') then 1 else 0 end), 0)`.as(
        'noAddress',
      ),
    ])
    .where('c.id', 'in', customerIds)
    .executeTakeFirstOrThrow();
  return { optedOut: Number(row.optedOut), noAddress: Number(row.noAddress) };
}

/** The messages of an outage or a demand, by status. */
export async function countByStatus(db: Kysely<DB>, where: { outageId?: number | undefined; demandId?: number | undefined }) {
  return db
    .selectFrom('messages')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .$if(where.outageId !== undefined, (q) => q.where('outage_id', '=', where.outageId!))
    .$if(where.demandId !== undefined, (q) => q.where('demand_id', '=', where.demandId!))
    .groupBy('status')
    .execute();
}

export interface ClaimedMessage {
  id: number;
  key: string;
  channel: string;
  address: string;
  subject: string | null;
  body: string;
  attempts: number;
}

/**
 * Claims up to `limit` due messages of `channel` (queued and due, or sending
 * with a claim that ran out: a worker that stopped mid-send) in one guarded
 * UPDATE, committed on its own: `sending`, one attempt more, held until
 * `leaseUntil`. A claimed row's next_attempt_at is its lease's end, so the
 * partial index on (next_attempt_at, id) finds both kinds of due rows in the
 * order they fell due; the guard repeats the rule exactly, so that of two
 * workers reaching the same row only the first takes it.
 */
export async function claimDue(db: Kysely<DB>, q: { channel: Channel; now: string; leaseUntil: string; limit: number }): Promise<ClaimedMessage[]> {
  return db
    .updateTable('messages')
    .set((eb) => ({ status: 'sending', lease_until: q.leaseUntil, next_attempt_at: q.leaseUntil, attempts: eb('attempts', '+', 1), updated_at: q.now }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('messages as due')
        .select('due.id')
        // Spelt as the partial index's own condition (literals, not parameters): only then may SQLite and PostgreSQL's generic plans use it.
        .where(sql<SqlBool>`due.status in ('queued', 'sending')`)
        .where('due.next_attempt_at', '<=', q.now)
        .where('due.channel', '=', q.channel)
        .orderBy('due.next_attempt_at')
        .orderBy('due.id')
        .limit(q.limit),
    )
    .where((eb) =>
      eb.or([eb.and([eb('status', '=', 'queued'), eb('next_attempt_at', '<=', q.now)]), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', q.now)])]),
    )
    .returning(['id', 'key', 'channel', 'address', 'subject', 'body', 'attempts'])
    .execute();
}

/**
 * The outcome of attempt `attempts` of message `id`. Guarded by the claim (still
 * sending, the same attempt): a worker whose claim ran out and was taken over
 * does not overwrite what the newer attempt wrote.
 */
export async function markAttempt(
  db: Kysely<DB>,
  claim: { id: number; attempts: number },
  at: string,
  outcome:
    | { status: 'sent'; providerId: string | null }
    | { status: 'queued'; nextAttemptAt: string; lastError: string }
    | { status: 'failed'; lastError: string }
    // Claimed and not sent (the process is stopping): as it was before the claim.
    | { status: 'released'; nextAttemptAt: string },
): Promise<boolean> {
  const set =
    outcome.status === 'sent'
      ? { status: 'sent', sent_at: at, provider_id: outcome.providerId, last_error: null }
      : outcome.status === 'queued'
        ? { status: 'queued', next_attempt_at: outcome.nextAttemptAt, last_error: outcome.lastError }
        : outcome.status === 'failed'
          ? { status: 'failed', last_error: outcome.lastError }
          : { status: 'queued', next_attempt_at: outcome.nextAttemptAt, attempts: claim.attempts - 1 };
  const result = await db
    .updateTable('messages')
    .set({ ...set, lease_until: null, updated_at: at })
    .where('id', '=', claim.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', claim.attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface MessageFilter {
  customerId?: number | undefined;
  outageId?: number | undefined;
  demandId?: number | undefined;
  status?: string | undefined;
  /** The caller's units; undefined: every unit. */
  unitIds: readonly number[] | undefined;
  page: number;
  pageSize: number;
}

/** A page of the outbox, newest first, and the number of matches up to 1,000. */
export async function queryMessages(db: Kysely<DB>, f: MessageFilter) {
  const units = f.unitIds === undefined ? undefined : f.unitIds.length > 0 ? [...f.unitIds] : [-1];
  const base = db
    .selectFrom('messages as m')
    .$if(f.customerId !== undefined, (q) => q.where('m.customer_id', '=', f.customerId!))
    .$if(f.outageId !== undefined, (q) => q.where('m.outage_id', '=', f.outageId!))
    .$if(f.demandId !== undefined, (q) => q.where('m.demand_id', '=', f.demandId!))
    .$if(f.status !== undefined, (q) => q.where('m.status', '=', f.status!))
    // A unit's people see the messages to their customers, about their demands, about their outages.
    .$if(units !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb.exists(eb.selectFrom('customers as c').select('c.id').whereRef('c.id', '=', 'm.customer_id').where('c.unit_id', 'in', units!)),
          eb.exists(eb.selectFrom('demands as d').select('d.id').whereRef('d.id', '=', 'm.demand_id').where('d.unit_id', 'in', units!)),
          eb.exists(eb.selectFrom('outages as o').select('o.id').whereRef('o.id', '=', 'm.outage_id').where('o.unit_id', 'in', units!)),
        ]),
      ),
    );
  const rows = await base
    .selectAll('m')
    .orderBy('m.id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  const counted = await db
    .selectFrom(
      base
        .select('m.id')
        .limit(TOTAL_CAP + 1)
        .as('hits'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(counted.n);
  return { rows, total: Math.min(n, TOTAL_CAP), totalCapped: n > TOTAL_CAP };
}
