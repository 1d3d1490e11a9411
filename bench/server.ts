import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import type { Database } from '../src/server/db/database.js';
import { DEMO_PASSWORD } from './dataset.js';

// The real server, as main.ts builds it, listening on a free loopback port.
// It logs at info, as deployed, into /dev/null instead of stdout.

export interface RunningServer {
  port: number;
  /** The headers of a browser signed in as `username`: its cookies and the CSRF header. */
  login(username: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export async function startServer(database: Database, options: { logLevel?: string } = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'suqiu-bench-data-'));
  const config = { ...loadConfig({ SUQIU_DATA_DIR: dataDir }), schedulerIntervalSeconds: 0 };
  const logStream = pino.destination({ dest: '/dev/null', sync: true }) as unknown as NodeJS.WritableStream;
  const app = await buildApp({ config, database, logLevel: options.logLevel ?? 'info', logStream });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  return {
    port,
    login: (username) => login(port, username),
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function login(port: number, username: string, password = DEMO_PASSWORD): Promise<Record<string, string>> {
  const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login as ${username}: ${res.status} ${await res.text()}`);
  const cookies = new Map(
    res.headers.getSetCookie().map((c) => {
      const pair = c.split(';', 1)[0]!;
      return [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const;
    }),
  );
  return { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': cookies.get('csrf_token') ?? '' };
}
