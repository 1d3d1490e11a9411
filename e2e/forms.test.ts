import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, choose, desk, startBrowserEnv, type BrowserEnv } from './browser.js';

// The server's validation issues land on the field they name, nested ones too:
// `body.customer.name` on the intake form's customer name, not in a toast.

const target = testDatabases()[0]!;
const skip = browserSkipReason();

describe('form errors in Chromium', { skip }, () => {
  let env: BrowserEnv;
  before(async () => {
    env = await startBrowserEnv(target);
  });
  after(() => env?.close());

  test('an issue on body.customer.name is shown on the customer name field', async () => {
    const agent = await desk(env, 'agent');
    try {
      await agent.getByTestId('demands-tab-new').click();
      await agent.getByTestId('customer-lookup').fill('13900000077');
      await agent.getByTestId('lookup-use-phone').click();
      // A control character passes the page (it checks only what a user can mistype) but not the API.
      await agent.getByTestId('demand-name').fill('王\u0007五');
      await choose(agent, 'demand-type', '', '咨询查询');
      await choose(agent, 'demand-category', '', '供电服务');
      await agent.getByTestId('demand-content').fill('咨询电费账单');
      await agent.getByTestId('demand-submit').click();

      const nameItem = agent.locator('.ant-form-item').filter({ has: agent.getByTestId('demand-name') });
      await nameItem
        .locator('.ant-form-item-explain-error')
        .getByText(/control character/)
        .waitFor();
      assert.equal(await agent.locator('.ant-message-error').count(), 0, 'nothing left over for a toast');
      const saved = await env.t.database.db.selectFrom('demands').select('id').where('phone', '=', '13900000077').execute();
      assert.equal(saved.length, 0);
    } finally {
      await agent.context().close();
    }
  });
});
