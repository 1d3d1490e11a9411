import { DeliveryError, type Gateway, type Outgoing } from './gateway.js';
import { smsDelivery } from './rules.js';

// The SMS gateway, driven the way Chinese SMS platforms are: one small JSON
// request per message to SUQIU_SMS_URL.
//
//   POST <SUQIU_SMS_URL>
//   content-type: application/json
//   authorization: Bearer <SUQIU_SMS_TOKEN>          (when that setting is set)
//   {"id": "<the message's key>", "phone": "13800000000", "text": "…", "sign": "<SUQIU_SMS_SIGN, 国网供电>"}
//
//   200 {"code": 0, "messageId": "…"}                  taken; messageId is kept as provider_id
//   200 {"code": <not 0>, "message": "…"}              refused (no such number, a banned word): failed at once
//   4xx (not 429)                                      refused: failed at once
//   429, 5xx, no answer within 10 s, a network error   tried again later
//
// `id` is the idempotency id: every attempt of one message carries the same
// one, and the gateway answers an id it has seen as taken (code 0) without
// sending it again. That is what makes a resend harmless when this process
// died after the gateway took a message and before the row was marked.

export const SMS_TIMEOUT_MS = 10_000;

export function smsGateway(settings: { url: string; token: string | undefined; sign: string }): Gateway {
  return {
    channel: 'sms',
    timeoutMs: SMS_TIMEOUT_MS,
    async send(message: Outgoing) {
      let response: Response;
      let body: unknown;
      try {
        response = await fetch(settings.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(settings.token !== undefined && { authorization: `Bearer ${settings.token}` }),
          },
          body: JSON.stringify({ id: message.key, phone: message.address, text: message.body, sign: settings.sign }),
          signal: AbortSignal.timeout(SMS_TIMEOUT_MS),
        });
        const text = await response.text();
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      } catch (err) {
        const e = err as Error & { cause?: { code?: string } };
        const reason = e.name === 'TimeoutError' ? `no answer within ${SMS_TIMEOUT_MS / 1000} s` : `${e.message}${e.cause?.code ? ` (${e.cause.code})` : ''}`;
        throw new DeliveryError(reason, false);
      }
      const delivery = smsDelivery(response.status, body);
      if (!delivery.ok) throw new DeliveryError(delivery.reason, delivery.permanent);
      return { providerId: delivery.providerId };
    },
    async close() {},
  };
}
