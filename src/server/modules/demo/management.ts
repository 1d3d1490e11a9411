import { addDays, DEFAULT_TIME_ZONE, instantOfLocal, localDate } from '../../../shared/time.js';
import type { Database } from '../../db/database.js';
import { commandContext } from '../../platform/context.js';
import { actorOfUsername } from '../auth/service.js';
import { deadlineRules } from '../deadlines/service.js';
import { computeQuarter, publishEvaluation, recordEvent } from '../evaluation/service.js';
import { quarterPeriod } from '../evaluation/rules.js';
import { addActionItem, fileSuggestion, openMeeting } from '../meetings/service.js';
import { answerItem, getBatch, makeBatch } from '../transfers/service.js';
import { firstWorkingDayOf, monthPeriod, previousMonth } from '../transfers/rules.js';
import { streamFor, pick } from './random.js';

// The demo city's management loop over its demand history: the centre's
// events of the last quarters, the last three months' transfer batches (most
// items answered by their departments), the last three quarters computed and
// published, and last month's consultation meeting with its decisions — so
// that the 评价分析 pages have something to show on a first start. Runs once
// (nothing is added where a batch or an evaluation exists).

const DAY_MS = 86_400_000;

const EVENTS: [string, 'service_event' | 'criticism' | 'praise', string][] = [
  ['YL-QL', 'praise', '省公司通报表扬：迎峰度夏保供电工作突出'],
  ['YL-XW', 'criticism', '省公司通报：农网改造工程进度滞后，客户反复投诉'],
  ['YL-SCB', 'service_event', '客服事件：配网故障抢修超时，引发媒体报道'],
  ['YL-YXB', 'praise', '上级表扬：营业厅“一次都不跑”服务获好评'],
  ['YL-HZ', 'service_event', '客服事件：计划停电未按时通知，客户集体投诉'],
  ['YL-LP', 'criticism', '上级通报批评：低电压问题整改不力'],
  ['YL-JJB', 'praise', '上级表扬：配网工程按期投运'],
];

const MEASURES = [
  '已纳入年度配网改造计划，新建台区分流负荷',
  '已安排线路巡视并更换老旧导线，下月完成',
  '营业厅已调整排班，延长周末服务时间',
  '已联系客户现场核实并说明政策，客户表示理解',
  '已协调施工单位加快工程进度，月底前完工',
];

