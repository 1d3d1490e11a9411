import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '../src/server/db/database.js';
import { closeSenders, sendDueMessages, sendersFrom } from '../src/server/modules/messages/outbox.js';
import { line, target } from './report.js';

// The outbox's sending rate against a local SMS recorder (a gateway that
// answers at once): at the default pace (SUQIU_SMS_PER_SECOND, 50) and with
// the pace lifted, which shows what the worker itself can send. Each run lasts
// BENCH_OUTBOX_SECONDS (5); the recorder checks that no id came twice.

export async function outboxRate(database: Database): Promise<void> {
  const seconds = Number(process.env.BENCH_OUTBOX_SECONDS ?? 5);
  const seen = new Set<string>();
  let repeats = 0;
  const recorder = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const { id } = JSON.parse(body) as { id: string };
      if (seen.has(id)) repeats++;
      seen.add(id);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 0, messageId: `m${seen.size}` }));
    });
  });
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}/sms`;
  try {
    for (const perSecond of [50, 5000]) {
      const senders = sendersFrom({
        sms: { url, token: undefined, sign: '国网供电', perSecond },
        mail: { smtpUrl: undefined, from: 'suqiu@localhost', perSecond: 10 },
      });
      const before = seen.size;
      const t0 = performance.now();
      const report = await sendDueMessages(database.db, senders, new Date(), { stopping: () => performance.now() - t0 > seconds * 1000 });
      const took = (performance.now() - t0) / 1000;
      await closeSenders(senders);
      const rate = report.sent / took;
      line(`outbox at ${perSecond} SMS/s allowed: sent in ${took.toFixed(1)} s`, `${report.sent} (${rate.toFixed(0)}/s), recorder got ${seen.size - before}`);
      if (perSecond === 50) target('  the outbox keeps the rate limit (SMS/s at 50 allowed)', rate.toFixed(1), '45 to 50', rate >= 45 && rate <= 50.5);
    }
    target('  no message sent twice', String(repeats), '0', repeats === 0);
  } finally {
    await new Promise((resolve) => recorder.close(resolve));
  }
}
