import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { seedDemands } from '../src/server/modules/demo/demands.js';
import { cellText, readWorkbook } from '../src/server/platform/xlsx.js';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, choose, desk, startBrowserEnv, type BrowserEnv } from './browser.js';

// 诉求报表 in Chromium (issue 18, point 1): the analyst opens the standard
// reports on a month of the demo history, groups the demands by channel and
// then by type, sees the stacked bars drawn (a non-empty SVG) and the table
// with its totals, downloads the workbook and reads it back; the other three
// reports draw too.

const target = testDatabases()[0]!;
const skip = browserSkipReason();
const SCREENS = process.env.SUQIU_SHOTS ?? '/tmp/shots-reports';
const now = new Date('2026-12-07T10:00:00+08:00');
const NOVEMBER = 'from=2026-11-01&to=2026-12-01';

/** The chart's drawing: how many shapes ECharts put in its SVG. */
const shapes = (page: Page) => page.getByTestId('report-chart').locator('svg path, svg rect').count();

describe('the standard reports in Chromium', { skip }, () => {
  let env: BrowserEnv;
  let november: { cases: number; byChannel: Map<string, number> };

  before(async () => {
    mkdirSync(SCREENS, { recursive: true });
    env = await startBrowserEnv(target, { clock: () => now, customers: 300 });
    await seedDemands(env.t.database, { demands: 1200, seed: 95598, now: () => now.toISOString(), spanDays: 90 });
    const analyst = await env.t.login('analyst');
    const report = (await analyst.get(`/api/reports/demands?${NOVEMBER}&groupBy=channel`)).json();
    november = { cases: report.total, byChannel: new Map(report.rows.map((r: { channel: string; count: number }) => [r.channel, r.count])) };
    assert.ok(november.cases > 100, `a month of demands (${november.cases})`);
  });
  after(() => env?.close());

  test('the analyst groups November’s demands by channel and type, sees the chart and the table, and downloads the workbook', async () => {
    const page = await desk(env, 'analyst');
    await page.goto(`${env.baseUrl}/reports/demands?${NOVEMBER}`);
    await page.getByTestId('demand-reports-page').waitFor();
    await page.getByTestId('report-chart').locator('svg').waitFor();
    assert.ok((await shapes(page)) > 5, 'bars by unit');

    await choose(page, 'report-group', '', '渠道');
    await page.getByTestId('report-table').getByText('95598电话').first().waitFor();
    await choose(page, 'report-then', '', '诉求类型');
    await page.waitForURL(/group=channel&then=type|then=type/);
    const table = page.getByTestId('report-table');
    await table.locator('thead').getByText('诉求类型').waitFor();
    await page.getByTestId('report-chart').locator('svg').waitFor();
    assert.ok((await shapes(page)) > 10, 'stacked bars drawn');
    // The totals row says the month's cases.
    const totals = page.getByTestId('report-totals');
    await totals.getByText('合计').waitFor();
    assert.ok(((await totals.textContent()) ?? '').includes(String(november.cases)), 'the month’s total');
    // The legend names the types in words, never codes.
    const chartText = (await page.getByTestId('report-chart').textContent()) ?? '';
    assert.ok(!/complaint|consultation/.test(chartText), chartText.slice(0, 200));
    await page.screenshot({ path: `${SCREENS}/demands-channel-type.png`, fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-export').click()]);
    assert.equal(download.suggestedFilename(), '诉求报表-2026-11-01-2026-12-01.xlsx');
    const read = await readWorkbook(readFileSync((await download.path())!));
    assert.ok('sheets' in read);
    const rows = read.sheets[0]!.rows.map((r) => r.cells.map((c) => (c === null ? '' : cellText(c))));
    assert.match(rows[0]![0]!, /诉求报表（2026-11-01 至 2026-11-30）/);
    assert.deepEqual(rows[1], ['渠道', '诉求类型', '诉求宗数', '已办结', '超时', '来电次数']);
    const body = rows.slice(2, -1);
    const phone = body.filter((r) => r[0] === '95598电话').reduce((n, r) => n + Number(r[2]), 0);
    assert.equal(phone, november.byChannel.get('phone'), 'the phone rows add up to the phone channel');
    assert.equal(rows.at(-1)![0], '合计');
    assert.equal(Number(rows.at(-1)![2]), november.cases);
  });

  test('timeliness, rates and complaints per 10,000 customers draw their charts and tables', async () => {
    const page = await desk(env, 'analyst');
    for (const kind of ['timeliness', 'rates', 'complaints'] as const) {
      await page.goto(`${env.baseUrl}/reports/demands?${NOVEMBER}&report=${kind}`);
      await page.getByTestId('report-chart').locator('svg').waitFor();
      await page.getByTestId('report-totals').waitFor();
      assert.ok((await shapes(page)) > 5, `${kind}: drawn`);
      await page.screenshot({ path: `${SCREENS}/${kind}.png`, fullPage: true });
    }
    // The month picker: October instead; a unit's subtree; then nothing in a month without demands.
    await page.goto(`${env.baseUrl}/reports/demands?from=2020-01-01&to=2020-02-01`);
    await page.getByTestId('report-empty').waitFor();
    await page.screenshot({ path: `${SCREENS}/empty.png`, fullPage: true });
  });
});
