import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, userId, type Client, type TestApp } from './helpers/app.js';
import { runSchedulerPass } from '../src/server/scheduler.js';
import { cellText, readWorkbook } from '../src/server/platform/xlsx.js';

// The green channel (绿色通道, issue 17) through its endpoints: an application
// made with its track's stages and due dates from working days, bad input
// named, stages completed in order by whom may, the supervision (督办) firing
// each step exactly once, the list by stage and lateness, the export.

const at = (local: string) => new Date(`${local}+08:00`);
const iso = (local: string) => at(local).toISOString();

for (const target of testDatabases()) {
  describe(`green-channel applications (${target.name})`, () => {
    let t: TestApp;
    // Monday 7 December 2026, 09:00 in the centre.
    let now = at('2026-12-07T09:00:00');
    let manager: Client;
    let handlerCg: Client;
    let handlerYxb: Client;
    /** A 自备变 customer of 城关供电所 (麒麟区供电局), owned by the account manager. */
    let hv: { id: number; account_no: string; name: string };
    /** A residential and a low-voltage business customer. */
    let resident: { id: number };
    let shop: { id: number };
    let managerId: number;
    const db = () => t.database.db;
    const pass = () => runSchedulerPass(db(), now);
    const notificationsAbout = async (number: string, kind: string) =>
      db().selectFrom('notifications').selectAll().where('kind', '=', kind).where('title', 'like', `%${number}%`).execute();
    const create = (client: Client, body: object) => client.post('/api/applications', body);

    /** Sessions end when idle: after the clock jumps, sign in again. */
    const signIn = async () => {
      manager = await t.login('account_manager');
      handlerCg = await t.login('handler');
      handlerYxb = await t.login('handler.yxb');
    };
    /** Moves the clock and signs in again. */
    const setNow = async (d: Date) => {
      now = d;
      await signIn();
    };

    before(async () => {
      t = await startTestApp(target, { clock: () => now, customers: 120 });
      await signIn();
      managerId = await userId(t.database, 'account_manager');
      const cg = await unitId(t.database, 'YL-QL-CG');
      const ofCg = await db().selectFrom('customers').select(['id', 'account_no', 'name']).where('unit_id', '=', cg).orderBy('id').limit(3).execute();
      assert.ok(ofCg.length === 3, 'the demo city has customers in 城关供电所');
      hv = ofCg[0]!;
      resident = ofCg[1]!;
      shop = ofCg[2]!;
      await db().updateTable('customers').set({ customer_class: 'self_transformer', account_manager_id: managerId }).where('id', '=', hv.id).execute();
      await db().updateTable('customers').set({ customer_class: 'residential' }).where('id', '=', resident.id).execute();
      await db().updateTable('customers').set({ customer_class: 'non_residential_low' }).where('id', '=', shop.id).execute();
    });
    after(() => t.close());

    test('an application is made with its track’s stages, owners and due dates in working days; the totals are DESIGN.md’s', async () => {
      const res = await create(manager, { customerId: hv.id, kind: 'new', capacityKva: 800, voltage: '10kV', supply: 'single', note: '新建厂房' });
      assert.equal(res.statusCode, 201, res.body);
      const app = res.json();
      assert.match(app.number, /^YK20261207\d{3}$/);
      assert.equal(app.track, 'hv_single');
      assert.equal(app.status, 'open');
      assert.equal(app.stage, 'accept');
      assert.equal(app.accountManagerId, managerId, 'the customer’s account manager');
      assert.equal(app.customerName, hv.name);
      assert.equal(app.accountNo, hv.account_no);
      assert.deepEqual(
        app.stages.map((s: { stage: string }) => s.stage),
        ['accept', 'survey', 'scheme', 'design_review', 'midway_check', 'completion_check', 'connection'],
      );
      assert.equal(app.totalLimitWd, 22);
      assert.deepEqual(
        app.stages.map((s: { ownerUnitName: string }) => s.ownerUnitName),
        ['市场营销部', '麒麟区供电局', '市场营销部', '市场营销部', '生产设备部', '生产设备部', '麒麟区供电局'],
        'named owners, and the customer’s own county bureau',
      );
      const [accept, survey] = app.stages;
      assert.equal(accept.startedAt, now.toISOString());
      // 1 WD from Monday morning: the end of Tuesday; reminded at 80 % of it.
      assert.equal(accept.dueAt, iso('2026-12-09T00:00:00'));
      assert.equal(accept.remindAt, iso('2026-12-08T19:12:00'));
      assert.equal(app.stageDueAt, accept.dueAt);
      assert.equal(survey.startedAt, null);
      assert.equal(survey.dueAt, null);
      assert.deepEqual(
        app.events.map((e: { kind: string }) => e.kind),
        ['created', 'stage_started'],
      );
      // YXB's handlers are told of the stage they own.
      const told = await notificationsAbout(app.number, 'application_stage');
      assert.ok(told.some((n) => n.role === 'handler' && n.unit_id === accept.ownerUnitId));
      const audit = await db()
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'application.created')
        .where('entity_id', '=', String(app.id))
        .execute();
      assert.equal(audit.length, 1);

      const double = (await create(manager, { customerId: hv.id, kind: 'increase', capacityKva: 4000, voltage: '35kV', supply: 'double' })).json();
      assert.equal(double.track, 'hv_double');
      assert.equal(double.totalLimitWd, 32);
      const home = (await create(manager, { customerId: resident.id, kind: 'new', capacityKva: 8, voltage: '0.22kV', supply: 'single' })).json();
      assert.equal(home.track, 'residential');
      assert.equal(home.totalLimitWd, 5);
      assert.equal(home.stages[0].ownerUnitName, '城关供电所', 'a low-voltage application starts at the customer’s station');
      const business = (await create(handlerCg, { customerId: shop.id, kind: 'new', capacityKva: 60, voltage: '0.4kV', supply: 'single' })).json();
      assert.equal(business.track, 'low_voltage');
      assert.equal(business.totalLimitWd, 6);
      assert.equal(business.accountManagerId, null, 'a handler is no account manager');
      assert.notEqual(business.number, home.number);
    });

    test('bad input is named, and nothing is saved', async () => {
      const before = await db()
        .selectFrom('applications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const body = { customerId: hv.id, kind: 'new', capacityKva: 500, voltage: '10kV', supply: 'single' };
      const cases: [object, string][] = [
        [{ ...body, customerId: 99_999_999 }, 'customerId'],
        [{ ...body, capacityKva: 0 }, 'capacityKva'],
        [{ ...body, capacityKva: -5 }, 'capacityKva'],
        [{ ...body, voltage: '6kV' }, 'voltage'],
        [{ ...body, voltage: '0.4kV', supply: 'double' }, 'supply'],
        [{ ...body, kind: 'move' }, 'kind'],
      ];
      for (const [payload, field] of cases) {
        const res = await create(manager, payload);
        assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
        assert.match(res.json().message, new RegExp(field), res.body);
      }
      // A handler of another station does not reach the customer.
      const other = await t.login('handler.ql-nn');
      assert.equal((await create(other, body)).statusCode, 400);
      // An agent may read but not make one.
      assert.equal((await create(await t.login('agent'), body)).statusCode, 403);
      const afterCount = await db()
        .selectFrom('applications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.n), Number(before.n));
    });

    test('stages are completed in order, by an account manager or the owner unit’s handlers; out of order is a 409', async () => {
      const app = (await create(manager, { customerId: hv.id, kind: 'new', capacityKva: 630, voltage: '10kV', supply: 'single' })).json();
      const complete = (client: Client, stage: string, note = '已办结', headers: Record<string, string> = {}) =>
        client.request({ method: 'POST', url: `/api/applications/${app.id}/stages/${stage}/complete`, payload: { note }, headers });

      // The station's handler sees it (their customer) but the stage is 市场营销部's.
      const refused = await complete(handlerCg, 'accept');
      assert.equal(refused.statusCode, 403, refused.body);
      assert.match(refused.json().message, /市场营销部/);
      const early = await complete(manager, 'scheme');
      assert.equal(early.statusCode, 409, early.body);
      assert.match(early.json().message, /accept/, 'names the stage under way');
      assert.equal((await complete(manager, 'inspect')).statusCode, 400);
      assert.equal((await complete(handlerYxb, 'accept', '资料齐全，已受理', { 'if-match': '"99"' })).statusCode, 409, 'a stale version');

      now = new Date(now.getTime() + 2 * 3_600_000);
      const first = await complete(handlerYxb, 'accept', '资料齐全，已受理', { 'if-match': `"${app.version}"` });
      assert.equal(first.statusCode, 200, first.body);
      const afterAccept = first.json();
      assert.equal(afterAccept.stage, 'survey');
      assert.equal(afterAccept.stageOwnerUnitName, '麒麟区供电局');
      const [accept, survey] = afterAccept.stages;
      assert.equal(accept.completedAt, now.toISOString());
      assert.equal(accept.note, '资料齐全，已受理');
      assert.ok(accept.completedByName);
      assert.equal(survey.startedAt, now.toISOString());
      // 3 WD from Monday 11:00: Tuesday to Thursday, due at Thursday's midnight.
      assert.equal(survey.dueAt, iso('2026-12-11T00:00:00'));
      const countyHandlers = await notificationsAbout(app.number, 'application_stage');
      assert.ok(countyHandlers.some((n) => n.role === 'handler' && n.unit_id === survey.ownerUnitId && n.title.includes('现场勘查')));

      // The county's stage: the station below it may not; the account manager may.
      assert.equal((await complete(handlerCg, 'survey')).statusCode, 403);
      assert.equal((await complete(manager, 'accept')).statusCode, 409, 'done already: not the stage under way');
      const second = await complete(manager, 'survey', '现场勘查完成');
      assert.equal(second.statusCode, 200, second.body);
      assert.equal(second.json().stage, 'scheme');
      assert.deepEqual(
        second.json().events.map((e: { kind: string; stage: string | null }) => `${e.kind}:${e.stage ?? ''}`),
        ['created:', 'stage_started:accept', 'stage_completed:accept', 'stage_started:survey', 'stage_completed:survey', 'stage_started:scheme'],
      );
      const audit = await db()
        .selectFrom('audit_log')
        .select('action')
        .where('entity_type', '=', 'application')
        .where('entity_id', '=', String(app.id))
        .execute();
      assert.equal(audit.filter((a) => a.action === 'application.stage_completed').length, 2);

      // Cancelled with its reason; nothing moves after that.
      const cancelled = await manager.post(`/api/applications/${app.id}/cancel`, { reason: '客户撤回申请' });
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      assert.equal(cancelled.json().status, 'cancelled');
      assert.equal(cancelled.json().stage, null);
      assert.equal(cancelled.json().cancelReason, '客户撤回申请');
      assert.equal((await complete(manager, 'scheme')).statusCode, 409);
      assert.equal((await manager.post(`/api/applications/${app.id}/cancel`, { reason: '再次' })).statusCode, 409);
    });

    test('a late stage escalates exactly once: the 80 % reminder, level 1 to the account manager, level 2 to the owner unit’s head', async () => {
      await setNow(at('2026-12-07T15:00:00'));
      const app = (await create(manager, { customerId: hv.id, kind: 'increase', capacityKva: 1250, voltage: '10kV', supply: 'single' })).json();
      const accept = app.stages[0];
      assert.equal(accept.dueAt, iso('2026-12-09T00:00:00'));
      const count = async (kind: string) => (await notificationsAbout(app.number, kind)).length;
      const head = (await db().selectFrom('units').select('head_user_id').where('code', '=', 'YL-YXB').executeTakeFirstOrThrow()).head_user_id!;

      // Before 80 %: nothing.
      now = at('2026-12-08T12:00:00');
      await pass();
      assert.equal(await count('application_due'), 0);
      // At 80 %: one reminder to YXB's handlers and one to the account manager; a second pass adds none.
      now = new Date(accept.remindAt);
      const reminded = await pass();
      assert.ok(reminded.applicationReminders >= 1);
      await pass();
      const reminders = await notificationsAbout(app.number, 'application_due');
      assert.equal(reminders.length, 2);
      assert.ok(reminders.some((n) => n.role === 'handler' && n.unit_id === accept.ownerUnitId));
      assert.ok(reminders.some((n) => n.user_id === managerId));

      // At the due moment: level 1, the account manager told once, however many passes (two servers at once).
      now = new Date(accept.dueAt);
      const [a, b] = await Promise.all([pass(), pass()]);
      assert.ok(a.applicationEscalations + b.applicationEscalations >= 1);
      now = at('2026-12-09T10:00:00');
      await pass();
      await signIn();
      const late = await notificationsAbout(app.number, 'application_late');
      assert.equal(late.length, 1);
      assert.equal(late[0]!.user_id, managerId);
      let detail = (await manager.get(`/api/applications/${app.id}`)).json();
      assert.equal(detail.stages[0].escalationLevel, 1);
      assert.equal(detail.stages[0].late, true);
      assert.equal(detail.late, true);
      assert.equal(await count('application_escalated'), 0, 'not yet the head: half the limit (at least 1 WD) has not passed');

      // A further working day after the due moment (Thursday's midnight): level 2, the head of 市场营销部 told once.
      now = at('2026-12-10T00:00:00');
      await Promise.all([pass(), pass()]);
      now = at('2026-12-11T09:00:00');
      await pass();
      await signIn();
      const escalated = await notificationsAbout(app.number, 'application_escalated');
      assert.equal(escalated.filter((n) => n.user_id === head).length, 1, 'the owner unit’s head, once');
      assert.equal(escalated.length, 2, 'the head and the account manager, once each');
      assert.equal(await count('application_late'), 1, 'level 1 was not told again');
      detail = (await manager.get(`/api/applications/${app.id}`)).json();
      assert.equal(detail.stages[0].escalationLevel, 2);
      assert.deepEqual(
        detail.events
          .filter((e: { kind: string }) => e.kind === 'escalated' || e.kind === 'reminded')
          .map((e: { kind: string; note: string | null }) => `${e.kind}${e.note ?? ''}`),
        ['reminded', 'escalated1', 'escalated2'],
      );

      // Completed late, the next stage starts with its own clock and nothing more is told about the first.
      const done = await handlerYxb.post(`/api/applications/${app.id}/stages/accept/complete`, { note: '补办受理' });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().stages[0].late, true, 'done after its due time');
      assert.equal(done.json().late, false, 'the survey is on time');
      await pass();
      assert.equal(await count('application_escalated'), 2);
    });

    test('the list filters by lateness and stage, counts the open ones by stage, and is bounded by unit', async () => {
      await setNow(at('2026-12-11T10:00:00'));
      const all = (await manager.get('/api/applications?pageSize=200')).json();
      assert.ok(all.total >= 5);
      const open = await db().selectFrom('applications').select(['stage', 'stage_due_at']).where('status', '=', 'open').execute();
      const at10 = now.toISOString();
      for (const { stage, open: n, late } of all.byStage) {
        assert.equal(n, open.filter((o) => o.stage === stage).length, `${stage} open`);
        assert.equal(late, open.filter((o) => o.stage === stage && o.stage_due_at! < at10).length, `${stage} late`);
      }
      assert.equal(all.byStage.length, 7, 'every stage, in order');
      assert.equal(all.byStage[0].stage, 'accept');

      const late = await manager.get('/api/applications?late=true');
      assert.equal(late.statusCode, 200, late.body);
      const lateItems = late.json().items as { late: boolean; status: string; stageDueAt: string }[];
      assert.equal(lateItems.length, open.filter((o) => o.stage_due_at! < at10).length);
      assert.ok(lateItems.length >= 1);
      assert.ok(lateItems.every((i) => i.late && i.status === 'open' && i.stageDueAt < at10));
      const onTime = (await manager.get('/api/applications?late=false')).json();
      assert.ok(onTime.items.every((i: { late: boolean }) => !i.late));
      assert.equal(late.json().total + onTime.total, open.length);

      const survey = (await manager.get('/api/applications?stage=survey&status=open')).json();
      assert.ok(survey.items.length >= 1);
      assert.ok(survey.items.every((i: { stage: string }) => i.stage === 'survey'));
      const mine = (await manager.get(`/api/applications?accountManagerId=${managerId}`)).json();
      assert.ok(mine.items.every((i: { accountManagerId: number }) => i.accountManagerId === managerId));
      const ofResident = (await manager.get(`/api/applications?customerId=${resident.id}`)).json();
      assert.equal(ofResident.total, 1);
      assert.equal(ofResident.items[0].track, 'residential');
      const yxb = await unitId(t.database, 'YL-YXB');
      const atYxb = (await manager.get(`/api/applications?unitId=${yxb}&status=open`)).json();
      assert.ok(atYxb.items.every((i: { stageOwnerUnitName: string }) => i.stageOwnerUnitName === '市场营销部'));

      // Bounded by unit: another station's handler sees none of 城关's; 市场营销部's handler sees those with a stage of theirs.
      const other = (await (await t.login('handler.ql-nn')).get('/api/applications')).json();
      assert.equal(other.total, 0);
      assert.ok(other.byStage.every((s: { open: number }) => s.open === 0));
      const theirs = (await handlerYxb.get('/api/applications')).json();
      assert.ok(theirs.total >= 3);
      assert.ok(
        theirs.items.every((i: { track: string }) => i.track.startsWith('hv_')),
        'the low-voltage ones have no stage of 市场营销部',
      );
      const one = all.items[0];
      assert.equal((await (await t.login('handler.ql-nn')).get(`/api/applications/${one.id}`)).statusCode, 404);
      assert.equal((await manager.get('/api/applications?late=maybe')).statusCode, 400);
    });

    test('the export is the list as a workbook, read back', async () => {
      const list = (await manager.get('/api/applications?status=open&pageSize=200')).json();
      const res = await manager.get('/api/applications/export?status=open');
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      assert.match(String(res.headers['content-type']), /spreadsheetml/);
      const read = await readWorkbook(res.rawPayload);
      assert.ok('sheets' in read, JSON.stringify(read));
      const rows = read.sheets[0]!.rows;
      assert.equal(cellText(rows[0]!.cells[0] ?? null), '申请编号');
      const body = rows.slice(1);
      assert.equal(body.length, list.total);
      const byNumber = new Map(body.map((r) => [cellText(r.cells[0] ?? null), r.cells.map((c) => cellText(c ?? null))]));
      for (const item of list.items) {
        const row = byNumber.get(item.number);
        assert.ok(row, `${item.number} is in the export`);
        assert.equal(row[1], item.customerName);
        assert.equal(row[2], item.accountNo);
        assert.equal(row[11], item.late ? '超期' : '');
      }
      const lateOnly = await readWorkbook((await manager.get('/api/applications/export?late=true')).rawPayload);
      assert.ok('sheets' in lateOnly);
      assert.equal(lateOnly.sheets[0]!.rows.length - 1, (await manager.get('/api/applications?late=true')).json().total);
    });

    test('the stages are data: read by those who read applications, changed by an admin, owners checked', async () => {
      const rules = await manager.get('/api/application-stages');
      assert.equal(rules.statusCode, 200, rules.body);
      const doc = rules.json();
      assert.equal(
        doc.tracks.hv_double.reduce((n: number, s: { limitWd: number }) => n + s.limitWd, 0),
        32,
      );
      assert.equal((await manager.put('/api/application-stages', doc)).statusCode, 403);
      const admin = await t.login('admin');
      const unknown = structuredClone(doc);
      unknown.tracks.hv_single[0].owner = 'YL-NOPE';
      const refused = await admin.put('/api/application-stages', unknown);
      assert.equal(refused.statusCode, 400, refused.body);
      assert.match(refused.json().message, /tracks\.hv_single\.0\.owner/);
      const half = structuredClone(doc);
      half.tracks.residential[0].limitWd = 0.5;
      assert.equal((await admin.put('/api/application-stages', half)).statusCode, 400);
      const edited = structuredClone(doc);
      edited.tracks.residential[0].limitWd = 2;
      const saved = await admin.put('/api/application-stages', edited);
      assert.equal(saved.statusCode, 200, saved.body);
      const home = (await create(manager, { customerId: resident.id, kind: 'increase', capacityKva: 12, voltage: '0.22kV', supply: 'single' })).json();
      assert.equal(home.totalLimitWd, 6, 'applications made afterwards follow the edit');
    });
  });
}
