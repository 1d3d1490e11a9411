import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, choose, desk, startBrowserEnv, type BrowserEnv } from './browser.js';

// 首问负责制 in Chromium (issue 17, point 7): an agent registers a demand on the
// intake page, finds it under 我的诉求, hands it over to a colleague by name with
// the reason (Ctrl+Enter), and it leaves the list; the colleague finds it under
// theirs, told live; the timeline says who handed it to whom.

const target = testDatabases()[0]!;
const skip = browserSkipReason();

describe('first-contact ownership in Chromium', { skip }, () => {
  let env: BrowserEnv;
  let customer: { account_no: string; name: string; phone: string };
  let colleague: string;

  before(async () => {
    env = await startBrowserEnv(target, { customers: 60 });
    const db = env.t.database.db;
    customer = await db.selectFrom('customers').select(['account_no', 'name', 'phone']).orderBy('id').executeTakeFirstOrThrow();
    colleague = (await db.selectFrom('users').select('name').where('username', '=', 'agent.01').executeTakeFirstOrThrow()).name;
  });
  after(() => env?.close());

  test('an agent registers a demand, finds it under 我的诉求, hands it over, and it leaves the list', async () => {
    const agent = await desk(env, 'agent');
    const other = await desk(env, 'agent.01');
    // Nothing is theirs yet: the empty state.
    await agent.getByTestId('demands-tab-mine').click();
    await agent.getByTestId('mine-empty').waitFor();

    // Registered on the intake page.
    await agent.getByTestId('demands-tab-new').click();
    await agent.getByTestId('customer-lookup').fill(customer.phone);
    const result = agent.locator(`[data-testid="lookup-result"][data-account="${customer.account_no}"]`);
    await result.getByText(customer.name, { exact: true }).waitFor();
    await result.click();
    await agent.getByTestId('intake-customer').getByText(customer.account_no).waitFor();
    await choose(agent, 'demand-channel', '', '95598电话');
    await choose(agent, 'demand-type', '', '咨询查询');
    await choose(agent, 'demand-category', '', '供电服务');
    await agent.getByTestId('demand-content').fill('咨询阶梯电价的计算方式，客户希望明天回电说明。');
    await agent.getByTestId('demand-submit').click();
    await agent.locator('[data-testid="demand-status"][data-status="open"]').waitFor();
    const number = (await agent.getByTestId('demand-number').innerText()).trim();
    assert.match(number, /^\d{13}$/);
    await agent.getByTestId('demand-owner').getByText('李晓雯').waitFor();

    // 我的诉求: the demand, and since when it is theirs.
    await agent.goto(`${env.baseUrl}/demands/mine`);
    const row = agent.locator(`[data-testid="mine-row"][data-number="${number}"]`);
    await row.waitFor();
    await row.getByText('本人登记').waitFor();
    // The colleague's list does not have it.
    await other.getByTestId('demands-tab-mine').click();
    await other.getByTestId('mine-empty').waitFor();

    // Opened from the keyboard, and handed over by name with the reason.
    await row.focus();
    await agent.keyboard.press('Enter');
    await agent.getByTestId('demand-page').waitFor();
    await agent.getByTestId('handover-open').click();
    const form = agent.getByTestId('handover-form');
    await form.waitFor();
    await choose(agent, 'handover-to', colleague.slice(0, 1), new RegExp(colleague));
    await form.getByTestId('handover-reason').fill('本人下班，客户约定明早回电，请跟进。');
    await agent.keyboard.press('Control+Enter');
    await agent.getByTestId('demand-owner').getByText(colleague).waitFor();
    const entry = agent.locator('[data-testid="timeline-event"][data-kind="ownership.handed_over"]');
    await entry.getByText(`首问负责人由 李晓雯 移交给 ${colleague}`).waitFor();
    await entry.getByText('本人下班，客户约定明早回电，请跟进。').waitFor();
    // Only the owner or a team lead hands over: it is no longer offered to the former owner.
    assert.equal(await agent.getByTestId('handover-open').count(), 0);

    // It left the agent's list, and is under the colleague's, who is told live.
    await agent.goto(`${env.baseUrl}/demands/mine`);
    await agent.getByTestId('mine-empty').waitFor();
    await other.locator(`[data-testid="mine-row"][data-number="${number}"]`).getByText('移交给您').waitFor();
  });
});
