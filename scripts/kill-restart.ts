#!/usr/bin/env node
// `npm run kill-test`: nothing answered 201 is lost, nothing is registered twice.
//
// Starts the real server (node --import tsx src/server/main.ts) on a fresh
// SQLite data folder and a free port, has several agents register demands
// concurrently, each request with its own Idempotency-Key, SIGKILLs the
// server in the middle of the load, starts it again on the same data, and has
// every request whose answer was lost sent again with the same key. Then it
// reads the database: every demand answered 201 is there exactly once, no key
// made two demands, and the demands of the run are exactly the keys
// acknowledged. Exits 1 on any loss or duplicate.
//
//   --clients 8  --requests 400 (in all)  --kills 3  --keep (leave the data folder)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { demandBody } from '../bench/http-client.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '8' },
    requests: { type: 'string', default: '400' },
    kills: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const clients = Number(values.clients);
const total = Number(values.requests);
const kills = Number(values.kills);
if (![clients, total, kills].every((n) => Number.isInteger(n) && n >= 0) || clients < 1 || total < clients) {
  process.stderr.write('usage: kill-restart [--clients N] [--requests N (>= clients)] [--kills N] [--keep]\n');
  process.exit(2);
}

const dataDir = mkdtempSync(join(tmpdir(), 'suqiu-kill-'));
const started = performance.now();
const say = (message: string) => process.stdout.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}\n`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
let server: ChildProcess | undefined;

/** The real server, as `npm run dev` runs it, on the run's data folder. */
async function startServer(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SUQIU_DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      SUQIU_SCRYPT_LOG2N: process.env.SUQIU_SCRYPT_LOG2N ?? '10',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  server = child;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} while starting`);
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return performance.now() - t0;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function whenReady(): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return;
    } catch {
      // down, or coming back
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function login(username: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: process.env.SUQIU_DEMO_PASSWORD ?? 'suqiu-demo' }),
  });
  if (res.status !== 200) throw new Error(`login as ${username}: ${res.status} ${await res.text()}`);
  const pairs = res.headers.getSetCookie().map((c) => c.split(';', 1)[0]!);
  const csrf = pairs.find((p) => p.startsWith('csrf_token='))!.slice('csrf_token='.length);
  return { cookie: pairs.join('; '), 'x-csrf-token': csrf, 'content-type': 'application/json' };
}

interface Sent {
  key: string;
  username: string;
  phone: string;
  body: string;
  /** What the 201 said, once one came. */
  answer?: { id: number; number: string; replayed: boolean };
  attempts: number;
}

say(`data folder ${dataDir}, port ${port}: starting the server (first start loads the demo city)`);
say(`server ready in ${((await startServer()) / 1000).toFixed(1)} s`);

const customers = (() => {
  const db = new BetterSqlite3(join(dataDir, 'suqiu.db'), { readonly: true });
  try {
    return db.prepare('SELECT account_no AS accountNo, phone, name FROM customers ORDER BY id LIMIT 500').all() as {
      accountNo: string;
      phone: string;
      name: string;
    }[];
  } finally {
    db.close();
  }
})();
const agents = ['agent', ...Array.from({ length: 8 }, (_, i) => `agent.${String(i + 1).padStart(2, '0')}`)];
const sessions = new Map<string, Record<string, string>>();
for (const username of agents.slice(0, Math.min(clients, agents.length))) sessions.set(username, await login(username));

const run = Date.now().toString(36);
const plan: Sent[][] = Array.from({ length: clients }, (_, c) => {
  const username = agents[c % sessions.size]!;
  return Array.from({ length: Math.floor(total / clients) + (c < total % clients ? 1 : 0) }, (_, i) => {
    const customer = customers[(c * 7919 + i * 104729) % customers.length]!;
    const repair = (c + i) % 3 !== 0;
    const body = demandBody(customer, repair, `停电报修（kill-restart ${c}-${i}）`);
    return { key: `kr-${run}-${c}-${i}`, username, phone: customer.phone, body, attempts: 0 };
  });
});
const all = plan.flat();

let acknowledged = 0;
let lostAnswers = 0;
let otherFailures = 0;
const killAt = Array.from({ length: kills }, (_, k) => Math.floor(((k + 1) * total) / (kills + 2)));
const downtimes: number[] = [];
let restarting: Promise<void> | undefined;

