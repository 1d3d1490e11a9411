import type { Channel } from './rules.js';

// What the worker (outbox.ts) needs of a channel's gateway: send one message,
// carrying its key as the idempotency id, within a time limit.

/** One message on its way out. */
export interface Outgoing {
  /** The row's key: the idempotency id of every attempt (SMS `id`, the e-mail's Message-ID). */
  key: string;
  address: string;
  subject: string | null;
  body: string;
}

export interface Gateway {
  channel: Channel;
  /** The longest one send may take; past it the attempt counts as failed and is tried again. */
  timeoutMs: number;
  /** Resolves once the gateway has taken the message (with its id for it, if it gives one); throws a DeliveryError otherwise. */
  send(message: Outgoing): Promise<{ providerId: string | null }>;
  close(): Promise<void>;
}

/** A failed send: `permanent` when the gateway refused this message for good (sending it again changes nothing). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
