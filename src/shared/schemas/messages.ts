import { z } from 'zod';
import { IdParam } from './common.js';

// The outbox (issue 16; modules/messages): every message to a customer is a
// row, sent by a worker through the customer's channel.

/** What a message says: an outage's notice and its changes, a long-running demand's progress. */
export const MESSAGE_KINDS = ['outage_notice', 'outage_update', 'outage_restored', 'outage_cancelled', 'demand_progress'] as const;
export const MESSAGE_CHANNELS = ['sms', 'email'] as const;
/** queued → sending → sent | failed; a failed attempt with retries left is queued again. */
export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;

export const ListMessagesQuery = z.strictObject({
  customerId: IdParam.optional(),
  outageId: IdParam.optional(),
  demandId: IdParam.optional(),
  status: z.enum(MESSAGE_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListMessagesQuery = z.infer<typeof ListMessagesQuery>;

export const OutboxMessage = z.object({
  id: z.number().int(),
  kind: z.enum(MESSAGE_KINDS),
  channel: z.enum(MESSAGE_CHANNELS),
  address: z.string().describe('where it goes: a phone masked as 138****1234, or the e-mail address'),
  status: z.enum(MESSAGE_STATUSES),
  attempts: z.number().int().describe('attempts made (or under way) so far'),
  lastError: z.string().nullable().describe('why the last attempt failed; for a failed message, why it was given up'),
  nextAttemptAt: z.string().nullable().describe('queued: when it is sent next; sending: when the attempt counts as lost; null once sent or failed'),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
  customerId: z.number().int().nullable(),
  demandId: z.number().int().nullable(),
  outageId: z.number().int().nullable(),
  subject: z.string().nullable(),
  body: z.string(),
});
export type OutboxMessage = z.infer<typeof OutboxMessage>;

export const MessageList = z.object({
  items: z.array(OutboxMessage),
  /** The number of matches, counted up to 1,000. */
  total: z.number().int(),
  /** There are more than `total` matches: the count stopped there. */
  totalCapped: z.boolean(),
});
export type MessageList = z.infer<typeof MessageList>;
