import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, desk, saveDialog, startBrowserEnv, type BrowserEnv } from './browser.js';

// The demand side of the management loop in Chromium: the station's handler
// reports a complaint it cannot resolve at its level (本级无法解决, 需电网投资)
// from the web form, and the demand stays open with its first handling shown;
// a team lead marks a complaint unfounded (不属实) — refused on a repeat call,
// whose case is judged by its first complaint — and the page shows it apart
// from the status; an agent files a suggestion for the meeting; next month the
// unresolved demand is raised to 生产设备部 and its answer comes back.

const target = testDatabases()[0]!;
const skip = browserSkipReason();
const SCREENS = '/tmp/suqiu-screens';

// The app's clock runs two months ahead of the real date: the browser judges
// the session cookies' expiry on the real clock, so the app's must not lag it,
// and the transfer needs a month that is over.
const real = new Date();
const MONTH_START = Date.UTC(real.getUTCFullYear(), real.getUTCMonth() + 2, 1);
const local = (day: number, hour: number) => new Date(MONTH_START + (day - 1) * 86_400_000 + (hour - 8) * 3_600_000);
const month = (() => {
  const d = new Date(MONTH_START);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
})();
let now = local(11, 9);

const status = (page: Page, code: string) => page.locator(`[data-testid="demand-status"][data-status="${code}"]`).waitFor();
const shoot = (page: Page, name: string) => page.screenshot({ path: `${SCREENS}/demand-${name}.png`, fullPage: true });
/** No timeline entry may show its code instead of words. */
async function timelineInWords(page: Page) {
  const titles = await page.getByTestId('demand-timeline').locator('[data-testid="timeline-event"] strong').allInnerTexts();
  assert.ok(titles.length > 0);
  for (const title of titles) assert.doesNotMatch(title, /^[a-z_.]+$/, `a timeline title in words, not ${title}`);
}

