import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { unitId } from '../test/helpers/app.js';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, choose, desk, saveDialog, startBrowserEnv, type BrowserEnv } from './browser.js';

// The management loop's pages (评价分析) in Chromium, on the real clock: the
// story's demands are registered and handled through the API, then dated back
// into the last month of the last quarter that has ended. 生产设备部's handler
// answers the transfer item raised to it, from the keyboard; the analyst opens
// the month's meeting, records a decision, enters a praise and publishes the
// quarter; 麒麟区供电局's handler reads the county's score and its terms in
// words; 生产设备部 reports its action item done. Every page is photographed.

// The browser half of SQLite is enough: the pages see the API, not the database.
const target = testDatabases()[0]!;
const skip = browserSkipReason();
const SCREENS = '/tmp/suqiu-screens';

const CHINA = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const chinaDate = (d: Date) => CHINA.format(d);
const pad = (n: number) => String(n).padStart(2, '0');
const today = chinaDate(new Date());
const inDays = (days: number) => chinaDate(new Date(Date.now() + days * 86_400_000));

/** The last quarter that has ended (China time), and its last month: where the story happens. */
const quarter = (() => {
  const [year, month] = today.split('-').map(Number) as [number, number];
  const current = Math.floor((month - 1) / 3) + 1;
  return current === 1 ? { year: year - 1, quarter: 4 } : { year, quarter: current - 1 };
})();
const month = `${quarter.year}-${pad(quarter.quarter * 3)}`;
const monthEnd = chinaDate(
  new Date(
    Date.parse(`${quarter.quarter === 4 ? quarter.year + 1 : quarter.year}-${pad(quarter.quarter === 4 ? 1 : quarter.quarter * 3 + 1)}-01T00:00:00+08:00`) - 1,
  ),
);
const quarterFrom = `${quarter.year}-${pad(quarter.quarter * 3 - 2)}-01`;
const quarterTo = chinaDate(new Date(Date.parse(`${monthEnd}T00:00:00+08:00`) + 86_400_000));
/** A time of a day of the story's month, China time. */
const on = (day: number, hour: number) => new Date(`${month}-${pad(day)}T${pad(hour)}:00:00+08:00`).toISOString();

