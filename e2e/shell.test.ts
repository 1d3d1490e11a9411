import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, type Role } from '../src/shared/codes.js';
import { navAreasFor } from '../src/shared/nav.js';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, login, startBrowserEnv, type BrowserEnv } from './browser.js';

// The browser half of SQLite is enough: the pages see the API, not the database.
const target = testDatabases()[0]!;
const skip = browserSkipReason();

const NAV_LABELS_ZH: Record<string, string> = {
  demands: '诉求',
  experts: '专家坐席',
  knowledge: '知识库',
  customers: '客户',
  outages: '停电',
  reports: '报表分析',
  evaluation: '评价分析',
  admin: '系统管理',
};

describe('web shell in Chromium', { skip }, () => {
  let env: BrowserEnv;
  before(async () => {
    env = await startBrowserEnv(target);
  });
  after(() => env?.close());

  for (const role of ROLES) {
    test(`${role} signs in and sees the navigation of the role, in Chinese`, async () => {
      const context = await env.browser.newContext({ locale: 'zh-CN' });
      const page = await context.newPage();
      try {
        await login(page, env.baseUrl, role);
        const areas = await page.locator('[data-testid="main-nav"] [data-nav]').evaluateAll((els) => els.map((e) => e.getAttribute('data-nav')));
        const expected = navAreasFor([role as Role]);
        assert.deepEqual([...new Set(areas)], expected);
        for (const area of expected) {
          await assert.doesNotReject(
            page.locator(`[data-testid="main-nav"] [data-nav="${area}"]`).first().getByText(NAV_LABELS_ZH[area]!, { exact: true }).waitFor({ timeout: 5000 }),
            `${role}: ${area} labelled ${NAV_LABELS_ZH[area]}`,
          );
        }
        await page.getByTestId('current-user').waitFor();
        await page.getByTestId('logout').click();
        await page.getByTestId('login-username').waitFor();
      } finally {
        await context.close();
      }
    });
  }

  test('a wrong password shows the server’s message and stays on the login page', async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${env.baseUrl}/login`);
      await page.getByTestId('login-username').fill('agent');
      await page.getByTestId('login-password').fill('not-the-password');
      await page.getByTestId('login-submit').click();
      await page.getByText('wrong user name or password').or(page.getByText('用户名或密码错误')).first().waitFor({ timeout: 5000 });
      assert.match(page.url(), /\/login/);
    } finally {
      await context.close();
    }
  });

  test('the English switch turns the navigation into English', async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    try {
      await login(page, env.baseUrl, 'team_lead');
      await page.getByTestId('lang-switch').click();
      await page.locator('[data-testid="main-nav"] [data-nav="demands"]').first().getByText('Demands', { exact: true }).waitFor({ timeout: 5000 });
    } finally {
      await context.close();
    }
  });

  test('times are the company’s (Beijing), not the browser’s: a reader in New York sees a demand’s registration and deadline in China time', async () => {
    const agent = await env.t.login('agent');
    const customer = await env.t.database.db.selectFrom('customers').select(['account_no', 'phone']).orderBy('id').executeTakeFirstOrThrow();
    const created = await agent.post('/api/demands', {
      channel: 'phone',
      type: 'complaint',
      category: 'supply_service',
      subcategory: 'service_complaint',
      customer: { accountNo: customer.account_no, phone: customer.phone },
      content: '抄表员态度恶劣',
    });
    assert.equal(created.statusCode, 201, created.body);
    const demand = created.json() as { id: number; createdAt: string; deadlines: { step: string; dueAt: string }[] };
    const contactDue = demand.deadlines.find((d) => d.step === 'contact')!.dueAt;
    const context = await env.browser.newContext({ locale: 'zh-CN', timezoneId: 'America/New_York', viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    try {
      await login(page, env.baseUrl, 'agent');
      await page.goto(`${env.baseUrl}/demands/${demand.id}`);
      const shown = (await page.getByTestId('demand-created').innerText()).trim();
      // What this browser's Intl writes for the instant in each zone: the page must show Beijing's.
      const [[beijing, dueBeijing], [newYork, dueNewYork]] = (await page.evaluate(
        ([at, due]) =>
          ['Asia/Shanghai', 'America/New_York'].map((timeZone) => [
            new Intl.DateTimeFormat('zh-CN', { dateStyle: 'medium', timeStyle: 'medium', timeZone }).format(new Date(at)),
            new Intl.DateTimeFormat('zh-CN', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone })
              .formatToParts(new Date(due))
              .filter((p) => p.type !== 'literal')
              .map((p) => p.value)
              .join(' '),
          ]),
        [demand.createdAt, contactDue] as const,
      )) as [[string, string], [string, string]];
      assert.notEqual(beijing, newYork, 'Beijing is 12 or 13 hours ahead of New York');
      assert.equal(shown, beijing);
      // The contact deadline falls at midnight or noon of a Beijing working day, and reads so (month, day, hour, minute; the year only in another year).
      const due = page.locator('[data-testid="demand-deadlines"] tr[data-step="contact"] td').nth(2);
      const dueText = (await due.innerText()).trim();
      assert.equal(dueText.match(/\d+/g)?.slice(-4).join(' '), dueBeijing, `${dueText} is Beijing's ${dueBeijing}, not New York's ${dueNewYork}`);
      assert.match(dueText, /(00|12):00$/);
      // The countdown counts the same span in every zone.
      await page.locator('[data-testid="demand-deadlines"] tr[data-step="contact"] [data-testid="deadline-countdown"]').getByText(/剩余/).waitFor();
    } finally {
      await context.close();
    }
  });

  test('a page outside the role’s navigation is refused; no session sends to the login page', async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${env.baseUrl}/admin/users`);
      await page.getByTestId('login-username').waitFor();
      await login(page, env.baseUrl, 'handler');
      await page.goto(`${env.baseUrl}/admin/users`);
      await page.getByText('403').first().waitFor({ timeout: 5000 });
    } finally {
      await context.close();
    }
  });
});
