import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, userId, type Client, type TestApp } from './helpers/app.js';

// 客户满意度 through the public endpoints (issue 18, point 3): the survey
// import (a bad file names each row and saves nothing; a good one, CSV or
// xlsx, Chinese or English headers, is read back; a period imported again is
// replaced); the elasticity is the seed's 0.66 / 0.56 while the city has too
// few periods, and the estimate once it has enough — twelve quarters of
// demands built with known counts and surveys whose overall follows the
// stated model with known slopes, which the fit recovers; the what-if
// follows; the callbacks by channel; a county's handler sees the city and
// their own unit; 403 and 400.

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const at = (local: string) => new Date(`${local}+08:00`);
const HEADER_ZH = ['期间', '单位', '供电稳定', '供电安全', '用电缴费', '业务办理', '营业厅服务', '95598热线', '客户沟通', '问题处理', '总体'];
const HEADER_EN = ['period', 'unitId', 'stability', 'safety', 'payment', 'business', 'hall', 'hotline', 'communication', 'handling', 'overall'];
const csvOf = (rows: (string | number)[][]) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n';
const dims = (base: number) => [base - 10, base - 5, base - 14, base - 12, base + 8, base + 6, base - 1, base - 8];

/** The known model: ln(overall) = A + B_OV·ln(rate_ov) + B_SS·ln(rate_ss), rates per 10,000 customers per 30 days. */
const A = 7.5;
const B_OV = -0.35;
const B_SS = -0.2;

