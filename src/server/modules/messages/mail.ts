import { createTransport } from 'nodemailer';
import { DeliveryError, type Gateway, type Outgoing } from './gateway.js';
import { mailMessageId, smtpPermanent } from './rules.js';

// E-mail through the SMTP relay of SUQIU_SMTP_URL (smtp://[user:pass@]host:port,
// or smtps:// for TLS from the first byte), from SUQIU_MAIL_FROM. A subject
// and a plain-text body in UTF-8 (nodemailer encodes the Chinese).
//
// Every attempt of one message carries the same Message-ID, derived from the
// message's key (rules.ts mailMessageId). SMTP has no idempotency of its own:
// a relay that took a message while this process died before marking the row
// gets it again after the claim runs out. Many receiving systems drop a
// Message-ID they have seen; where one does not, the customer may get that
// one e-mail twice. That is at best at-least-once, said plainly.

/** The longest one send may take: the connection's own limits bound each step, this one the whole (a relay that stalls mid-reply). */
export const MAIL_TIMEOUT_MS = 15_000;

export function mailGateway(settings: { url: string; from: string; connections: number }): Gateway {
  const transport = createTransport({
    url: settings.url,
    pool: true,
    maxConnections: settings.connections,
    // The worker retries, with backoff and a count it keeps: the pool must not send a message again of its own accord.
    maxRequeues: 0,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: MAIL_TIMEOUT_MS,
  });
  return {
    channel: 'email',
    timeoutMs: MAIL_TIMEOUT_MS,
    async send(message: Outgoing) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DeliveryError(`no answer within ${MAIL_TIMEOUT_MS / 1000} s`, false)), MAIL_TIMEOUT_MS);
      });
      try {
        const info = await Promise.race([
          transport.sendMail({
            from: settings.from,
            to: message.address,
            subject: message.subject ?? '',
            text: message.body,
            messageId: mailMessageId(message.key),
          }),
          timeout,
        ]);
        // The relay's reply names its queue id ("250 2.0.0 Ok: queued as 4Xk2…"): the nearest thing to a provider's id.
        return { providerId: typeof info.response === 'string' ? info.response : null };
      } catch (err) {
        if (err instanceof DeliveryError) throw err;
        const e = err as Error & { code?: unknown; responseCode?: unknown };
        throw new DeliveryError(e.message, smtpPermanent(e));
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      transport.close();
    },
  };
}
