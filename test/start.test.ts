import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// What `npm start` does after building: the server on a fresh data folder
// migrates, loads the demo city, prints the URL and the logins, and serves.

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

test('a first start on an empty folder creates the database, prints the logins and answers', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'suqiu-start-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { ...process.env, SUQIU_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  try {
    const deadline = Date.now() + 60_000;
    while (!output.includes('demo logins') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    assert.match(output, new RegExp(`http://localhost:${port}`));
    assert.match(output, /demo logins \(password "suqiu-demo"\): admin, agent, team_lead, expert, handler, kb_editor, kb_reviewer, account_manager, analyst/);
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'team_lead', password: 'suqiu-demo' }),
    });
    assert.equal(login.status, 200);
    const ready = await (await fetch(`http://127.0.0.1:${port}/readyz`)).json();
    assert.deepEqual(ready, { status: 'ready', database: 'sqlite' });
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
  assert.equal(child.exitCode, 0, 'SIGTERM shuts down cleanly');
});
