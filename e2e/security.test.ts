import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Client } from '../test/helpers/app.js';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, choose, desk, login, saveDialog, startBrowserEnv, type BrowserEnv } from './browser.js';

// Issue 13's hardening as an admin and a user meet it in Chromium: a token
// scoped to one of its user's roles, the password policy refusing a weak
// password in words, and the sign-in lock-out saying how long to wait.

const target = testDatabases()[0]!;
const skip = browserSkipReason();
const STRONG = 'plum-orchard-river-9';

describe('sign-in limits, password policy and scoped tokens in Chromium', { skip }, () => {
  let env: BrowserEnv;
  let api: Client;
  let admin: Page;
  const newUser = async (username: string, roles: string[]) => {
    const res = await api.post('/api/users', { username, name: `测试${username}`, password: STRONG, roles, unitId: 2 });
    assert.equal(res.statusCode, 201, res.body);
  };

  before(async () => {
    env = await startBrowserEnv(target);
    api = await env.t.login('admin');
    admin = await desk(env, 'admin');
  });
  after(async () => {
    await admin?.context().close();
    await env?.close();
  });

  test('an admin creates a token that acts with one of its user’s two roles, and sees that role on it', async () => {
    await newUser('kb.both', ['kb_editor', 'kb_reviewer']);
    await admin.goto(`${env.baseUrl}/admin/tokens`);
    await admin.getByTestId('token-create').click();
    const form = admin.getByTestId('token-form');
    await admin.getByTestId('token-revocation-note').getByText('被停用或由管理员重置密码时').waitFor();
    await choose(admin, 'token-user', 'kb.both', /kb\.both/);
    await form.getByText('当前即：知识编辑、知识审核').waitFor();
    await form.getByTestId('token-scope-some').click();
    await form.getByTestId('token-name').fill('知识审核接口');
    await saveDialog(admin);
    await form.getByText('至少选择一个角色').waitFor();
    await form.getByTestId('token-role-kb_reviewer').click();
    await saveDialog(admin);

    const secret = (await admin.getByTestId('token-secret').innerText()).trim();
    await admin.locator('.ant-modal:visible').getByText('知识审核', { exact: true }).waitFor();
    await admin.getByTestId('token-secret-done').click();
    const row = admin.getByTestId('tokens-table').locator('tr', { hasText: '知识审核接口' });
    await row.getByText('知识审核', { exact: true }).waitFor();
    assert.equal(await row.getByText('知识编辑').count(), 0, 'the role left out is not on the token');

    const listed = (await api.get('/api/tokens')).json() as { name: string; roles: string[] | null }[];
    assert.deepEqual(listed.find((token) => token.name === '知识审核接口')?.roles, ['kb_reviewer']);
    const integration = env.t.anonymous();
    integration.bearer = secret;
    assert.deepEqual((await integration.get('/api/me')).json().user.roles, ['kb_reviewer'], 'the token acts with the chosen role only');
  });

  test('an admin raises the password policy; a weak password in the user form is refused with the reason in Chinese', async () => {
    try {
      await admin.goto(`${env.baseUrl}/admin`);
      await admin.getByTestId('admin-tab-passwords').click();
      const policy = admin.getByTestId('password-policy-form');
      assert.equal(await policy.getByTestId('password-policy-length').inputValue(), '8');
      assert.ok(await policy.getByTestId('password-policy-strength-2').isChecked(), '较难猜 (2) is the default');
      await policy.getByTestId('password-policy-length').fill('12');
      await policy.getByTestId('password-policy-strength-3').click();
      await admin.getByTestId('password-policy-save').click();
      await admin.locator('.ant-message').getByText('密码策略已保存').waitFor();
      assert.deepEqual((await api.get('/api/settings/password-policy')).json(), { minLength: 12, minStrength: 3 });

      await admin.getByTestId('admin-tab-users').click();
      await admin.getByTestId('user-create').click();
      const form = admin.getByTestId('user-form');
      await form.getByText('至少 12 位，强度不低于“难猜”').waitFor();
      await form.getByTestId('user-username').fill('weak.pw');
      await form.getByTestId('user-name').fill('弱口令');
      await form.getByTestId('user-password').fill('password123456');
      await choose(admin, 'user-roles', '', '坐席员');
      await choose(admin, 'user-unit', '95598', /95598客户服务中心/);
      await saveDialog(admin);
      await form
        .locator('.ant-form-item-explain-error')
        .getByText('太容易被猜到：与常见密码过于相似（强度“很容易猜”，至少须“难猜”）。请改用几个不相关的词语组成的较长短语。')
        .waitFor();
      assert.equal((await env.t.database.db.selectFrom('users').select('id').where('username', '=', 'weak.pw').execute()).length, 0);

      // A password the policy takes: the same form saves.
      await form.getByTestId('user-password').fill('copper-meadow-falcon-lantern');
      await saveDialog(admin);
      await admin.locator('.ant-modal:visible').waitFor({ state: 'detached' });
    } finally {
      assert.equal((await api.put('/api/settings/password-policy', { minLength: 8, minStrength: 2 })).statusCode, 200);
    }
  });

  test('a wrong password five times from the login page locks the account there, saying how long; an admin unlocks it', async () => {
    await newUser('lock.me', ['agent']);
    const context = await env.browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await page.goto(`${env.baseUrl}/login`);
      const error = page.getByTestId('login-error');
      for (let i = 1; i <= 5; i++) {
        await page.getByTestId('login-username').fill('lock.me');
        await page.getByTestId('login-password').fill(`wrong-guess-${i}`);
        const [answer] = await Promise.all([page.waitForResponse((res) => res.url().endsWith('/api/auth/login')), page.getByTestId('login-submit').click()]);
        assert.equal(answer.status(), i < 5 ? 401 : 423);
        await error.and(page.locator(`[data-error="${i < 5 ? 'unauthenticated' : 'locked'}"]`)).waitFor();
      }
      await error.getByText('账户已锁定').waitFor();
      const words = await error.innerText();
      assert.match(words, /账户已锁定，请 15 分钟后再试（\d\d:\d\d 之后）/);
      assert.match(words, /也可请系统管理员解锁/);
      assert.equal(await page.getByTestId('login-password').inputValue(), '', 'the refused password is cleared for the next try');

      await admin.goto(`${env.baseUrl}/admin/users`);
      const tag = admin.getByTestId('user-locked-lock.me');
      await tag.hover();
      await admin
        .locator('.ant-tooltip')
        .getByText(/因多次密码错误，来自某一地址的登录被锁定至 .+；可解锁/)
        .waitFor();
      await admin.getByTestId('user-unlock-lock.me').click();
      await tag.waitFor({ state: 'detached' });

      await login(page, env.baseUrl, 'lock.me', STRONG);
    } finally {
      await context.close();
    }
  });

  test('a user changing their own password reads the hint and the refusal in words, then that other devices were signed out', async () => {
    await newUser('pw.own', ['agent']);
    const elsewhere = await desk(env, 'pw.own', STRONG);
    const page = await desk(env, 'pw.own', STRONG);
    try {
      await page.getByTestId('change-password').click();
      const form = page.getByTestId('change-password-form');
      await form.getByText('至少 8 位，不要用常见密码或自己的姓名').waitFor();
      await form.getByTestId('change-password-current').fill('not-my-password-1');
      await form.getByTestId('change-password-new').fill('violet-harbour-lantern-3');
      await form.getByTestId('change-password-confirm').fill('violet-harbour-lantern-3');
      await saveDialog(page);
      await form.locator('.ant-form-item-explain-error').getByText('当前密码不正确').waitFor();

      await form.getByTestId('change-password-current').fill(STRONG);
      await form.getByTestId('change-password-new').fill('pw.own2024');
      await form.getByTestId('change-password-confirm').fill('pw.own2024');
      await saveDialog(page);
      await form
        .locator('.ant-form-item-explain-error')
        .getByText('太容易被猜到：由用户本人的姓名或用户名构成（强度“很容易猜”，至少须“较难猜”）', { exact: false })
        .waitFor();

      await form.getByTestId('change-password-new').fill('violet-harbour-lantern-3');
      await form.getByTestId('change-password-confirm').fill('violet-harbour-lantern-3');
      await saveDialog(page);
      await page.getByTestId('change-password-result').getByText('其他浏览器和设备上的登录已全部退出').waitFor();
      await page.getByTestId('change-password-done').click();

      // The other desk's session is gone; this one goes on.
      await elsewhere.reload();
      await elsewhere.getByTestId('login-username').waitFor();
      await page.reload();
      await page.getByTestId('main-nav').waitFor();
    } finally {
      await elsewhere.context().close();
      await page.context().close();
    }
  });
});
