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
import { runSchedulerPass } from '../../src/server/scheduler.js';
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
  /** Settings of the test's own (e.g. a short request timeout). */
  config?: Partial<Config>;
}

export async function startTestApp(target: TestDatabase, options: StartOptions = {}): Promise<TestApp> {
  const { database, cleanup } = await target.open();
  const config = {
    ...loadConfig({ SUQIU_DATA_DIR: mkdtempSync(join(tmpdir(), 'suqiu-data-')) }),
    // SUQIU_TEST_WEB_DIR: a web build of one's own, when several people build dist/web at once.
    webDir: process.env.SUQIU_TEST_WEB_DIR ?? join(process.cwd(), 'dist/web'),
    ...options.config,
  };
  // One clock for the app, its demo data and the test client's cookie jar:
  // a test that sets the app's clock must never meet the real date anywhere.
  const clock = options.clock ?? (() => new Date());
  const now = () => clock().toISOString();
  if (options.seed !== false)
    await seedDemo(database, {
      customers: options.customers ?? 50,
      password: DEMO_PASSWORD,
      now,
      timeZone: config.timeZone,
      ...(options.knowledge && { knowledge: { dataDir: config.dataDir } }),
    });
  const app = await buildApp({
    config,
    database,
    clock,
    logLevel: options.logStream ? 'info' : 'silent',
    ...(options.logStream && { logStream: options.logStream }),
  });
  await app.ready();
  return {
    app,
    database,
    config,
    anonymous: () => new Client(app, clock),
    async login(username, password = DEMO_PASSWORD) {
      const client = new Client(app, clock);
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

/**
 * Keeps the cookies a browser would, and sends the CSRF header as the web client does.
 *
 * A cookie's expiry is judged by the app's clock, never the real one: the
 * tests run the app at fixed dates, and a browser's clock is the app's clock
 * in production. A jar on the real date threw every session away once the
 * real date passed the test dates (issue 19).
 */
export class Client {
  private readonly jar = new Map<string, { value: string; expires: Date | undefined }>();
  bearer: string | undefined;
  /** The client's network address as the server sees it (127.0.0.1 when unset). */
  address: string | undefined;
  constructor(
    private readonly app: App,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The cookies the client would send now, by name. */
  get cookies(): ReadonlyMap<string, string> {
    const now = this.clock().getTime();
    const live = new Map<string, string>();
    for (const [name, c] of this.jar) if (!c.expires || c.expires.getTime() > now) live.set(name, c.value);
    return live;
  }

  /** Sets a cookie as if the server had (a stolen or crafted one, in the security tests). */
  setCookie(name: string, value: string): void {
    this.jar.set(name, { value, expires: undefined });
  }

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined) };
    const cookies = this.cookies;
    if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const csrf = cookies.get('csrf_token');
    if (csrf && options.method !== 'GET' && headers['x-csrf-token'] === undefined) headers['x-csrf-token'] = csrf;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const res = await this.app.inject({ ...options, headers, ...(this.address && { remoteAddress: this.address }) });
    const now = this.clock().getTime();
    for (const c of res.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      const expires = c.maxAge !== undefined ? new Date(now + c.maxAge * 1000) : c.expires;
      if (c.value === '' || (expires && expires.getTime() <= now)) this.jar.delete(c.name);
      else this.jar.set(c.name, { value: c.value, expires });
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

/**
 * A scheduler pass, reported without its monthly parts (the transfer batch and
 * the meetings' action items) and the outages' (starts, suspicions, progress
 * messages): the first pass on a fixed clock also makes the previous month's
 * transfer batch, which the demand and expert-seat tests do not look at. The
 * management loop's and the outages' tests read the whole report.
 */
export async function timersPass(db: Database['db'], at: Date) {
  const {
    transferBatches: _batches,
    actionItemNotices: _notices,
    outagesStarted: _started,
    suspectedOutages: _suspected,
    progressMessages: _progress,
    planActionNotices: _planActionNotices,
    plansProposed: _plansProposed,
    applicationReminders: _applicationReminders,
    applicationEscalations: _applicationEscalations,
    rollupDays: _rollupDays,
    termRollupDays: _termRollupDays,
    ...timers
  } = await runSchedulerPass(db, at);
  return timers;
}