describe('first handling, verdicts and suggestions in Chromium', { skip }, () => {
  let env: BrowserEnv;
  let customers: { account_no: string; name: string; phone: string }[];
  let stationId: number;
  /** The complaint the station could not resolve. */
  const a = { id: 0, number: '' };
  /** A complaint and its repeat call. */
  const c = { id: 0, number: '', repeatId: 0 };

  before(async () => {
    mkdirSync(SCREENS, { recursive: true });
    env = await startBrowserEnv(target, { customers: 300, clock: () => now });
    const db = env.t.database.db;
    customers = await db
      .selectFrom('customers')
      .innerJoin('units', 'units.id', 'customers.unit_id')
      .select(['customers.account_no', 'customers.name', 'customers.phone'])
      .where('units.code', '=', 'YL-QL-CG')
      .orderBy('customers.id')
      .limit(2)
      .execute();
    assert.equal(customers.length, 2, 'the demo city has customers at 城关供电所');
    stationId = (await db.selectFrom('units').select('id').where('code', '=', 'YL-QL-CG').executeTakeFirstOrThrow()).id;
  });
  after(() => env?.close());

  const register = async (customer: { account_no: string; phone: string }, body: object) => {
    const api = await env.t.login('agent');
    const res = await api.post('/api/demands', { channel: 'phone', customer: { accountNo: customer.account_no, phone: customer.phone }, ...body });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: number; number: string; repeatOf: number | null };
  };

  test('the station reports a complaint it cannot resolve at its level; the demand stays open and shows its first handling', async () => {
    const created = await register(customers[0]!, {
      type: 'complaint',
      category: 'outage_voltage',
      subcategory: 'quality_complaint',
      content: '村里低电压持续三个月，晚上空调无法启动',
    });
    Object.assign(a, { id: created.id, number: created.number });
    const api = await env.t.login('agent');
    assert.equal((await api.post(`/api/demands/${a.id}/work-orders`, { unitId: stationId, instructions: '请核实低电压原因并答复客户' })).statusCode, 201);

    now = local(12, 10);
    const handler = await desk(env, 'handler');
    const agent = await desk(env, 'agent');
    try {
      await handler.goto(`${env.baseUrl}/demands/orders`);
      const row = handler.locator(`[data-testid="order-row"][data-number="${a.number}"]`);
      await row.getByTestId('order-accept').click();
      await handler.locator(`[data-testid="order-row"][data-number="${a.number}"][data-status="accepted"]`).waitFor();
      await row.getByTestId('order-handle').click();
      const form = handler.getByTestId('handle-form');
      // 已解决 is the default; the whole choice is made from the keyboard.
      const resolved = form.getByTestId('handle-result').getByRole('radio', { name: '已解决' });
      assert.equal(await resolved.isChecked(), true);
      assert.equal(await form.getByTestId('handle-reason').count(), 0);
      await resolved.focus();
      await handler.keyboard.press('ArrowRight');
      assert.equal(await form.getByTestId('handle-result').getByRole('radio', { name: '本级无法解决' }).isChecked(), true);
      await form.getByTestId('handle-unresolved-hint').waitFor();
      await form.getByText('原因说明', { exact: true }).waitFor();
      // Saving without a reason is stopped at the field.
      await form.getByTestId('handle-findings').fill('线路末端过长，需新建台区分流，超出供电所能力');
      await saveDialog(handler);
      await form.getByText('必填').waitFor();
      await form.getByTestId('handle-reason').getByRole('radio', { name: '需电网投资' }).focus();
      await handler.keyboard.press('Space');
      assert.equal(await form.getByTestId('handle-reason').getByRole('radio', { name: '需电网投资' }).isChecked(), true);
      await form.getByText('必填').waitFor({ state: 'detached' });
      await shoot(handler, 'handle-unresolved');
      await saveDialog(handler);
      await handler.getByText('已回单：本级无法解决，诉求待传递至归口部门').waitFor();
      await row.waitFor({ state: 'detached' });

      // The demand stays open (待处理): a candidate for the monthly transfer.
      await agent.goto(`${env.baseUrl}/demands/${a.id}`);
      await status(agent, 'open');
      assert.equal(await agent.getByTestId('demand-status').innerText(), '待处理');
      const first = agent.getByTestId('demand-first-handling');
      await first.getByText('城关供电所').waitFor();
      await first.getByText('本级无法解决（需电网投资）').waitFor();
      assert.equal(await first.getAttribute('data-resolved'), 'false');
      const event = agent.locator('[data-testid="timeline-event"][data-kind="work_order.unresolved"]');
      await event.getByText('回单：本级无法解决').waitFor();
      await event.getByText('本级无法解决（需电网投资）').waitFor();
      await event.getByText('超出供电所能力', { exact: false }).waitFor();
      await agent.getByTestId('task-card').getByText('本级无法解决（需电网投资）').waitFor();
      await timelineInWords(agent);
      // The registering agent is told, in words.
      await agent.getByTestId('notification-bell').click();
      await agent.locator('[data-testid="notification-item"][data-kind="unresolved"]').first().getByText('本级无法解决', { exact: true }).waitFor();
      await agent.getByTestId('notification-bell').click();
      await agent.getByTestId('notification-list').waitFor({ state: 'hidden' });
      await shoot(agent, 'first-handling');
    } finally {
      await Promise.all([handler, agent].map((page) => page.context().close()));
    }
  });

  test('a team lead marks a complaint unfounded from the demand page; a repeat call is refused with the first complaint named', async () => {
    const first = await register(customers[1]!, {
      type: 'complaint',
      category: 'supply_service',
      subcategory: 'service_complaint',
      content: '家中插座烧坏，怀疑供电电压异常',
    });
    const repeat = await register(customers[1]!, {
      type: 'complaint',
      category: 'supply_service',
      subcategory: 'service_complaint',
      content: '第二次来电：插座烧坏的事没人管',
    });
    assert.equal(repeat.repeatOf, first.id, 'the second call joins the case');
    Object.assign(c, { id: first.id, number: first.number, repeatId: repeat.id });

    const lead = await desk(env, 'team_lead');
    try {
      // The repeat call: judged on its case's first complaint, which the refusal names.
      await lead.goto(`${env.baseUrl}/demands/${c.repeatId}`);
      await lead.getByTestId('verdict-open').click();
      const form = lead.getByTestId('verdict-form');
      assert.equal(await form.getByRole('radio', { name: '不属实' }).isChecked(), true);
      await form.getByTestId('verdict-reason').fill('重复来电');
      await saveDialog(lead);
      await lead.getByTestId('verdict-refusal').getByText(`同一案件以首次投诉 ${c.number} 定性，请在该诉求上核实定性。`).waitFor();
      await shoot(lead, 'verdict-refused');
      await lead
        .locator('.ant-modal:visible')
        .getByRole('button', { name: /取\s*消/ })
        .click();
      assert.equal(await lead.getByTestId('conflict').count(), 0, 'a refusal by the rules is not a conflict');

      await lead.goto(`${env.baseUrl}/demands/${c.id}`);
      await status(lead, 'open');
      await lead.getByTestId('verdict-open').click();
      await form.getByTestId('verdict-reason').fill('经现场核实为客户表后线路老化，非供电企业责任');
      await saveDialog(lead);
      await lead.getByText('核实定性已保存').waitFor();
      const verdict = lead.getByTestId('demand-verdict');
      await verdict.getByText('经核实不属实：保留记录，不计入考核评价').waitFor();
      await verdict.getByTestId('demand-verdict-reason').getByText('客户表后线路老化', { exact: false }).waitFor();
      await lead.locator('[data-testid="demand-verdict-tag"][data-verdict="unfounded"]').getByText('不属实').waitFor();
      // Apart from the status, which stays what it was.
      assert.equal(await lead.getByTestId('demand-status').innerText(), '待处理');
      await lead.locator('[data-testid="timeline-event"][data-kind="verdict"]').getByText('结论：不属实').waitFor();
      await timelineInWords(lead);
      await shoot(lead, 'verdict');

      // The list marks both: the station's unresolved one and the unfounded complaint.
      await lead.goto(`${env.baseUrl}/demands/list`);
      await lead.locator(`[data-testid="demand-row"][data-number="${c.number}"]`).getByTestId('mark-unfounded').waitFor();
      await lead.locator(`[data-testid="demand-row"][data-number="${a.number}"]`).getByTestId('mark-unresolved').waitFor();
      await shoot(lead, 'list-marks');
    } finally {
      await lead.context().close();
    }
  });

  test('an agent files a suggestion for the meeting from the demand page', async () => {
    const agent = await desk(env, 'agent');
    try {
      await agent.goto(`${env.baseUrl}/demands/${a.id}`);
      assert.equal(await agent.getByTestId('verdict-open').count(), 0, 'an agent does not judge complaints');
      await agent.getByTestId('suggest-open').click();
      const form = agent.getByTestId('suggest-form');
      await saveDialog(agent);
      await form.getByText('必填').waitFor();
      await form.getByTestId('suggest-text').fill('低电压投诉集中在城郊台区，建议纳入年度改造计划');
      await form.getByText('必填').waitFor({ state: 'detached' });
      await shoot(agent, 'suggest');
      await saveDialog(agent);
      await agent.getByText('建议已提交，将列入下一次会商会议').waitFor();
      await form.waitFor({ state: 'hidden' });
      const api = await env.t.login('agent');
      const filed = (await api.get('/api/suggestions?pending=true')).json() as { text: string; demandNumber: string | null }[];
      assert.ok(filed.some((s) => s.demandNumber === a.number && s.text.includes('城郊台区')));
    } finally {
      await agent.context().close();
    }
  });

  test('next month the unresolved complaint is raised to 生产设备部, and its answer comes back to the page', async () => {
    now = local(34, 9); // early next month: the month is over
    const analyst = await env.t.login('analyst');
    const made = await analyst.post('/api/transfers', { month });
    assert.ok([200, 201].includes(made.statusCode), made.body);

    const agent = await desk(env, 'agent');
    try {
      await agent.goto(`${env.baseUrl}/demands/${a.id}`);
      const tag = agent.getByTestId('demand-raised');
      await tag.getByText(/传递至 生产设备部 · 答复时限/).waitFor();
      assert.equal(await tag.getAttribute('data-state'), 'waiting');
      await agent.getByTestId('demand-raised-card').getByText('等待归口部门答复').waitFor();
      // The first handling stays the station's.
      await agent.getByTestId('demand-first-handling').getByText('城关供电所').waitFor();
      await agent
        .locator('[data-testid="timeline-event"][data-kind="transfer.raised"]')
        .getByText(/城关供电所 → 生产设备部/)
        .waitFor();
      await shoot(agent, 'raised');

      now = local(34, 15);
      const scb = await env.t.login('handler.scb');
      const items = (await scb.get('/api/transfer-items')).json() as { id: number; number: string }[];
      const item = items.find((i) => i.number === a.number);
      assert.ok(item, 'the department sees the item');
      const answered = await scb.post(`/api/transfer-items/${item.id}/answer`, {
        measures: '已列入今年台区改造计划，新建 10kV 台区一座分流',
        resolved: false,
        expectedBy: `${new Date(MONTH_START).getUTCFullYear() + 1}-12-31`,
        owner: '张工',
      });
      assert.equal(answered.statusCode, 200, answered.body);

      await agent.getByTestId('demand-refresh').click();
      await status(agent, 'awaiting_callback');
      await agent.locator('[data-testid="demand-raised"][data-state="answered"]').getByText('传递至 生产设备部 · 已答复').waitFor();
      await agent.getByTestId('raised-measures').getByText('新建 10kV 台区一座分流', { exact: false }).waitFor();
      await agent.getByTestId('raised-answer').getByText('张工').waitFor();
      await agent.locator('[data-testid="timeline-event"][data-kind="transfer.answered"]').getByText('归口部门答复').waitFor();
      await timelineInWords(agent);
      await shoot(agent, 'raised-answered');

      // The same page in English: every new word has its translation.
      await agent.getByTestId('lang-switch').click();
      await agent.getByTestId('demand-raised').getByText('Raised to 生产设备部 · answered').waitFor();
      await agent.getByTestId('demand-first-handling').getByText('Not resolvable at this level (Needs grid investment)').waitFor();
      await agent.locator('[data-testid="timeline-event"][data-kind="work_order.unresolved"]').getByText('Handed back: not resolvable at this level').waitFor();
      await agent.getByTestId('demand-raised-card').getByText('Department’s answer', { exact: true }).waitFor();
      await shoot(agent, 'raised-answered-en');
      await agent.getByTestId('lang-switch').click();
    } finally {
      await agent.context().close();
    }
  });
});
