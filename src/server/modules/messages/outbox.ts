import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/types.js';
import { startScheduler } from '../../platform/scheduler.js';
import { DeliveryError, type Gateway } from './gateway.js';
import { mailGateway } from './mail.js';
import * as repo from './repository.js';
import { afterFailure, leaseMs, MAX_ATTEMPTS, paceDelay, type Channel } from './rules.js';
import { smsGateway } from './sms.js';

// The outbox's worker: every few seconds (SUQIU_OUTBOX_SECONDS) a pass sends
// what is due, channel by channel, in chunks: claim (a guarded UPDATE that
// commits on its own), send each under the channel's rate and concurrency,
// mark each (sent, queued again with backoff, or failed).
//
// A restart loses nothing and, as far as the gateways allow, sends nothing
// twice:
// - The message is a row before anything is sent, queued in the transaction
//   of what it tells of; only a committed claim sends it.
// - A graceful stop (SIGTERM: main.ts stops the worker before the database
//   closes) claims nothing new, hands back the rows claimed and not yet sent,
//   and waits for the sends under way to be answered and marked.
// - A process killed outright (SIGKILL, a crash, the machine) between the
//   gateway taking a message and the row being marked leaves the row
//   `sending`; once its claim runs out (rules.ts leaseMs: the chunk's turns
//   under the rate, the slowest send, a margin) a worker sends it again with
//   the same idempotency id. The SMS gateway answers an id it has seen as
//   taken and sends nothing (sms.ts); an e-mail relay has no such promise,
//   only the same Message-ID (mail.ts), so that one e-mail may arrive twice.
//   Only messages under way at the kill can be sent twice; none is lost.

/** Where several app servers share one PostgreSQL, only the holder of this lock runs the outbox (the scheduler holds 95598). */
export const OUTBOX_LOCK = 95_599;
/** Sends under way at once per channel: an HTTP gateway answers many; a relay's connections are few. */
const CONCURRENCY: Record<Channel, number> = { sms: 16, email: 4 };

export type OutboxLog = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

/** A channel's recent starts, kept across passes, so that a channel never sends faster than its rate. */
export class Pace {
  private readonly starts: number[] = [];
  constructor(readonly perSecond: number) {}

  /** Waits for a start the rate allows and takes it; false (nothing taken) once `stopping` says so. */
  async turn(stopping: () => boolean): Promise<boolean> {
    for (;;) {
      if (stopping()) return false;
      const now = performance.now();
      const wait = paceDelay(this.starts, now, this.perSecond);
      // Taken when the send starts, not when it was planned: a late timer never lets two turns crowd together.
      if (wait === 0) {
        this.starts.push(now);
        if (this.starts.length > this.perSecond) this.starts.splice(0, this.starts.length - Math.ceil(this.perSecond));
        return true;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(Math.ceil(wait), 1000)));
    }
  }
}

export interface Sender {
  gateway: Gateway;
  concurrency: number;
  pace: Pace;
}
export type Senders = Partial<Record<Channel, Sender>>;

/** The channels with an endpoint configured; a channel without one is left out, and its messages wait in the outbox. */
export function sendersFrom(config: Pick<Config, 'sms' | 'mail'>): Senders {
  const senders: Senders = {};
  if (config.sms.url !== undefined) {
    senders.sms = {
      gateway: smsGateway({ url: config.sms.url, token: config.sms.token, sign: config.sms.sign }),
      concurrency: CONCURRENCY.sms,
      pace: new Pace(config.sms.perSecond),
    };
  }
  if (config.mail.smtpUrl !== undefined) {
    senders.email = {
      gateway: mailGateway({ url: config.mail.smtpUrl, from: config.mail.from, connections: CONCURRENCY.email }),
      concurrency: CONCURRENCY.email,
      pace: new Pace(config.mail.perSecond),
    };
  }
  return senders;
}

export async function closeSenders(senders: Senders): Promise<void> {
  await Promise.all(Object.values(senders).map((s) => s.gateway.close()));
}

export interface PassOptions {
  maxAttempts?: number;
  /** True once the process is stopping: nothing more is claimed, and what was claimed and not yet sent is handed back. */
  stopping?: () => boolean;
  log?: OutboxLog;
}

export interface PassReport {
  sent: number;
  retried: number;
  failed: number;
}

/**
 * One pass of the outbox at `now`: sends every message due, each channel with
 * a sender, until none is left (or the process stops). The pass's clock is
 * `now` plus the time the pass has taken, so a test may run it at any date.
 */
export async function sendDueMessages(db: Kysely<DB>, senders: Senders, now: Date, options: PassOptions = {}): Promise<PassReport> {
  const started = performance.now();
  const at = () => new Date(now.getTime() + (performance.now() - started));
  const report: PassReport = { sent: 0, retried: 0, failed: 0 };
  const pass = { db, at, report, stopping: options.stopping ?? (() => false), maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS, log: options.log };
  await settleAll(Object.entries(senders).map(([channel, sender]) => drainChannel(pass, channel as Channel, sender)));
  return report;
}

