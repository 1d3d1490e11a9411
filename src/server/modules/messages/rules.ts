import { createHash } from 'node:crypto';

// The outbox's rules, plain functions over plain data: whose channel a message
// goes through, when a failed attempt is tried again, how fast a channel may
// send, how long a claim holds, and what a gateway's answer means.

export type Channel = 'sms' | 'email';

/** After this many attempts a message is given up (`failed`). */
export const MAX_ATTEMPTS = 8;
/** The wait after the first failed attempt; it doubles with each attempt after that … */
export const FIRST_RETRY_MS = 30_000;
/** … up to an hour. */
export const MAX_RETRY_MS = 3_600_000;
/** What a claim allows beyond the sends it covers: the database writes around them. */
export const LEASE_MARGIN_MS = 5_000;

/** The customer's columns that decide where their messages go. */
export interface Reachable {
  phone: string;
  email: string | null;
  message_channel: string;
}

/**
 * Where a customer's message goes: through `wanted` (else the customer's own
 * channel); e-mail without an address falls back to SMS; null when there is
 * no phone either.
 */
export function recipientOf(customer: Reachable, wanted?: Channel): { channel: Channel; address: string } | null {
  const channel = wanted ?? (customer.message_channel === 'email' ? 'email' : 'sms');
  const email = customer.email?.trim() ?? '';
  if (channel === 'email' && email !== '') return { channel: 'email', address: email };
  const phone = customer.phone.trim();
  return phone === '' ? null : { channel: 'sms', address: phone };
}

/** The wait before the next attempt after `attempts` failed ones: 30 s, 1 min, 2 min, … at most 1 h. */
export function retryDelayMs(attempts: number): number {
  const exponent = Math.max(0, attempts - 1);
  // 2^7 × 30 s already passes the hour: no need to compute 2^50.
  return exponent >= 7 ? MAX_RETRY_MS : Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** exponent);
}

export type AfterFailure = { status: 'queued'; nextAttemptAt: number; lastError: string } | { status: 'failed'; lastError: string };

/**
 * What becomes of a message whose attempt number `attempts` failed at `at`
 * (ms): a refusal is final at once (the number does not exist; sending it
 * again changes nothing); anything else is tried again later, until the
 * attempts run out.
 */
export function afterFailure(failure: { attempts: number; permanent: boolean; reason: string }, at: number, maxAttempts = MAX_ATTEMPTS): AfterFailure {
  if (failure.permanent) return { status: 'failed', lastError: `refused: ${failure.reason}` };
  if (failure.attempts >= maxAttempts) return { status: 'failed', lastError: `gave up after ${failure.attempts} attempts: ${failure.reason}` };
  return { status: 'queued', nextAttemptAt: at + retryDelayMs(failure.attempts), lastError: failure.reason };
}

/**
 * How long to wait (ms) before another send may start at `now`, given the
 * starts so far (oldest first; the last `perSecond` are enough): no window of
 * one second holds more than `perSecond` starts (the one `perSecond` back must
 * be a full second ago), and two starts are at least half the even spacing
 * apart, so that the flow stays even but a start that a busy event loop made
 * late is caught up by the next ones instead of being lost to the rate.
 */
export function paceDelay(starts: readonly number[], now: number, perSecond: number): number {
  if (starts.length === 0) return 0;
  const spacing = Math.floor(1000 / perSecond / 2);
  const last = starts[starts.length - 1]!;
  const windowStart = starts.length >= perSecond ? starts[starts.length - Math.floor(perSecond)]! + 1000 : 0;
  return Math.max(0, last + spacing - now, windowStart - now);
}

/**
 * How long a claim of `chunk` messages holds (ms): each waits its turn under
 * the channel's rate, then sends for at most `timeoutMs`, and is marked. A
 * claim that runs out before its mark lets another worker send the message
 * again (with the same idempotency id), so it must outlast the slowest send.
 */
export function leaseMs(chunk: number, perSecond: number, timeoutMs: number): number {
  return Math.ceil((chunk / perSecond) * 1000) + timeoutMs + LEASE_MARGIN_MS;
}

export type Delivery = { ok: true; providerId: string | null } | { ok: false; permanent: boolean; reason: string };

/**
 * What the SMS gateway's answer means (sms.ts names the protocol): 2xx with
 * code 0 is taken; a non-zero code or a 4xx other than 429 is a refusal of
 * this message; 429 and 5xx are the gateway's trouble, tried again.
 */
export function smsDelivery(status: number, body: unknown): Delivery {
  const answer = typeof body === 'object' && body !== null ? (body as { code?: unknown; message?: unknown; messageId?: unknown }) : undefined;
  const said = typeof answer?.message === 'string' && answer.message !== '' ? answer.message : undefined;
  if (status === 429) return { ok: false, permanent: false, reason: `HTTP 429${said ? `: ${said}` : ''} (rate limited)` };
  if (status >= 400 && status < 500) return { ok: false, permanent: true, reason: `HTTP ${status}${said ? `: ${said}` : ''}` };
  if (status < 200 || status >= 300) return { ok: false, permanent: false, reason: `HTTP ${status}${said ? `: ${said}` : ''}` };
  if (answer === undefined || typeof answer.code !== 'number') return { ok: false, permanent: false, reason: `HTTP ${status} without a JSON {code}` };
  if (answer.code !== 0) return { ok: false, permanent: true, reason: `code ${answer.code}${said ? `: ${said}` : ''}` };
  const id = answer.messageId;
  return { ok: true, providerId: typeof id === 'string' || typeof id === 'number' ? String(id) : null };
}

/**
 * Whether an SMTP failure (nodemailer's error: its code and the server's
 * reply code) is final: a 5xx to the envelope or the message (no such
 * mailbox, refused content), or an address nodemailer itself refused. A 5xx
 * to the login is the configuration's fault, not the message's: tried again,
 * so fixing the password sends what waited.
 */
export function smtpPermanent(error: { code?: unknown; responseCode?: unknown }): boolean {
  if (error.code !== 'EENVELOPE' && error.code !== 'EMESSAGE') return false;
  if (typeof error.responseCode === 'number') return error.responseCode >= 500 && error.responseCode < 600;
  return error.code === 'EENVELOPE';
}

/**
 * The e-mail's Message-ID, the same for every attempt of one message: a
 * receiving server (or an archive) that deduplicates by it sees a resend as
 * the same message. Derived from the key, which may hold characters a
 * Message-ID may not.
 */
export function mailMessageId(key: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 40)}@suqiu>`;
}

/** A phone as the outbox list shows it: a mobile as 138****1234, others with all but their ends hidden. */
export function maskPhone(phone: string): string {
  const p = phone.trim();
  if (p.length >= 11) return `${p.slice(0, 3)}${'*'.repeat(p.length - 7)}${p.slice(-4)}`;
  if (p.length >= 7) return `${p.slice(0, 2)}${'*'.repeat(p.length - 4)}${p.slice(-2)}`;
  return '*'.repeat(p.length);
}
