import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
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
