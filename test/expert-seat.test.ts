import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, type Client, type TestApp, timersPass } from './helpers/app.js';

// The expert seat's rules through the API: the pool and who may change it, the
// forward's refusals, the chain of hand-overs to the leader and beyond, the
// late-step reminders (each once), versions, bounds by unit, the limits as
// data, common problems and trainings, and the audit trail.

const NONE = { warnings: 0, escalations: 0, handOvers: 0, reminders: 0, revisionNotices: 0 };

for (const target of testDatabases()) {
  describe(`the expert seat's rules (${target.name})`, () => {
    let t: TestApp;
    let now = new Date('2026-11-23T02:00:00.000Z'); // 10:00 in Beijing, a Monday
    const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
    let agent: Client;
    let lead: Client;
    let u: { scb: number; ql: number; yxb: number };
    let user: Record<string, number>;
    let customer: { account_no: string; phone: string };
    let customers: { account_no: string; phone: string }[] = [];

    // Each question is a customer's own: one customer calling again would join the case (a case, not a call).
    const demand = async (content = '咨询电费电价政策') => {
      customer = customers.shift()!;
      const res = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'consultation',
        category: 'supply_service',
        customer: { accountNo: customer.account_no, phone: customer.phone },
        content,
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: number; number: string };
    };
    const forward = async (body: Record<string, unknown>, by: Client = agent) => {
      const d = await demand();
      return { demand: d, res: await by.post(`/api/demands/${d.id}/consultations`, { question: '客户咨询峰谷电价如何申请', ...body }) };
    };
    const pass = (at: Date) => timersPass(t.database.db, at);

    before(async () => {
      t = await startTestApp(target, { clock: () => now, customers: 200 });
      u = { scb: await unitId(t.database, 'YL-SCB'), ql: await unitId(t.database, 'YL-QL'), yxb: await unitId(t.database, 'YL-YXB') };
      const rows = await t.database.db.selectFrom('users').select(['id', 'username']).execute();
      user = Object.fromEntries(rows.map((r) => [r.username, r.id]));
      customers = await t.database.db.selectFrom('customers').select(['account_no', 'phone']).orderBy('id').execute();
      // Distinct phones too: customers may share one.
      customers = customers.filter((c, i) => customers.findIndex((o) => o.phone === c.phone) === i);
      customer = customers[0]!;
      agent = await t.login('agent');
      lead = await t.login('team_lead');
    });
    after(() => t.close());

    test('the pool of a department holds its 所’s experts; available first, the leader last; a topic filters', async () => {
      const pool = (await agent.get(`/api/experts?unitId=${u.scb}`)).json();
      const names = pool.map((e: any) => e.username);
      assert.ok(names.includes('expert.scb-sd.1'), '输电管理所 answers for 生产设备部');
      assert.equal(names.at(-1), 'expert.scb.1', 'the leader last');
      assert.ok(pool.find((e: any) => e.username === 'expert.scb.1').leader);
      const topical = (await agent.get(`/api/experts?unitId=${u.scb}&topic=${encodeURIComponent('110kV线路')}`)).json();
      assert.deepEqual(
        topical.map((e: any) => e.username),
        ['expert.scb-sd.1'],
      );
    });

    test('an expert changes their own availability, not another’s nor who leads; the team lead may; bad values name the field', async () => {
      const ql2 = await t.login('expert.ql.2');
      const off = await ql2.put(`/api/experts/${user['expert.ql.2']}`, { available: false, unavailableReason: '出差' });
      assert.equal(off.statusCode, 200, off.body);
      assert.deepEqual([off.json().available, off.json().unavailableReason], [false, '出差']);
      assert.equal((await ql2.put(`/api/experts/${user['expert.ql.1']}`, { available: false })).statusCode, 403);
      assert.equal((await ql2.put(`/api/experts/${user['expert.ql.2']}`, { leader: true })).statusCode, 403);
      assert.equal((await (await t.login('handler')).put(`/api/experts/${user['expert.ql.2']}`, { available: true })).statusCode, 403);
      const bad = await ql2.put(`/api/experts/${user['expert.ql.2']}`, { dutyFrom: '25:00' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().message, /dutyFrom/);
      assert.equal((await ql2.put(`/api/experts/${user['expert.ql.2']}`, {})).statusCode, 400);

      // One of 麒麟区's two is away: the admin page warns.
      const warnings = (await (await t.login('admin')).get('/api/experts/pool-warnings')).json();
      assert.deepEqual(
        warnings.items.find((w: any) => w.unitId === u.ql),
        { unitId: u.ql, unitName: '麒麟区供电局', kind: 'county', experts: 2, available: 1 },
      );
      // Back at work, the reason goes with the absence.
      const back = await lead.put(`/api/experts/${user['expert.ql.2']}`, { available: true });
      assert.deepEqual([back.json().available, back.json().unavailableReason], [true, null]);
      const audit = await t.database.db
        .selectFrom('audit_log')
        .select(['actor_id'])
        .where('action', '=', 'expert.profile_changed')
        .where('entity_id', '=', String(user['expert.ql.2']))
        .execute();
      assert.deepEqual(audit.map((a) => a.actor_id).sort(), [user['expert.ql.2'], user['team_lead']].sort());
    });

    test('the expert reaches the customer on the demand’s phone, or on the number the customer gave for the callback', async () => {
      const plain = (await forward({ unitId: u.yxb })).res.json();
      assert.deepEqual([plain.customerPhone], [customer.phone]);
      const other = await forward({ unitId: u.yxb, contactPhone: '13987650000', contactName: '张先生' });
      assert.equal(other.res.statusCode, 201, other.res.body);
      assert.deepEqual([other.res.json().customerPhone, other.res.json().customerName], ['13987650000', '张先生']);
      const bad = await forward({ unitId: u.yxb, contactPhone: 'call me' });
      assert.equal(bad.res.statusCode, 400);
      assert.match(bad.res.json().message, /contactPhone/);
      // The agent takes both back: they stop, and their experts are told.
      for (const c of [plain, other.res.json()]) {
        const withdrawn = await agent.post(`/api/consultations/${c.id}/withdraw`, { reason: '客户已在营业厅办理' });
        assert.equal(withdrawn.statusCode, 200, withdrawn.body);
        assert.equal(withdrawn.json().status, 'cancelled');
        assert.equal(withdrawn.json().timeline.at(-1).kind, 'cancelled');
      }
      assert.equal((await agent.post(`/api/consultations/${plain.id}/withdraw`, { reason: 'again' })).statusCode, 409);
      const expert = await t.login(
        (await t.database.db.selectFrom('users').select('username').where('id', '=', plain.expertId).executeTakeFirstOrThrow()).username,
      );
      assert.ok((await expert.get('/api/notifications')).json().some((n: any) => n.kind === 'consultation_withdrawn' && n.consultationId === plain.id));
      assert.deepEqual(await pass(later(10)), NONE, 'withdrawn questions chase nobody');
    });

    test('a demand closed on the call withdraws its open questions; a callback on a closed demand is kept, on a dispatched one refused with the reason', async () => {
      now = new Date('2026-11-23T02:30:00.000Z');
      const { demand: d, res } = await forward({ unitId: u.yxb });
      const c = res.json();
      assert.equal((await agent.post(`/api/demands/${d.id}/answer`, { answer: '已在电话中答复客户' })).statusCode, 200);
      const seen = (await agent.get(`/api/consultations/${c.id}`)).json();
      assert.equal(seen.status, 'cancelled');
      assert.equal(seen.demandStatus, 'closed');
      assert.deepEqual(await pass(later(10)), NONE);

      // Two questions on one demand, both answered: the first callback closes the demand, the second is still recorded.
      const two = await demand();
      const ask = async () =>
        (await agent.post(`/api/demands/${two.id}/consultations`, { unitId: u.yxb, expertId: user['expert.yxb.2'], question: '问题' })).json();
      const [a, b] = [await ask(), await ask()];
      const expert = await t.login('expert.yxb.2');
      for (const c2 of [a, b]) {
        await expert.post(`/api/consultations/${c2.id}/contacted`, {});
        await expert.post(`/api/consultations/${c2.id}/reply`, { answer: '答复' });
      }
      assert.equal((await agent.post(`/api/consultations/${a.id}/callback`, { result: '已告知', closeDemand: true })).statusCode, 200);
      const second = await agent.post(`/api/consultations/${b.id}/callback`, { result: '已告知', closeDemand: true });
      assert.equal(second.statusCode, 200, second.body);
      assert.deepEqual([second.json().status, second.json().demandStatus], ['closed', 'closed']);

      // A demand with a work order closes through it: the callback says so, and is taken without closing.
      const three = await demand();
      const c3 = (await agent.post(`/api/demands/${three.id}/consultations`, { unitId: u.yxb, expertId: user['expert.yxb.2'], question: '问题' })).json();
      await agent.post(`/api/demands/${three.id}/work-orders`, { unitId: u.yxb, instructions: '请核实' });
      await expert.post(`/api/consultations/${c3.id}/contacted`, {});
      await expert.post(`/api/consultations/${c3.id}/reply`, { answer: '答复' });
      const refused = await agent.post(`/api/consultations/${c3.id}/callback`, { result: '已告知', closeDemand: true });
      assert.equal(refused.statusCode, 409);
      assert.match(refused.json().message, /work order in progress/);
      const kept = await agent.post(`/api/consultations/${c3.id}/callback`, { result: '已告知', closeDemand: false });
      assert.deepEqual([kept.statusCode, kept.json().status, kept.json().demandStatus], [200, 'closed', 'dispatched']);
    });

    test('the forward is refused with a clear reason: a named expert who is away or of another unit, a unit without experts, a role that may not', async () => {
      await lead.put(`/api/experts/${user['expert.yxb.2']}`, { available: false, unavailableReason: '电话故障' });
      const away = await forward({ unitId: u.yxb, expertId: user['expert.yxb.2'] });
      assert.equal(away.res.statusCode, 409);
      assert.match(away.res.json().message, /电话故障/);
      const stranger = await forward({ unitId: u.yxb, expertId: user['expert.scb.2'] });
      assert.equal(stranger.res.statusCode, 400);
      assert.match(stranger.res.json().message, /expertId/);
      const station = await unitId(t.database, 'YL-QL-CG');
      const empty = await forward({ unitId: station });
      assert.equal(empty.res.statusCode, 409);
      assert.match(empty.res.json().message, /no expert/);
      assert.equal((await forward({ unitId: 999999 })).res.statusCode, 400);
      assert.equal((await forward({ unitId: 3_000_000_000 })).res.statusCode, 400, 'beyond the ids the databases hold');
      assert.equal((await forward({ unitId: u.yxb }, await t.login('handler'))).res.statusCode, 403);
      assert.equal((await forward({ unitId: u.yxb }, await t.login('expert'))).res.statusCode, 403);
      const missing = await forward({ unitId: u.yxb, question: '' });
      assert.equal(missing.res.statusCode, 400);
      assert.match(missing.res.json().message, /question/);
      await lead.put(`/api/experts/${user['expert.yxb.2']}`, { available: true });
      // A closed demand is not forwarded.
      const d = await demand();
      await agent.post(`/api/demands/${d.id}/answer`, { answer: '已答复' });
      assert.equal((await agent.post(`/api/demands/${d.id}/consultations`, { unitId: u.yxb, question: '?' })).statusCode, 409);
    });

    test('silence after silence: the next expert, then the leader, then the team lead is told; each once', async () => {
      now = new Date('2026-11-23T03:00:00.000Z');
      const { res } = await forward({ unitId: u.ql });
      assert.equal(res.statusCode, 201, res.body);
      const c = res.json();
      assert.equal(c.expertId, user['expert.ql.2'], 'the non-leader first');

      assert.deepEqual(await pass(later(5)), { ...NONE, handOvers: 1 });
      assert.deepEqual(await pass(later(5)), NONE);
      let seen = (await agent.get(`/api/consultations/${c.id}`)).json();
      assert.equal(seen.expertId, user['expert.ql.1']);
      assert.equal(seen.timeline.at(-1).kind, 'passed_to_leader');

      assert.deepEqual(await pass(later(10)), { ...NONE, reminders: 1 });
      assert.deepEqual(await pass(later(11)), NONE);
      seen = (await agent.get(`/api/consultations/${c.id}`)).json();
      assert.equal(seen.expertId, user['expert.ql.1'], 'it stays with the leader');
      assert.equal(seen.unansweredAt, later(10).toISOString());
      assert.equal(seen.timeline.at(-1).kind, 'unanswered');
      const bell = (await lead.get('/api/notifications')).json();
      assert.ok(bell.some((n: any) => n.kind === 'consultation_unanswered' && n.consultationId === c.id));
      // The leader can still take it.
      const leader = await t.login('expert.ql.1');
      assert.equal((await leader.post(`/api/consultations/${c.id}/acknowledge`)).statusCode, 200);
    });

    test('late steps are announced once: the call to the customer, the report, the callback', async () => {
      now = new Date('2026-11-23T04:00:00.000Z');
      const { res } = await forward({ unitId: u.yxb, expertId: user['expert.yxb.2'] });
      const c = res.json();
      const expert = await t.login('expert.yxb.2');
      assert.equal((await expert.post(`/api/consultations/${c.id}/acknowledge`)).statusCode, 200);
      assert.deepEqual(await pass(later(6)), { ...NONE, reminders: 1 }, 'acknowledged, but the customer not called in 5 minutes');
      assert.deepEqual(await pass(later(6)), NONE);
      assert.ok((await agent.get('/api/notifications')).json().some((n: any) => n.kind === 'consultation_late' && n.consultationId === c.id));

      now = later(7); // the customer called 7 minutes after receiving the question
      assert.equal((await expert.post(`/api/consultations/${c.id}/contacted`, {})).statusCode, 200);
      assert.deepEqual(await pass(later(6)), NONE, 'the call may still run: no reminder yet');
      assert.deepEqual(await pass(later(31)), { ...NONE, reminders: 1 }, 'no report half an hour after the call began');
      assert.ok(
        (await expert.get('/api/notifications')).json().some((n: any) => n.kind === 'consultation_late' && n.consultationId === c.id),
        'the expert is reminded',
      );
      now = later(8);
      const replied = await expert.post(`/api/consultations/${c.id}/reply`, { answer: '峰谷电价可到营业厅或网上国网申请' });
      assert.equal(replied.statusCode, 200, replied.body);
      const verdict = (step: string) => replied.json().steps.find((s: any) => s.step === step);
      assert.deepEqual(
        [
          verdict('acknowledge').withinLimit,
          verdict('contact').minutes,
          verdict('contact').withinLimit,
          verdict('reply').minutes,
          verdict('reply').withinLimit,
        ],
        [true, 7, false, 8, false],
      );
      assert.deepEqual(await pass(later(24 * 60 + 1)), { ...NONE, reminders: 1 }, 'not called back within the day');
      assert.deepEqual(await pass(later(24 * 60 + 2)), NONE);
    });

    test('only the expert it is given to takes its steps; a stale version is a 409; the steps keep their order', async () => {
      now = new Date('2026-11-23T06:00:00.000Z');
      const { res } = await forward({ unitId: u.yxb, expertId: user['expert.yxb.2'] });
      const c = res.json();
      const other = await t.login('expert.yxb.1');
      const forbidden = await other.post(`/api/consultations/${c.id}/acknowledge`);
      assert.equal(forbidden.statusCode, 403);
      const expert = await t.login('expert.yxb.2');
      assert.equal((await expert.post(`/api/consultations/${c.id}/reply`, { answer: 'x' })).statusCode, 409, 'no answer before the call');
      const first = await expert.request({ method: 'POST', url: `/api/consultations/${c.id}/acknowledge`, headers: { 'if-match': `"${c.version}"` } });
      assert.equal(first.statusCode, 200);
      const stale = await expert.request({
        method: 'POST',
        url: `/api/consultations/${c.id}/contacted`,
        headers: { 'if-match': `"${c.version}"` },
        payload: {},
      });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.json().message, /changed by someone else/);
      const future = await expert.post(`/api/consultations/${c.id}/contacted`, { at: later(30).toISOString() });
      assert.equal(future.statusCode, 400);
      assert.match(future.json().message, /future/);
      assert.equal(
        (await agent.post(`/api/consultations/${c.id}/callback`, { result: '已回访', closeDemand: true })).statusCode,
        409,
        'no callback before the answer',
      );
    });

    test('an expert sees their units’ consultations and those given to them; the centre sees all; a handler none', async () => {
      const { res } = await forward({ unitId: u.yxb });
      const c = res.json();
      const scbExpert = await t.login('expert');
      assert.equal((await scbExpert.get(`/api/consultations/${c.id}`)).statusCode, 404);
      assert.ok(!(await scbExpert.get('/api/consultations?pageSize=200')).json().items.some((x: any) => x.id === c.id));
      const yxb = await t.login('expert.yxb.1');
      assert.equal((await yxb.get(`/api/consultations/${c.id}`)).statusCode, 200);
      assert.equal((await (await t.login('analyst')).get(`/api/consultations/${c.id}`)).statusCode, 200);
      assert.equal((await (await t.login('handler')).get(`/api/consultations/${c.id}`)).statusCode, 403);
      assert.equal((await (await t.login('handler')).get('/api/consultations/record?month=2026-11')).statusCode, 403);
    });

    test('the step limits are data: an admin changes one, new questions follow it; others may not', async () => {
      const admin = await t.login('admin');
      assert.equal((await lead.put('/api/consultation-limits/acknowledge', { minutes: 10 })).statusCode, 403);
      const bad = await admin.put('/api/consultation-limits/acknowledge', { minutes: 0 });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().message, /minutes/);
      assert.equal((await admin.put('/api/consultation-limits/nap', { minutes: 5 })).statusCode, 400);
      assert.deepEqual((await admin.put('/api/consultation-limits/acknowledge', { minutes: 10 })).json(), {
        step: 'acknowledge',
        minutes: 10,
        isDefault: false,
      });
      now = new Date('2026-11-23T07:00:00.000Z');
      await pass(now); // what earlier tests left running
      const { res } = await forward({ unitId: u.yxb });
      const c = res.json();
      assert.equal(c.steps.find((s: any) => s.step === 'acknowledge').limit, 10);
      assert.equal((await pass(later(6))).handOvers, 0);
      assert.equal((await pass(later(11))).handOvers, 1);
      await admin.put('/api/consultation-limits/acknowledge', { minutes: 5 });
    });

    test('common problems and trainings for the monthly meeting', async () => {
      const expert = await t.login('expert.yxb.2');
      const mine = (await expert.get(`/api/consultations?expertId=${user['expert.yxb.2']}&pageSize=5`)).json().items.map((c: any) => c.id);
      const filed = await expert.post('/api/common-problems', {
        title: '峰谷电价咨询集中',
        description: '本月多起咨询峰谷电价申请条件，建议更新知识库话术',
        consultationIds: mine.slice(0, 2),
      });
      assert.equal(filed.statusCode, 201, filed.body);
      assert.equal(filed.json().meetingMonth, '2026-11');
      assert.equal(filed.json().consultations.length, 2);
      const foreign = (await agent.get(`/api/consultations?unitId=${u.ql}`)).json().items[0].id;
      const refused = await expert.post('/api/common-problems', { title: 'x', description: 'y', consultationIds: [foreign] });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.json().message, /consultationIds/);
      assert.equal((await agent.post('/api/common-problems', { title: 'x', description: 'y', consultationIds: mine.slice(0, 1) })).statusCode, 403);
      const analyst = await t.login('analyst');
      const discussed = await analyst.request({
        method: 'PATCH',
        url: `/api/common-problems/${filed.json().id}`,
        payload: { status: 'discussed', meetingNote: '营销部负责更新话术' },
      });
      assert.equal(discussed.statusCode, 200, discussed.body);
      assert.equal((await lead.get('/api/common-problems?month=2026-11')).json()[0].status, 'discussed');

      const logged = await expert.post('/api/expert-trainings', { heldOn: '2026-11-20', topic: '峰谷电价政策解读', attendees: ['李晓雯', '王建华'], hours: 2 });
      assert.equal(logged.statusCode, 201, logged.body);
      assert.equal(logged.json().expertId, user['expert.yxb.2']);
      assert.equal((await expert.post('/api/expert-trainings', { heldOn: '2026-12-20', topic: 'x', attendees: ['a'] })).statusCode, 400, 'not in the future');
      assert.equal((await expert.post('/api/expert-trainings', { heldOn: '2026-02-30', topic: 'x', attendees: ['a'] })).statusCode, 400, 'a real date');
      assert.equal(
        (await expert.post('/api/expert-trainings', { heldOn: '2026-11-20', topic: 'x', attendees: [], expertId: user['expert.yxb.1'] })).statusCode,
        400,
      );
      assert.equal(
        (await expert.post('/api/expert-trainings', { heldOn: '2026-11-20', topic: 'x', attendees: ['a'], expertId: user['expert.yxb.1'] })).statusCode,
        403,
        'an expert logs their own',
      );
      assert.equal(
        (await lead.post('/api/expert-trainings', { heldOn: '2026-11-21', topic: '线路保护区', attendees: ['李晓雯'] })).statusCode,
        400,
        'the team lead names the expert',
      );
      assert.equal(
        (await lead.post('/api/expert-trainings', { heldOn: '2026-11-21', topic: '线路保护区', attendees: ['李晓雯'], expertId: user['expert'] })).statusCode,
        201,
      );
      assert.equal(
        (await agent.post('/api/expert-trainings', { heldOn: '2026-11-21', topic: 'x', attendees: ['a'], expertId: user['expert'] })).statusCode,
        403,
      );
      assert.equal((await agent.get('/api/expert-trainings?month=2026-11')).json().length, 2);
      assert.equal((await agent.get('/api/expert-trainings?month=2026-10')).json().length, 0);
    });

    test('every step is on the audit trail with its actor', async () => {
      const actions = await t.database.db
        .selectFrom('audit_log')
        .select(['action', 'actor_id', 'actor_kind'])
        .where('entity_type', '=', 'consultation')
        .execute();
      const by = (action: string) => actions.filter((a) => a.action === action);
      assert.ok(by('consultation.forwarded').every((a) => a.actor_id === user['agent']));
      assert.ok(by('consultation.passed_over').length >= 2 && by('consultation.passed_over').every((a) => a.actor_kind === 'system'));
      assert.ok(by('consultation.replied').length >= 1);
      assert.ok(by('consultation.unanswered').length >= 1 && by('consultation.unanswered').every((a) => a.actor_kind === 'system'));
    });
  });
}
