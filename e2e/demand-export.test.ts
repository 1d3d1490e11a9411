import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { seedDemands } from '../src/server/modules/demo/demands.js';
import { cellText, readWorkbook } from '../src/server/platform/xlsx.js';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, choose, desk, startBrowserEnv, type BrowserEnv } from './browser.js';

// The demand list's export in Chromium (issue 18): the agent filters the
// list, which says its exact total past 1,000; exports it, watches the rows
// being written of the total, and saves the file, which holds the list.

const target = testDatabases()[0]!;
const skip = browserSkipReason();
const SCREENS = process.env.SUQIU_SHOTS_DIR ?? '/tmp/shots-demand-export';

describe('the demand list’s export in Chromium', { skip }, () => {
  let env: BrowserEnv;
  const now = new Date('2026-12-09T10:00:00+08:00');

  before(async () => {
    mkdirSync(SCREENS, { recursive: true });
    env = await startBrowserEnv(target, { customers: 300, clock: () => now });
    await seedDemands(env.t.database, { demands: 3000, seed: 18, now: () => now.toISOString(), spanDays: 20 });
  });
  after(() => env?.close());

  test('the agent filters the list, exports it, sees the progress and gets the file', async () => {
    const db = env.t.database.db;
    const count = async (where: (q: any) => any) =>
      Number(
        (
          await where(db.selectFrom('demands').where(sql<boolean>`case_id = id`))
            .select((eb: any) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const all = await count((q) => q);
    const phone = await count((q) => q.where('channel', '=', 'phone'));
    assert.ok(all > 1000 && phone > 1000, `${all} cases, ${phone} by phone`);

    const page = await desk(env, 'agent');
    await page.goto(`${env.baseUrl}/demands`);
    const pager = page.locator('.ant-pagination-total-text');
    // The exact total, past 1,000, grouped as a number is written.
    await pager.filter({ hasText: `共 ${all.toLocaleString('zh-CN')} 条` }).waitFor();

    await choose(page, 'filter-channel', '', '95598电话');
    await page.getByTestId('filter-apply').click();
    await pager.filter({ hasText: `共 ${phone.toLocaleString('zh-CN')} 条` }).waitFor();
    const firstNumber = await page.getByTestId('demand-row').first().getAttribute('data-number');

    await page.getByTestId('demand-export').click();
    const status = page.getByTestId('demand-export-status');
    // Rows written of the total, while it is written (the first answer says 0 of the total).
    await status.filter({ hasText: new RegExp(`已写入 [\\d,]+ / ${phone.toLocaleString('zh-CN')} 行|导出完成`) }).waitFor();
    const seen = await status.textContent();
    await page.screenshot({ path: `${SCREENS}/export-progress.png` });
    await status.filter({ hasText: `导出完成：共 ${phone.toLocaleString('zh-CN')} 行` }).waitFor({ timeout: 30_000 });
    assert.match(seen ?? '', /已写入|导出完成/);
    await page.screenshot({ path: `${SCREENS}/export-done.png` });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('demand-export-download').click()]);
    assert.match(download.suggestedFilename(), /^诉求清单-2026-12-09-\d+\.xlsx$/);
    const path = await download.path();
    const read = await readWorkbook(readFileSync(path!));
    assert.ok('sheets' in read);
    const rows = read.sheets[0]!.rows.map((r) => r.cells.map((c) => cellText(c)));
    assert.equal(rows[0]![0], '诉求编号');
    assert.equal(rows.length - 1, phone, 'a row per demand of the filtered list');
    assert.equal(rows[1]![0], firstNumber, 'in the list’s order');
    assert.ok(rows.slice(1).every((r) => r[2] === '95598电话'));

    // The keyboard closes the dialog; the list is as it was.
    await page.keyboard.press('Escape');
    await page.getByTestId('demand-export-modal').waitFor({ state: 'hidden' });
    await page.screenshot({ path: `${SCREENS}/list-total.png` });
  });
});