/** SIGKILL in the middle of the load, then the same server on the same data. */
function maybeKill(): void {
  if (restarting || killAt.length === 0 || acknowledged < killAt[0]!) return;
  killAt.shift();
  const victim = server!;
  say(`SIGKILL after ${acknowledged} answers`);
  restarting = (async () => {
    // At a random moment of the server's work, not just after an answer: sometimes a demand is committed and its answer never sent.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
    const t0 = performance.now();
    victim.kill('SIGKILL');
    await new Promise((resolve) => (victim.exitCode !== null || victim.signalCode !== null ? resolve(null) : victim.once('exit', resolve)));
    await startServer();
    downtimes.push(performance.now() - t0);
    say(`server back after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    restarting = undefined;
  })();
}

async function send(s: Sent): Promise<void> {
  for (;;) {
    if (restarting) await restarting;
    s.attempts++;
    try {
      const res = await fetch(`${base}/api/demands`, {
        method: 'POST',
        headers: { ...sessions.get(s.username)!, 'idempotency-key': s.key },
        body: s.body,
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      if (res.status === 201) {
        const demand = JSON.parse(text) as { id: number; number: string };
        s.answer = { id: demand.id, number: demand.number, replayed: res.headers.get('idempotent-replayed') === 'true' };
        acknowledged++;
        maybeKill();
        return;
      }
      otherFailures++;
      say(`${s.key}: ${res.status} ${text.slice(0, 200)}; sending it again`);
    } catch {
      // The answer was lost (the server died under it): the same request, the same key, once the server is back.
      lostAnswers++;
      await whenReady();
    }
  }
}

await Promise.all(
  plan.map(async (requests) => {
    for (const s of requests) await send(s);
  }),
);
// A client that never saw its answer sends again: the same key gives the same demand, never a second one.
const resent = all.filter((_, i) => i % 10 === 3);
let replaysMatching = 0;
for (const s of resent) {
  const res = await fetch(`${base}/api/demands`, { method: 'POST', headers: { ...sessions.get(s.username)!, 'idempotency-key': s.key }, body: s.body });
  const demand = (await res.json()) as { id: number };
  if (res.status === 201 && res.headers.get('idempotent-replayed') === 'true' && demand.id === s.answer!.id) replaysMatching++;
}
say(`all ${all.length} requests answered 201, ${resent.length} of them sent once more; stopping the server`);
server!.kill('SIGTERM');
await new Promise((resolve) => (server!.exitCode !== null ? resolve(null) : server!.once('exit', resolve)));

// What the database holds.
const db = new BetterSqlite3(join(dataDir, 'suqiu.db'), { readonly: true });
const userIds = new Map((db.prepare('SELECT id, username FROM users').all() as { id: number; username: string }[]).map((u) => [u.username, u.id]));
const rows = db.prepare(`SELECT id, number, phone, idempotency_key AS key FROM demands WHERE idempotency_key LIKE ?`).all(`%:kr-${run}-%`) as {
  id: number;
  number: string;
  phone: string;
  key: string;
}[];
const duplicates = db
  .prepare(`SELECT idempotency_key AS key, count(*) AS n FROM demands WHERE idempotency_key LIKE ? GROUP BY idempotency_key HAVING count(*) > 1`)
  .all(`%:kr-${run}-%`) as { key: string; n: number }[];
db.close();

const byKey = new Map(rows.map((r) => [r.key, r]));
const problems: string[] = [];
for (const s of all) {
  const row = byKey.get(`${userIds.get(s.username)}:${s.key}`);
  if (!s.answer) problems.push(`${s.key}: never answered 201`);
  else if (!row) problems.push(`${s.key}: answered 201 (demand ${s.answer.id}) but not in the database`);
  else if (row.id !== s.answer.id || row.number !== s.answer.number || row.phone !== s.phone)
    problems.push(`${s.key}: answered demand ${s.answer.id} ${s.answer.number}, the database has ${row.id} ${row.number}`);
}
for (const d of duplicates) problems.push(`${d.key}: ${d.n} demands`);
const keys = new Set(all.filter((s) => s.answer).map((s) => s.key));
if (rows.length !== keys.size) problems.push(`${rows.length} demands in the database for ${keys.size} keys acknowledged`);

const line = (label: string, value: string | number) => process.stdout.write(`${label.padEnd(52)} ${value}\n`);
process.stdout.write('\n');
line('clients (agents) / requests', `${clients} / ${all.length}`);
line('SIGKILLs, restart time', `${downtimes.length}, ${downtimes.map((d) => `${(d / 1000).toFixed(1)} s`).join(', ') || '-'}`);
line('answers lost (sent again with the same key)', lostAnswers);
line('other failures (sent again)', otherFailures);
line('answers that were replays (idempotent-replayed)', all.filter((s) => s.answer?.replayed).length);
line('sent again after their 201: same demand, replayed', `${replaysMatching} of ${resent.length}`);
line('keys acknowledged 201', keys.size);
line('demands of the run in the database', rows.length);
line('keys with two or more demands', duplicates.length);
if (replaysMatching !== resent.length)
  problems.push(`${resent.length - replaysMatching} of ${resent.length} requests sent again were not replays of their demand`);
if (downtimes.length < kills) problems.push(`only ${downtimes.length} of ${kills} kills happened: too few requests`);
if (!values.keep) rmSync(dataDir, { recursive: true, force: true });
if (problems.length > 0) {
  process.stdout.write(`\nFAILED: ${problems.length} problems\n${problems.slice(0, 20).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write('\nno loss, no duplicate: every demand answered 201 is in the database once\n');
