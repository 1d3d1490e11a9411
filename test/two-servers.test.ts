import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createDatabase } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { seedDemo } from '../src/server/modules/demo/seed.js';
import {
  freePort,
  login,
  openEventStream,
  scratchDatabase,
  sessionHeaders,
  startServer,
  stopServer,
  type ServerProcess,
  type Session,
} from './helpers/servers.js';

// Two real app servers on one PostgreSQL, as behind a load balancer: a
// session made on one works on the other, a notification raised through one
// reaches a browser connected to the other, the scheduler (one server holds
// its advisory lock) fires each warning once even when its holder is killed
// in the middle of a pass, and a server killed under load loses no demand
// answered 201 and, with the clients' retries on the other, makes none twice.

const url = process.env.TEST_DATABASE_URL;
/** platform/scheduler.ts SCHEDULER_LOCK */
const SCHEDULER_LOCK = 95_598;
const DUE_WARNINGS = 80;

interface Server extends ServerProcess {
  app: string;
  port: number;
}

describe('two app servers on one PostgreSQL', { skip: url ? false : 'TEST_DATABASE_URL not set: two servers need a PostgreSQL' }, () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let pool: pg.Pool;
  let dataDir: string;
  const servers = new Map<string, Server>();
  let phones = 0;
  let setupSeconds = 0;

  const server = (name: 'a' | 'b') => servers.get(name)!;
  const start = async (name: 'a' | 'b', port: number): Promise<Server> => {
    const app = `suqiu-${name}`;
    const databaseUrl = new URL(scratch.url);
    // The processes tell themselves apart in pg_stat_activity by this name.
    databaseUrl.searchParams.set('application_name', app);
    const started = await startServer({
      name,
      port,
      env: { DATABASE_URL: databaseUrl.toString(), SUQIU_SCHEDULER_SECONDS: '1', SUQIU_SEED_DEMO: 'false', SUQIU_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    });
    const s = { ...started, app, port };
    servers.set(name, s);
    return s;
  };
  const say = (t: TestContext, message: string) => t.diagnostic(message);

  /** The application_name of the session holding the scheduler's advisory lock, if any. */
  const lockHolder = async (): Promise<string | undefined> => {
    const { rows } = await pool.query<{ app: string }>(
      `SELECT a.application_name AS app FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [SCHEDULER_LOCK],
    );
    assert.ok(rows.length <= 1, `one holder at most, found ${rows.length}`);
    return rows[0]?.app;
  };
  const until = async <T>(what: string, ms: number, probe: () => Promise<T | undefined | false>): Promise<T> => {
    const deadline = performance.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      if (performance.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const complaint = (content: string, channel = 'phone') =>
    JSON.stringify({
      channel,
      type: 'complaint',
      category: 'supply_service',
      subcategory: 'service_complaint',
      // A phone of its own: every registration is a new case, never a call joining another.
      customer: { phone: `170${String(++phones).padStart(8, '0')}`, name: '测试客户' },
      content,
    });
  /** A published knowledge article (the least the registration's articleIds needs). */
  const publishedArticle = async (): Promise<number> => {
    const at = new Date().toISOString();
    const {
      rows: [editor],
    } = await pool.query<{ id: number; unit_id: number }>(`SELECT id, unit_id FROM users WHERE username = 'kb_editor'`);
    const {
      rows: [article],
    } = await pool.query<{ id: number }>(
      `INSERT INTO articles (title, category, audience, owner_unit_id, use_count, created_by, created_at, updated_at, version) VALUES ('停电报修须知', 'outage_voltage', 'internal', $1, 0, $2, $3, $3, 1) RETURNING id`,
      [editor!.unit_id, editor!.id, at],
    );
    const {
      rows: [version],
    } = await pool.query<{ id: number }>(
      `INSERT INTO article_versions (article_id, number, title, category, tags_json, audience, sections_json, status, author_id, created_at, updated_at, published_at) VALUES ($1, 1, '停电报修须知', 'outage_voltage', '[]', 'internal', '{}', 'approved', $2, $3, $3, $3) RETURNING id`,
      [article!.id, editor!.id, at],
    );
    await pool.query('UPDATE articles SET published_version_id = $1, published_at = $2 WHERE id = $3', [version!.id, at, article!.id]);
    return article!.id;
  };
  const register = (base: string, session: Session, body: string, key?: string) =>
    fetch(`${base}/api/demands`, {
      method: 'POST',
      headers: sessionHeaders(session, key ? { 'idempotency-key': key } : {}),
      body,
      signal: AbortSignal.timeout(15_000),
    });

  before(async () => {
    const t0 = performance.now();
    scratch = await scratchDatabase(url!);
    // A small city seeded here, not by the server's first start (20,000 demands): the servers find it and start at once.
    const database = createDatabase({ dialect: 'postgres', url: scratch.url, poolSize: 4 });
    try {
      await migrateToLatest(database);
      await seedDemo(database, { customers: 50, password: 'suqiu-demo' });
    } finally {
      await database.close();
    }
    pool = new pg.Pool({ connectionString: scratch.url, max: 4, application_name: 'suqiu-test' });
    dataDir = mkdtempSync(join(tmpdir(), 'suqiu-two-'));
    const [pa, pb] = [await freePort(), await freePort()];
    await Promise.all([start('a', pa), start('b', pb)]);
    setupSeconds = (performance.now() - t0) / 1000;
  });

  after(async () => {
    for (const s of servers.values()) await stopServer(s);
    await pool?.end();
    await scratch?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('a session made on one server works on the other: reads, changes with the CSRF header, sign-out', async (t) => {
    const a = server('a');
    const b = server('b');
    say(t, `database ${scratch.name} created and seeded, two servers up: ${setupSeconds.toFixed(1)} s`);
    const session = await login(a.base, 'agent');
    const me = await fetch(`${b.base}/api/me`, { headers: { cookie: session.cookie } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { user: { username: string } }).user.username, 'agent');

    const withoutCsrf = await fetch(`${b.base}/api/demands`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'content-type': 'application/json' },
      body: complaint('没有 CSRF 头'),
    });
    assert.equal(withoutCsrf.status, 403, 'B checks the CSRF value the session got on A');
    assert.equal((await register(b.base, session, complaint('在 B 上登记，会话来自 A'))).status, 201);

    assert.equal((await fetch(`${b.base}/api/auth/logout`, { method: 'POST', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } })).status, 200);
    assert.equal((await fetch(`${a.base}/api/me`, { headers: { cookie: session.cookie } })).status, 401, 'signed out on B: the session is gone on A too');
  });

  test('a notification raised through one server reaches a browser connected to the other, also when its transaction commits after a later one', async (t) => {
    const a = server('a');
    const b = server('b');
    const lead = await login(a.base, 'team_lead');
    const agent = await login(a.base, 'agent');
    const stream = await openEventStream(b.base, lead);
    const blocker = new pg.Client({ connectionString: scratch.url, application_name: 'suqiu-test-blocker' });
    await blocker.connect();
    try {
      // An over-level call (forwarded by the province) names the centre's team leads from the first minute.
      const t0 = performance.now();
      const res = await register(a.base, agent, complaint('省公司转办：多次停电无人处理', 'province'));
      assert.equal(res.status, 201);
      const demand = (await res.json()) as { id: number; number: string };
      const event = await stream.waitFor((e) => e.data.demandId === demand.id, 5_000);
      assert.equal(event.data.kind, 'over_level');
      assert.equal(event.data.title, `越级诉求 ${demand.number}`);
      say(t, `registered on A, the event reached the stream on B ${Math.round(event.at - t0)} ms after the request was sent`);

      // Ids are handed out when a row is inserted, rows are seen when their transaction commits: on PostgreSQL
      // the two orders differ. A registration citing an article the test holds locked stops after writing its
      // notices, with its transaction open, while a later registration's notices (higher ids) commit and are streamed.
      const article = await publishedArticle();
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM articles WHERE id = $1 FOR UPDATE', [article]);
      const slow = register(a.base, agent, JSON.stringify({ ...JSON.parse(complaint('省公司转办：引用知识的来电', 'province')), articleIds: [article] }));
      await until('the slow registration waits with its notices written', 10_000, async () => {
        const { rows } = await pool.query(
          `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock' AND query ILIKE '%demand_articles%'`,
          [a.app],
        );
        return rows.length > 0;
      });
      const quick = await register(b.base, agent, complaint('媒体转办：后到先提交', 'media'));
      assert.equal(quick.status, 201);
      const quickId = ((await quick.json()) as { id: number }).id;
      const quickEvent = await stream.waitFor((e) => e.data.demandId === quickId, 5_000);
      await blocker.query('ROLLBACK');
      const slowRes = await slow;
      assert.equal(slowRes.status, 201);
      const slowId = ((await slowRes.json()) as { id: number }).id;
      const { rows: ids } = await pool.query<{ id: number }>(
        `SELECT n.id FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.demand_id = $1 AND u.username = 'team_lead'`,
        [slowId],
      );
      assert.ok(ids[0]!.id < quickEvent.id, `the slow one's notice has the lower id (${ids[0]!.id} < ${quickEvent.id})`);
      const late = await stream.waitFor((e) => e.data.demandId === slowId, 5_000);
      say(t, `notice ${late.id}, committed after notice ${quickEvent.id} had been streamed, reached the stream too`);
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
      stream.close();
    }
  });

  test(
    'the scheduler fires each warning once across both servers, also when its lock holder is SIGKILLed in the middle of a pass',
    { timeout: 40_000 },
    async (t) => {
      const holderApp = await until('one server holds the scheduler lock', 5_000, lockHolder);
      const [victim, survivor] = holderApp === server('a').app ? [server('a'), server('b')] : [server('b'), server('a')];
      say(t, `lock holder: ${victim.app}`);

      // Complaints registered through both servers; each starts a 'contact' and an 'answer' deadline, hours away.
      const perServer = new Map<string, number>();
      const sessions = await Promise.all(['agent.01', 'agent.02', 'agent.03', 'agent.04'].map((u, i) => login((i % 2 ? survivor : victim).base, u)));
      const demandIds: number[] = [];
      await Promise.all(
        sessions.map(async (session, c) => {
          const target = c % 2 ? survivor : victim;
          for (let i = c; i < DUE_WARNINGS; i += sessions.length) {
            const res = await register(target.base, session, complaint(`到期预警 ${i}`));
            assert.equal(res.status, 201);
            demandIds.push(((await res.json()) as { id: number }).id);
            perServer.set(target.app, (perServer.get(target.app) ?? 0) + 1);
          }
        }),
      );
      say(t, `demands registered: ${[...perServer].map(([app, n]) => `${n} on ${app}`).join(', ')}`);
      const { rows: due } = await pool.query<{ id: number; demand_id: number }>(
        `SELECT id, demand_id FROM deadlines WHERE step = 'contact' AND demand_id = ANY($1) ORDER BY id`,
        [demandIds],
      );
      assert.equal(due.length, DUE_WARNINGS);
      const middle = due[DUE_WARNINGS / 2]!;

      // Hold the middle demand's row: the pass's transaction that warns it claims the deadline, then waits
      // on the timeline's foreign key, open, until this transaction ends. That is where the holder dies.
      const blocker = new pg.Client({ connectionString: scratch.url, application_name: 'suqiu-test-blocker' });
      await blocker.connect();
      let killedAt = '';
      let restarted: Promise<number> | undefined;
      try {
        await blocker.query('BEGIN');
        await blocker.query('SELECT id FROM demands WHERE id = $1 FOR UPDATE', [middle.demand_id]);
        // Due a minute ago, one millisecond apart: the pass takes them in this order.
        const past = Date.now() - 60_000;
        await pool.query(`UPDATE deadlines d SET warn_at = v.warn_at FROM unnest($1::int[], $2::text[]) AS v(id, warn_at) WHERE d.id = v.id`, [
          due.map((d) => d.id),
          due.map((_, i) => new Date(past + i).toISOString()),
        ]);
        const passStarted = performance.now();

        const stuck = await until('the holder’s pass waits inside its transaction', 10_000, async () => {
          const { rows } = await pool.query<{ pid: number; state: string; wait_event_type: string; xact_start: Date; query: string }>(
            `SELECT pid, state, wait_event_type, xact_start, query FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
            [victim.app],
          );
          return rows[0];
        });
        const warnedBefore = Number(
          (await pool.query(`SELECT count(*) AS n FROM deadlines WHERE id = ANY($1) AND warned_at IS NOT NULL`, [due.map((d) => d.id)])).rows[0].n,
        );
        killedAt = new Date().toISOString();
        victim.child.kill('SIGKILL');
        const killTime = performance.now();
        await victim.exited;
        say(
          t,
          `SIGKILL ${victim.app} ${Math.round(killTime - passStarted)} ms after the deadlines came due, ${warnedBefore} of ${DUE_WARNINGS} warnings committed; its backend ${stuck.pid} was ${stuck.state} in a transaction open for ${Date.now() - stuck.xact_start.getTime()} ms, waiting on: ${stuck.query.slice(0, 60)}`,
        );
        assert.ok(warnedBefore > 0 && warnedBefore < DUE_WARNINGS, `the kill fell in the middle of the pass (${warnedBefore} warned)`);
        assert.match(stuck.query, /insert into "?timeline"?/i, 'the holder died with the middle warning claimed but not committed');

        // Survivor takes the lock once the dead process's lock connection is gone.
        await until('the survivor takes the scheduler lock', 10_000, async () => (await lockHolder()) === survivor.app);
        say(t, `takeover: ${survivor.app} holds the lock ${Math.round(performance.now() - killTime)} ms after the kill`);
        // The killed server comes back while the survivor finishes the pass (it must then stay a follower).
        const t0 = performance.now();
        restarted = start(victim.name as 'a' | 'b', victim.port).then(() => performance.now() - t0);
        restarted.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
      } finally {
        // The dead server's backend finishes its statement, finds its client gone, and rolls back.
        await blocker.query('ROLLBACK').catch(() => undefined);
        await blocker.end();
      }
      await until(
        'every due warning fired',
        15_000,
        async () =>
          Number((await pool.query(`SELECT count(*) AS n FROM deadlines WHERE id = ANY($1) AND warned_at IS NULL`, [due.map((d) => d.id)])).rows[0].n) === 0,
      );

      const timeline = await pool.query<{ demand_id: number; n: string }>(
        `SELECT demand_id, count(*) AS n FROM timeline WHERE kind = 'deadline.warning' AND demand_id = ANY($1) GROUP BY demand_id`,
        [demandIds],
      );
      const notices = await pool.query<{ demand_id: number; n: string }>(
        `SELECT demand_id, count(*) AS n FROM notifications WHERE kind = 'warning' AND demand_id = ANY($1) GROUP BY demand_id`,
        [demandIds],
      );
      const timelineOf = new Map(timeline.rows.map((r) => [r.demand_id, Number(r.n)]));
      const noticesOf = new Map(notices.rows.map((r) => [r.demand_id, Number(r.n)]));
      for (const d of due) {
        assert.equal(timelineOf.get(d.demand_id), 1, `demand ${d.demand_id}: one warning on its timeline`);
        // The handlers of the unit and the registering agent.
        assert.equal(noticesOf.get(d.demand_id), 2, `demand ${d.demand_id}: two warning notifications`);
      }
      const { rows: middleRow } = await pool.query<{ warned_at: string }>('SELECT warned_at FROM deadlines WHERE id = $1', [middle.id]);
      assert.ok(middleRow[0]!.warned_at > killedAt, 'the warning the dead holder had claimed was fired again, after the kill, by the survivor');
      assert.equal(await lockHolder(), survivor.app);

      const restartMs = await restarted!;
      await new Promise((r) => setTimeout(r, 1_500));
      assert.equal(await lockHolder(), survivor.app, 'the restarted server does not take the lock from the holder');
      say(t, `${victim.app} restarted in ${(restartMs / 1000).toFixed(1)} s and waits as a follower`);
      // Its first registration loads the word segmenter; the load test should not measure that.
      assert.equal((await register(servers.get(victim.name)!.base, sessions[0]!, complaint('预热'))).status, 201);
    },
  );

  test('the database ending every connection of both servers (a restart, a failover) stops neither: the lock is taken again', async (t) => {
    const before = await until('a scheduler lock holder', 5_000, lockHolder);
    const t0 = performance.now();
    const { rows } = await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name IN ($1, $2)`, [
      server('a').app,
      server('b').app,
    ]);
    const after = await until('the lock held again', 10_000, lockHolder);
    say(t, `${rows.length} connections ended; the lock was ${before}'s, ${after} holds it again after ${Math.round(performance.now() - t0)} ms`);
    for (const s of servers.values()) {
      assert.equal(s.child.exitCode, null, `${s.app} still running:\n${s.output().slice(-2000)}`);
      assert.equal((await fetch(`${s.base}/readyz`)).status, 200);
    }
  });

  test(
    'a server SIGKILLed under load: every 201 is in the database once, retries with the same key on the other create nothing twice, no notification is lost',
    { timeout: 40_000 },
    async (t) => {
      const victim = server('a');
      const survivor = server('b');
      const run = Date.now().toString(36);
      const lead = await login(survivor.base, 'team_lead');
      const leadId = Number((await pool.query(`SELECT id FROM users WHERE username = 'team_lead'`)).rows[0].id);
      const stream = await openEventStream(survivor.base, lead);
      const startId = Number((await pool.query('SELECT coalesce(max(id), 0) AS id FROM notifications')).rows[0].id);

      interface Sent {
        key: string;
        body: string;
        session: Session;
        answer?: { id: number; number: string; replayed: boolean; by: string };
        lostAnswers: number;
      }
      const clients = 6;
      const agents = ['agent', 'agent.05', 'agent.06', 'agent.07', 'agent.08', 'agent.01'];
      const sessions = await Promise.all(agents.map((u, c) => login((c % 2 ? survivor : victim).base, u)));
      const sent: Sent[] = [];
      let stop = false;
      let killed = false;
      let killTime = 0;
      const loadStarted = performance.now();
      const answeredBy = new Map<string, number>();

      const loops = sessions.map(async (session, c) => {
        let target: Server = c % 2 ? survivor : victim;
        for (let i = 0; !stop; i++) {
          // Every fourth over-level: each names the team leads, whose stream is on the survivor.
          const s: Sent = { key: `tw-${run}-${c}-${i}`, body: complaint(`负载 ${c}-${i}`, i % 4 === 0 ? 'province' : 'phone'), session, lostAnswers: 0 };
          sent.push(s);
          for (;;) {
            try {
              const res = await register(target.base, session, s.body, s.key);
              const text = await res.text();
              if (res.status === 201) {
                const demand = JSON.parse(text) as { id: number; number: string };
                s.answer = { id: demand.id, number: demand.number, replayed: res.headers.get('idempotent-replayed') === 'true', by: target.app };
                answeredBy.set(target.app, (answeredBy.get(target.app) ?? 0) + 1);
                break;
              }
              throw new Error(`${s.key}: ${res.status} ${text.slice(0, 200)}`);
            } catch (err) {
              if (!killed || target === survivor) throw err;
              // The answer never came: the same request, the same key, to the server still up.
              s.lostAnswers++;
              target = survivor;
            }
          }
        }
      });
      const killer = (async () => {
        await new Promise((r) => setTimeout(r, 1_500 + Math.random() * 50));
        killed = true;
        killTime = performance.now();
        victim.child.kill('SIGKILL');
        await victim.exited;
        await new Promise((r) => setTimeout(r, 1_500));
        stop = true;
      })();
      await Promise.all([killer, ...loops]);
      const loadSeconds = (performance.now() - loadStarted) / 1000;

      // Sent again after their 201 (a client that never saw it would): the same demand, replayed.
      const resent = sent.filter((_, i) => i % 10 === 3);
      for (const s of resent) {
        const res = await register(survivor.base, s.session, s.body, s.key);
        assert.equal(res.status, 201);
        assert.equal(res.headers.get('idempotent-replayed'), 'true', `${s.key} replayed`);
        assert.equal(((await res.json()) as { id: number }).id, s.answer!.id);
      }

      const { rows } = await pool.query<{ id: number; number: string; key: string }>(
        `SELECT id, number, idempotency_key AS key FROM demands WHERE idempotency_key LIKE $1`,
        [`%:tw-${run}-%`],
      );
      const tally = (values: string[]) => values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>());
      const byNumber = tally(rows.map((r) => r.number));
      // Stored as `<user id>:<key>`.
      const byKey = tally(rows.map((r) => r.key.slice(r.key.indexOf(':') + 1)));
      for (const s of sent) {
        assert.ok(s.answer, `${s.key} answered 201 in the end`);
        assert.equal(byNumber.get(s.answer.number), 1, `${s.key}: demand ${s.answer.number} in the database once`);
        assert.equal(byKey.get(s.key), 1, `${s.key}: one demand for the key`);
      }
      assert.equal(rows.length, sent.length, 'no demand beyond the requests sent');
      const lost = sent.filter((s) => s.lostAnswers > 0);
      // An answer lost with its demand committed on the dead server comes back as a replay of that demand.
      const committedUnanswered = lost.filter((s) => s.answer!.replayed).length;
      say(
        t,
        `load ${loadSeconds.toFixed(1)} s, ${clients} clients; SIGKILL ${victim.app} at ${((killTime - loadStarted) / 1000).toFixed(2)} s; 201s: ${[...answeredBy].map(([app, n]) => `${n} from ${app}`).join(', ')}`,
      );
      say(
        t,
        `${lost.length} answers lost in the kill, sent again to ${survivor.app}: ${committedUnanswered} had been committed (replayed), ${lost.length - committedUnanswered} made anew; ${resent.length} answered requests sent again, all replays`,
      );

      // The team lead's stream on the survivor carried every over-level notice, from both servers, once.
      const { rows: expected } = await pool.query<{ id: number }>('SELECT id FROM notifications WHERE id > $1 AND user_id = $2 ORDER BY id', [startId, leadId]);
      const missing = () => expected.filter((n) => !stream.events.some((e) => e.id === n.id)).map((n) => n.id);
      await until('every notice on the stream', 5_000, async () => missing().length === 0).catch(() => undefined);
      stream.close();
      assert.deepEqual(missing(), [], 'notices in the database never streamed');
      const received = stream.events.filter((e) => e.id > startId).map((e) => e.id);
      assert.equal(new Set(received).size, received.length, 'no notice twice on the stream');
      say(t, `${expected.length} over-level notices for the team lead, all on the stream on ${survivor.app}`);
    },
  );
});
