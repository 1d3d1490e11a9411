import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { sql } from 'kysely';
import type { Database } from '../src/server/db/database.js';
import { closeSenders, sendDueMessages, sendersFrom, type Senders } from '../src/server/modules/messages/outbox.js';
import { mailMessageId } from '../src/server/modules/messages/rules.js';
import { messageCounts, queueMessages, queueToCustomers, type NewMessage } from '../src/server/modules/messages/service.js';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, userId, type TestApp } from './helpers/app.js';

// The outbox (issue 16) on real parts: messages queued in a transaction, sent
// by the worker's pass to an SMS gateway (a local HTTP server that records what
// it gets and answers as a gateway does) and to a real SMTP server, with
// retries, refusals, the rate limit, and GET /api/messages.

interface SmsRequest {
  id: string;
  phone: string;
  text: string;
  sign: string;
  authorization: string | undefined;
  contentType: string | undefined;
  at: number;
}

/** An SMS gateway: records each request; answers a refused phone code 40001, an id marked to fail once 500, an id seen before as taken again. */
async function startGateway() {
  const received: SmsRequest[] = [];
  const messageIds = new Map<string, string>();
  const failOnce = new Set<string>();
  const refused = new Set<string>();
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const r = JSON.parse(body) as { id: string; phone: string; text: string; sign: string };
    received.push({ ...r, authorization: req.headers.authorization, contentType: req.headers['content-type'], at: performance.now() });
    const answer = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    if (refused.has(r.phone)) return answer(200, { code: 40001, message: '号码无效' });
    if (failOnce.delete(r.id)) return answer(500, { code: 1, message: 'busy' });
    let messageId = messageIds.get(r.id);
    if (!messageId) messageIds.set(r.id, (messageId = `gw-${messageIds.size + 1}`));
    return answer(200, { code: 0, messageId });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms/send`,
    received,
    failOnce,
    refused,
    reset() {
      received.length = 0;
      failOnce.clear();
      refused.clear();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Mail {
  from: string;
  to: string[];
  headers: Map<string, string>;
  subject: string;
  text: string;
}

/** A real SMTP server that takes mail after a login, and refuses mailboxes named nobody@. */
async function startSmtp() {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'suqiu' && auth.password === 'secret') return callback(null, { user: 'suqiu' });
      return callback(new Error('invalid login'));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('nobody@')) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const parsed = parseMail(Buffer.concat(chunks).toString('latin1'));
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), ...parsed });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `smtp://suqiu:secret@127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Quoted-printable text (a body, or a Q-encoded word) as bytes. */
function qp(text: string): Buffer {
  const s = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(s.charCodeAt(i));
  }
  return Buffer.from(bytes);
}

/** A message as the test reads it: its headers (encoded words decoded) and its text body. */
function parseMail(raw: string): { headers: Map<string, string>; subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) headers.set(line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim());
  const decodeWords = (value: string) => {
    const words = [...value.matchAll(/=\?utf-8\?([bq])\?([^?]*)\?=/gi)];
    if (words.length === 0) return Buffer.from(value, 'latin1').toString('utf8');
    return Buffer.concat(words.map(([, kind, text]) => (kind!.toLowerCase() === 'b' ? Buffer.from(text!, 'base64') : qp(text!.replace(/_/g, ' '))))).toString(
      'utf8',
    );
  };
  const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
  const bytes =
    encoding === 'base64' ? Buffer.from(body.replace(/\s/g, ''), 'base64') : encoding === 'quoted-printable' ? qp(body) : Buffer.from(body, 'latin1');
  return { headers, subject: decodeWords(headers.get('subject') ?? ''), text: bytes.toString('utf8').replace(/\r\n$/, '') };
}

async function customersOf(database: Database, unit: number, n: number) {
  return database.db.selectFrom('customers').select(['id', 'phone']).where('unit_id', '=', unit).orderBy('id').limit(n).execute();
}

async function queue(database: Database, now: string, messages: NewMessage[]) {
  return database.db.transaction().execute((trx) => queueMessages(trx, now, messages));
}

async function rows(database: Database, keyPrefix: string) {
  return database.db.selectFrom('messages').selectAll().where('key', 'like', `${keyPrefix}%`).orderBy('key').execute();
}

