import { addDays, localDate } from '../../../shared/time.js';
import type { Database } from '../../db/database.js';
import { commandContext } from '../../platform/context.js';
import { actorOfUsername } from '../auth/service.js';
import { registerDemand } from '../demands/intake.js';
import { logActivity } from '../relations/activities.js';
import { createPlan } from '../relations/plans.js';
import { proposePlans } from '../relations/timers.js';

// The demo city's service plans and communication activities (issue 17), after
// the consumption seed has marked the key accounts and given them their
// account managers: the standing plans of the three groups with their actions
// (key accounts: a named manager, a visit each quarter, a safety check each
// year), visits to key accounts with follow-ups, a forum with deputies and
// supervisors, an open day at the 95598 centre, and one dynamic plan proposed
// by the plan rules (two outage calls of a key account within the month).
// Runs once (nothing is added where a plan exists).

const DAY = 86_400_000;

export async function seedRelations(database: Database, options: { now: () => string; timeZone: string }): Promise<number> {
  const { db } = database;
  if ((await db.selectFrom('service_plans').select('id').limit(1).execute()).length > 0) return 0;
  const [manager, lead, centre, agent] = await Promise.all(['account_manager', 'team_lead', 'centre_manager', 'agent'].map((u) => actorOfUsername(db, u)));
  if (!manager || !lead || !centre || !agent) return 0;
  const zone = options.timeZone;
  const now = options.now();
  const today = localDate(now, zone);
  const as = (actor: typeof manager, at: string = now) => commandContext(database, actor, () => at, zone);
  const quarterEnd = (() => {
    const [y, m] = today.split('-').map(Number) as [number, number];
    const endMonth = Math.ceil(m / 3) * 3;
    return addDays(endMonth === 12 ? `${y + 1}-01-01` : `${y}-${String(endMonth + 1).padStart(2, '0')}-01`, -1);
  })();
  const yearEnd = `${today.slice(0, 4)}-12-31`;
  let made = 0;

  // The standing plans of the three groups.
  await createPlan(as(lead), {
    segment: 'key_accounts',
    kind: 'standing',
    title: '核心客户差异化服务计划',
    actions: [
      { text: '为每户核心客户指定客户经理，一对一对接', dueOn: addDays(today, 7), ownerUserId: centre.userId },
      { text: '本季度核心客户上门走访', dueOn: quarterEnd, ownerUserId: manager.userId },
      { text: '年度安全用电检查（配电房、自备电源）', dueOn: yearEnd, ownerUserId: manager.userId },
    ],
  });
  await createPlan(as(lead), {
    segment: 'residential_lv',
    kind: 'standing',
    title: '低压居民客户服务计划',
    actions: [
      { text: '停电信息短信推送号码核对', dueOn: addDays(today, 2), ownerUserId: lead.userId },
      { text: '社区供电服务进小区宣传', dueOn: addDays(today, 20), ownerUserId: lead.userId },
    ],
  });
  await createPlan(as(lead), {
    segment: 'important',
    kind: 'standing',
    title: '重要电力用户保障计划',
    actions: [
      { text: '双电源及自备应急电源运行检查', dueOn: addDays(today, -2), ownerUserId: manager.userId },
      { text: '保电预案联合演练', dueOn: addDays(today, 30), ownerUserId: centre.userId },
    ],
  });
  made += 3;

  // The key accounts (the largest customers when the consumption seed marked none).
  let keyAccounts = await db
    .selectFrom('customers')
    .select(['id', 'account_no', 'name', 'phone', 'key_account_rank'])
    .where('key_account', '=', 1)
    .orderBy('key_account_rank')
    .limit(200)
    .execute();
  if (keyAccounts.length === 0)
    keyAccounts = await db.selectFrom('customers').select(['id', 'account_no', 'name', 'phone', 'key_account_rank']).orderBy('annual_kwh', 'desc').limit(20).execute();
  if (keyAccounts.length === 0) return made;

  // A key account's own plan, half done.
  const own = keyAccounts[0]!;
  const plan = await createPlan(as(manager), {
    customerId: own.id,
    kind: 'standing',
    title: `${own.name}年度供电服务方案`,
    actions: [
      { text: '年度用电需求及增容计划沟通', dueOn: addDays(today, -10), ownerUserId: manager.userId },
      { text: '供用电合同续签', dueOn: addDays(today, 3), ownerUserId: manager.userId },
    ],
  });
  await db
    .updateTable('relation_actions')
    .set({ status: 'done', done_at: now, done_by: manager.userId, note: `${addDays(today, -11)} ${manager.name}：已与客户电气负责人沟通明年新增两条产线` })
    .where('plan_id', '=', plan.id)
    .where('due_on', '<', today)
    .execute();
  made++;

  // Visits to key accounts over the last months, with follow-ups.
  const visits = keyAccounts.slice(0, 6);
  for (const [i, c] of visits.entries()) {
    await logActivity(as(manager, new Date(Date.parse(now) - (i * 17 + 3) * DAY).toISOString()), {
      kind: 'visit',
      heldOn: addDays(today, -(i * 17 + 3)),
      topic: i % 2 === 0 ? '核心客户季度走访' : '用电安全与能效服务上门走访',
      place: `${c.name}配电房`,
      invitedGroups: [],
      customerIds: [c.id],
      outcome: i % 2 === 0 ? '了解客户生产计划，客户对供电可靠性表示满意；提出希望提前获知计划停电安排。' : '检查配电房运行情况，发现一台变压器温升偏高，已建议客户安排检修。',
      followUps:
        i < 3
          ? [{ text: i % 2 === 0 ? '计划停电提前7天专人电话告知' : '协助客户制定变压器检修方案', dueOn: addDays(today, 5 + i * 4), ownerUserId: manager.userId }]
          : [],
    });
    made++;
  }

  // A forum with deputies and supervisors, and an open day at the 95598 centre.
  await logActivity(as(centre, new Date(Date.parse(now) - 25 * DAY).toISOString()), {
    kind: 'forum',
    heldOn: addDays(today, -25),
    topic: '优化营商环境供电服务座谈会',
    place: '供电局三楼会议室',
    invitedGroups: ['deputies', 'supervisors', 'key_accounts'],
    customerIds: keyAccounts.slice(0, 3).map((c) => c.id),
    outcome: '人大代表、行风监督员和核心客户代表共提出意见建议 14 条，主要集中在业扩报装时限和计划停电通知。',
    followUps: [
      { text: '座谈会意见建议逐条答复', dueOn: addDays(today, 5), ownerUserId: centre.userId },
      { text: '业扩报装时限压缩方案', dueOn: addDays(today, 35), ownerUserId: manager.userId },
    ],
  });
  await logActivity(as(centre, new Date(Date.parse(now) - 12 * DAY).toISOString()), {
    kind: 'open_day',
    heldOn: addDays(today, -12),
    topic: '走进95598供电服务中心客户体验日',
    place: '95598供电服务中心',
    invitedGroups: ['residents', 'supervisors'],
    customerIds: [],
    outcome: '居民代表 20 人参观话务大厅与抢修指挥，现场体验诉求受理流程，满意度调查均为满意。',
    followUps: [{ text: '体验日反馈问题汇总整改', dueOn: addDays(today, 10), ownerUserId: lead.userId }],
  });
  made += 2;

  // A key account calls twice about outages within the month: the plan rules propose a root-cause review and a visit.
  const caller = keyAccounts[keyAccounts.length - 1]!;
  for (const [i, daysAgo] of [9, 2].entries()) {
    await registerDemand(as(agent, new Date(Date.parse(now) - daysAgo * DAY).toISOString()), {
      channel: 'phone',
      type: 'complaint',
      category: 'outage_voltage',
      subcategory: 'outage_complaint',
      customer: { accountNo: caller.account_no, phone: caller.phone, name: caller.name },
      content: i === 0 ? '本月厂区已停电一次，影响生产，要求说明原因' : '又一次停电，生产线全部停机，要求供电公司上门说明',
    });
  }
  made += await proposePlans(db, new Date(now), zone);
  return made;
}