interface Pass {
  db: Kysely<DB>;
  at: () => Date;
  report: PassReport;
  stopping: () => boolean;
  maxAttempts: number;
  log: OutboxLog | undefined;
}

/**
 * Sends the channel's due messages with `concurrency` lanes kept busy: the
 * lanes take from a local queue, refilled by a claim of about a second's sends
 * (at least `concurrency`) while the last ones are still going out, so that the
 * pace, not the round trips between claims, sets the rate. A row waits in the
 * queue at most one claim's turns under the rate, which its lease covers.
 */
async function drainChannel(pass: Pass, channel: Channel, sender: Sender): Promise<void> {
  const batch = Math.max(sender.concurrency, Math.min(500, Math.ceil(sender.pace.perSecond)));
  const queue: repo.ClaimedMessage[] = [];
  let exhausted = false;
  let claiming: Promise<void> | undefined;
  const refill = () =>
    (claiming ??= (async () => {
      const claimedAt = pass.at();
      // The rows still queued here go out first: the lease covers their turns too.
      const leaseUntil = new Date(claimedAt.getTime() + leaseMs(batch + queue.length, sender.pace.perSecond, sender.gateway.timeoutMs));
      const claimed = await repo.claimDue(pass.db, { channel, now: claimedAt.toISOString(), leaseUntil: leaseUntil.toISOString(), limit: batch });
      queue.push(...claimed);
      if (claimed.length < batch) exhausted = true;
    })().finally(() => (claiming = undefined)));
  const next = async (): Promise<repo.ClaimedMessage | undefined> => {
    for (;;) {
      const message = queue.shift();
      // Claim the next rows while these are sent; once stopping, claim nothing (what is queued here is handed back by deliver).
      if (queue.length < sender.concurrency && !exhausted && !pass.stopping()) void refill().catch(() => undefined);
      if (message) return message;
      if (exhausted || pass.stopping()) return undefined;
      await refill();
    }
  };
  const lane = async () => {
    for (let message = await next(); message; message = await next()) await deliver(pass, sender, message);
  };
  await settleAll(Array.from({ length: sender.concurrency }, lane));
  await claiming;
}

async function deliver(pass: Pass, sender: Sender, message: repo.ClaimedMessage): Promise<void> {
  if (!(await sender.pace.turn(pass.stopping))) {
    const at = pass.at().toISOString();
    await repo.markAttempt(pass.db, message, at, { status: 'released', nextAttemptAt: at });
    return;
  }
  let outcome: Parameters<typeof repo.markAttempt>[3];
  try {
    const { providerId } = await sender.gateway.send({ key: message.key, address: message.address, subject: message.subject, body: message.body });
    outcome = { status: 'sent', providerId: providerId === null ? null : providerId.slice(0, 200) };
  } catch (err) {
    const permanent = err instanceof DeliveryError && err.permanent;
    const reason = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    const next = afterFailure({ attempts: message.attempts, permanent, reason }, pass.at().getTime(), pass.maxAttempts);
    outcome = next.status === 'queued' ? { status: 'queued', nextAttemptAt: new Date(next.nextAttemptAt).toISOString(), lastError: next.lastError } : next;
    if (next.status === 'failed') pass.log?.warn({ messageId: message.id, key: message.key, reason: next.lastError }, 'message failed');
  }
  // A row whose claim ran out and was taken over is the newer attempt's to mark: this one's outcome is dropped.
  if (!(await repo.markAttempt(pass.db, message, pass.at().toISOString(), outcome))) return;
  if (outcome.status === 'sent') pass.report.sent++;
  else if (outcome.status === 'queued') pass.report.retried++;
  else pass.report.failed++;
}

/** Waits for every one (a send under way is answered and marked even when another fails), then throws the first failure. */
async function settleAll(work: Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * The worker: a pass every SUQIU_OUTBOX_SECONDS on the scheduler's loop (on
 * PostgreSQL, by the holder of the outbox's own advisory lock). stop() claims
 * nothing more and resolves once the sends under way are marked.
 */
export function startOutbox(database: Database, config: Config, log: OutboxLog): { stop(): Promise<void> } {
  const senders = sendersFrom(config);
  if (!senders.sms) log.warn('SUQIU_SMS_URL is unset: SMS messages wait in the outbox');
  if (!senders.email) log.warn('SUQIU_SMTP_URL is unset: e-mail messages wait in the outbox');
  if (!senders.sms && !senders.email) return { stop: async () => undefined };
  let stopping = false;
  const loop = startScheduler(database, {
    name: 'outbox',
    lock: OUTBOX_LOCK,
    intervalMs: config.outboxIntervalSeconds * 1000,
    clock: () => new Date(),
    pass: async (now) => {
      const report = await sendDueMessages(database.db, senders, now, { stopping: () => stopping, log });
      if (report.sent + report.retried + report.failed > 0) log.info({ outbox: report }, 'outbox pass');
    },
    log: (msg, err) => log.error({ err }, msg),
  });
  return {
    async stop() {
      stopping = true;
      await loop.stop();
      await closeSenders(senders);
    },
  };
}
