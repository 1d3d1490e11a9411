import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestApp, type StartOptions, type TestApp } from '../test/helpers/app.js';
import type { TestDatabase } from '../test/helpers/databases.js';

// Browser tests drive the built web app (npm test builds it first) in Debian's
// Chromium. Where Chromium is missing they are skipped, loudly; in CI they fail.

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function browserSkipReason(): string | false {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${CHROMIUM} is missing: browser tests cannot be skipped in CI`);
  const reason = `SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium)`;
  process.stderr.write(`\n*** browser tests ${reason} ***\n\n`);
  return reason;
}

export interface BrowserEnv {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startBrowserEnv(target: TestDatabase, options: StartOptions = {}): Promise<BrowserEnv> {
  const t = await startTestApp(target, options);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    t,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

export async function login(page: Page, baseUrl: string, username: string, password = 'suqiu-demo'): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('main-nav').waitFor();
}

/**
 * Picks an option of an antd Select or TreeSelect by its text, as a user
 * would, and waits until the field shows it: a click that lands while the
 * dropdown is still animating in is not taken, so it is tried again.
 */
export async function choose(page: Page, testId: string, search: string, option: string | RegExp): Promise<void> {
  const select = page.getByTestId(testId);
  const closeIfOpen = async () => {
    // Escape on a closed select would close the whole dialog instead.
    if (((await select.getAttribute('class')) ?? '').includes('ant-select-open')) await page.keyboard.press('Escape');
  };
  for (let attempt = 1; ; attempt++) {
    await select.click();
    if (search) await page.keyboard.type(search);
    const item = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByText(option).first();
    await item.waitFor({ state: 'visible' });
    await page.waitForTimeout(150); // the dropdown's opening motion
    await item.click();
    try {
      await select.filter({ hasText: option }).waitFor({ state: 'visible', timeout: 1500 });
      await closeIfOpen();
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      await closeIfOpen();
    }
  }
}

/** A signed-in page in a browser context of its own (its own cookies), as each person works at their own desk. */
export async function desk(env: BrowserEnv, username: string, password?: string): Promise<Page> {
  const context = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await login(page, env.baseUrl, username, password);
  return page;
}

/** Clicks Save in the dialog on screen (antd puts a space between two CJK characters of a button). */
export const saveDialog = (page: Page) =>
  page
    .locator('.ant-modal:visible')
    .getByRole('button', { name: /保\s*存/ })
    .click();
