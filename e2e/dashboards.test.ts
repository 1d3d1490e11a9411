import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { runSchedulerPass } from '../src/server/scheduler.js';
import { unitId } from '../test/helpers/app.js';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, desk, startBrowserEnv, type BrowserEnv } from './browser.js';

// The dashboards in Chromium (issue 18): the centre manager's dashboard draws
// its charts (SVG paths drawn, and a screenshot that is not one colour), and
// the team lead's wallboard changes by itself, with no reload, when a repair's
// arrival goes overdue at a scheduler pass.

const target = testDatabases()[0]!;
const skip = browserSkipReason();
const SCREENS = process.env.SUQIU_SHOTS_DIR ?? '/tmp/shots-dashboards';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * How many colours a PNG has, counted in the page's own canvas (a blank or
 * one-colour capture has one or two). The script runs in the browser, so it
 * is given as text: this file is compiled without the DOM's types.
 */
async function coloursOf(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(`(async () => {
    const img = new Image();
    img.src = 'data:image/png;base64,${png.toString('base64')}';
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const g = canvas.getContext('2d');
    g.drawImage(img, 0, 0);
    const px = g.getImageData(0, 0, img.width, img.height).data;
    const seen = new Set();
    for (let i = 0; i < px.length; i += 28) seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
    return seen.size;
  })()`);
}

/** Waits until a chart's SVG has drawn more than `min` paths. */
const drawn = (page: Page, testId: string, min: number) =>
  page.waitForFunction(`(document.querySelector('[data-testid="${testId}"] svg')?.querySelectorAll('path').length ?? 0) > ${min}`);

describe('dashboards in Chromium', { skip }, () => {
  let env: BrowserEnv;
  // The app's clock runs with the real one, moved by the test (the browser's cookies follow the real clock).
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  let repairId = 0;

  before(async () => {
    mkdirSync(SCREENS, { recursive: true });
    env = await startBrowserEnv(target, { clock: now });
    // The history at a county bureau, the repair at a station: the station's figures are the repair's alone.
    const station = await unitId(env.t.database, 'YL-QL-CG');
    const county = await unitId(env.t.database, 'YL-ZY');
    let phone = 0;
    const register = async (type: string, extra: object = {}) => {
      const agent = await env.t.login('agent');
      phone++;
      const res = await agent.post('/api/demands', {
        channel: phone % 3 === 0 ? 'wechat' : 'phone',
        type,
        category: type === 'fault_repair' ? 'outage_voltage' : 'supply_service',
        ...(type === 'complaint' && { subcategory: 'service_complaint' }),
        customer: { phone: `13800${String(phone).padStart(6, '0')}` },
        content: `第${phone}号诉求`,
        unitId: county,
        ...extra,
      });
      assert.equal(res.statusCode, 201, res.body);
      return { agent, id: res.json().id as number };
    };
    // History over two months, so both trends have lines and bars.
    for (const [daysAgo, types] of [
      [45, ['consultation', 'consultation', 'complaint']],
      [20, ['consultation', 'opinion']],
      [7, ['complaint', 'consultation', 'consultation']],
      [1, ['consultation', 'suggestion', 'complaint']],
      [0, ['consultation', 'complaint']],
    ] as const) {
      offset = -daysAgo * DAY;
      for (const type of types) await register(type);
    }
    offset = 0;
    // A repair sent to the station and taken: the crew is due on site within 45 minutes.
    const repair = await register('fault_repair', { areaClass: 'urban', outageId: null, unitId: station });
    repairId = repair.id;
    const order = await repair.agent.post(`/api/demands/${repair.id}/work-orders`, { unitId: station, instructions: '请立即派人抢修' });
    assert.equal(order.statusCode, 201, order.body);
    const handler = await env.t.login('handler');
    assert.equal((await handler.post(`/api/work-orders/${order.json().id}/accept`)).statusCode, 200);
  });
  after(() => env?.close());

  test('the centre manager’s dashboard draws its charts', async () => {
    const page = await desk(env, 'centre_manager');
    await page.goto(`${env.baseUrl}/reports/dashboard`);
    await page.getByTestId('centre-dashboard').waitFor();
    for (const chart of ['chart-daily', 'chart-monthly']) {
      // ECharts draws SVG paths for the lines and bars: wait for them, then count.
      await drawn(page, chart, 10);
      const paths = await page.locator(`[data-testid="${chart}"] svg path`).count();
      assert.ok(paths > 10, `${chart}: ${paths} paths`);
    }
    const today = page.getByTestId('figures-today');
    assert.match(await today.getByTestId('figure-cases').innerText(), /3/, 'three demands registered today (two and the repair)');
    await page.getByTestId('worst-overdue').waitFor();
    const shot = await page.screenshot({ path: `${SCREENS}/dashboard.png`, fullPage: true });
    assert.ok((await coloursOf(page, shot)) > 20, 'the screenshot is not blank');
    const chartShot = await page.getByTestId('chart-monthly').screenshot({ path: `${SCREENS}/dashboard-monthly.png` });
    assert.ok((await coloursOf(page, chartShot)) > 5, 'the monthly chart has drawn bars');
    await page.context().close();
  });

  test('the wallboard updates without a reload when a demand goes overdue', async () => {
    const page = await desk(env, 'team_lead');
    await page.goto(`${env.baseUrl}/reports/wallboard`);
    const overdue = page.getByTestId('wall-overdue');
    await overdue.waitFor();
    const station = await unitId(env.t.database, 'YL-QL-CG');
    const cell = page.locator(`[data-testid="wall-unit-overdue"][data-unit-id="${station}"]`);
    await cell.waitFor();
    const before = Number(await overdue.getAttribute('data-count'));
    assert.equal(await cell.getAttribute('data-count'), '0', 'the crew is not late yet');
    await drawn(page, 'wall-hours-chart', 3);
    await page.screenshot({ path: `${SCREENS}/wallboard-before.png`, fullPage: true });
    // A mark on the window: a reload or a navigation would wipe it.
    await page.evaluate(`window.suqiuMark = 'same page'`);
    const url = page.url();

    // An hour later the crew has not arrived: the scheduler's pass escalates the step to the team lead.
    offset = HOUR;
    const pass = await runSchedulerPass(env.t.database.db, now(), env.t.config.timeZone);
    assert.ok(pass.escalations >= 1, JSON.stringify(pass));
    // Within 20 s: before the page's 30-s poll comes round, so it is the notification stream that brought it.
    await page.locator(`[data-testid="wall-unit-overdue"][data-unit-id="${station}"][data-count="1"]`).waitFor({ timeout: 20_000 });
    await page.locator(`[data-testid="wall-escalations"] [data-demand-id="${repairId}"]`).waitFor();
    assert.ok(Number(await overdue.getAttribute('data-count')) > before);
    assert.equal(await page.evaluate('window.suqiuMark'), 'same page', 'no reload');
    assert.equal(page.url(), url, 'no navigation');
    await page.screenshot({ path: `${SCREENS}/wallboard-after.png`, fullPage: true });
    await page.context().close();
  });
});
