import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { buildApp } from '../src/server/app.js';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, type Client, type TestApp, timersPass } from './helpers/app.js';

// The expert seat's seed story (百名专家坐席), with its times (China time,
// UTC+8): a villager asks whether he may raise his house under a 110 kV line;
// the agent forwards the question to 输电管理所's expert, who is on a trip and
// does not acknowledge; after 5 minutes it passes to the next expert
// (生产设备部), who calls the villager and answers jointly with 市场营销部; the
// agent calls the villager back within the day.

const day = '2026-11-23'; // a Monday
const at = (hhmm: string) => new Date(`${day}T${hhmm}+08:00`);
const QUESTION = '村民家房屋在110千伏线路下方，想在原房屋上加盖一层，是否允许？';
const ANSWER = '房屋位于110千伏线路保护区内，不得加盖；确需改建的，应先向供电局书面申请，由生产设备部与市场营销部现场核实安全距离后答复。';

const stepOf = (c: any, step: string) => c.steps.find((s: any) => s.step === step);

for (const target of testDatabases()) {
  describe(`the expert seat's story: a house under a 110 kV line (${target.name})`, () => {
    let t: TestApp;
    let now = at('10:02:00');
    let agent: Client;
    let travelling: Client; // 输电管理所's expert, on a trip
    let zhao: Client; // 生产设备部's expert 赵国强 (the demo user `expert`)
    let ids: { scb: number; yxb: number; travelling: number; zhao: number };
    let demand: any;
    let consultation: any;

    before(async () => {
      t = await startTestApp(target, { clock: () => now, customers: 300 });
      const userId = async (username: string) =>
        (await t.database.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
      ids = {
        scb: await unitId(t.database, 'YL-SCB'),
        yxb: await unitId(t.database, 'YL-YXB'),
        travelling: await userId('expert.scb-sd.1'),
        zhao: await userId('expert'),
      };
      agent = await t.login('agent');
      travelling = await t.login('expert.scb-sd.1');
      zhao = await t.login('expert');
    });
    after(() => t.close());

    test('10:02 the villager calls; the agent cannot answer and finds the experts for the line', async () => {
      const villager = await t.database.db
        .selectFrom('customers')
        .select(['account_no', 'phone', 'name'])
        .where('area_class', '=', 'rural')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const res = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'consultation',
        category: 'supply_safety',
        customer: { accountNo: villager.account_no, phone: villager.phone, name: villager.name },
        content: QUESTION,
      });
      assert.equal(res.statusCode, 201, res.body);
      demand = res.json();
      assert.equal(demand.status, 'open');

      const pool = (await agent.get(`/api/experts?unitId=${ids.scb}&topic=${encodeURIComponent('线路保护区')}`)).json();
      const names = pool.map((e: any) => e.username);
      assert.ok(names.includes('expert.scb-sd.1') && names.includes('expert'), names.join());
      assert.ok(pool.every((e: any) => e.topics.includes('线路保护区')));
      assert.ok(
        pool.every((e: any) => e.available && e.onDuty),
        'the expert on a trip never switched himself off',
      );
    });

    test('10:05 the agent forwards the question to 输电管理所’s expert: forwarded within 5 minutes of the call', async () => {
      now = at('10:05:00');
      const res = await agent.post(`/api/demands/${demand.id}/consultations`, {
        unitId: ids.scb,
        topic: '线路保护区',
        question: QUESTION,
        expertId: ids.travelling,
      });
      assert.equal(res.statusCode, 201, res.body);
      consultation = res.json();
      assert.equal(consultation.expertId, ids.travelling);
      assert.equal(consultation.status, 'assigned');
      assert.equal(consultation.calledAt, at('10:02:00').toISOString());
      assert.deepEqual([stepOf(consultation, 'forward').minutes, stepOf(consultation, 'forward').withinLimit], [3, true]);
      // It is on his page and on his bell, though he is away.
      const his = (await travelling.get('/api/consultations?open=true')).json();
      assert.deepEqual(
        his.items.map((c: any) => c.id),
        [consultation.id],
      );
      const bell = (await travelling.get('/api/notifications')).json();
      assert.ok(bell.some((n: any) => n.consultationId === consultation.id && n.kind === 'consultation'));
    });

    test('10:08 the scheduler finds nothing due yet', async () => {
      assert.deepEqual(await timersPass(t.database.db, at('10:08:00')), { warnings: 0, escalations: 0, handOvers: 0, reminders: 0, revisionNotices: 0 });
    });

    test('10:10 five minutes without an acknowledgement: the question passes to 生产设备部’s 赵国强, once, across a restart', async () => {
      now = at('10:10:30');
      assert.deepEqual(await timersPass(t.database.db, now), { warnings: 0, escalations: 0, handOvers: 1, reminders: 0, revisionNotices: 0 });
      assert.deepEqual(await timersPass(t.database.db, now), { warnings: 0, escalations: 0, handOvers: 0, reminders: 0, revisionNotices: 0 });
      const app2 = await buildApp({ config: t.config, database: t.database, clock: () => now, logLevel: 'silent' });
      await app2.ready();
      assert.deepEqual(await timersPass(t.database.db, at('10:11:00')), { warnings: 0, escalations: 0, handOvers: 0, reminders: 0, revisionNotices: 0 });
      await app2.close();

      const seen = (await agent.get(`/api/consultations/${consultation.id}`)).json();
      assert.equal(seen.expertId, ids.zhao);
      assert.equal(seen.expertName, '赵国强');
      assert.equal(seen.handOvers, 1);
      assert.equal(seen.assignedAt, at('10:10:30').toISOString());
      assert.deepEqual(
        seen.timeline.map((e: any) => e.kind),
        ['forwarded', 'passed_over'],
      );
      assert.match(seen.timeline[1].note, /未在 5 分钟内确认/);
      assert.ok((await zhao.get('/api/notifications')).json().some((n: any) => n.consultationId === consultation.id));
      // Back from his trip, the first expert is told it went on, and can no longer take it.
      assert.ok(
        (await travelling.get('/api/notifications')).json().some((n: any) => n.kind === 'consultation_passed_over' && n.consultationId === consultation.id),
      );
      const late = await travelling.post(`/api/consultations/${consultation.id}/acknowledge`);
      assert.equal(late.statusCode, 403, late.body);
      assert.match(late.json().message, /赵国强/);
    });

    test('10:12 赵国强 acknowledges and at 10:14 calls the villager: both within 5 minutes of receiving it', async () => {
      now = at('10:12:00');
      assert.equal((await zhao.post(`/api/consultations/${consultation.id}/acknowledge`)).statusCode, 200);
      now = at('10:14:00');
      const res = await zhao.post(`/api/consultations/${consultation.id}/contacted`, {});
      assert.equal(res.statusCode, 200, res.body);
      const c = res.json();
      assert.equal(c.status, 'contacted');
      assert.deepEqual([stepOf(c, 'acknowledge').minutes, stepOf(c, 'acknowledge').withinLimit], [1.5, true]);
      assert.deepEqual([stepOf(c, 'contact').minutes, stepOf(c, 'contact').withinLimit], [3.5, true]);
    });

    test('10:25 he reports the answer agreed with 市场营销部, 4 minutes after the call ended', async () => {
      now = at('10:25:00');
      const res = await zhao.post(`/api/consultations/${consultation.id}/reply`, {
        answer: ANSWER,
        callEndedAt: at('10:21:00').toISOString(),
        jointUnitIds: [ids.yxb],
      });
      assert.equal(res.statusCode, 200, res.body);
      const c = res.json();
      assert.equal(c.status, 'replied');
      assert.deepEqual(
        c.jointUnits.map((u: any) => u.name),
        ['市场营销部'],
      );
      assert.deepEqual([stepOf(c, 'reply').minutes, stepOf(c, 'reply').withinLimit], [4, true]);
      assert.ok((await agent.get('/api/notifications')).json().some((n: any) => n.consultationId === consultation.id && n.kind === 'consultation_replied'));
    });

    test('15:40 the agent calls the villager back within the day: the consultation and the demand close with the answer', async () => {
      now = at('15:40:00');
      agent = await t.login('agent');
      const res = await agent.post(`/api/consultations/${consultation.id}/callback`, { result: '已电话告知村民不得加盖，村民表示理解', closeDemand: true });
      assert.equal(res.statusCode, 200, res.body);
      const c = res.json();
      assert.equal(c.status, 'closed');
      assert.deepEqual([stepOf(c, 'callback').minutes, stepOf(c, 'callback').withinLimit], [315, true]);
      const d = (await agent.get(`/api/demands/${demand.id}`)).json();
      assert.equal(d.status, 'closed');
      assert.equal(d.answer, ANSWER);
      const kinds = d.timeline.map((e: any) => e.kind);
      for (const kind of ['consultation.forwarded', 'consultation.passed_over', 'consultation.replied', 'consultation.called_back', 'answered'])
        assert.ok(kinds.includes(kind), `${kind} in ${kinds.join()}`);
    });

    test('the record form of the month has every step’s time and verdict, on screen and in Excel', async () => {
      const form = (await agent.get('/api/consultations/record?month=2026-11')).json();
      const row = form.items.find((r: any) => r.consultationId === consultation.id);
      assert.equal(row.demandNumber, demand.number);
      assert.equal(row.expertName, '赵国强');
      assert.equal(row.handOvers, 1);
      assert.equal(row.answer, ANSWER);
      assert.deepEqual(
        row.steps.map((s: any) => [s.step, s.minutes, s.withinLimit]),
        [
          ['forward', 3, true],
          ['acknowledge', 1.5, true],
          ['contact', 3.5, true],
          ['reply', 4, true],
          ['callback', 315, true],
        ],
      );

      const xlsx = await agent.get('/api/consultations/record.xlsx?month=2026-11');
      assert.equal(xlsx.statusCode, 200);
      assert.match(String(xlsx.headers['content-type']), /spreadsheetml/);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const sheet = book.worksheets[0]!;
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      const line = (sheet.getRow(2).values as unknown[]).slice(1);
      const cell = (title: string) => line[header.indexOf(title)];
      assert.equal(cell('诉求编号'), demand.number);
      assert.equal(cell('客户来电时间'), `${day} 10:02`);
      assert.equal(cell('转派时间'), `${day} 10:05`);
      assert.equal(cell('专家姓名'), '赵国强');
      assert.equal(cell('专家反馈意见'), ANSWER);
      assert.equal(cell('回访结果'), '已电话告知村民不得加盖，村民表示理解');
      assert.equal(cell('专家确认(分钟)'), 1.5);
      assert.equal(cell('专家反馈是否及时'), '是');
    });

    test('the month’s figures: per unit and per expert, with the silent expert’s hand-over', async () => {
      const f = (await agent.get('/api/consultations/figures?month=2026-11')).json();
      assert.equal(f.all.consultations, 1);
      assert.equal(f.all.handOvers, 1);
      const unit = f.units.find((u: any) => u.unitId === ids.scb);
      assert.equal(unit.steps.find((s: any) => s.step === 'contact').withinShare, 1);
      const silent = f.experts.find((e: any) => e.expertId === ids.travelling);
      assert.deepEqual([silent.consultations, silent.handOvers], [0, 1]);
      const answered = f.experts.find((e: any) => e.expertId === ids.zhao);
      assert.deepEqual([answered.consultations, answered.handOvers, answered.steps.find((s: any) => s.step === 'reply').medianMinutes], [1, 0, 4]);
    });
  });
}
