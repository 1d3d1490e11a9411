import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';

// Real server processes (`node --import tsx src/server/main.ts`) for the tests
// that need more than one app, or a process to kill, and the plain HTTP a
// browser would send them: cookies, the CSRF header, an event stream.

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A database of the test's own on the server of `url`. Not a schema: the
 * scheduler's advisory lock is per database, and the servers under test must
 * not meet the lock of another test's apps.
 */
export async function scratchDatabase(url: string): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `suqiu_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      // FORCE: a killed server's backend may still be finishing.
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface ServerProcess {
  name: string;
  base: string;
  child: ChildProcess;
  /** What the process wrote to stdout and stderr. */
  output(): string;
  /** Resolves once the process has exited. */
  exited: Promise<void>;
}

/** Starts the server as `npm run dev` would and waits until /readyz answers. */
export async function startServer(options: { name: string; port: number; env: Record<string, string> }): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(options.port), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server ${options.name} exited while starting:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server ${options.name} not ready within 60 s:\n${output}`);
    }
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { name: options.name, base, child, output: () => output, exited };
}

export async function stopServer(server: ServerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  await server.exited;
}

/** A signed-in browser: the cookies the login set and the CSRF header they call for. */
export interface Session {
  username: string;
  cookie: string;
  csrf: string;
}

export async function login(base: string, username: string, password = 'suqiu-demo'): Promise<Session> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login as ${username}: ${res.status} ${await res.text()}`);
  const pairs = res.headers.getSetCookie().map((c) => c.split(';', 1)[0]!);
  const csrf = pairs.find((p) => p.startsWith('csrf_token='))?.slice('csrf_token='.length);
  if (!csrf) throw new Error(`login as ${username}: no csrf_token cookie`);
  return { username, cookie: pairs.join('; '), csrf };
}

export function sessionHeaders(session: Session, extra: Record<string, string> = {}): Record<string, string> {
  return { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json', ...extra };
}

export interface StreamEvent {
  id: number;
  data: { id: number; kind: string; demandId: number | null; title: string };
  /** performance.now() when it arrived. */
  at: number;
}

export interface EventStream {
  events: StreamEvent[];
  /** Resolves when an event matching `match` has arrived (rejects after `ms`). */
  waitFor(match: (e: StreamEvent) => boolean, ms: number): Promise<StreamEvent>;
  close(): void;
  /** Set when the connection ended (a killed server, or close()). */
  ended: boolean;
}

/** GET /api/notifications/stream as EventSource would; resolves once the server has answered with its headers (subscribed). */
export async function openEventStream(base: string, session: Session): Promise<EventStream> {
  const abort = new AbortController();
  const res = await fetch(`${base}/api/notifications/stream`, { headers: { cookie: session.cookie, accept: 'text/event-stream' }, signal: abort.signal });
  if (res.status !== 200 || !res.body) throw new Error(`event stream: ${res.status}`);
  const stream: EventStream = {
    events: [],
    ended: false,
    close: () => abort.abort(),
    async waitFor(match, ms) {
      const deadline = performance.now() + ms;
      for (;;) {
        const found = stream.events.find(match);
        if (found) return found;
        if (performance.now() > deadline) throw new Error(`no matching event within ${ms} ms (${stream.events.length} events)`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map(
            block
              .split('\n')
              .filter((l) => !l.startsWith(':'))
              .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()]),
          );
          if (fields.get('event') === 'notification')
            stream.events.push({ id: Number(fields.get('id')), data: JSON.parse(fields.get('data')!), at: performance.now() });
        }
      }
    } catch {
      // aborted, or the server went away
    } finally {
      stream.ended = true;
    }
  })();
  return stream;
}
