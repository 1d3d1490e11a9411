import type { Insertable, Kysely } from 'kysely';
import type { DB, MessageTable } from '../../db/types.js';
import type { ListMessagesQuery, MessageList, MESSAGE_KINDS } from '../../../shared/schemas/messages.js';
import type { ServiceContext } from '../../platform/context.js';
import { authorize } from '../../platform/policy.js';
import { seesEveryUnit, visibleUnitIds } from '../org/service.js';
import * as repo from './repository.js';
import { maskPhone, recipientOf, type Channel } from './rules.js';

// The outbox (issue 16): every message to a customer is a row here, queued in
// the transaction of what it tells of (an outage announced, a demand's
// progress) and sent later by the worker (outbox.ts) through the customer's
// channel. A message's key is unique per recipient and message, so queuing it
// again, from a retried request or a second pass, does nothing.

export type MessageKind = (typeof MESSAGE_KINDS)[number];

export interface NewMessage {
  /** Unique per recipient and message (e.g. `outage:12:notice:customer:345`): a key queued already is left alone. */
  key: string;
  kind: MessageKind;
  /** Sent even to a customer who opted out of non-essential messages (an outage's notice is; progress messages are not). */
  essential: boolean;
  customerId?: number | null;
  demandId?: number | null;
  outageId?: number | null;
  /** With `address`: where it goes. Without: the customer's channel, or this one of the customer's addresses. */
  channel?: Channel;
  /** A phone (sms) or an e-mail address; without it, the customer's. */
  address?: string;
  /** The e-mail's subject; SMS has none. */
  subject?: string | null;
  body: string;
}

/**
 * Queues `messages` in the caller's transaction; answers how many were new.
 * A message to a customer without an address goes through the customer's
 * channel (sms → phone, email → e-mail, an e-mail channel without an address
 * → sms); a customer who opted out gets essential messages only; a customer
 * with no address at all gets none.
 */
export async function queueMessages(trx: Kysely<DB>, now: string, messages: readonly NewMessage[]): Promise<number> {
  const customerIds = [...new Set(messages.flatMap((m) => (m.customerId == null ? [] : [m.customerId])))];
  const customers = new Map((await repo.customersToMessage(trx, customerIds)).map((c) => [c.id, c]));
  const rows: Insertable<MessageTable>[] = [];
  for (const m of messages) {
    const customer = m.customerId == null ? undefined : customers.get(m.customerId);
    if (m.customerId != null && !customer) continue;
    if (customer && !m.essential && customer.messages_opt_out === 1) continue;
    let to: { channel: Channel; address: string } | null;
    if (m.address !== undefined) to = { channel: m.channel ?? 'sms', address: m.address };
    else if (customer) to = recipientOf(customer, m.channel);
    else throw new Error(`message ${m.key}: a message needs a customerId or an address`);
    if (to === null || to.address.trim() === '') continue;
    rows.push({
      key: m.key,
      kind: m.kind,
      essential: m.essential ? 1 : 0,
      channel: to.channel,
      address: to.address.trim(),
      customer_id: m.customerId ?? null,
      demand_id: m.demandId ?? null,
      outage_id: m.outageId ?? null,
      subject: m.subject ?? null,
      body: m.body,
      status: 'queued',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
      updated_at: now,
    });
  }
  return repo.insertMessages(trx, rows);
}

/** The customers to tell: any query selecting customers' ids (`select('customers.id')`), e.g. those an outage cuts. */
export type CustomerIds = repo.CustomerIdQuery;

/**
 * One message to each customer of `customerIds`, in one INSERT … SELECT in the
 * caller's transaction (key `${keyPrefix}:${customerId}`), with the channel
 * and opt-out rules of queueMessages. `queued` counts the new rows (a key
 * queued before is not counted again); `optedOut` and `noAddress` the
 * customers left out.
 */
export async function queueToCustomers(
  trx: Kysely<DB>,
  now: string,
  customerIds: CustomerIds,
  message: {
    keyPrefix: string;
    kind: MessageKind;
    essential: boolean;
    outageId?: number | null;
    demandId?: number | null;
    subject?: string | null;
    body: string;
  },
): Promise<{ queued: number; optedOut: number; noAddress: number }> {
  const { optedOut, noAddress } = await repo.audienceOf(trx, customerIds, message.essential);
  const queued = await repo.insertForCustomers(trx, now, customerIds, {
    keyPrefix: message.keyPrefix,
    kind: message.kind,
    essential: message.essential,
    outageId: message.outageId ?? null,
    demandId: message.demandId ?? null,
    subject: message.subject ?? null,
    body: message.body,
  });
  return { queued, optedOut, noAddress };
}

/** How an outage's (or a demand's) messages stand. */
export async function messageCounts(
  db: Kysely<DB>,
  where: { outageId?: number; demandId?: number },
): Promise<{ queued: number; sending: number; sent: number; failed: number }> {
  const counts = { queued: 0, sending: 0, sent: 0, failed: 0 };
  for (const row of await repo.countByStatus(db, where)) {
    if (row.status in counts) counts[row.status as keyof typeof counts] = Number(row.n);
  }
  return counts;
}

/** GET /api/messages: the outbox, newest first; a unit's people see the messages to their customers, about their demands and outages. */
export async function listMessages(ctx: ServiceContext, query: ListMessagesQuery): Promise<MessageList> {
  authorize(ctx.actor, 'message.read');
  const unitIds = (await seesEveryUnit(ctx)) ? undefined : [...(await visibleUnitIds(ctx))];
  const { rows, total, totalCapped } = await repo.queryMessages(ctx.db, { ...query, unitIds });
  return {
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind as MessageKind,
      channel: r.channel as Channel,
      address: r.channel === 'sms' ? maskPhone(r.address) : r.address,
      status: r.status as MessageList['items'][number]['status'],
      attempts: r.attempts,
      lastError: r.last_error,
      nextAttemptAt: r.status === 'queued' || r.status === 'sending' ? r.next_attempt_at : null,
      sentAt: r.sent_at,
      createdAt: r.created_at,
      customerId: r.customer_id,
      demandId: r.demand_id,
      outageId: r.outage_id,
      subject: r.subject,
      body: r.body,
    })),
    total,
    totalCapped,
  };
}