for (const target of testDatabases()) {
  describe(`the outbox (${target.name})`, () => {
    let t: TestApp;
    let gateway: Awaited<ReturnType<typeof startGateway>>;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let senders: Senders;
    let station: number;
    let other: number;
    const settings = () => ({
      sms: { url: gateway.url, token: 'sms-token', sign: '国网供电', perSecond: 1000 },
      mail: { smtpUrl: smtp.url, from: 'suqiu@95598.example', perSecond: 1000 },
    });

    before(async () => {
      t = await startTestApp(target, { customers: 200 });
      gateway = await startGateway();
      smtp = await startSmtp();
      senders = sendersFrom(settings());
      station = await unitId(t.database, 'YL-QL-CG');
      other = (await t.database.db.selectFrom('customers').select('unit_id').where('unit_id', '!=', station).executeTakeFirstOrThrow()).unit_id;
    });
    after(async () => {
      await closeSenders(senders);
      await gateway.close();
      await smtp.close();
      await t.close();
    });
    beforeEach(async () => {
      await t.database.db.deleteFrom('messages').execute();
      await t.database.db.updateTable('customers').set({ message_channel: 'sms', email: null, messages_opt_out: 0 }).execute();
      gateway.reset();
      smtp.mails.length = 0;
    });

    test('a message goes through the customer’s channel: SMS to the phone, e-mail to the address, e-mail without one to the phone', async () => {
      const [a, b, c] = await customersOf(t.database, station, 3);
      await t.database.db.updateTable('customers').set({ message_channel: 'email', email: 'wang@example.cn' }).where('id', '=', b!.id).execute();
      await t.database.db.updateTable('customers').set({ message_channel: 'email', email: null }).where('id', '=', c!.id).execute();
      const now = new Date().toISOString();
      const base = { kind: 'outage_notice' as const, essential: true, outageId: null, subject: '停电通知', body: '您好，12月8日 8:00-18:00 计划停电。' };
      const queued = await queue(t.database, now, [
        { ...base, key: 'ch:a', customerId: a!.id },
        { ...base, key: 'ch:b', customerId: b!.id },
        { ...base, key: 'ch:c', customerId: c!.id },
        { ...base, key: 'ch:direct', address: 'ops@example.cn', channel: 'email' },
      ]);
      assert.equal(queued, 4);
      const got = await rows(t.database, 'ch:');
      assert.deepEqual(
        got.map((r) => [r.key, r.channel, r.address, r.status, r.attempts, r.next_attempt_at]),
        [
          ['ch:a', 'sms', a!.phone, 'queued', 0, now],
          ['ch:b', 'email', 'wang@example.cn', 'queued', 0, now],
          ['ch:c', 'sms', c!.phone, 'queued', 0, now],
          ['ch:direct', 'email', 'ops@example.cn', 'queued', 0, now],
        ],
      );

      // The same rules over a query of customers, in one INSERT … SELECT.
      const result = await t.database.db.transaction().execute((trx) =>
        queueToCustomers(trx, now, trx.selectFrom('customers').select('customers.id').where('customers.id', 'in', [a!.id, b!.id, c!.id]), {
          keyPrefix: 'all',
          kind: 'outage_notice',
          essential: true,
          outageId: null,
          subject: '停电通知',
          body: base.body,
        }),
      );
      assert.deepEqual(result, { queued: 3, optedOut: 0, noAddress: 0 });
      assert.deepEqual(
        (await rows(t.database, 'all:')).map((r) => [r.key, r.channel, r.address, r.customer_id, r.essential, r.subject, r.body, r.status]),
        [
          [`all:${a!.id}`, 'sms', a!.phone, a!.id, 1, '停电通知', base.body, 'queued'],
          [`all:${b!.id}`, 'email', 'wang@example.cn', b!.id, 1, '停电通知', base.body, 'queued'],
          [`all:${c!.id}`, 'sms', c!.phone, c!.id, 1, '停电通知', base.body, 'queued'],
        ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
      );
    });

    test('a customer who opted out gets essential messages only; a customer with no address none', async () => {
      const [a, b, c] = await customersOf(t.database, station, 3);
      await t.database.db.updateTable('customers').set({ messages_opt_out: 1 }).where('id', '=', a!.id).execute();
      await t.database.db.updateTable('customers').set({ phone: '' }).where('id', '=', c!.id).execute();
      try {
        const now = new Date().toISOString();
        const progress = { kind: 'demand_progress' as const, essential: false, body: '您反映的电压问题正在处理。' };
        assert.equal(
          await queue(t.database, now, [
            { ...progress, key: 'opt:a:progress', customerId: a!.id },
            { ...progress, key: 'opt:b:progress', customerId: b!.id },
            { ...progress, key: 'opt:a:notice', customerId: a!.id, kind: 'outage_notice', essential: true },
          ]),
          2,
        );
        assert.deepEqual(
          (await rows(t.database, 'opt:')).map((r) => r.key),
          ['opt:a:notice', 'opt:b:progress'],
        );
        const ids = () => t.database.db.selectFrom('customers').select('customers.id').where('customers.id', 'in', [a!.id, b!.id, c!.id]);
        const nonEssential = await t.database.db
          .transaction()
          .execute((trx) => queueToCustomers(trx, now, ids(), { keyPrefix: 'optq', kind: 'demand_progress', essential: false, body: '进展' }));
        assert.deepEqual(nonEssential, { queued: 1, optedOut: 1, noAddress: 1 });
        const essential = await t.database.db
          .transaction()
          .execute((trx) => queueToCustomers(trx, now, ids(), { keyPrefix: 'opte', kind: 'outage_notice', essential: true, body: '停电' }));
        assert.deepEqual(essential, { queued: 2, optedOut: 0, noAddress: 1 });
      } finally {
        await t.database.db.updateTable('customers').set({ phone: c!.phone }).where('id', '=', c!.id).execute();
      }
    });

    test('a key queued already is left alone, by one message or a whole audience', async () => {
      const [a, b] = await customersOf(t.database, station, 2);
      const now = new Date().toISOString();
      const m = { key: 'dup:1', kind: 'outage_notice' as const, essential: true, customerId: a!.id, body: '停电' };
      assert.equal(await queue(t.database, now, [m, { ...m, key: 'dup:2', customerId: b!.id }]), 2);
      assert.equal(await queue(t.database, now, [m, { ...m, body: '另一条' }]), 0, 'the same key twice, even in one call');
      const ids = t.database.db.selectFrom('customers').select('customers.id').where('customers.id', 'in', [a!.id, b!.id]);
      const audience = { keyPrefix: 'dupq', kind: 'outage_notice' as const, essential: true, body: '停电' };
      assert.equal((await t.database.db.transaction().execute((trx) => queueToCustomers(trx, now, ids, audience))).queued, 2);
      assert.equal((await t.database.db.transaction().execute((trx) => queueToCustomers(trx, now, ids, audience))).queued, 0);
      assert.equal((await rows(t.database, 'dup')).length, 4);
      assert.equal((await rows(t.database, 'dup:1'))[0]!.body, '停电', 'the first stays as it was');
    });

    test('each message is sent once: SMS with its key as id, the sign and the token; e-mail in UTF-8 with a Message-ID from its key', async () => {
      const customers = await customersOf(t.database, station, 6);
      await t.database.db.updateTable('customers').set({ message_channel: 'email', email: 'zhao@example.cn' }).where('id', '=', customers[5]!.id).execute();
      const now = new Date();
      const outage = await insertOutage(t, station);
      await t.database.db.transaction().execute((trx) =>
        queueToCustomers(
          trx,
          now.toISOString(),
          trx
            .selectFrom('customers')
            .select('customers.id')
            .where(
              'customers.id',
              'in',
              customers.map((c) => c.id),
            ),
          {
            keyPrefix: `outage:${outage}:notice`,
            kind: 'outage_notice',
            essential: true,
            outageId: outage,
            subject: '【停电通知】城关供电所',
            body: '尊敬的客户：因线路检修，12月8日 8:00-18:00 停电，给您带来不便，敬请谅解。',
          },
        ),
      );
      assert.deepEqual(await messageCounts(t.database.db, { outageId: outage }), { queued: 6, sending: 0, sent: 0, failed: 0 });

      const report = await sendDueMessages(t.database.db, senders, now);
      assert.deepEqual(report, { sent: 6, retried: 0, failed: 0 });
      assert.equal(gateway.received.length, 5);
      for (const c of customers.slice(0, 5)) {
        const got = gateway.received.filter((r) => r.phone === c.phone && r.id === `outage:${outage}:notice:${c.id}`);
        assert.equal(got.length, 1, `one SMS to ${c.phone}`);
        assert.equal(got[0]!.sign, '国网供电');
        assert.equal(got[0]!.authorization, 'Bearer sms-token');
        assert.equal(got[0]!.contentType, 'application/json');
        assert.match(got[0]!.text, /12月8日 8:00-18:00 停电/);
      }
      assert.equal(smtp.mails.length, 1);
      const mail = smtp.mails[0]!;
      assert.deepEqual(mail.to, ['zhao@example.cn']);
      assert.equal(mail.from, 'suqiu@95598.example');
      assert.equal(mail.subject, '【停电通知】城关供电所');
      assert.equal(mail.text, '尊敬的客户：因线路检修，12月8日 8:00-18:00 停电，给您带来不便，敬请谅解。');
      assert.equal(mail.headers.get('message-id'), mailMessageId(`outage:${outage}:notice:${customers[5]!.id}`));

      const sent = await rows(t.database, `outage:${outage}:`);
      assert.ok(sent.every((r) => r.status === 'sent' && r.attempts === 1 && r.sent_at !== null && r.lease_until === null && r.provider_id !== null));
      assert.ok(
        sent.filter((r) => r.channel === 'sms').every((r) => /^gw-\d+$/.test(r.provider_id!)),
        'the gateway’s messageId is kept',
      );
      assert.deepEqual(await messageCounts(t.database.db, { outageId: outage }), { queued: 0, sending: 0, sent: 6, failed: 0 });

      assert.deepEqual(await sendDueMessages(t.database.db, senders, new Date(now.getTime() + 3_600_000)), { sent: 0, retried: 0, failed: 0 });
      assert.equal(gateway.received.length, 5, 'nothing is sent twice');
      assert.equal(smtp.mails.length, 1);
    });

    test('a 500 is tried again after the backoff, with the same id, and then sent', async () => {
      const [a] = await customersOf(t.database, station, 1);
      const at = new Date('2026-12-07T08:00:00.000Z');
      await queue(t.database, at.toISOString(), [{ key: 'retry:a', kind: 'demand_progress', essential: false, customerId: a!.id, body: '进展' }]);
      gateway.failOnce.add('retry:a');

      assert.deepEqual(await sendDueMessages(t.database.db, senders, at), { sent: 0, retried: 1, failed: 0 });
      const [afterFirst] = await rows(t.database, 'retry:');
      assert.equal(afterFirst!.status, 'queued');
      assert.equal(afterFirst!.attempts, 1);
      assert.equal(afterFirst!.last_error, 'HTTP 500: busy');
      const wait = Date.parse(afterFirst!.next_attempt_at) - at.getTime();
      assert.ok(wait >= 30_000 && wait < 35_000, `the first retry waits 30 s (${wait} ms)`);

      assert.deepEqual(
        await sendDueMessages(t.database.db, senders, new Date(at.getTime() + 10_000)),
        { sent: 0, retried: 0, failed: 0 },
        'not before its time',
      );
      assert.deepEqual(await sendDueMessages(t.database.db, senders, new Date(at.getTime() + 40_000)), { sent: 1, retried: 0, failed: 0 });
      const [done] = await rows(t.database, 'retry:');
      assert.equal(done!.status, 'sent');
      assert.equal(done!.attempts, 2);
      assert.equal(done!.last_error, null);
      assert.deepEqual(
        gateway.received.map((r) => r.id),
        ['retry:a', 'retry:a'],
      );
    });

    test('a refusal fails at once with its reason, and GET /api/messages shows it', async () => {
      const [a, b] = await customersOf(t.database, station, 2);
      await t.database.db.updateTable('customers').set({ message_channel: 'email', email: 'nobody@example.cn' }).where('id', '=', b!.id).execute();
      gateway.refused.add(a!.phone);
      const now = new Date();
      await queue(t.database, now.toISOString(), [
        { key: 'refused:a', kind: 'outage_notice', essential: true, customerId: a!.id, body: '停电' },
        { key: 'refused:b', kind: 'outage_notice', essential: true, customerId: b!.id, subject: '停电', body: '停电' },
      ]);
      assert.deepEqual(await sendDueMessages(t.database.db, senders, now), { sent: 0, retried: 0, failed: 2 });
      const [ra, rb] = await rows(t.database, 'refused:');
      assert.equal(ra!.status, 'failed');
      assert.equal(ra!.attempts, 1);
      assert.equal(ra!.last_error, 'refused: code 40001: 号码无效');
      assert.equal(rb!.status, 'failed');
      assert.match(rb!.last_error!, /^refused: .*550.*mailbox unavailable/);

      const manager = await t.login('centre_manager');
      const res = await manager.get('/api/messages?status=failed');
      assert.equal(res.statusCode, 200, res.body);
      const list = res.json();
      assert.equal(list.total, 2);
      const sms = list.items.find((m: any) => m.channel === 'sms');
      assert.equal(sms.address, `${a!.phone.slice(0, 3)}****${a!.phone.slice(-4)}`, 'the phone masked');
      assert.equal(sms.status, 'failed');
      assert.equal(sms.lastError, 'refused: code 40001: 号码无效');
      assert.equal(sms.attempts, 1);
      assert.equal(sms.customerId, a!.id);
      assert.equal(sms.nextAttemptAt, null);
      const mail = list.items.find((m: any) => m.channel === 'email');
      assert.equal(mail.address, 'nobody@example.cn', 'an e-mail address is shown');
      assert.equal((await manager.get(`/api/messages?customerId=${a!.id}`)).json().items.length, 1);
      assert.equal((await manager.get('/api/messages?status=sent')).json().total, 0);
    });

    test('a channel without an endpoint leaves its messages queued', async () => {
      const [a, b] = await customersOf(t.database, station, 2);
      await t.database.db.updateTable('customers').set({ message_channel: 'email', email: 'li@example.cn' }).where('id', '=', b!.id).execute();
      const now = new Date();
      await queue(t.database, now.toISOString(), [
        { key: 'unset:a', kind: 'outage_notice', essential: true, customerId: a!.id, body: '停电' },
        { key: 'unset:b', kind: 'outage_notice', essential: true, customerId: b!.id, subject: '停电', body: '停电' },
      ]);
      const smsOnly = sendersFrom({ ...settings(), mail: { smtpUrl: undefined, from: 'suqiu@localhost', perSecond: 10 } });
      const none = sendersFrom({ sms: { ...settings().sms, url: undefined }, mail: { smtpUrl: undefined, from: 'suqiu@localhost', perSecond: 10 } });
      assert.deepEqual(Object.keys(none), []);
      assert.deepEqual(await sendDueMessages(t.database.db, none, now), { sent: 0, retried: 0, failed: 0 });
      assert.deepEqual(await sendDueMessages(t.database.db, smsOnly, now), { sent: 1, retried: 0, failed: 0 });
      await closeSenders(smsOnly);
      const [ra, rb] = await rows(t.database, 'unset:');
      assert.equal(ra!.status, 'sent');
      assert.equal(rb!.status, 'queued', 'unset: messages wait in the outbox');
      assert.equal(rb!.attempts, 0);
      assert.equal(smtp.mails.length, 0);
    });

    test('the rate limit holds: no second carries more sends than SUQIU_SMS_PER_SECOND', async () => {
      const customers = await customersOf(t.database, station, 12);
      const now = new Date();
      await queue(
        t.database,
        now.toISOString(),
        customers.map((c) => ({ key: `rate:${c.id}`, kind: 'outage_notice' as const, essential: true, customerId: c.id, body: '停电' })),
      );
      const slow = sendersFrom({ ...settings(), sms: { ...settings().sms, perSecond: 5 } });
      const started = performance.now();
      assert.deepEqual(await sendDueMessages(t.database.db, slow, now), { sent: 12, retried: 0, failed: 0 });
      const took = performance.now() - started;
      await closeSenders(slow);
      const times = gateway.received.map((r) => r.at).sort((x, y) => x - y);
      assert.equal(times.length, 12);
      // Any window a little short of a second (the network's jitter) holds at most 5 arrivals.
      for (const s of times)
        assert.ok(times.filter((x) => x >= s && x < s + 900).length <= 5, `at most 5 in a second: ${times.map((x) => Math.round(x - times[0]!))}`);
      assert.ok(
        took >= 2000,
        `12 at 5 a second take 2 s at least: the 11th starts a second after the 6th, the 6th a second after the first (${Math.round(took)} ms)`,
      );
      assert.ok(took < 4000, `and not much more (${Math.round(took)} ms)`);
    });

    test('GET /api/messages: message.read, bounded by the caller’s units, its query checked', async () => {
      const [mine] = await customersOf(t.database, station, 1);
      const [theirs] = await customersOf(t.database, other, 1);
      const outage = await insertOutage(t, station);
      const now = new Date().toISOString();
      await queue(t.database, now, [
        { key: 'scope:mine', kind: 'outage_notice', essential: true, customerId: mine!.id, body: '停电' },
        { key: 'scope:theirs', kind: 'outage_notice', essential: true, customerId: theirs!.id, body: '停电' },
        { key: 'scope:outage', kind: 'outage_notice', essential: true, outageId: outage, address: '13900001111', body: '停电' },
      ]);
      const keysOf = async (username: string, query = '') => {
        const res = await (await t.login(username)).get(`/api/messages${query}`);
        assert.equal(res.statusCode, 200, res.body);
        return (res.json().items as { id: number }[]).length;
      };
      assert.equal(await keysOf('centre_manager'), 3, 'a city-wide role sees every message');
      assert.equal(await keysOf('handler'), 2, 'the station’s handler: its customer’s and its outage’s');
      assert.equal(await keysOf('handler', `?customerId=${theirs!.id}`), 0);
      assert.equal(await keysOf('handler', `?outageId=${outage}`), 1);

      const editor = await t.login('kb_editor');
      const forbidden = await editor.get('/api/messages');
      assert.equal(forbidden.statusCode, 403);

      const handler = await t.login('handler');
      const bad = await handler.get('/api/messages?status=lost');
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().message, /status/);
      assert.equal((await handler.get('/api/messages?pageSize=1000')).statusCode, 400);
      assert.equal((await handler.get('/api/messages?unknown=1')).statusCode, 400);
      const paged = (await (await t.login('centre_manager')).get('/api/messages?pageSize=2&page=2')).json();
      assert.equal(paged.total, 3);
      assert.equal(paged.items.length, 1);
      assert.equal(paged.totalCapped, false);
    });

    test('an audience of 100,000 customers is queued in one statement, well under 10 s', { timeout: 120_000 }, async () => {
      const template = await t.database.db.selectFrom('customers').selectAll().where('unit_id', '=', station).executeTakeFirstOrThrow();
      // A bare parameter in a SELECT list is text to PostgreSQL: the ids are cast.
      await sql`
        with recursive n(i) as (select 1 union all select i + 1 from n where i < 100000)
        insert into customers (account_no, name, phone, address, customer_class, annual_kwh, important, unit_id, district_id, feeder_id, area_class, created_at, updated_at, message_channel, email, messages_opt_out)
        select 'BULK' || cast(i as text), '客户' || cast(i as text), cast(13700000000 + i as text), '城关', 'residential', 1200, 0,
               cast(${template.unit_id} as integer), cast(${template.district_id} as integer), cast(${template.feeder_id} as integer), 'urban',
               cast(${template.created_at} as text), cast(${template.created_at} as text),
               case when i % 10 = 0 then 'email' else 'sms' end, case when i % 20 = 0 then 'c' || cast(i as text) || '@example.cn' else null end,
               case when i % 100 = 0 then 1 else 0 end
        from n`.execute(t.database.db);
      const started = performance.now();
      const result = await t.database.db.transaction().execute((trx) =>
        queueToCustomers(
          trx,
          new Date().toISOString(),
          trx.selectFrom('customers').select('customers.id').where('customers.feeder_id', '=', template.feeder_id),
          {
            keyPrefix: 'bulk:notice',
            kind: 'demand_progress',
            essential: false,
            body: '进展',
          },
        ),
      );
      const took = performance.now() - started;
      const feederCustomers = Number(
        (
          await t.database.db
            .selectFrom('customers')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('feeder_id', '=', template.feeder_id)
            .executeTakeFirstOrThrow()
        ).n,
      );
      assert.ok(feederCustomers > 100_000);
      assert.equal(result.optedOut, 1000);
      assert.equal(result.noAddress, 0);
      assert.equal(result.queued, feederCustomers - 1000);
      const emails = await t.database.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('key', 'like', 'bulk:%')
        .where('channel', '=', 'email')
        .executeTakeFirstOrThrow();
      assert.equal(Number(emails.n), 5000 - 1000, 'e-mail where the customer has an address (every 20th), less the opted out (every 100th)');
      assert.ok(took < 10_000, `took ${Math.round(took)} ms`);
      process.stdout.write(`# ${target.name}: ${result.queued} messages queued in ${Math.round(took)} ms\n`);
      await t.database.db.deleteFrom('messages').execute();
      await t.database.db.deleteFrom('customers').where('account_no', 'like', 'BULK%').execute();
    });
  });
}

async function insertOutage(t: TestApp, unit: number): Promise<number> {
  const now = new Date().toISOString();
  const row = await t.database.db
    .insertInto('outages')
    .values({
      number: `TD${Date.now()}${Math.floor(Math.random() * 1000)}`,
      kind: 'planned',
      status: 'announced',
      unit_id: unit,
      cause: '线路检修',
      notice: '计划停电',
      area: '城关',
      starts_at: now,
      expected_end_at: now,
      notice_due_at: now,
      affected_customers: 0,
      created_by: await userId(t.database, 'handler'),
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
