import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, desk, startBrowserEnv, type BrowserEnv } from './browser.js';

// 满意度 in Chromium (issue 18, point 3): the analyst opens 报表分析 → 满意度,
// finds no survey yet, imports a file with a bad row (the row is shown with
// its problem, nothing imported), then the good file: the trend chart of the
// eight dimensions is drawn, the elasticity card says it shows the seed's
// figures, and the what-if says what 10 % fewer outage demands would do.

const target = testDatabases()[0]!;
const skip = browserSkipReason();
const SCREENS = process.env.SUQIU_SHOTS_DIR ?? '/tmp/shots-satisfaction';
const HEADER = '期间,单位,供电稳定,供电安全,用电缴费,业务办理,营业厅服务,95598热线,客户沟通,问题处理,总体';
const quarters = ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4'];
const row = (period: string, unit: string, base: number) =>
  [period, unit, base - 6, base - 2, base - 11, base - 9, base + 7, base + 5, base - 1, base - 5, base].join(',');

describe('satisfaction in Chromium', { skip }, () => {
  let env: BrowserEnv;

  before(async () => {
    mkdirSync(SCREENS, { recursive: true });
    env = await startBrowserEnv(target, { clock: () => new Date('2026-12-07T01:00:00Z') });
  });
  after(() => env?.close());

  test('the analyst imports the survey file on the page and sees the trend chart', async () => {
    const page = await desk(env, 'analyst');
    await page.goto(`${env.baseUrl}/reports/satisfaction`);
    await page.getByTestId('page-satisfaction').waitFor();
    await page.getByTestId('satisfaction-empty').waitFor();

    const input = page.locator('input[type="file"]');
    const bad = [HEADER, row('2024-Q1', '', 78), row('2024-Q9', '', 80)].join('\r\n');
    await input.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByTestId('satisfaction-rejected').waitFor();
    await page.getByText('第 3 行').waitFor();
    await page.getByText(/"2024-Q9" is not a year/).waitFor();
    await page.getByTestId('satisfaction-empty').waitFor();

    const good = [HEADER, ...quarters.map((q, i) => row(q, '', 74 + (i % 3) * 2 + i * 0.5)), ...quarters.map((q, i) => row(q, '麒麟区供电局', 70 + i))].join(
      '\r\n',
    );
    await input.setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.getByTestId('satisfaction-imported').waitFor();
    assert.match(await page.getByTestId('satisfaction-imported').innerText(), /已导入 16 行/);

    const chart = page.getByTestId('satisfaction-trend');
    await chart.waitFor();
    await chart.locator('svg path').first().waitFor({ state: 'attached' });
    assert.ok((await chart.locator('svg path').count()) > 9, 'nine lines drawn');
    const box = await chart.boundingBox();
    assert.ok(box && box.height > 200 && box.width > 400);
    assert.match(await page.getByTestId('satisfaction-elasticity-source').innerText(), /种子文章/);
    assert.match(await page.getByTestId('satisfaction-whatif-sentence').innerText(), /满意度预计上升 7\.20%/);
    await page.screenshot({ path: `${SCREENS}/satisfaction.png`, fullPage: true });

    // The county's own trend, chosen from the keyboard-reachable select.
    await page.getByTestId('satisfaction-trend-unit').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByText('麒麟区供电局').click();
    await chart.locator('svg path').first().waitFor({ state: 'attached' });
    await page.context().close();
  });
});