export async function seedManagementLoop(database: Database, options: { now: () => string; timeZone?: string }): Promise<{ batches: number; evaluations: number; meetings: number }> {
  const { db } = database;
  const zone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const done = { batches: 0, evaluations: 0, meetings: 0 };
  if ((await db.selectFrom('transfer_batches').select('id').limit(1).execute()).length > 0) return done;
  if ((await db.selectFrom('evaluations').select('id').limit(1).execute()).length > 0) return done;
  const now = options.now();
  const today = localDate(now, zone);
  const random = streamFor(95598, 1);
  const analyst = await actorOfUsername(db, 'analyst');
  const agent = await actorOfUsername(db, 'agent');
  if (!analyst || !agent) throw new Error('the demo management loop needs the demo users analyst and agent');
  const at = (iso: string) => commandContext(database, analyst, () => (iso < now ? iso : now), zone);
  const unitIds = new Map((await db.selectFrom('units').select(['id', 'code']).execute()).map((u) => [u.code, u.id]));
  const { calendar } = await deadlineRules(db, zone);

  // The last four quarters that have ended: their events, then the three latest computed and published.
  const [year, month] = today.split('-').map(Number) as [number, number];
  const quarters: { year: number; quarter: number }[] = [];
  for (let y = year, q = Math.floor((month - 1) / 3) + 1, i = 0; i < 4; i++) {
    q -= 1;
    if (q === 0) {
      q = 4;
      y -= 1;
    }
    quarters.unshift({ year: y, quarter: q });
  }
  for (const [i, q] of quarters.entries()) {
    const period = quarterPeriod(q.year, q.quarter, zone);
    for (const [code, kind, description] of EVENTS.filter((_, j) => (i + j) % 3 === 0)) {
      const day = localDate(Date.parse(period.from) + (10 + Math.floor(random() * 70)) * DAY_MS, zone);
      await recordEvent(at(new Date(Date.parse(period.to) + DAY_MS).toISOString()), { unitId: unitIds.get(code)!, kind, occurredOn: day, description });
    }
  }

  // The last three months' batches, each made on its first working day and mostly answered within a week.
  const thisMonth = today.slice(0, 7);
  const months = [previousMonth(previousMonth(previousMonth(thisMonth))), previousMonth(previousMonth(thisMonth)), previousMonth(thisMonth)];
  for (const [i, m] of months.entries()) {
    const next = monthPeriod(m, zone).to;
    const madeOn = firstWorkingDayOf(localDate(next, zone).slice(0, 7), calendar);
    const madeAt = instantOfLocal(madeOn, '09:00', zone).toISOString();
    if (madeAt > now) continue;
    const { batchId } = await makeBatch(db, { month: m, at: madeAt, actor: null, audit: { actor: null, now: () => madeAt }, timeZone: zone });
    done.batches++;
    const batch = await getBatch(at(madeAt), batchId);
    for (const item of batch.items) {
      // The latest month's items are half answered; the earlier ones nearly all.
      if (random() > (i === months.length - 1 ? 0.5 : 0.9)) continue;
      const code = [...unitIds].find(([, id]) => id === item.toUnitId)?.[0];
      const handler = code ? await actorOfUsername(db, `handler.${code.toLowerCase().replace(/^yl-/, '')}`) : null;
      if (!handler) continue;
      const answeredAt = new Date(Date.parse(madeAt) + (2 + Math.floor(random() * 6)) * DAY_MS).toISOString();
      if (answeredAt > now) continue;
      const resolved = random() < 0.7;
      await answerItem(commandContext(database, handler, () => answeredAt, zone), item.id, {
        measures: pick(random, MEASURES),
        resolved,
        owner: handler.name,
        ...(!resolved && { expectedBy: addDays(localDate(answeredAt, zone), 60) }),
      });
    }
  }

  // The three latest quarters, published ten days after their end (or today).
  for (const q of quarters.slice(1)) {
    const published = new Date(Date.parse(quarterPeriod(q.year, q.quarter, zone).to) + 10 * DAY_MS).toISOString();
    const ctx = at(published);
    const { doc } = await computeQuarter(ctx, q);
    if (doc.to > ctx.now()) continue;
    await publishEvaluation(ctx, doc.id);
    done.evaluations++;
  }

  // Last month's meeting, after two suggestions from the front line, with two decisions.
  const last = monthPeriod(previousMonth(thisMonth), zone);
  const heldOn = addDays(firstWorkingDayOf(thisMonth, calendar), 7) <= today ? addDays(firstWorkingDayOf(thisMonth, calendar), 7) : today;
  const suggestedAt = new Date(Date.parse(last.to) - 5 * DAY_MS).toISOString();
  for (const text of ['低电压投诉集中在城郊台区，建议纳入年度改造计划统筹解决', '建议停电通知增加短信和微信双渠道，减少客户来电询问']) {
    await fileSuggestion(commandContext(database, agent, () => suggestedAt, zone), { text });
  }
  const heldAt = instantOfLocal(heldOn, '09:00', zone).toISOString();
  const meeting = await openMeeting(at(heldAt), { title: `${previousMonth(thisMonth).replace('-', '年')}月客户诉求会商会议`, heldOn, from: last.from, to: last.to });
  done.meetings++;
  const due = (days: number) => addDays(today, days);
  await addActionItem(at(heldAt), meeting.id, { text: '城郊台区低电压专项治理：完成负荷测算并制定改造方案', ownerUnitId: unitIds.get('YL-SCB')!, dueOn: due(20) });
  await addActionItem(at(heldAt), meeting.id, { text: '营业厅服务规范专项培训，覆盖全部县区局窗口人员', ownerUnitId: unitIds.get('YL-YXB')!, dueOn: due(35) });
  return done;
}
