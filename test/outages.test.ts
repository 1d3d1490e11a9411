import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, type Client, type TestApp } from './helpers/app.js';
import { runSchedulerPass } from '../src/server/scheduler.js';

// Outages through the public endpoints (issue 16): announcing with the notice
// rule, the customers an outage cuts against the network, the notices queued,
// calls during an outage as 子单 of its 主单 with no dispatch clock, restoration
// closing them, three fault calls from one 台区 as a suspected outage, the public
// feed, and bad input.

const at = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date) => d.toISOString();
const days = (n: number) => n * 86_400_000;

for (const target of testDatabases()) {
  describe(`outages (${target.name})`, () => {
    let t: TestApp;
    let now = at('2026-12-07T09:00:00');
    let agent: Client;
    let lead: Client;
    /** The two feeders with the most customers, and a 台区 of a third. */
    let feeders: { id: number; customers: number }[];

    const signIn = async () => {
      agent = await t.login('agent');
      lead = await t.login('team_lead');
    };
    const countOnFeeder = async (feederId: number) =>
      Number(
        (
          await t.database.db
            .selectFrom('customers')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('feeder_id', '=', feederId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const customersOn = (feederId: number) =>
      t.database.db
        .selectFrom('customers')
        .select(['id', 'account_no', 'phone', 'district_id', 'name'])
        .where('feeder_id', '=', feederId)
        .orderBy('id')
        .execute();
    const announce = async (body: object) => lead.post('/api/outages', body);
    const faultCall = (customer: { account_no: string; phone: string }, over: object = {}) =>
      agent.post('/api/demands', {
        channel: 'phone',
        type: 'fault_repair',
        category: 'outage_voltage',
        customer: { accountNo: customer.account_no, phone: customer.phone },
        content: '家里突然停电了',
        ...over,
      });

    before(async () => {
      t = await startTestApp(target, { clock: () => now, customers: 400 });
      await signIn();
      const rows = await t.database.db
        .selectFrom('customers')
        .select((eb) => ['feeder_id', eb.fn.countAll<number>().as('n')])
        .groupBy('feeder_id')
        .orderBy('n', 'desc')
        .orderBy('feeder_id')
        .execute();
      feeders = rows.map((r) => ({ id: r.feeder_id, customers: Number(r.n) }));
      // Some customers are told by e-mail, one opted out of non-essential messages (an outage notice still reaches them).
      const first = await customersOn(feeders[0]!.id);
      await t.database.db
        .updateTable('customers')
        .set({ message_channel: 'email', email: 'first@example.cn', messages_opt_out: 1 })
        .where('id', '=', first[0]!.id)
        .execute();
    });
    after(() => t.close());

    test('a planned outage 8 days ahead is announced; 3 days ahead it is refused without a reason and kept with one', async () => {
      const feeder = feeders[0]!;
      const res = await announce({
        kind: 'planned',
        feederIds: [feeder.id],
        startsAt: iso(new Date(now.getTime() + days(8))),
        expectedEndAt: iso(new Date(now.getTime() + days(8) + 6 * 3_600_000)),
        cause: '10kV线路检修',
      });
      assert.equal(res.statusCode, 201, res.body);
      const outage = res.json();
      assert.equal(outage.status, 'announced');
      assert.match(outage.number, /^TD20261207\d{3}$/);
      assert.equal(outage.affectedCustomers, await countOnFeeder(feeder.id), 'the customers cut are those on the feeder');
      assert.equal(outage.lateNoticeReason, null);
      assert.match(outage.notice, /计划停电/);
      assert.match(outage.notice, new RegExp(outage.number));
      assert.equal(outage.noticeDueAt, iso(new Date(now.getTime() + days(1))), 'due 7 days before the start');
      // The 台区 it cuts, with their customers, add up to the count.
      assert.equal(
        outage.districts.reduce((n: number, d: { customers: number }) => n + d.customers, 0),
        outage.affectedCustomers,
      );
      // A notice for each customer it cuts, through each one's channel; queued once.
      const messages = await t.database.db.selectFrom('messages').selectAll().where('outage_id', '=', outage.id).execute();
      assert.equal(messages.length, outage.affectedCustomers);
      assert.ok(messages.every((m) => m.kind === 'outage_notice' && m.status === 'queued' && m.body === outage.notice));
      assert.equal(messages.filter((m) => m.channel === 'email').length, 1, 'the customer told by e-mail, opted out or not: a notice is essential');
      assert.equal(outage.messages.queued, outage.affectedCustomers);

      const short = {
        kind: 'planned',
        feederIds: [feeders[1]!.id],
        startsAt: iso(new Date(now.getTime() + days(3))),
        expectedEndAt: iso(new Date(now.getTime() + days(3) + 4 * 3_600_000)),
        cause: '变压器更换',
      };
      const refused = await announce(short);
      assert.equal(refused.statusCode, 400, refused.body);
      assert.match(refused.json().message, /lateNoticeReason/);
      assert.match(refused.json().message, /7 days/);
      assert.equal(await t.database.db.selectFrom('outages').select('id').where('cause', '=', '变压器更换').executeTakeFirst(), undefined, 'nothing saved');
      const kept = await announce({ ...short, lateNoticeReason: '设备缺陷需紧急处理' });
      assert.equal(kept.statusCode, 201, kept.body);
      assert.equal(kept.json().lateNoticeReason, '设备缺陷需紧急处理');
      const late = (await lead.get('/api/outages?late=true')).json();
      assert.deepEqual(
        late.items.map((o: { number: string }) => o.number),
        [kept.json().number],
      );
      // The audit trail has both announcements.
      const audit = await t.database.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'outage.announced').execute();
      assert.equal(audit.length, 2);
      // Called off: the customers told.
      const cancelled = await lead.post(`/api/outages/${kept.json().id}/cancel`, { reason: '检修计划调整' });
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      assert.equal(cancelled.json().status, 'cancelled');
      const told = await t.database.db
        .selectFrom('messages')
        .select('id')
        .where('outage_id', '=', kept.json().id)
        .where('kind', '=', 'outage_cancelled')
        .execute();
      assert.equal(told.length, kept.json().affectedCustomers);
    });

    test('bad input is named: no scope, an end before its start, unknown feeders; an agent may not announce', async () => {
      const base = {
        kind: 'maintenance',
        startsAt: iso(new Date(now.getTime() + days(2))),
        expectedEndAt: iso(new Date(now.getTime() + days(2) + 3_600_000)),
        cause: '检修',
      };
      const noScope = await announce(base);
      assert.equal(noScope.statusCode, 400);
      assert.match(noScope.json().message, /scope/);
      const backwards = await announce({ ...base, feederIds: [feeders[0]!.id], expectedEndAt: iso(new Date(now.getTime() + days(1))) });
      assert.equal(backwards.statusCode, 400);
      assert.match(backwards.json().message, /expectedEndAt/);
      const unknown = await announce({ ...base, feederIds: [feeders[0]!.id, 999_999] });
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.json().message, /feederIds: no feeder with id 999999/);
      const byAgent = await agent.post('/api/outages', { ...base, feederIds: [feeders[0]!.id] });
      assert.equal(byAgent.statusCode, 403);
      const badKind = await announce({ ...base, kind: 'storm', feederIds: [feeders[0]!.id] });
      assert.equal(badKind.statusCode, 400);
      assert.match(badKind.json().message, /kind/);
    });

    test('calls during a fault outage are its 主单 and 子单, with no dispatch clock; restoration closes them and tells the callers', async () => {
      const feeder = feeders[1]!;
      const cut = await customersOn(feeder.id);
      const res = await announce({
        kind: 'fault',
        feederIds: [feeder.id],
        startsAt: iso(new Date(now.getTime() - 10 * 60_000)),
        expectedEndAt: iso(new Date(now.getTime() + 3 * 3_600_000)),
        cause: '线路遭雷击跳闸',
      });
      assert.equal(res.statusCode, 201, res.body);
      const outage = res.json();
      assert.equal(outage.status, 'in_progress', 'a fault outage runs from its start');

      // The agent sees it for the caller before typing anything.
      const banner = (await agent.get(`/api/outages/affecting?phone=${cut[0]!.phone}`)).json();
      assert.deepEqual(
        banner.active.map((o: { number: string }) => o.number),
        [outage.number],
      );
      assert.equal(banner.active[0].cause, '线路遭雷击跳闸');

      const first = await faultCall(cut[0]!);
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(first.json().outageId, outage.id);
      assert.equal(first.json().parentId, null, 'the first call is the 主单');
      assert.equal(first.json().outage.number, outage.number);
      assert.deepEqual(first.json().deadlines, [], 'no dispatch clock of its own');
      const second = await faultCall(cut[1]!);
      assert.equal(second.statusCode, 201, second.body);
      assert.equal(second.json().outageId, outage.id);
      assert.equal(second.json().parentId, first.json().id, 'a 子单 of the 主单');
      assert.deepEqual(second.json().deadlines, []);
      // The agent may say a call is not about the outage: it keeps its own clocks.
      const own = await faultCall(cut[2]!, { outageId: null, content: '家里空开跳了' });
      assert.equal(own.statusCode, 201, own.body);
      assert.equal(own.json().outageId, null);
      assert.deepEqual(
        own.json().deadlines.map((d: { step: string }) => d.step),
        ['dispatch', 'arrive'],
      );
      // A caller outside the outage is not linked.
      const elsewhere = (await customersOn(feeders[2]!.id))[0]!;
      const outside = await faultCall(elsewhere);
      assert.equal(outside.json().outageId, null);

      // The team lead sees how many calls it drew.
      const listed = (await lead.get('/api/outages?active=true')).json();
      const row = listed.items.find((o: { id: number }) => o.id === outage.id);
      assert.equal(row.calls, 2);
      assert.equal(row.openCalls, 2);

      now = new Date(now.getTime() + 2 * 3_600_000);
      await signIn();
      const restored = await lead.post(`/api/outages/${outage.id}/restore`, {});
      assert.equal(restored.statusCode, 200, restored.body);
      assert.equal(restored.json().status, 'restored');
      assert.equal(restored.json().openCalls, 0);
      for (const call of [first.json(), second.json()]) {
        const d = (await agent.get(`/api/demands/${call.id}`)).json();
        assert.equal(d.status, 'closed');
        assert.match(d.answer, /恢复供电/);
      }
      const told = await t.database.db
        .selectFrom('messages')
        .select(['demand_id', 'address'])
        .where('outage_id', '=', outage.id)
        .where('kind', '=', 'outage_restored')
        .execute();
      assert.deepEqual(told.map((m) => m.demand_id).sort(), [first.json().id, second.json().id].sort());
      assert.equal((await agent.get(`/api/demands/${own.json().id}`)).json().status, 'open', 'the call not about the outage stays open');
      // Restored twice: refused, nothing changes.
      const again = await lead.post(`/api/outages/${outage.id}/restore`, {});
      assert.equal(again.statusCode, 409);
    });

    test('the scheduler starts an announced outage at its start', async () => {
      const feeder = feeders[3]!;
      const res = await announce({
        kind: 'maintenance',
        feederIds: [feeder.id],
        startsAt: iso(new Date(now.getTime() + days(2))),
        expectedEndAt: iso(new Date(now.getTime() + days(2) + 3_600_000)),
        cause: '开关柜检修',
      });
      assert.equal(res.json().status, 'announced');
      const later = new Date(now.getTime() + days(2) + 60_000);
      const report = await runSchedulerPass(t.database.db, later, t.config.timeZone);
      assert.equal(report.outagesStarted, 1);
      assert.equal((await runSchedulerPass(t.database.db, later, t.config.timeZone)).outagesStarted, 0, 'started once');
      const detail = (await lead.get(`/api/outages/${res.json().id}`)).json();
      assert.equal(detail.status, 'in_progress');
      assert.deepEqual(
        detail.timeline.map((e: { kind: string }) => e.kind),
        ['announced', 'notices_queued', 'started'],
      );
    });

    test('three fault calls from one 台区 within 15 minutes are a suspected outage; the team lead declares it', async () => {
      const feeder = feeders[4]!;
      const cut = await customersOn(feeder.id);
      const district = cut[0]!.district_id;
      const callers = cut.filter((c) => c.district_id === district);
      assert.ok(callers.length >= 3, 'the 台区 has three customers');
      const ids: number[] = [];
      for (const [i, c] of callers.slice(0, 3).entries()) {
        if (i > 0) now = new Date(now.getTime() + 4 * 60_000);
        await signIn();
        const call = await faultCall(c);
        assert.equal(call.statusCode, 201, call.body);
        assert.equal(call.json().outageId, null);
        ids.push(call.json().id);
        const seen = (await lead.get('/api/outages/suspected')).json();
        assert.equal(
          seen.items.some((s: { place: string; placeId: number }) => s.place === 'district' && s.placeId === district),
          i === 2,
          `suspected from the third call, not at call ${i + 1}`,
        );
      }
      // The team leads are told once, by the scheduler.
      assert.equal((await runSchedulerPass(t.database.db, now, t.config.timeZone)).suspectedOutages, 1);
      assert.equal((await runSchedulerPass(t.database.db, now, t.config.timeZone)).suspectedOutages, 0);
      const notes = (await lead.get('/api/notifications')).json();
      assert.ok(notes.some((n: { kind: string }) => n.kind === 'suspected_outage'));

      const declared = await lead.post('/api/outages/suspected/declare', {
        place: 'district',
        placeId: district,
        cause: '台区变压器故障',
        expectedEndAt: iso(new Date(now.getTime() + 2 * 3_600_000)),
      });
      assert.equal(declared.statusCode, 201, declared.body);
      const outage = declared.json();
      assert.equal(outage.kind, 'fault');
      assert.equal(outage.calls, 3);
      assert.equal(outage.masterDemandId, ids[0]);
      const children = await t.database.db.selectFrom('demands').select(['id', 'parent_id', 'outage_id']).where('id', 'in', ids).orderBy('id').execute();
      assert.deepEqual(
        children.map((c) => [c.outage_id, c.parent_id]),
        [
          [outage.id, null],
          [outage.id, ids[0]],
          [outage.id, ids[0]],
        ],
      );
      // The children's dispatch clocks stopped; the 主单's still runs.
      const live = await t.database.db
        .selectFrom('deadlines')
        .select('demand_id')
        .where('demand_id', 'in', ids)
        .where('cancelled_at', 'is', null)
        .where('met_at', 'is', null)
        .execute();
      assert.deepEqual([...new Set(live.map((d) => d.demand_id))], [ids[0]]);
      assert.equal((await lead.get('/api/outages/suspected')).json().items.length, 0, 'no longer suspected');
      assert.ok(outage.messages.queued > 0, 'the affected customers are told');
    });

    test('a long-running demand tells its customer of each change and every 10 working days until it closes; an opted-out customer is not told', async () => {
      const station = await unitId(t.database, 'YL-QL-CG');
      const [told, quiet] = await t.database.db
        .selectFrom('customers')
        .select(['id', 'account_no', 'phone'])
        .where('unit_id', '=', station)
        .where('messages_opt_out', '=', 0)
        .orderBy('id', 'desc')
        .limit(2)
        .execute();
      await t.database.db.updateTable('customers').set({ messages_opt_out: 1 }).where('id', '=', quiet!.id).execute();
      const pass = async () => (await runSchedulerPass(t.database.db, now, t.config.timeZone)).progressMessages;
      const progressOf = (demandId: number) =>
        t.database.db
          .selectFrom('messages')
          .select(['body', 'kind'])
          .where('demand_id', '=', demandId)
          .where('kind', '=', 'demand_progress')
          .orderBy('id')
          .execute();
      const open = async (c: { account_no: string; phone: string }) => {
        const res = await agent.post('/api/demands', {
          channel: 'phone',
          type: 'opinion',
          category: 'outage_voltage',
          customer: { accountNo: c.account_no, phone: c.phone },
          content: '家里电压长期偏低，空调无法启动',
        });
        assert.equal(res.statusCode, 201, res.body);
        return res.json();
      };
      const a = await open(told!);
      const on = await lead.post(`/api/demands/${a.id}/progress-messages`, { everyWorkingDays: 10 });
      assert.equal(on.statusCode, 200, on.body);
      assert.ok(on.json().timeline.some((e: { kind: string }) => e.kind === 'progress.on'));
      assert.equal((await agent.post(`/api/demands/${a.id}/progress-messages`, { everyWorkingDays: 10 })).statusCode, 403, 'an agent may not');
      assert.equal((await lead.post(`/api/demands/${a.id}/progress-messages`, { everyWorkingDays: 0 })).statusCode, 400);
      assert.equal(await pass(), 0, 'nothing changed, nothing due');

      const order = await agent.post(`/api/demands/${a.id}/work-orders`, { unitId: station, instructions: '请核实电压并制定改造方案' });
      assert.equal(order.statusCode, 201, order.body);
      assert.equal(await pass(), 1, 'the dispatch is told');
      assert.equal(await pass(), 0, 'once');
      assert.match((await progressOf(a.id))[0]!.body, /已派.*处理/);

      // Ten working days later, nothing has changed: the customer hears it is still in hand.
      now = new Date(now.getTime() + days(15));
      await signIn();
      assert.equal(await pass(), 1);
      assert.equal((await progressOf(a.id)).length, 2);

      // The order is handled, the callback closes it: both told, then nothing more.
      const h = await t.login('handler');
      assert.equal((await h.post(`/api/work-orders/${order.json().id}/accept`)).statusCode, 200);
      assert.equal((await h.post(`/api/work-orders/${order.json().id}/handle`, { findings: '已新建台区分流负荷，电压恢复正常' })).statusCode, 200);
      assert.equal(await pass(), 1);
      const callback = await agent.post(`/api/demands/${a.id}/callbacks`, { outcome: 'satisfied' });
      assert.equal(callback.statusCode, 200, callback.body);
      assert.equal(await pass(), 1);
      const bodies = (await progressOf(a.id)).map((m) => m.body);
      assert.equal(bodies.length, 4);
      assert.match(bodies[3]!, /已办结/);
      now = new Date(now.getTime() + days(30));
      await signIn();
      assert.equal(await pass(), 0, 'a closed demand is not told again');

      // Needing grid investment turns them on by itself; a customer who opted out gets none.
      const b = await open(quiet!);
      const handler = await t.login('handler');
      const bOrder = (await agent.post(`/api/demands/${b.id}/work-orders`, { unitId: station, instructions: '请核实' })).json();
      await handler.post(`/api/work-orders/${bOrder.id}/accept`);
      const unresolved = await handler.post(`/api/work-orders/${bOrder.id}/handle`, {
        findings: '需新建配变，已报投资计划',
        resolved: false,
        unresolvedReason: 'investment',
      });
      assert.equal(unresolved.statusCode, 200, unresolved.body);
      const row = await t.database.db.selectFrom('demands').select(['progress_every_wd', 'progress_due_at']).where('id', '=', b.id).executeTakeFirstOrThrow();
      assert.equal(row.progress_every_wd, 10);
      assert.ok(row.progress_due_at! > now.toISOString());
      now = new Date(now.getTime() + days(15));
      await signIn();
      assert.equal(await pass(), 1, 'its schedule runs');
      assert.deepEqual(await progressOf(b.id), [], 'but nothing is sent to a customer who opted out');
    });

    test('the agent records how a customer is told: e-mail instead of SMS, no non-essential messages', async () => {
      const [c] = await customersOn(feeders[5]!.id);
      const set = await agent.put(`/api/customers/${c!.id}/messaging`, { channel: 'email', email: 'wang@example.cn', optOut: true });
      assert.equal(set.statusCode, 200, set.body);
      const seen = (await agent.get(`/api/customers/lookup?phone=${c!.phone}`)).json().items.find((m: { id: number }) => m.id === c!.id);
      assert.deepEqual(seen.messaging, { channel: 'email', email: 'wang@example.cn', optOut: true });
      const noAddress = await agent.put(`/api/customers/${c!.id}/messaging`, { channel: 'email', optOut: false });
      assert.equal(noAddress.statusCode, 400);
      assert.match(noAddress.json().message, /email/);
      assert.equal((await (await t.login('handler')).put(`/api/customers/${c!.id}/messaging`, { channel: 'sms', optOut: false })).statusCode, 403);
      const audit = await t.database.db
        .selectFrom('audit_log')
        .select('after_json')
        .where('action', '=', 'customer.messaging')
        .where('entity_id', '=', String(c!.id))
        .execute();
      assert.equal(audit.length, 1);
    });

    test('the public feed lists announced outages by area without sign-in or personal data', async () => {
      const res = await t.anonymous().get('/api/public/outages');
      assert.equal(res.statusCode, 200, res.body);
      const feed = res.json();
      const numbers = feed.areas.flatMap((a: { outages: { number: string }[] }) => a.outages.map((o) => o.number));
      const active = (await lead.get('/api/outages?active=true&pageSize=200')).json().items.map((o: { number: string }) => o.number);
      assert.deepEqual([...numbers].sort(), [...active].sort());
      const phones = await t.database.db.selectFrom('customers').select(['phone', 'name']).execute();
      for (const c of phones) assert.ok(!res.body.includes(c.phone), 'no phone number in the feed');
      assert.equal((await t.anonymous().get('/api/outages')).statusCode, 401, 'the staff list needs a sign-in');
    });
  });
}
