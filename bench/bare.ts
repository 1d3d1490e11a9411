import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import pg from 'pg';
import { startCheckpointer } from '../src/server/db/checkpointer.js';
import { openSqlite } from '../src/server/db/database.js';
import type { BenchDatabase } from './target.js';

// The baseline of the intake benchmark: a bare Fastify route (JSON-schema
// validation, no logger, no session) that looks up the customer and inserts
// the same demand row into the same database, with a prepared better-sqlite3
// statement or a named (prepared) pg statement. No repeat check, deadlines,
// timeline, audit or read-back: what the platform adds is what the ratio prices.

const text = { type: 'string', minLength: 1 } as const;
const bodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['channel', 'type', 'category', 'customer', 'content'],
  properties: {
    channel: text,
    type: text,
    category: text,
    subcategory: text,
    content: { type: 'string', minLength: 1, maxLength: 4000 },
    customer: {
      type: 'object',
      additionalProperties: false,
      required: ['phone'],
      properties: { accountNo: text, name: { type: 'string', maxLength: 200 }, phone: { type: 'string', pattern: '^[0-9+\\-() ]{3,32}$' } },
    },
  },
} as const;

interface Body {
  channel: string;
  type: string;
  category: string;
  subcategory?: string;
  content: string;
  customer: { accountNo?: string; name?: string; phone: string };
}

interface CustomerFacts {
  id: number;
  name: string;
  important: number;
  area_class: string;
  unit_id: number;
  district_id: number;
  feeder_id: number;
}

const COLUMNS = [
  'number',
  'channel',
  'type',
  'category',
  'subcategory',
  'source',
  'priority',
  'sensitive',
  'customer_id',
  'account_no',
  'customer_name',
  'phone',
  'important',
  'area_class',
  'station_id',
  'district_id',
  'feeder_id',
  'unit_id',
  'content',
  'status',
  'escalation_level',
  'case_id',
  'repeat_of',
  'repeat_count',
  'idempotency_key',
  'created_by',
  'created_at',
  'updated_at',
];

function rowOf(body: Body, c: CustomerFacts | undefined, number: string, key: string | undefined, agentId: number, fallbackUnit: number): unknown[] {
  const at = new Date().toISOString();
  return [
    number,
    body.channel,
    body.type,
    body.category,
    body.subcategory ?? null,
    'direct',
    c?.important ? 'high' : 'normal',
    0,
    c?.id ?? null,
    body.customer.accountNo ?? null,
    body.customer.name ?? c?.name ?? null,
    body.customer.phone,
    c?.important ?? 0,
    c?.area_class ?? 'urban',
    c?.unit_id ?? null,
    c?.district_id ?? null,
    c?.feeder_id ?? null,
    c?.unit_id ?? fallbackUnit,
    body.content,
    'open',
    0,
    null,
    null,
    0,
    key ? `bare:${key}` : null,
    agentId,
    at,
    at,
  ];
}

export interface BareServer {
  port: number;
  describe: string;
  close(): Promise<void>;
}

export async function startBare(target: BenchDatabase, agentId: number, fallbackUnit: number): Promise<BareServer> {
  const app = Fastify({ logger: false });
  const run = Date.now().toString(36);
  let sequence = 0;
  const nextNumber = () => `B${run}${String(++sequence).padStart(7, '0')}`;
  let close: () => Promise<void>;
  let describe: string;

  if (target.dialect === 'sqlite') {
    const sqlite = openSqlite(target.file!);
    // The database as the server keeps it: checkpoints in a worker thread (db/checkpointer.ts).
    const checkpointer = startCheckpointer(sqlite, target.file!);
    const findCustomer = sqlite.prepare<[string], CustomerFacts>(
      'SELECT id, name, important, area_class, unit_id, district_id, feeder_id FROM customers WHERE account_no = ?',
    );
    const insert = sqlite.prepare(`INSERT INTO demands (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
    app.post<{ Body: Body }>('/bare/demands', { schema: { body: bodySchema } }, async (request, reply) => {
      const c = request.body.customer.accountNo ? findCustomer.get(request.body.customer.accountNo) : undefined;
      const number = nextNumber();
      const info = insert.run(...rowOf(request.body, c, number, request.headers['idempotency-key'] as string | undefined, agentId, fallbackUnit));
      return reply.code(201).send({ id: Number(info.lastInsertRowid), number });
    });
    close = async () => {
      await checkpointer.stop();
      sqlite.close();
    };
    describe = 'bare Fastify route, prepared better-sqlite3 insert';
  } else {
    const pool = new pg.Pool({ connectionString: target.url, max: 10, options: `-c search_path=${target.schema}` });
    const insertText = `INSERT INTO demands (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`;
    app.post<{ Body: Body }>('/bare/demands', { schema: { body: bodySchema } }, async (request, reply) => {
      const accountNo = request.body.customer.accountNo;
      const c = accountNo
        ? (
            await pool.query<CustomerFacts>({
              name: 'bare-customer',
              text: 'SELECT id, name, important, area_class, unit_id, district_id, feeder_id FROM customers WHERE account_no = $1',
              values: [accountNo],
            })
          ).rows[0]
        : undefined;
      const number = nextNumber();
      const { rows } = await pool.query<{ id: number }>({
        name: 'bare-insert',
        text: insertText,
        values: rowOf(request.body, c, number, request.headers['idempotency-key'] as string | undefined, agentId, fallbackUnit),
      });
      return reply.code(201).send({ id: rows[0]!.id, number });
    });
    close = () => pool.end();
    describe = 'bare Fastify route, named (prepared) pg insert';
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    port: (app.server.address() as AddressInfo).port,
    describe,
    async close() {
      await app.close();
      await close();
    },
  };
}
