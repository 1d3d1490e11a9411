import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// What `npm start` does after building: the server on a fresh data folder
// listens at once, migrates and loads the demo city while /healthz answers and
// /readyz says which, then prints the URL and the logins, and serves.

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Answer {
  status: number;
  retryAfter: string | null;
  body: Record<string, unknown>;
}

async function get(url: string, init?: RequestInit): Promise<Answer> {
  const res = await fetch(url, init);
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Record<string, unknown> };
}

test('a first start on an empty folder answers at once, is not ready while it migrates and loads the demo city, then prints the logins and serves', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'suqiu-start-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { ...process.env, SUQIU_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  try {
    // Every phase /readyz names, in order; what the API and /metrics answered meanwhile.
    const phases: string[] = [];
    const health: number[] = [];
    const notReady: { api?: Answer; login?: Answer; metrics?: number } = {};
    let listening = false;
    const deadline = Date.now() + 60_000;
    for (;;) {
      assert.ok(Date.now() < deadline, `not ready within 60 s:\n${output}`);
      assert.equal(child.exitCode, null, `the server exited while starting:\n${output}`);
      let ready: Answer;
      try {
        health.push((await fetch(`${base}/healthz`)).status);
        listening = true;
        ready = await get(`${base}/readyz`);
      } catch (err) {
        assert.ok(!listening, `the server stopped answering while starting: ${String(err)}`);
        await new Promise((r) => setTimeout(r, 25));
        continue;
      }
      if (ready.status === 200) {
        assert.deepEqual(ready.body, { status: 'ready', database: 'sqlite' });
        break;
      }
      assert.equal(ready.status, 503);
      assert.equal(ready.body.status, 'starting');
      assert.equal(ready.body.database, 'sqlite');
      const phase = String(ready.body.phase);
      if (phases.at(-1) !== phase) phases.push(phase);
      if (phase === 'seeding' && notReady.api === undefined) {
        notReady.api = await get(`${base}/api/me`);
        notReady.login = await get(`${base}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'team_lead', password: 'suqiu-demo' }),
        });
        notReady.metrics = (await fetch(`${base}/metrics`)).status;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.deepEqual(phases, ['migrating', 'seeding']);
    assert.ok(health.length > phases.length && health.every((s) => s === 200), `/healthz answered ${health.join(', ')}`);
    for (const answer of [notReady.api!, notReady.login!]) {
      assert.equal(answer.status, 503);
      assert.equal(answer.retryAfter, '5');
      assert.deepEqual(Object.keys(answer.body).sort(), ['error', 'message', 'requestId', 'statusCode']);
      assert.equal(answer.body.statusCode, 503);
      assert.equal(answer.body.error, 'unavailable');
      assert.match(String(answer.body.message), /starting: loading the demo data/);
    }
    assert.equal(notReady.metrics, 503);

    while (!output.includes('demo logins') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    assert.match(output, new RegExp(`http://localhost:${port}`));
    assert.match(output, /demo logins \(password "suqiu-demo"\): admin, agent, team_lead, expert, handler, kb_editor, kb_reviewer, account_manager, analyst/);
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'team_lead', password: 'suqiu-demo' }),
    });
    assert.equal(login.status, 200);
    assert.equal((await fetch(`${base}/metrics`)).status, 200);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  assert.equal(child.exitCode, 0, 'SIGTERM shuts down cleanly');
});
