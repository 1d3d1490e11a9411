import { mulberry32 } from '../src/server/modules/demo/random.js';
import type { City } from './dataset.js';
import { explainSlowest } from './explain.js';
import { load } from './load.js';
import { line, ms, section, target } from './report.js';
import { startServer } from './server.js';

// What the agent and the unit wait for with the whole history in the table:
// the agent's lookups by phone, 户号 and number, the screen pop, and the
// station's queue of dispatched demands, one request at a time through the
// real server (p50/p99 of a few seconds of each, random keys each request).

const SECONDS = Number(process.env.BENCH_LOOKUP_SECONDS ?? 4);

interface Case {
  label: string;
  user: 'agent' | 'handler' | 'handler.yxb' | 'team_lead';
  paths: string[];
  /** p99 goal in ms; none for figures shown for information. */
  goal?: number;
}

async function cases(city: City): Promise<Case[]> {
  const { db } = city.database;
  const maxId = Number(
    (
      await db
        .selectFrom('demands')
        .select((eb) => eb.fn.max<number>('id').as('id'))
        .executeTakeFirstOrThrow()
    ).id ?? 0,
  );
  const random = mulberry32(7);
  const ids = Array.from({ length: 400 }, () => 1 + Math.floor(random() * maxId));
  const demands = await db.selectFrom('demands').select(['phone', 'account_no', 'number']).where('id', 'in', ids).execute();
  const customerCount = Number(
    (
      await db
        .selectFrom('customers')
        .select((eb) => eb.fn.max<number>('id').as('id'))
        .executeTakeFirstOrThrow()
    ).id ?? 0,
  );
  const customerIds = Array.from({ length: 400 }, () => 1 + Math.floor(random() * customerCount));
  const phones = (await db.selectFrom('customers').select('phone').where('id', 'in', customerIds).execute()).map((r) => r.phone);
  const station = await db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select(['units.id'])
    .where('users.username', '=', 'handler')
    .executeTakeFirstOrThrow();
  const q = encodeURIComponent;
  return [
    { label: 'GET /api/demands?phone=', user: 'agent', paths: demands.map((d) => `/api/demands?phone=${q(d.phone)}`), goal: 20 },
    {
      label: 'GET /api/demands?accountNo=',
      user: 'agent',
      paths: demands.filter((d) => d.account_no).map((d) => `/api/demands?accountNo=${q(d.account_no!)}`),
      goal: 20,
    },
    { label: 'GET /api/demands?number=', user: 'agent', paths: demands.map((d) => `/api/demands?number=${d.number}`), goal: 20 },
    { label: 'GET /api/customers/lookup?phone=', user: 'agent', paths: phones.map((p) => `/api/customers/lookup?phone=${q(p)}`), goal: 20 },
    { label: 'GET /api/work-orders: queue by deadline (handler)', user: 'handler', paths: ['/api/work-orders'], goal: 50 },
    { label: 'GET /api/work-orders, the busiest department (handler.yxb)', user: 'handler.yxb', paths: ['/api/work-orders'], goal: 50 },
    {
      label: `GET /api/demands?unitId=${station.id}&status=dispatched (handler)`,
      user: 'handler',
      paths: [`/api/demands?unitId=${station.id}&status=dispatched`],
      goal: 50,
    },
    { label: 'GET /api/demands, no filter (agent)', user: 'agent', paths: ['/api/demands'] },
    { label: 'GET /api/demands, no filter (handler)', user: 'handler', paths: ['/api/demands'] },
    { label: 'GET /api/demands?status=closed (handler)', user: 'handler', paths: ['/api/demands?status=closed'] },
    { label: 'GET /api/demands?category=supply_service (agent)', user: 'agent', paths: ['/api/demands?category=supply_service'] },
    { label: 'escalation page: ?escalated=true&open=true (team lead)', user: 'team_lead', paths: ['/api/demands?escalated=true&open=true'] },
    { label: 'escalation page: ?overdue=true (team lead)', user: 'team_lead', paths: ['/api/demands?overdue=true'] },
    { label: 'escalation page: ?repeated=true&open=true (team lead)', user: 'team_lead', paths: ['/api/demands?repeated=true&open=true'] },
    { label: 'GET /api/demands?q=<a rare word> (agent)', user: 'agent', paths: ['赔偿', '窃电', '缴费点', '过户'].map((w) => `/api/demands?q=${q(w)}`) },
    { label: 'GET /api/demands?q=停电, a third of all (agent)', user: 'agent', paths: [`/api/demands?q=${q('停电')}`] },
    { label: 'GET /api/demands?q=停电 (handler)', user: 'handler', paths: [`/api/demands?q=${q('停电')}`] },
  ];
}

export async function lookupBenchmark(city: City): Promise<void> {
  section(`lookups over ${city.demands} demands and ${city.customers} customers, ${city.dialect}: one request at a time, ${SECONDS} s each`);
  const server = await startServer(city.database);
  const sessions = {
    agent: await server.login('agent'),
    handler: await server.login('handler'),
    'handler.yxb': await server.login('handler.yxb'),
    team_lead: await server.login('team_lead'),
  };
  const missed: Case[] = [];
  try {
    for (const c of await cases(city)) {
      const r = await load({
        port: server.port,
        connections: 1,
        warmupMs: 500,
        durationMs: SECONDS * 1000,
        headers: sessions[c.user],
        requests: { kind: 'get', paths: c.paths },
        seed: 9,
      });
      const bad = Object.entries(r.statuses).filter(([s]) => s !== '200');
      if (bad.length > 0) line(`  ${c.label}: answers other than 200`, `${bad.map(([s, n]) => `${n} × ${s}`).join(', ')}; ${r.firstError ?? ''}`);
      const figures = `p50 ${ms(r.p50)}  (${r.perSecond.toFixed(0)}/s)`;
      if (c.goal === undefined) {
        line(c.label, `p99 ${ms(r.p99)}   ${figures}`);
      } else {
        target(c.label, `p99 ${ms(r.p99)}`, `< ${c.goal} ms`, r.p99 < c.goal);
        line('', figures);
        if (r.p99 >= c.goal) missed.push(c);
      }
    }
    const explainAll = process.env.BENCH_EXPLAIN === '1';
    for (const c of explainAll ? await cases(city) : missed) await explainSlowest(city, sessions[c.user], c.label, c.paths);
  } finally {
    await server.close();
  }
}
