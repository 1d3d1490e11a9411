import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import type { Database } from '../../src/server/db/database.js';
import type { App } from '../../src/server/platform/context.js';
import { seedDemo } from '../../src/server/modules/demo/seed.js';
import type { TestDatabase } from './databases.js';

// fastify/demo's pattern: build the real app on a real database and inject
// requests into it, signed in as a demo user.

export const DEMO_PASSWORD = 'suqiu-demo';

export interface TestApp {
  app: App;
  database: Database;
  config: Config;
  /** A client signed in as `username` (a demo user unless a password is given). */
  login(username: string, password?: string): Promise<Client>;
  anonymous(): Client;
  close(): Promise<void>;
}

export interface StartOptions {
  seed?: boolean;
  customers?: number;
  clock?: () => Date;
  logStream?: Writable;
  /** Load the demo knowledge base (64 published articles) too. */
  knowledge?: boolean;
}

export async function startTestApp(target: TestDatabase, options: StartOptions = {}): Promise<TestApp> {
  const { database, cleanup } = await target.open();
  const config = { ...loadConfig({ SUQIU_DATA_DIR: mkdtempSync(join(tmpdir(), 'suqiu-data-')) }), webDir: join(process.cwd(), 'dist/web') };
  if (options.seed !== false) await seedDemo(database, { customers: options.customers ?? 50, password: DEMO_PASSWORD, ...(options.knowledge && { knowledge: { dataDir: config.dataDir } }) });
  const app = await buildApp({
    config,
    database,
    ...(options.clock && { clock: options.clock }),
    logLevel: options.logStream ? 'info' : 'silent',
    ...(options.logStream && { logStream: options.logStream }),
  });
  await app.ready();
  return {
    app,
    database,
    config,
    anonymous: () => new Client(app),
    async login(username, password = DEMO_PASSWORD) {
      const client = new Client(app);
      const res = await client.post('/api/auth/login', { username, password });
      if (res.statusCode !== 200) throw new Error(`login as ${username} failed: ${res.statusCode} ${res.body}`);
      return client;
    },
    async close() {
      await app.close();
      await cleanup();
    },
  };
}

/** Keeps the cookies a browser would, and sends the CSRF header as the web client does. */
export class Client {
  readonly cookies = new Map<string, string>();
  bearer: string | undefined;
  constructor(private readonly app: App) {}

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined) };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const csrf = this.cookies.get('csrf_token');
    if (csrf && options.method !== 'GET' && headers['x-csrf-token'] === undefined) headers['x-csrf-token'] = csrf;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const res = await this.app.inject({ ...options, headers });
    for (const c of res.cookies as { name: string; value: string; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() <= Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  get(url: string) {
    return this.request({ method: 'GET', url });
  }
  post(url: string, body?: unknown) {
    return this.request({ method: 'POST', url, ...(body !== undefined && { payload: body as object }) });
  }
  patch(url: string, body?: unknown) {
    return this.request({ method: 'PATCH', url, ...(body !== undefined && { payload: body as object }) });
  }
  put(url: string, body?: unknown) {
    return this.request({ method: 'PUT', url, ...(body !== undefined && { payload: body as object }) });
  }
}

/** A unit's id by its code in the demo city. */
export async function unitId(database: Database, code: string): Promise<number> {
  return (await database.db.selectFrom('units').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}

export async function userId(database: Database, username: string): Promise<number> {
  return (await database.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
}