for (const target of testDatabases()) {
  describe(`satisfaction (${target.name})`, () => {
    let t: TestApp;
    const now = at('2026-12-07T09:00:00');
    let analyst: Client;
    let agent: Client;
    let customers: number;
    let ql: number;
    let zy: number;
    let cg: number;
    let scb: number;

    const upload = (client: Client, body: string | Buffer, type = 'text/csv', name = 'survey.csv') =>
      client.request({ method: 'POST', url: `/api/satisfaction/surveys?name=${encodeURIComponent(name)}`, headers: { 'content-type': type }, payload: body });
    const count = async (table: 'satisfaction_surveys' | 'satisfaction_imports') =>
      Number(
        (
          await t.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    let numbers = 0;
    /** Demands registered at a local time, each its own case. */
    async function addDemands(
      n: number,
      d: { at: string; type: string; category: string | null; channel?: string; unit?: number; station?: number; outcome?: string },
    ) {
      if (n === 0) return;
      const created = at(d.at).toISOString();
      const by = await userId(t.database, 'agent');
      await t.database.db
        .insertInto('demands')
        .values(
          Array.from({ length: n }, () => ({
            number: `S${String(++numbers).padStart(10, '0')}`,
            channel: d.channel ?? 'phone',
            type: d.type,
            category: d.category,
            source: 'direct',
            priority: 'normal',
            phone: '13800000000',
            area_class: 'urban',
            unit_id: d.unit ?? ql,
            station_id: d.station ?? null,
            content: '满意度测试诉求',
            status: 'open',
            created_by: by,
            created_at: created,
            updated_at: created,
            callback_outcome: d.outcome ?? null,
          })),
        )
        .execute();
    }

    before(async () => {
      t = await startTestApp(target, { clock: () => now, customers: 200 });
      analyst = await t.login('analyst');
      agent = await t.login('agent');
      customers = Number(
        (
          await t.database.db
            .selectFrom('customers')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      ql = await unitId(t.database, 'YL-QL');
      zy = await unitId(t.database, 'YL-ZY');
      cg = await unitId(t.database, 'YL-QL-CG');
      scb = await unitId(t.database, 'YL-SCB');
    });
    after(() => t.close());

    test('a file with bad rows imports nothing and names each row; the good file is read back; a period imported again is replaced', async () => {
      const bad = csvOf([
        HEADER_ZH,
        ['2025-Q4', '', ...dims(80), 80],
        ['2025-Q5', '', ...dims(80), 80],
        ['2025-Q3', '火星供电局', ...dims(80), 80],
        ['2025-Q3', '', 70, 120, 'abc', 60, 60, 60, 60, '', 61],
        ['2025-Q4', '', ...dims(81), 81],
        ['2027', '', ...dims(80), 80],
      ]);
      const refused = await upload(analyst, bad);
      assert.equal(refused.statusCode, 400, refused.body);
      assert.deepEqual(
        refused.json().rejected.map((r: { row: number }) => r.row),
        [3, 4, 5, 6, 7],
      );
      const problems = refused.json().rejected.map((r: { problem: string }) => r.problem);
      assert.match(problems[0], /period \(期间\) "2025-Q5" is not a year YYYY, a quarter YYYY-Qn or a month YYYY-MM/);
      assert.match(problems[1], /no unit \(单位\) "火星供电局"/);
      assert.match(
        problems[2],
        /safety \(供电安全\) 120 is not a score from 0 to 100; payment \(用电缴费\) "abc" is not a number; handling \(问题处理\) is empty/,
      );
      assert.match(problems[3], /period 2025-Q4 of the city is already in row 2/);
      assert.match(problems[4], /period 2027 has not begun yet/);
      assert.match(refused.json().message, /nothing imported: 5 row\(s\) rejected: row 3/);
      assert.equal(await count('satisfaction_surveys'), 0, 'nothing saved');
      assert.equal(await count('satisfaction_imports'), 0);
      assert.match((await upload(analyst, 'period,overall\n2025,80\n')).json().rejected[0].problem, /the header has no column stability \(供电稳定\)/);

      // Who may: the agent may not import; the analyst may.
      assert.equal((await upload(agent, csvOf([HEADER_EN, ['2025-Q4', '', ...dims(80), 80]]))).statusCode, 403);

      // A workbook with English headers; a unit named by its name and by its code.
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('满意度');
      sheet.addRow(HEADER_EN);
      sheet.addRow(['2025-Q4', '', ...dims(80), 80]);
      sheet.addRow(['2025-Q4', '麒麟区供电局', ...dims(76), 76.5]);
      sheet.addRow(['2025-Q4', 'YL-ZY', ...dims(70), 70]);
      const good = await upload(analyst, Buffer.from(await book.xlsx.writeBuffer()), XLSX, 'survey.xlsx');
      assert.equal(good.statusCode, 200, good.body);
      assert.deepEqual(good.json(), { imported: 3, rejected: [] });

      const read = await analyst.get('/api/satisfaction');
      assert.equal(read.statusCode, 200, read.body);
      const body = read.json();
      assert.deepEqual(
        body.periods.map((p: { period: string; unitId: number | null; unitName: string | null; overall: number; kind: string; from: string; to: string }) => [
          p.period,
          p.kind,
          p.from,
          p.to,
          p.unitId,
          p.unitName,
          p.overall,
        ]),
        [
          ['2025-Q4', 'quarter', '2025-10-01', '2026-01-01', null, null, 80],
          ['2025-Q4', 'quarter', '2025-10-01', '2026-01-01', ql, '麒麟区供电局', 76.5],
          ['2025-Q4', 'quarter', '2025-10-01', '2026-01-01', zy, '沾益区供电局', 70],
        ],
      );
      assert.deepEqual(body.periods[0].dimensions, {
        stability: 70,
        safety: 75,
        payment: 66,
        business: 68,
        hall: 88,
        hotline: 86,
        communication: 79,
        handling: 72,
      });
      assert.equal(body.elasticity.source, 'seed');
      assert.equal(body.elasticity.outage_voltage, 0.66);
      assert.equal(body.elasticity.supply_service, 0.56);

      // The same period and unit again replaces it.
      const again = await upload(analyst, csvOf([HEADER_ZH, ['2025-Q4', '', ...dims(82), 82]]));
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(await count('satisfaction_surveys'), 3);
      const city = (await analyst.get('/api/satisfaction')).json().periods.find((p: { unitId: number | null }) => p.unitId === null);
      assert.equal(city.overall, 82);
      assert.equal(city.dimensions.stability, 72);
      assert.equal(await count('satisfaction_imports'), 2);
      const audit = await t.database.db.selectFrom('audit_log').select('action').where('action', '=', 'satisfaction.imported').execute();
      assert.equal(audit.length, 2);
    });

    /** Twelve quarters, 2023-Q1 … 2025-Q4: the demands of each category, and the overall score the model gives them. */
    const quarters = Array.from({ length: 12 }, (_, i) => {
      const year = 2023 + Math.floor(i / 4);
      const q = (i % 4) + 1;
      const from = `${year}-${String(q * 3 - 2).padStart(2, '0')}-01`;
      const to = q === 4 ? `${year + 1}-01-01` : `${year}-${String(q * 3 + 1).padStart(2, '0')}-01`;
      const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
      return { period: `${year}-Q${q}`, from, days, ov: 20 + ((i * 7) % 11) * 4, ss: 12 + ((i * 5) % 7) * 3 };
    });
    const rate = (cases: number, days: number) => (cases / customers) * 10_000 * (30 / days);
    const overallOf = (q: (typeof quarters)[number]) => Math.exp(A + B_OV * Math.log(rate(q.ov, q.days)) + B_SS * Math.log(rate(q.ss, q.days)));
    const surveyRow = (q: (typeof quarters)[number]) => {
      const overall = overallOf(q).toFixed(3);
      return [q.period, '', ...dims(70), overall];
    };

    test('too few city periods: the seed’s elasticity; with twelve, the estimate recovers the known slopes; the what-if follows', async () => {
      for (const q of quarters) {
        // The outage & voltage complaints of 城关供电所's customers (麒麟区), routed to 生产设备部.
        await addDemands(q.ov, { at: `${q.from}T10:00:00`, type: 'complaint', category: 'outage_voltage', unit: scb, station: cg });
        await addDemands(q.ss, { at: `${q.from}T11:00:00`, type: 'opinion', category: 'supply_service', unit: zy });
        // Not counted: a consultation, and a category the model does not read.
        await addDemands(3, { at: `${q.from}T12:00:00`, type: 'consultation', category: 'outage_voltage' });
        await addDemands(2, { at: `${q.from}T12:00:00`, type: 'complaint', category: 'grid_construction' });
      }
      // Six quarters and 2025-Q4 imported before (its demands are in now too): seven, fewer than the eight the estimate needs.
      assert.equal((await upload(analyst, csvOf([HEADER_ZH, ...quarters.slice(0, 6).map(surveyRow)]))).statusCode, 200);
      let body = (await analyst.get('/api/satisfaction?from=2023-01-01&to=2026-01-01')).json();
      assert.equal(body.elasticity.source, 'seed');
      assert.equal(body.elasticity.outage_voltage, 0.66);
      assert.equal(body.elasticity.supply_service, 0.56);
      assert.equal(body.elasticity.minPeriods, 8);
      assert.equal(body.elasticity.periods, 7);
      assert.equal(body.whatIf.source, 'seed');
      assert.ok(Math.abs(body.whatIf.expectedChange - (0.9 ** -0.66 - 1) * 100) < 1e-3);
      // Beside each period, its counted demands and their rates.
      const q1 = body.periods.find((p: { period: string; unitId: number | null }) => p.period === '2023-Q1' && p.unitId === null);
      assert.deepEqual(q1.demands, { outage_voltage: quarters[0]!.ov, supply_service: quarters[0]!.ss });
      assert.ok(Math.abs(q1.rates.outage_voltage - rate(quarters[0]!.ov, quarters[0]!.days)) < 1e-3);
      // The county's row counts the demands of the customers it serves (by their station), wherever they were routed.
      const qlRow = body.periods.find((p: { period: string; unitId: number | null }) => p.period === '2025-Q4' && p.unitId === ql);
      assert.deepEqual(qlRow.demands, { outage_voltage: quarters[11]!.ov, supply_service: 0 });

      // The other six, 2025-Q4's score replaced by the model's: twelve.
      assert.equal((await upload(analyst, csvOf([HEADER_ZH, ...quarters.slice(6).map(surveyRow)]))).statusCode, 200);
      body = (await analyst.get('/api/satisfaction')).json();
      const e = body.elasticity;
      assert.equal(e.source, 'estimated');
      assert.equal(e.periods, 12);
      assert.equal(e.kind, 'quarter');
      assert.ok(Math.abs(e.outage_voltage - -B_OV) < 0.01, `outage & voltage ${e.outage_voltage}`);
      assert.ok(Math.abs(e.supply_service - -B_SS) < 0.01, `supply service ${e.supply_service}`);
      assert.ok(Math.abs(e.fit.coefficients.outage_voltage - B_OV) < 0.01);
      assert.ok(e.fit.standardErrors.outage_voltage > 0 && e.fit.standardErrors.outage_voltage < 0.01);
      assert.ok(e.fit.r2 > 0.99);
      assert.match(e.model, /ln\(overall\)/);

      // The what-if: outage & voltage demands 10 % fewer.
      const expected = (0.9 ** -e.outage_voltage - 1) * 100;
      assert.ok(Math.abs(body.whatIf.expectedChange - expected) < 1e-3);
      assert.equal(body.whatIf.source, 'estimated');
      assert.equal(body.whatIf.periods, 12);
      assert.equal(body.whatIf.base.period, '2025-Q4');
      assert.ok(Math.abs(body.whatIf.base.expected - Number(surveyRow(quarters[11]!).at(-1)) * (1 + expected / 100)) < 1e-3);
      const asked = (await analyst.get('/api/satisfaction/what-if?outageVoltage=5&supplyService=-20')).json();
      assert.ok(Math.abs(asked.expectedChange - (1.05 ** -e.outage_voltage * 0.8 ** -e.supply_service - 1) * 100) < 1e-3);
      assert.deepEqual(asked.change, { outage_voltage: 5, supply_service: -20 });
    });

    test('callback satisfaction by channel and unit; a county’s handler sees the city and its own rows; bad queries are 400', async () => {
      await addDemands(3, { at: '2026-06-10T10:00:00', type: 'fault_repair', category: null, channel: 'phone', outcome: 'satisfied' });
      await addDemands(1, { at: '2026-06-10T10:00:00', type: 'fault_repair', category: null, channel: 'phone', outcome: 'unsatisfied' });
      await addDemands(1, { at: '2026-06-11T10:00:00', type: 'complaint', category: 'supply_service', channel: 'wechat', outcome: 'unsatisfied', unit: zy });
      const body = (await analyst.get('/api/satisfaction')).json();
      assert.equal(body.callbacks.from, '2026-01-01');
      assert.equal(body.callbacks.to, '2026-12-08');
      assert.deepEqual(body.callbacks.byChannel, [
        { channel: 'wechat', satisfied: 0, unsatisfied: 1, rate: 0 },
        { channel: 'phone', satisfied: 3, unsatisfied: 1, rate: 0.75 },
      ]);
      assert.deepEqual(body.callbacks.total, { satisfied: 3, unsatisfied: 2, rate: 0.6 });
      assert.deepEqual(
        body.callbacks.byUnit.map((u: { unitName: string; rate: number }) => [u.unitName, u.rate]),
        [
          ['沾益区供电局', 0],
          ['麒麟区供电局', 0.75],
        ],
      );

      const handler = await t.login('handler.ql');
      const seen = (await handler.get('/api/satisfaction')).json();
      assert.ok(seen.periods.some((p: { unitId: number | null }) => p.unitId === null));
      assert.ok(seen.periods.some((p: { unitId: number | null }) => p.unitId === ql));
      assert.ok(!seen.periods.some((p: { unitId: number | null }) => p.unitId === zy), 'not another county’s');
      assert.deepEqual(
        seen.callbacks.byUnit.map((u: { unitId: number }) => u.unitId),
        [ql],
      );
      assert.equal(seen.elasticity.source, 'estimated', 'the city’s elasticity');

      const wrong = await analyst.get('/api/satisfaction?from=2026-02-01&to=2026-01-01');
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.json().message, /to/);
      assert.equal((await analyst.get('/api/satisfaction?from=2026-13-01')).statusCode, 400);
      assert.equal((await analyst.get('/api/satisfaction/what-if?outageVoltage=-100')).statusCode, 400);
      assert.equal((await (await t.login('kb_editor')).get('/api/satisfaction')).statusCode, 403);
    });
  });
}
