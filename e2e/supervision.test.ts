import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { unitId, type Client } from '../test/helpers/app.js';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, choose, desk, saveDialog, startBrowserEnv, type BrowserEnv } from './browser.js';

// 班长督办 in Chromium. Three cases reach the team lead: a customer of 城关
// who called three times about a repair already out with the station (level
// 1, one row whatever the calls), a repair at 南宁街道 whose crew is late on
// site (overdue, not escalated), and, while the page is open, a third
// customer's third call about a case nobody has dispatched yet. The lead
// selects all three and urges them: two are urged, the third is refused with
// the reason, the stations' handlers are told, and the page shows the counts.
// Then the admin's side: the ladder, refused with a clear reason and then
// saved, and the head (负责人) of a station named in the unit form.

const target = testDatabases()[0]!;
const skip = browserSkipReason();

interface Customer {
  account_no: string;
  phone: string;
}
interface Created {
  id: number;
  number: string;
  version: number;
  caseId: number;
  callCount: number;
  escalationLevel: number;
}

const MINUTE = 60_000;
const live = (page: Page) => page.locator('[data-testid="notification-bell"][data-live="true"]').waitFor();
const checkbox = (row: Locator) => row.locator('.ant-table-selection-column input[type="checkbox"]');

describe('the team lead’s supervision in Chromium', { skip }, () => {
  let env: BrowserEnv;
  /** How far the app's clock is behind the real one: the late repair is registered in the past. */
  let behind = 0;
  let agent: Client;
  let cg: Customer[];
  let nn: Customer;
  let stations: { cg: number; nn: number };

  before(async () => {
    env = await startBrowserEnv(target, { customers: 300, clock: () => new Date(Date.now() - behind) });
    const db = env.t.database.db;
    stations = { cg: await unitId(env.t.database, 'YL-QL-CG'), nn: await unitId(env.t.database, 'YL-QL-NN') };
    // Ordinary customers: an important one's time limits are halved.
    const customersOf = (unit: number, count: number) =>
      db.selectFrom('customers').select(['account_no', 'phone']).where('unit_id', '=', unit).where('important', '=', 0).orderBy('id').limit(count).execute();
    cg = await customersOf(stations.cg, 2);
    const [first] = await customersOf(stations.nn, 1);
    assert.equal(cg.length, 2, 'the demo city has customers at 城关供电所');
    assert.ok(first, 'the demo city has customers at 南宁街道供电所');
    nn = first;
    agent = await env.t.login('agent');
  });
  after(() => env?.close());

  async function call(customer: Customer, content: string): Promise<Created> {
    const res = await agent.post('/api/demands', {
      channel: 'phone',
      type: 'fault_repair',
      category: 'outage_voltage',
      customer: { accountNo: customer.account_no, phone: customer.phone },
      content,
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as Created;
  }
  async function dispatch(demand: Created, unit: number): Promise<void> {
    const res = await agent.request({
      method: 'POST',
      url: `/api/demands/${demand.id}/work-orders`,
      headers: { 'if-match': `"${demand.version}"` },
      payload: { unitId: unit, instructions: '请立即派抢修人员到现场' },
    });
    assert.equal(res.statusCode, 201, res.body);
  }
  /** The 催办 notifications a station's handler got about a case. */
  async function urgedOf(username: string, demandId: number): Promise<{ title: string }[]> {
    const handler = await env.t.login(username);
    const all = (await handler.get('/api/notifications')).json() as { kind: string; demandId: number | null; title: string }[];
    return all.filter((n) => n.kind === 'urged' && n.demandId === demandId);
  }

  test('each case once with its calls, the late step in words; bulk 催办 tells the stations and the page counts it', async () => {
    // The late repair: registered and dispatched 2 h 5 min ago; the urban crew was due on site within 45 minutes.
    behind = 125 * MINUTE;
    const late = await call(nn, '小区停电，请派人抢修');
    await dispatch(late, stations.nn);
    behind = 0;
    // The repeated caller: the repair goes to the station, then the customer calls twice more.
    const repeated = await call(cg[0]!, '家里没电了');
    await dispatch(repeated, stations.cg);
    const second = await call(cg[0]!, '第二次来电，还是没电');
    const third = await call(cg[0]!, '第三次来电，仍然没电，非常着急');
    assert.equal(third.caseId, repeated.id);
    assert.equal(third.callCount, 3);
    assert.equal(third.escalationLevel, 1, 'the 3rd call reaches the team lead');

    const lead = await desk(env, 'team_lead');
    try {
      await lead.goto(`${env.baseUrl}/demands/escalations`);
      const table = lead.getByTestId('escalations-table');
      const row = (number: string) => table.locator(`[data-testid="demand-row"][data-number="${number}"]`);
      await row(repeated.number).waitFor();
      await live(lead);

      // One row a case: the calls that joined it are not rows of their own.
      assert.equal(await row(repeated.number).count(), 1);
      for (const joined of [second, third]) assert.equal(await row(joined.number).count(), 0, `call ${joined.number} is no row of its own`);
      await row(repeated.number).getByText('来电 3 次').waitFor();
      await row(repeated.number).getByTestId('escalation-level').getByText('班长').waitFor();
      await row(repeated.number).getByText('催办 2 次').waitFor(); // each further call urged the station
      assert.equal(await row(repeated.number).getByTestId('demand-link').innerText(), repeated.number, 'the link shows the number, not the id');
      assert.equal(await row(repeated.number).getByTestId('demand-link').getAttribute('href'), `/demands/${repeated.id}`);
      const step = row(late.number).locator('[data-testid="overdue-step"][data-step="arrive"]');
      await step.getByText('到达现场').waitFor();
      assert.match(await step.innerText(), /^到达现场\s*超时 1 小时 2\d 分$/);
      await row(late.number).getByText('来电 1 次').waitFor();
      await row(late.number).getByText('未升级').waitFor();
      // The counts at the top, and each unit's group with its count.
      await lead.locator('[data-testid="level-count"][data-level="1"][data-count="1"]').waitFor();
      await lead.locator('[data-testid="level-count"][data-level="0"][data-count="1"]').waitFor();
      await lead.getByTestId('supervision-chart').waitFor();
      await table.getByText('城关供电所').first().waitFor();
      await table.getByText('南宁街道供电所').first().waitFor();

      // The lead selects the two; meanwhile a third customer's case climbs to the lead, and the page takes it in by itself, keeping the selection.
      await checkbox(row(repeated.number)).check();
      await checkbox(row(late.number)).check();
      await lead.locator('[data-testid="supervision-selected"][data-count="2"]').waitFor();
      const waiting = await call(cg[1]!, '停电了，没人来');
      await call(cg[1]!, '又打来，还是没人来');
      await call(cg[1]!, '第三次打来，到底什么时候来人');
      await row(waiting.number).waitFor({ timeout: 10_000 });
      assert.equal(await checkbox(row(repeated.number)).isChecked(), true, 'the selection survived the live update');
      assert.equal(await checkbox(row(late.number)).isChecked(), true);
      await checkbox(row(waiting.number)).check();
      await lead.locator('[data-testid="supervision-selected"][data-count="3"]').waitFor();

      // 催办 all three with the default note: two are urged; the one with nothing out is refused, with the reason.
      await lead.getByTestId('supervision-urge').click();
      const note = lead.getByTestId('urge-note');
      assert.ok((await note.inputValue()).length > 0, 'a default note is offered');
      const words = (await note.inputValue()).trim();
      await lead.getByTestId('bulk-submit').click();
      const outcome = lead.getByTestId('bulk-result');
      await outcome.waitFor();
      assert.equal(await outcome.getAttribute('data-done'), '2');
      assert.equal(await outcome.getAttribute('data-refused'), '1');
      await outcome.getByText('已催办 2 件').waitFor();
      await outcome.getByTestId('bulk-done').getByText(repeated.number).waitFor();
      await outcome.getByTestId('bulk-done').getByText(late.number).waitFor();
      const refused = outcome.locator(`[data-testid="bulk-refused"][data-id="${waiting.id}"]`);
      await refused.getByText(waiting.number).waitFor();
      await refused.getByText('诉求待处理，没有派出的工单可催办').waitFor();
      await lead.getByTestId('bulk-close').click();

      // The page counts the urging; the cases done leave the selection, the refused one stays selected.
      await row(repeated.number).getByText('催办 3 次').waitFor();
      await row(late.number).getByText('催办 1 次').waitFor();
      await lead.locator('[data-testid="supervision-selected"][data-count="1"]').waitFor();
      assert.equal(await checkbox(row(waiting.number)).isChecked(), true);

      // Each station's handlers are told, with the lead's words.
      const atCg = await urgedOf('handler', repeated.id);
      assert.ok(
        atCg.some((n) => n.title === `催办 ${repeated.number}：${words}`),
        JSON.stringify(atCg),
      );
      const atNn = await urgedOf('handler.ql-nn', late.id);
      assert.deepEqual(
        atNn.map((n) => n.title),
        [`催办 ${late.number}：${words}`],
      );
      assert.deepEqual(await urgedOf('handler.ql-nn', repeated.id), [], 'a station is told only of its own cases');
    } finally {
      await lead.context().close();
    }
  });

  test('the admin sets the escalation ladder, told clearly what is wrong first, and names a station’s head', async () => {
    const admin = await desk(env, 'admin');
    try {
      await admin.goto(`${env.baseUrl}/admin/ladder`);
      const calls = (level: number) => admin.getByTestId(`ladder-calls-${level}`);
      await admin.getByTestId('ladder-card').getByText('第 7 次来电').first().waitFor();
      assert.deepEqual([await calls(1).inputValue(), await calls(2).inputValue(), await calls(3).inputValue()], ['3', '5', '7']);

      // The centre manager no later than the team lead: the server refuses, and the page says why in words.
      await calls(2).fill('3');
      await admin.getByTestId('ladder-save').click();
      await admin.getByTestId('ladder-error').getByText('第 2 级须在比第 1 级更晚的来电时升级').waitFor();
      await calls(2).fill('4');
      await calls(3).fill('6');
      await admin.getByTestId('ladder-save').click();
      await admin.getByText('升级规则已保存').waitFor();
      const ladder = (await (await env.t.login('admin')).get('/api/settings/escalation-ladder')).json() as { rungs: { level: number; calls: number }[] };
      assert.deepEqual(
        ladder.rungs.map((r) => [r.level, r.calls]),
        [
          [1, 3],
          [2, 4],
          [3, 6],
        ],
      );

      // 南宁街道供电所 names its own head, picked by name among its people and those above it.
      const head = await env.t.database.db.selectFrom('users').select(['id', 'name']).where('username', '=', 'handler.ql-nn').executeTakeFirstOrThrow();
      await admin.goto(`${env.baseUrl}/admin/units`);
      const row = admin.getByTestId('units-table').locator('tr', { has: admin.getByTestId('unit-edit-YL-QL-NN') });
      await row.getByText('上级：').waitFor(); // before: the county's head receives its cases
      await admin.getByTestId('unit-edit-YL-QL-NN').click();
      await choose(admin, 'unit-head', head.name, new RegExp(`^${head.name} · 南宁街道供电所$`));
      await saveDialog(admin);
      await row.getByTestId('unit-head-name').getByText(head.name).waitFor();
      const unit = await env.t.database.db.selectFrom('units').select('head_user_id').where('code', '=', 'YL-QL-NN').executeTakeFirstOrThrow();
      assert.equal(unit.head_user_id, head.id);
    } finally {
      await admin.context().close();
    }
  });
});
