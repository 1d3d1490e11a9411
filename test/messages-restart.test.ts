import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, type Database } from '../src/server/db/database.js';
import { SMTPServer } from 'smtp-server';
import { mailMessageId } from '../src/server/modules/messages/rules.js';
import { queueMessages } from '../src/server/modules/messages/service.js';
import { freePort, scratchDatabase, startServer, stopServer, type ServerProcess } from './helpers/servers.js';

// The outbox across restarts, with real server processes and an SMS gateway
// that answers slowly: a server stopped (SIGTERM) while sending finishes the
// sends under way, marks them and hands back the rest, so that every message
// reaches the gateway exactly once; a server killed (SIGKILL) while sending
// loses nothing, and sends again, with the same id, only what was under way
// at the kill, which the gateway (as a real one does) answers as taken.

const MESSAGES = 200;
const ANSWER_MS = 150;

/** A gateway that takes 150 ms to answer, records every request, and answers an id it has seen as taken (its first messageId). */
async function startSlowGateway() {
  const received: string[] = [];
  const messageIds = new Map<string, string>();
  let underWay = 0;
  const server: Server = createServer(async (req, res) => {
    underWay++;
    let body = '';
    for await (const chunk of req) body += chunk;
    const { id } = JSON.parse(body) as { id: string };
    received.push(id);
    await new Promise((r) => setTimeout(r, ANSWER_MS));
    let messageId = messageIds.get(id);
    if (!messageId) messageIds.set(id, (messageId = `gw-${messageIds.size + 1}`));
    underWay--;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 0, messageId }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`,
    received,
    underWay: () => underWay,
    timesReceived(id: string) {
      return received.filter((r) => r === id).length;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const MAILS = 30;

/** An SMTP server that takes 100 ms to accept each message, and records each one's Message-ID. */
async function startSlowSmtp() {
  const received: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('latin1')));
      stream.on('end', () => {
        received.push(/^message-id:\s*(\S+)/im.exec(raw)?.[1] ?? '');
        setTimeout(() => callback(), 100);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    timesReceived: (messageId: string) => received.filter((r) => r === messageId).length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms: number, server?: ServerProcess): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms${server ? `\n${server.output()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Target {
  name: 'sqlite' | 'postgres';
  /** The server's settings for its database, and the test's own connection to it. */
  setup(): Promise<{ env: Record<string, string>; open: () => Database; drop: () => Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'sqlite',
    async setup() {
      const dataDir = mkdtempSync(join(tmpdir(), 'suqiu-outbox-'));
      return {
        env: { SUQIU_DATA_DIR: dataDir, DATABASE_URL: '' },
        open: () => createDatabase({ dialect: 'sqlite', filename: join(dataDir, 'suqiu.db') }),
        drop: async () => rmSync(dataDir, { recursive: true, force: true }),
      };
    },
  },
];
if (process.env.TEST_DATABASE_URL) {
  const url = process.env.TEST_DATABASE_URL;
  targets.push({
    name: 'postgres',
    async setup() {
      // A database of its own: the outbox's advisory lock is per database.
      const scratch = await scratchDatabase(url);
      const dataDir = mkdtempSync(join(tmpdir(), 'suqiu-outbox-'));
      return {
        env: { SUQIU_DATA_DIR: dataDir, DATABASE_URL: scratch.url },
        open: () => createDatabase({ dialect: 'postgres', url: scratch.url, poolSize: 2 }),
        drop: async () => {
          await scratch.drop();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  });
}

// The databases side by side: each run waits out a claim's lease once.
describe('the outbox across restarts', { concurrency: true }, () => {
  for (const target of targets) {
    describe(target.name, { concurrency: 1 }, () => {
      let gateway: Awaited<ReturnType<typeof startSlowGateway>>;
      let smtp: Awaited<ReturnType<typeof startSlowSmtp>>;
      let setup: Awaited<ReturnType<Target['setup']>>;
      let database: Database;
      let env: Record<string, string>;
      let port: number;
      let server: ServerProcess | undefined;
      before(async () => {
        gateway = await startSlowGateway();
        smtp = await startSlowSmtp();
        setup = await target.setup();
        port = await freePort();
        env = {
          ...setup.env,
          SUQIU_SEED_DEMO: 'false',
          SUQIU_SCHEDULER_SECONDS: '0',
          SUQIU_OUTBOX_SECONDS: '1',
          SUQIU_SMS_URL: gateway.url,
          SUQIU_SMS_PER_SECOND: '100',
          SUQIU_SMTP_URL: smtp.url,
          SUQIU_MAIL_PER_SECOND: '5',
          LOG_LEVEL: 'warn',
        };
      });
      after(async () => {
        if (server) await stopServer(server);
        await database?.close();
        await gateway.close();
        await smtp.close();
        await setup.drop();
      });

      const queue = async (prefix: string) => {
        const now = new Date().toISOString();
        const messages = Array.from({ length: MESSAGES }, (_, i) => ({
          key: `${prefix}:${i}`,
          kind: 'outage_notice' as const,
          essential: true,
          channel: 'sms' as const,
          address: `138${String(i).padStart(8, '0')}`,
          body: `停电通知 ${i}`,
        }));
        assert.equal(await database.db.transaction().execute((trx) => queueMessages(trx, now, messages)), MESSAGES);
      };
      const queueMails = async (prefix: string) => {
        const now = new Date().toISOString();
        const mails = Array.from({ length: MAILS }, (_, i) => ({
          key: `${prefix}:${i}`,
          kind: 'outage_notice' as const,
          essential: true,
          channel: 'email' as const,
          address: `kh${i}@example.cn`,
          subject: `停电通知 ${i}`,
          body: `尊敬的客户：停电通知 ${i}`,
        }));
        assert.equal(await database.db.transaction().execute((trx) => queueMessages(trx, now, mails)), MAILS);
      };
      const statuses = async (prefix: string) =>
        database.db.selectFrom('messages').select(['key', 'status', 'attempts']).where('key', 'like', `${prefix}:%`).execute();
      const allSent = async (prefix: string) => (await statuses(prefix)).every((r) => r.status === 'sent');

      test(
        'SIGTERM mid-sending: the sends under way finish and are marked, the rest wait; after a restart every message has gone exactly once',
        { timeout: 60_000 },
        async () => {
          const first = await startServer({ name: `${target.name}-a`, port, env });
          // The server made the tables; the test's own connection queues the messages as a module would.
          database = setup.open();
          await queue('term');
          await queueMails('term-mail');
          await until('a third of the messages sent', () => gateway.received.length >= MESSAGES / 3, 20_000, first);
          await stopServer(first, 'SIGTERM');
          assert.equal(first.child.exitCode, 0, first.output());
          assert.equal(gateway.underWay(), 0, 'every send under way was answered before the process ended');

          const rows = await statuses('term');
          assert.deepEqual(
            rows.filter((r) => r.status === 'sending'),
            [],
            'nothing is left claimed',
          );
          const mailsSent = (await statuses('term-mail')).filter((r) => r.status === 'sent').length;
          assert.ok(mailsSent > 0 && mailsSent < MAILS, `the e-mails stopped mid-sending too (${mailsSent} of ${MAILS} sent)`);
          const sent = rows.filter((r) => r.status === 'sent').map((r) => r.key);
          assert.ok(sent.length < MESSAGES, 'stopped mid-sending');
          assert.deepEqual(new Set(sent), new Set(gateway.received), 'what reached the gateway is marked sent, and only that');
          assert.ok(
            rows.filter((r) => r.status === 'queued').every((r) => r.attempts === 0),
            'a message handed back keeps its attempts',
          );

          // The next test goes on with this server (a start takes seconds).
          server = await startServer({ name: `${target.name}-b`, port, env });
          await until('every message sent', async () => (await allSent('term')) && (await allSent('term-mail')), 30_000, server);
          for (let i = 0; i < MESSAGES; i++) assert.equal(gateway.timesReceived(`term:${i}`), 1, `term:${i} reached the gateway once`);
          for (let i = 0; i < MAILS; i++) assert.equal(smtp.timesReceived(mailMessageId(`term-mail:${i}`)), 1, `term-mail:${i} reached the SMTP server once`);
        },
      );

      test('SIGKILL mid-sending: every message arrives; only those under way at the kill arrive twice, with the same id', { timeout: 60_000 }, async () => {
        assert.ok(server, 'the server the test before left running');
        await queue('kill');
        const before = gateway.received.length;
        await until('a third of the messages sent', () => gateway.received.length - before >= MESSAGES / 3, 20_000, server);
        await stopServer(server, 'SIGKILL');

        // Claimed and not marked: the sends the kill cut short (or never began).
        const underWay = new Set((await statuses('kill')).filter((r) => r.status === 'sending').map((r) => r.key));
        assert.ok(underWay.size > 0, 'the kill came mid-sending');

        server = await startServer({ name: `${target.name}-c`, port, env });
        // The messages under way wait for their claim to run out (about 15 s) before they are sent again.
        await until('every message sent', () => allSent('kill'), 40_000, server);

        const twice: string[] = [];
        for (let i = 0; i < MESSAGES; i++) {
          const key = `kill:${i}`;
          const times = gateway.timesReceived(key);
          assert.ok(times >= 1, `${key} reached the gateway`);
          if (times > 1) twice.push(key);
        }
        assert.deepEqual(
          twice.filter((key) => !underWay.has(key)),
          [],
          'only a message under way at the kill is sent again',
        );
        assert.ok(twice.every((key) => gateway.timesReceived(key) === 2));
        process.stdout.write(`# ${target.name}: ${underWay.size} under way at the kill, ${twice.length} of them had reached the gateway and went again\n`);
      });
    });
  }
});
