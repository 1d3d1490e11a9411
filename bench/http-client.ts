import { connect, type Socket } from 'node:net';
import { mulberry32 } from '../src/server/modules/demo/random.js';

// A load generator small enough to read: keep-alive HTTP/1.1 over raw
// sockets on loopback, one request in flight per connection, latency of each
// answer in microseconds. It costs a fraction of what node:http or fetch cost
// per request, so on two cores it does not cap the server it measures (a
// capped baseline would flatter the ratio). It runs in a child process
// (load-worker.ts), so the server keeps a core of its own.

export interface DemandCustomer {
  accountNo: string;
  phone: string;
  name: string;
}

export type Requests =
  /** POST /api/demands: a fault repair or a complaint of a random customer, each with a fresh Idempotency-Key. */
  | { kind: 'create-demand'; path: string; customers: DemandCustomer[]; keyPrefix: string }
  /** GETs of these paths, in random order. */
  | { kind: 'get'; paths: string[] };

export interface LoadSpec {
  port: number;
  connections: number;
  /** Requests in the first `warmupMs` are not counted. */
  warmupMs: number;
  durationMs: number;
  headers: Record<string, string>;
  requests: Requests;
  seed: number;
}

export interface LoadResult {
  /** Answers counted (started after the warm-up, finished before the end). */
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Answers by HTTP status, warm-up included. */
  statuses: Record<string, number>;
  /** The first answer that was not 2xx, to say why. */
  firstError?: string;
  socketErrors: number;
}

interface Answer {
  status: number;
  body: Buffer;
}

/** One keep-alive connection; answers must carry Content-Length (Fastify's do). */
class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (a: Answer) => void; reject: (e: Error) => void } | undefined;
  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (err: Error) => {
      this.waiting?.reject(err);
      this.waiting = undefined;
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  static open(port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1' });
      socket.once('connect', () => resolve(new Connection(socket)));
      socket.once('error', reject);
    });
  }

  get closed(): boolean {
    return this.socket.destroyed;
  }

  send(request: Buffer): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const headEnd = this.buffer.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.buffer.toString('latin1', 0, headEnd);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!length) {
      this.waiting?.reject(new Error(`an answer without Content-Length: ${head.split('\r\n', 1)[0]}`));
      this.socket.destroy();
      return;
    }
    const end = headEnd + 4 + Number(length[1]);
    if (this.buffer.length < end) return;
    const answer = { status: Number(head.slice(9, 12)), body: this.buffer.subarray(headEnd + 4, end) };
    this.buffer = this.buffer.subarray(end);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve(answer);
  }
}

const CONTENT = ['家中停电，全户无电，请尽快派人处理。', '整栋楼停电，邻居家也没有电。', '抢修人员迟迟未到，要求投诉。', '工作人员态度恶劣，要求投诉。'];

/** The request bytes, made fresh for each request (a new body, a new key). */
function requestMaker(spec: LoadSpec): () => Buffer {
  const random = mulberry32(spec.seed);
  const fixed = Object.entries({ host: '127.0.0.1', ...spec.headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const r = spec.requests;
  if (r.kind === 'get') {
    return () => Buffer.from(`GET ${r.paths[Math.floor(random() * r.paths.length)]} HTTP/1.1\r\n${fixed}\r\n`, 'latin1');
  }
  let n = 0;
  return () => {
    const customer = r.customers[Math.floor(random() * r.customers.length)]!;
    const repair = random() < 0.7;
    const body = demandBody(customer, repair, CONTENT[Math.floor(random() * CONTENT.length)]!);
    const bytes = Buffer.from(body);
    const head = `POST ${r.path} HTTP/1.1\r\n${fixed}content-type: application/json\r\ncontent-length: ${bytes.length}\r\nidempotency-key: ${r.keyPrefix}-${++n}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), bytes]);
  };
}

/** The body of a POST /api/demands the load tools send: a repair, or a service complaint. */
export function demandBody(customer: DemandCustomer, repair: boolean, content: string): string {
  return JSON.stringify({
    channel: 'phone',
    type: repair ? 'fault_repair' : 'complaint',
    category: repair ? 'outage_voltage' : 'supply_service',
    ...(repair ? {} : { subcategory: 'service_complaint' }),
    customer: { accountNo: customer.accountNo, name: customer.name, phone: customer.phone },
    content,
  });
}

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Keeps `connections` requests in flight for warm-up plus duration, and measures the answers. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const next = requestMaker(spec);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let firstError: string | undefined;
  let socketErrors = 0;
  const t0 = performance.now();
  const measureFrom = t0 + spec.warmupMs;
  const stopAt = measureFrom + spec.durationMs;

  async function client(): Promise<void> {
    let connection: Connection | undefined;
    while (performance.now() < stopAt) {
      try {
        if (!connection || connection.closed) connection = await Connection.open(spec.port);
        const request = next();
        const started = performance.now();
        const answer = await connection.send(request);
        const done = performance.now();
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        if (answer.status >= 300 && firstError === undefined) firstError = `${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`;
        if (started >= measureFrom && done <= stopAt) latencies.push(done - started);
      } catch {
        socketErrors++;
        connection?.close();
        connection = undefined;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    connection?.close();
  }
  await Promise.all(Array.from({ length: spec.connections }, client));

  const sorted = Float64Array.from(latencies).sort();
  const seconds = spec.durationMs / 1000;
  return {
    count: sorted.length,
    seconds,
    perSecond: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : NaN,
    statuses,
    ...(firstError !== undefined && { firstError }),
    socketErrors,
  };
}
