import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { CHANNELS, DEMAND_CATEGORIES, DEMAND_TYPES } from '../../../shared/codes.js';
import { testDatabases, type TestDatabase } from '../../../../test/helpers/databases.js';
import type { Database } from '../../db/database.js';
import { localDate } from '../deadlines/calendar.js';
import { nextDemandSequence } from '../demands/service.js';
import { demandNumber } from '../demands/rules.js';
import { demandTime, planDemand, seedDemands } from './demands.js';
import { seedDemo } from './seed.js';

const NOW = '2026-11-23T03:00:00.000Z';
const anchor = Date.parse(NOW);
const DAY = 86_400_000;

test('demand i is the same whatever came before it, and another seed gives another history', () => {
  assert.deepEqual(planDemand(7, 4242, anchor - DAY, 1000), planDemand(7, 4242, anchor - DAY, 1000));
  assert.equal(demandTime(7, 4242, anchor, 730), demandTime(7, 4242, anchor, 730));
  const a = Array.from({ length: 50 }, (_, i) => planDemand(7, i, anchor, 1000));
  const b = Array.from({ length: 50 }, (_, i) => planDemand(8, i, anchor, 1000));
  assert.notDeepEqual(a, b);
});

test('the history spans two years up to the present, busier by day than by night', () => {
  let night = 0;
  let morning = 0;
  let old = 0;
  for (let i = 0; i < 20_000; i++) {
    const at = demandTime(1, i, anchor, 730);
    assert.ok(at < anchor && at > anchor - 730 * DAY, `demand ${i} at ${new Date(at).toISOString()}`);
    const hour = new Date(at + 8 * 3_600_000).getUTCHours();
    if (hour >= 1 && hour < 5) night++;
    if (hour >= 8 && hour < 12) morning++;
    if (at < anchor - 365 * DAY) old++;
  }
  assert.ok(morning > 5 * night, `${morning} calls in the morning, ${night} at night`);
  assert.ok(old > 8000 && old < 12_000, `${old} of 20000 older than a year`);
});

test('repairs and questions come first, complaints are a few in a hundred, each in one of the five classes', () => {
  const types = new Map<string, number>();
  const channels = new Map<string, number>();
  for (let i = 0; i < 20_000; i++) {
    const d = planDemand(3, i, anchor, 5000);
    types.set(d.type, (types.get(d.type) ?? 0) + 1);
    channels.set(d.channel, (channels.get(d.channel) ?? 0) + 1);
    assert.ok(DEMAND_TYPES.includes(d.type) && DEMAND_CATEGORIES.includes(d.category) && CHANNELS.includes(d.channel));
    if (d.type === 'complaint') assert.match(d.subcategory ?? '', /^(service|business|outage|quality|construction)_complaint$/);
    if (d.type === 'fault_repair') assert.equal(d.category, 'outage_voltage');
    assert.ok(d.customer === null || (d.customer >= 0 && d.customer < 5000));
    assert.ok(d.steps.close > 0 && (d.steps.dispatch ?? 0) <= d.steps.close);
  }
  const share = (t: string) => (types.get(t) ?? 0) / 20_000;
  assert.ok(share('fault_repair') > 0.35 && share('consultation') > 0.2);
  assert.ok(share('complaint') > 0.02 && share('complaint') < 0.07);
  assert.ok((channels.get('phone') ?? 0) > 14_000);
});

async function openCity(target: TestDatabase, customers: number): Promise<{ database: Database; cleanup: () => Promise<void> }> {
  const opened = await target.open();
  await seedDemo(opened.database, { customers, password: 'suqiu-demo', now: () => NOW });
  return opened;
}