/** A photograph of the page once it has settled: no spinner, no dialog or message still moving. */
async function shoot(page: Page, name: string) {
  await page
    .locator('.ant-spin-spinning, .ant-spin-blur, .ant-picker-dropdown:not(.ant-picker-dropdown-hidden), .ant-zoom-leave, .ant-fade-leave, .ant-move-up-leave')
    .first()
    .waitFor({ state: 'detached', timeout: 5000 })
    .catch(() => undefined);
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${SCREENS}/loop-${name}.png`, fullPage: true });
}

/** Types a date into an antd date field, as a user would, and confirms it (Enter), or moves on (Tab: Enter would send a form that has a submit button). */
async function typeDate(field: Locator, date: string, then: 'Enter' | 'Tab' = 'Enter') {
  await field.click();
  await field.fill(date);
  await field.press(then);
}

/** Nothing on the page reads as a code, a dictionary key or a broken value; in Chinese, no English word of the API either. */
async function noCodes(page: Page, lang: 'zh' | 'en' = 'zh') {
  const text = await page.locator('main').first().innerText();
  const codes = ['outage_voltage', 'supply_service', 'quality_complaint', 'service_event', 'undefined', 'NaN', 'null', 'loop.'];
  if (lang === 'zh') codes.push('unresolved', 'overdue', 'investment', 'criticism', 'praise', 'draft', 'published', 'superseded', 'open', 'answered', 'done');
  for (const code of codes) assert.ok(!text.includes(code), `the page shows "${code}"`);
}

describe('the management loop in Chromium', { skip }, () => {
  let env: BrowserEnv;
  /** A: 城关供电所 could not resolve it (needs investment); B and C resolved and closed. */
  const a = { id: 0, number: '' };
  let batchId = 0;
  let scbName = '';

  before(async () => {
    mkdirSync(SCREENS, { recursive: true });
    env = await startBrowserEnv(target, { customers: 300 });
    const db = env.t.database.db;
    const customersOf = (code: string) =>
      db
        .selectFrom('customers')
        .innerJoin('units', 'units.id', 'customers.unit_id')
        .select(['customers.account_no', 'customers.phone'])
        .where('units.code', '=', code)
        .orderBy('customers.id')
        .limit(2)
        .execute();
    const [cg, xp] = [await customersOf('YL-QL-CG'), await customersOf('YL-ZY-XP')];
    assert.equal(cg.length, 2);
    assert.ok(xp.length > 0);
    scbName = (await db.selectFrom('users').select('name').where('username', '=', 'handler.scb').executeTakeFirstOrThrow()).name;

    const agent = await env.t.login('agent');
    const analyst = await env.t.login('analyst');
    const register = async (customer: { account_no: string; phone: string }, body: object) => {
      const res = await agent.post('/api/demands', { channel: 'phone', customer: { accountNo: customer.account_no, phone: customer.phone }, ...body });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: number; number: string };
    };
    const dispatchAndHandle = async (demand: { id: number }, unit: string, handler: string, report: object) => {
      const order = await agent.post(`/api/demands/${demand.id}/work-orders`, {
        unitId: await unitId(env.t.database, unit),
        instructions: '请核实处理并答复客户',
      });
      assert.equal(order.statusCode, 201, order.body);
      const client = await env.t.login(handler);
      const id = (order.json() as { id: number }).id;
      assert.equal((await client.post(`/api/work-orders/${id}/accept`)).statusCode, 200);
      const handled = await client.post(`/api/work-orders/${id}/handle`, report);
      assert.equal(handled.statusCode, 200, handled.body);
    };
    const closeWithCallback = async (demand: { id: number }) => {
      const res = await agent.post(`/api/demands/${demand.id}/callbacks`, { outcome: 'satisfied' });
      assert.equal(res.statusCode, 200, res.body);
    };

    const A = await register(cg[0]!, {
      type: 'complaint',
      category: 'outage_voltage',
      subcategory: 'quality_complaint',
      content: '村里低电压持续三个月，晚上空调无法启动，要求改造台区',
    });
    const B = await register(cg[1]!, { type: 'complaint', category: 'outage_voltage', subcategory: 'quality_complaint', content: '小区低电压，空调无法启动' });
    const C = await register(xp[0]!, { type: 'opinion', category: 'supply_service', content: '营业厅排队时间太长，建议增加窗口' });
    Object.assign(a, A);
    await dispatchAndHandle(A, 'YL-QL-CG', 'handler', {
      findings: '线路末端过长，需新建台区分流，超出供电所能力',
      resolved: false,
      unresolvedReason: 'investment',
    });
    await dispatchAndHandle(B, 'YL-QL-CG', 'handler', { findings: '调整台区分接头，电压恢复正常' });
    await dispatchAndHandle(C, 'YL-ZY-XP', 'handler.zy-xp', { findings: '已增设临时窗口，周末延长营业' });
    await closeWithCallback(B);
    await closeWithCallback(C);
    const filed = await agent.post('/api/suggestions', { text: '低电压投诉集中在城郊台区，建议纳入年度改造计划', demandId: A.id });
    assert.equal(filed.statusCode, 201, filed.body);

    // Back into the month: registered, first handled and (B, C) closed there.
    await db
      .updateTable('demands')
      .set({ created_at: on(10, 9), first_handled_at: on(12, 10) })
      .where('id', '=', A.id)
      .execute();
    await db
      .updateTable('demands')
      .set({ created_at: on(11, 9), first_handled_at: on(12, 11), closed_at: on(14, 9) })
      .where('id', '=', B.id)
      .execute();
    await db
      .updateTable('demands')
      .set({ created_at: on(11, 15), first_handled_at: on(13, 10), closed_at: on(15, 9) })
      .where('id', '=', C.id)
      .execute();

    // A criticism of 麒麟区 from above, entered through the API; the praise is entered on the page below.
    const criticism = await analyst.post('/api/evaluation/events', {
      unitId: await unitId(env.t.database, 'YL-QL'),
      kind: 'criticism',
      occurredOn: `${month}-20`,
      description: '省公司通报：低电压投诉处理不及时',
    });
    assert.equal(criticism.statusCode, 201, criticism.body);

    // The month's batch, made by the analyst (the scheduler would make it on the next month's first working day).
    const made = await analyst.post('/api/transfers', { month });
    assert.equal(made.statusCode, 201, made.body);
    const batch = made.json() as { id: number; items: { number: string; toUnitName: string; reason: string }[] };
    batchId = batch.id;
    assert.deepEqual(
      batch.items.map((i) => [i.number, i.toUnitName, i.reason]),
      [[A.number, '生产设备部', 'unresolved']],
    );
  });
  after(() => env?.close());

  test('生产设备部’s handler answers the transfer item raised to it, from the keyboard', async () => {
    const page = await desk(env, 'handler.scb');
    try {
      await page.goto(`${env.baseUrl}/evaluation`);
      await page.waitForURL(/\/evaluation\/transfers$/);
      const waiting = page.getByTestId('transfers-waiting');
      const row = waiting.locator(`[data-testid="transfer-item"][data-number="${a.number}"]`);
      await row.waitFor();
      await row.getByText('县区局未能解决').waitFor();
      await row.getByText('需电网投资改造').waitFor();
      await row.getByText('城关供电所').waitFor();
      assert.equal(await row.getByTestId('transfer-time-left').getAttribute('data-state'), 'running');
      assert.equal(await row.getByTestId('transfer-demand-link').getAttribute('href'), `/demands/${a.id}`);
      await noCodes(page);
      await shoot(page, 'transfers-department');

      await row.getByTestId('transfer-answer-open').click();
      const form = page.getByTestId('answer-form');
      const measures = form.getByTestId('answer-measures');
      // The measures take the focus: the answer is typed, tabbed and confirmed without the mouse.
      await page.locator('[data-testid="answer-measures"]:focus').waitFor();
      await page.keyboard.type('已列入年度农网改造计划，新建台区分流');
      await page.keyboard.press('Tab');
      await page.keyboard.press('ArrowRight');
      assert.equal(await form.getByRole('radio', { name: '未解决' }).isChecked(), true);
      await form.getByText('未解决时必填：客户回访时将告知此日期').waitFor();
      await page.keyboard.press('Tab');
      const expected = inDays(40);
      await page.keyboard.type(expected);
      await page.keyboard.press('Enter');
      // On to the owner: past the date's clear button, which is a control of its own.
      const focused = () =>
        page.evaluate(
          `document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.className`,
        );
      await page.keyboard.press('Tab');
      if ((await focused()) !== 'answer-owner') await page.keyboard.press('Tab');
      assert.equal(await focused(), 'answer-owner');
      await page.keyboard.type('张工');
      assert.equal(await measures.inputValue(), '已列入年度农网改造计划，新建台区分流');
      await shoot(page, 'answer-form');
      await page.keyboard.press('Enter');
      await page.getByText('答复已提交，已记入诉求并通知登记坐席').waitFor();
      await form.waitFor({ state: 'hidden' });
      await waiting.getByText('目前没有待本部门答复的传递事项', { exact: false }).waitFor();

      // The batch shows the answer, and the demand's timeline carries it.
      await page.getByTestId('batch-link').first().click();
      await page.waitForURL(new RegExp(`/evaluation/transfers/${batchId}$`));
      const answered = page.locator(`[data-testid="transfer-item"][data-number="${a.number}"][data-status="answered"]`);
      await answered.waitFor();
      await answered.getByText('已列入年度农网改造计划，新建台区分流').waitFor();
      await answered.getByText(`预计 ${expected} 前解决`).waitFor();
      await answered.getByText('责任人：张工').waitFor();
      assert.equal(await page.getByTestId('batch-answered').innerText(), '1 / 1');
      assert.equal(await page.getByTestId('batch-export').getAttribute('href'), `/api/transfers/${batchId}/export`);
      await noCodes(page);
      await shoot(page, 'batch');
      const demand = (await (await env.t.login('agent')).get(`/api/demands/${a.id}`)).json() as { timeline: { kind: string; note: string | null }[] };
      assert.ok(demand.timeline.some((e) => e.kind === 'transfer.answered' && e.note === '已列入年度农网改造计划，新建台区分流'));
    } finally {
      await page.context().close();
    }
  });

  test('the analyst opens the month’s meeting, records a decision, enters a praise and publishes the quarter', async () => {
    const page = await desk(env, 'analyst');
    try {
      await page.goto(`${env.baseUrl}/evaluation/meetings`);
      await page.getByText('还没有会商会议', { exact: false }).waitFor();
      await shoot(page, 'meetings-empty');
      await page.getByTestId('meeting-open').click();
      const form = page.getByTestId('meeting-form');
      await form.getByTestId('meeting-title').fill(`${Number(month.slice(5))}月客户诉求会商会议`);
      const [from, to] = [form.getByTestId('meeting-period').first(), form.getByTestId('meeting-period').last()];
      await typeDate(from, `${month}-01`);
      await typeDate(to, monthEnd);
      assert.equal(await form.getByTestId('meeting-held-on').inputValue(), today);
      await saveDialog(page);
      await page.waitForURL(/\/evaluation\/meetings\/\d+$/);
      const meetingUrl = page.url();

      // (一) to (五), assembled from the data.
      await page
        .getByTestId('meeting-heading')
        .getByText(`${Number(month.slice(5))}月客户诉求会商会议`)
        .waitFor();
      const hot = page.getByTestId('pack-1');
      await hot.getByText(`本期（${month}-01 至 ${monthEnd}）计入分析的诉求 3 宗`, { exact: false }).waitFor();
      await hot.locator('[data-testid="hot-row"][data-key="outage_voltage"]').getByText('停电与电压质量').waitFor();
      await hot.locator('[data-testid="hot-row"][data-key="低电压"]').waitFor();
      await hot.getByTestId('hot-chart').locator('svg').waitFor();
      await page.getByTestId('pack-2').getByText('汇总材料时还没有已发布的季度评价', { exact: false }).waitFor();
      await page.getByTestId('pack-3').getByText('以往会议没有留下需要跟踪的整改事项。').waitFor();
      await page.getByTestId('pack-4').getByText('低电压投诉集中在城郊台区，建议纳入年度改造计划').waitFor();
      const transferred = page.getByTestId('pack-5').locator(`[data-testid="transfer-item"][data-number="${a.number}"][data-status="answered"]`);
      await transferred.getByText('已列入年度农网改造计划，新建台区分流').waitFor();

      // (六) A decision becomes an action item of 生产设备部, owned by its handler.
      const decision = page.getByTestId('decision-form');
      await decision.getByTestId('decision-text').fill('城郊台区低电压专项治理：完成负荷测算并制定改造方案');
      await choose(page, 'decision-unit', '生产设备', /生产设备部/);
      await choose(page, 'decision-user', '', scbName);
      await typeDate(decision.getByTestId('decision-due'), inDays(20), 'Tab');
      await decision.getByTestId('decision-add').click();
      await page.getByText('整改事项已添加，已通知责任单位').waitFor();
      const decided = page.getByTestId('decisions').locator('[data-testid="action-item"][data-status="open"]');
      await decided.getByText('城郊台区低电压专项治理：完成负荷测算并制定改造方案').waitFor();
      await decided.getByText(scbName).waitFor();
      await noCodes(page);
      await shoot(page, 'meeting');

      // A praise of 麒麟区 from above, dated in the quarter.
      await page.goto(`${env.baseUrl}/evaluation/events`);
      await page.locator('[data-testid="event-row"][data-kind="criticism"]').waitFor();
      await page.getByTestId('event-record').click();
      const event = page.getByTestId('event-form');
      await choose(page, 'event-unit', '麒麟', /麒麟区供电局/);
      await event.getByTestId('event-kind-praise').click();
      await typeDate(event.getByTestId('event-date'), `${month}-25`);
      await event.getByTestId('event-description').fill('省公司表扬：迎峰度夏保供电工作突出');
      await saveDialog(page);
      await page.getByText('事项已登记').waitFor();
      await page.locator('[data-testid="event-row"][data-kind="praise"]').getByText('省公司表扬：迎峰度夏保供电工作突出').waitFor();
      await noCodes(page);
      await shoot(page, 'events');

      // The quarter: computed as a draft, then published after the confirmation.
      await page.goto(`${env.baseUrl}/evaluation/quarters`);
      await page.getByText('还没有季度评价表', { exact: false }).waitFor();
      await shoot(page, 'quarters-empty');
      await page.getByTestId('quarter-compute').click();
      await page.locator('[data-testid="quarter-page"][data-status="draft"]').waitFor();
      await page.getByText('这是草稿', { exact: false }).waitFor();
      await page.getByTestId('score-table-county').locator('[data-testid="score-row"][data-unit="麒麟区供电局"]').waitFor();
      await shoot(page, 'quarter-draft');
      await page.getByTestId('quarter-publish').click();
      const confirm = page.locator('.ant-modal-confirm:visible');
      await confirm.getByText('发布后评价表冻结', { exact: false }).waitFor();
      await confirm.getByRole('button', { name: /发\s*布/ }).click();
      await page.locator('[data-testid="quarter-page"][data-status="published"]').waitFor();
      await page.getByText('评价表已发布，已通知各单位').waitFor();
      await noCodes(page);
      await shoot(page, 'quarter-published');
      await page.goto(`${env.baseUrl}/evaluation/quarters`);
      await page.locator(`[data-testid="quarter-row"][data-status="published"][data-quarter="${quarter.year}-Q${quarter.quarter}"]`).waitFor();
      await shoot(page, 'quarters');

      // The meeting's pack, assembled again, now carries the published quarter; it prints without the navigation and the controls.
      await page.goto(meetingUrl);
      await page.getByTestId('meeting-reassemble').click();
      await page
        .locator('.ant-popover:visible')
        .getByRole('button', { name: /确\s*定/ })
        .click();
      await page.getByText('会议材料已重新汇总').waitFor();
      await page.getByTestId('pack-2').getByTestId('score-table-department').locator('[data-testid="score-row"][data-unit="生产设备部"]').waitFor();
      await shoot(page, 'meeting-pack');
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.getByTestId('main-nav').isVisible(), false, 'no navigation on paper');
      assert.equal(await page.getByTestId('meeting-print').isVisible(), false, 'no buttons on paper');
      assert.equal(await page.getByTestId('decision-form').isVisible(), false, 'no form on paper');
      assert.equal(await page.getByTestId('pack-6').isVisible(), true);
      await shoot(page, 'meeting-print');
      await page.emulateMedia({ media: 'screen' });

      // The scores of any period, every term a column, and the published quarter's line.
      await page.goto(`${env.baseUrl}/evaluation/scores`);
      const county = page.getByTestId('score-table-county').locator('[data-testid="score-row"][data-unit="麒麟区供电局"]');
      await county.waitFor();
      assert.equal(await county.getAttribute('data-score'), '45');
      await page.getByTestId('trend-chart-county').locator('svg').waitFor();
      await noCodes(page);
      await shoot(page, 'scores');
      await page.getByTestId('lang-switch').click();
      await page.getByText('County bureaus', { exact: true }).first().waitFor();
      await noCodes(page, 'en');
      await shoot(page, 'scores-en');
      await page.getByTestId('lang-switch').click();
    } finally {
      await page.context().close();
    }
  });

  test('麒麟区供电局’s handler lands on the county’s score, its terms in words', async () => {
    const api = await env.t.login('handler.ql');
    const own = (await api.get(`/api/evaluation?from=${quarterFrom}&to=${quarterTo}`)).json() as { units: { unitName: string; score: number }[] };
    assert.deepEqual(
      own.units.map((u) => [u.unitName, u.score]),
      [['麒麟区供电局', 45]],
      '2 of the city’s 3 demands (−20), 1 of them unresolved (−35), a criticism (−1) and a praise (+1)',
    );
    const page = await desk(env, 'handler.ql');
    try {
      await page.goto(`${env.baseUrl}/evaluation`);
      await page.waitForURL(/\/evaluation\/scores$/);
      const card = page.getByTestId('own-score');
      await card.getByText(`麒麟区供电局 · ${quarter.year}年第${quarter.quarter}季度`).waitFor();
      assert.equal(await card.getByTestId('own-score-value').innerText(), '45');
      assert.match(await card.innerText(), /县区局第 7 名/, 'the last of the seven county bureaus: the others scored 90 and 100');
      const term = (key: string) => card.getByTestId(`score-term-${key}`).innerText();
      assert.match(await term('share'), /诉求 2 宗，占全市比重 66\.67% × 30 = 扣 20 分/);
      assert.match(await term('unresolved'), /未解决 1 宗，未解决率 50% × 70 = 扣 35 分/);
      assert.match(await term('criticisms'), /上级通报批评 1 次 × 1 = 扣 1 分/);
      assert.match(await term('praises'), /上级表扬 1 次 × 1 = 加 1 分/);
      assert.match(await term('serviceEvents'), /客服事件 0 起 × 2 = 扣 0 分/);
      // Their own row only: no other unit's table.
      assert.equal(await page.locator('[data-testid="score-row"]').count(), 0);
      await page.getByTestId('trend-chart-county').locator('svg').waitFor();
      await noCodes(page);
      await shoot(page, 'county-score');
    } finally {
      await page.context().close();
    }
  });

  test('生产设备部 reports its action item done; the list shows it done', async () => {
    const page = await desk(env, 'handler.scb');
    try {
      await page.goto(`${env.baseUrl}/evaluation/actions`);
      const item = page.locator('[data-testid="action-item"][data-status="open"]');
      await item.getByText('城郊台区低电压专项治理', { exact: false }).waitFor();
      await shoot(page, 'actions');
      await item.getByTestId('action-progress-open').click();
      const form = page.getByTestId('progress-form');
      await form.getByTestId('progress-note').fill('负荷测算完成，改造方案已报批');
      await form.getByTestId('progress-done').check();
      await saveDialog(page);
      await page.getByText('进展已记录').waitFor();
      await page.getByTestId('action-view-done').click();
      const done = page.locator('[data-testid="action-item"][data-status="done"]');
      await done.getByText('负荷测算完成，改造方案已报批').waitFor();
      await done.getByTestId('action-time-left').getByText('按期完成').waitFor();
      await noCodes(page);
      await shoot(page, 'actions-done');
    } finally {
      await page.context().close();
    }
  });
});
