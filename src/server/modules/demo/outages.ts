import { sql } from 'kysely';
import { addDays, DEFAULT_TIME_ZONE, instantOfLocal, localDate } from '../../../shared/time.js';
import type { Database } from '../../db/database.js';
import { commandContext } from '../../platform/context.js';
import { actorOfUsername } from '../auth/service.js';
import { registerDemand } from '../demands/intake.js';
import { announce, restoreOutage } from '../outages/announcing.js';

// The demo city's outages, so that the 停电 page, the intake's banner and the
// public notices have something to show on a first start: yesterday's fault,
// restored; a fault in progress now on one 台区, with two calls already linked;
// a planned outage eight days ahead and a maintenance two days ahead, their
// notices queued (they wait in the outbox until SUQIU_SMS_URL / SUQIU_SMTP_URL
// are set). Some customers are told by e-mail, a few opted out of non-essential
// messages. Runs once (nothing is added where an outage exists).

const HOUR = 3_600_000;

export async function seedOutages(database: Database, options: { now: () => string; timeZone?: string }): Promise<number> {
  const { db } = database;
  if ((await db.selectFrom('outages').select('id').limit(1).execute()).length > 0) return 0;
  const zone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const lead = await actorOfUsername(db, 'team_lead');
  const agent = await actorOfUsername(db, 'agent');
  if (!lead || !agent) throw new Error('the demo outages need the demo users team_lead and agent');
  const now = options.now();
  const today = localDate(now, zone);

  // One customer in twelve is told by e-mail; one in fifty wants no non-essential messages.
  const customers = await db.selectFrom('customers').select(['id', 'account_no']).orderBy('id').execute();
  const byEmail = customers.filter((c) => c.id % 12 === 0).map((c) => c.id);
  for (let i = 0; i < byEmail.length; i += 500)
    await db
      .updateTable('customers')
      .set({ message_channel: 'email', email: sql<string>`'kh' || account_no || '@mail.example.cn'` })
      .where('id', 'in', byEmail.slice(i, i + 500))
      .execute();
  const optedOut = customers.filter((c) => c.id % 50 === 7).map((c) => c.id);
  for (let i = 0; i < optedOut.length; i += 500) await db.updateTable('customers').set({ messages_opt_out: 1 }).where('id', 'in', optedOut.slice(i, i + 500)).execute();

  // The places with the most customers, so that the outages cut visible numbers.
  const feeders = await db
    .selectFrom('customers')
    .select((eb) => ['feeder_id', eb.fn.countAll<number>().as('n')])
    .groupBy('feeder_id')
    .orderBy('n', 'desc')
    .orderBy('feeder_id')
    .limit(4)
    .execute();
  if (feeders.length < 4) return 0;
  const district = await db
    .selectFrom('customers')
    .select((eb) => ['district_id', eb.fn.countAll<number>().as('n')])
    .where('feeder_id', '=', feeders[0]!.feeder_id)
    .groupBy('district_id')
    .orderBy('n', 'desc')
    .orderBy('district_id')
    .executeTakeFirstOrThrow();
  const iso = (ms: number) => new Date(ms).toISOString();
  const at = (instant: string) => commandContext(database, lead, () => instant, zone);
  const nowMs = Date.parse(now);
  let made = 0;

  // Yesterday's fault on the second feeder, restored after three hours.
  const yesterday = iso(Math.min(nowMs - 20 * HOUR, instantOfLocal(addDays(today, -1), '14:20', zone).getTime()));
  const past = await announce(at(yesterday), {
    kind: 'fault',
    feederIds: [feeders[1]!.feeder_id],
    startsAt: yesterday,
    expectedEndAt: iso(Date.parse(yesterday) + 4 * HOUR),
    cause: '10kV线路遭外力破坏跳闸',
  });
  await restoreOutage(at(iso(Date.parse(yesterday) + 3 * HOUR)), past.id, { note: '抢修完毕，线路恢复送电' });
  made++;

  // A fault in progress on the busiest 台区, with two calls already taken.
  await announce(at(iso(nowMs - 40 * 60_000)), {
    kind: 'fault',
    districtIds: [district.district_id],
    startsAt: iso(nowMs - 45 * 60_000),
    expectedEndAt: iso(nowMs + 2 * HOUR),
    cause: '台区变压器低压熔丝熔断',
  });
  made++;
  const callers = await db
    .selectFrom('customers')
    .select(['account_no', 'phone', 'name'])
    .where('district_id', '=', district.district_id)
    .orderBy('id')
    .limit(2)
    .execute();
  for (const [i, c] of callers.entries()) {
    await registerDemand(commandContext(database, agent, () => iso(nowMs - (30 - i * 12) * 60_000), zone), {
      channel: 'phone',
      type: 'fault_repair',
      category: 'outage_voltage',
      customer: { accountNo: c.account_no, phone: c.phone, name: c.name },
      content: i === 0 ? '家里和邻居家都停电了，什么时候来电？' : '小区整栋楼没电，请尽快处理',
    });
  }

  // A planned outage eight days ahead, and a maintenance two days ahead.
  const planned = addDays(today, 8);
  await announce(at(now), {
    kind: 'planned',
    feederIds: [feeders[2]!.feeder_id],
    startsAt: instantOfLocal(planned, '08:00', zone).toISOString(),
    expectedEndAt: instantOfLocal(planned, '18:00', zone).toISOString(),
    cause: '10kV线路改造及设备检修',
  });
  made++;
  const maintenance = addDays(today, 2);
  await announce(at(now), {
    kind: 'maintenance',
    feederIds: [feeders[3]!.feeder_id],
    startsAt: instantOfLocal(maintenance, '09:00', zone).toISOString(),
    expectedEndAt: instantOfLocal(maintenance, '12:00', zone).toISOString(),
    cause: '开关柜缺陷处理',
  });
  made++;
  return made;
}