for (const target of testDatabases()) {
  test(`${target.name}: seeded demands have unique numbers of their day, counters ahead of them, most closed, open ones with their orders and clocks`, async () => {
    const { database, cleanup } = await openCity(target, 400);
    const { db } = database;
    try {
      const report = await seedDemands(database, { demands: 4000, seed: 11, now: () => NOW });
      assert.equal(report.demandsCreated, 4000);
      assert.equal(report.demandsTotal, 4000);
      const rows = await db.selectFrom('demands').select(['id', 'number', 'created_at', 'status', 'customer_id', 'category', 'repeat_of', 'case_id']).orderBy('id').execute();
      assert.equal(new Set(rows.map((r) => r.number)).size, 4000);
      for (const [i, r] of rows.entries()) {
        assert.match(r.number, /^\d{13}$/);
        assert.equal(r.number.slice(0, 8), localDate(new Date(r.created_at)).replaceAll('-', ''));
        if (i > 0) assert.ok(r.created_at >= rows[i - 1]!.created_at, 'ids rise with time');
      }
      const closed = rows.filter((r) => r.status === 'closed').length;
      assert.ok(closed > 3800 && closed < 4000, `${closed} closed`);

      // The counter of each day is the day's last number: the API's next demand takes the one after.
      const counters = new Map((await db.selectFrom('counters').selectAll().execute()).map((c) => [c.name, c.value]));
      for (const r of rows) {
        const day = localDate(new Date(r.created_at));
        assert.ok(counters.get(`demand:${day}`)! >= Number(r.number.slice(8)));
      }
      const today = localDate(new Date(anchor));
      const next = demandNumber(today, await database.transact((trx) => nextDemandSequence(trx, database.dialect, today)));
      assert.ok(!rows.some((r) => r.number === next), `${next} is new`);

      // A case at a unit has its work order; the live ones have their clocks and the start of their timeline.
      const dispatched = await db.selectFrom('demands').select('id').where('status', 'in', ['dispatched', 'awaiting_callback']).where(sql<boolean>`case_id = id`).execute();
      for (const d of dispatched) {
        const tasks = await db.selectFrom('tasks').select(['status']).where('demand_id', '=', d.id).execute();
        assert.equal(tasks.length, 1);
        assert.ok(['dispatched', 'accepted', 'arrived', 'handled'].includes(tasks[0]!.status));
        assert.ok((await db.selectFrom('deadlines').select('id').where('demand_id', '=', d.id).execute()).length > 0);
        assert.ok((await db.selectFrom('timeline').select('kind').where('demand_id', '=', d.id).execute()).some((e) => e.kind === 'registered'));
      }

      // Found by words as the API's demands are: the segmented text, and on SQLite the full-text index over it.
      const texts = await db.selectFrom('demands').select('search_text').execute();
      assert.ok(texts.every((t) => t.search_text && t.search_text.length > 0));
      if (database.dialect === 'sqlite') {
        const withWord = texts.filter((t) => t.search_text!.split(' ').includes('停电')).length;
        const { rows: found } = await sql<{ n: number }>`SELECT count(*) AS n FROM demands_fts WHERE demands_fts MATCH '"停电"'`.execute(db);
        assert.ok(withWord > 100 && found[0]!.n === withWord, `${found[0]!.n} found, ${withWord} with the word`);
      }

      // Further calls join their case: they point at its first call, carry its status, and have no order or clock of their own; the case counts them.
      const byId = new Map(rows.map((r) => [r.id, r]));
      const repeats = rows.filter((r) => r.repeat_of !== null);
      assert.ok(repeats.length > 40, `${repeats.length} repeats`);
      for (const r of repeats) {
        const head = byId.get(r.repeat_of!)!;
        assert.ok(head.id < r.id && head.id === r.case_id && head.case_id === head.id && head.status === r.status, `call ${r.id} of case ${head.id}`);
      }
      const joined = repeats.map((r) => r.id);
      assert.deepEqual(await db.selectFrom('tasks').select('id').where('demand_id', 'in', joined).execute(), []);
      assert.deepEqual(await db.selectFrom('deadlines').select('id').where('demand_id', 'in', joined).execute(), []);
      const counted = await db.selectFrom('demands').select(['id', 'call_count']).where('call_count', '>', 1).execute();
      for (const c of counted) assert.equal(c.call_count, rows.filter((r) => r.case_id === c.id).length);

      // Idempotent: the same count adds nothing; a larger one tops up after what is there.
      assert.equal((await seedDemands(database, { demands: 4000, seed: 11, now: () => NOW })).demandsCreated, 0);
      const more = await seedDemands(database, { demands: 4500, seed: 11, now: () => NOW });
      assert.equal(more.demandsCreated, 500);
      const all = await db.selectFrom('demands').select('number').execute();
      assert.equal(new Set(all.map((r) => r.number)).size, 4500);

      // The ids the generator chose leave room for the next demand the API registers (PostgreSQL's identity too).
      const agent = await db.selectFrom('users').select(['id', 'unit_id']).where('username', '=', 'agent').executeTakeFirstOrThrow();
      const at = new Date(anchor).toISOString();
      const fresh = await db
        .insertInto('demands')
        .values({ number: next, channel: 'phone', type: 'consultation', source: 'direct', priority: 'normal', phone: '13800000000', area_class: 'urban', unit_id: agent.unit_id, content: '咨询', status: 'open', created_by: agent.id, created_at: at, updated_at: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      assert.equal(fresh.id, Math.max(...(await db.selectFrom('demands').select('id').execute()).map((r) => r.id)));
    } finally {
      await cleanup();
    }
  });

  test(`${target.name}: the same seed and the same present give the same history on two databases`, async () => {
    const one = await openCity(target, 100);
    const two = await openCity(target, 100);
    try {
      for (const { database } of [one, two]) await seedDemands(database, { demands: 800, seed: 5, now: () => NOW });
      const read = (database: Database) => database.db.selectFrom('demands').select(['number', 'type', 'customer_id', 'status', 'repeat_of', 'created_at']).orderBy('id').execute();
      assert.deepEqual(await read(one.database), await read(two.database));
    } finally {
      await one.cleanup();
      await two.cleanup();
    }
  });
}
