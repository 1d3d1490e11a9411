import { DEFAULT_TIME_ZONE, localDate } from '../../../shared/time.js';
import type { Database } from '../../db/database.js';
import { toPoolExpert } from '../experts/pool.js';
import { expertsOf } from '../experts/service.js';
import { localMonth, nextExpert, poolOrder } from '../experts/rules.js';
import { unitTree } from '../org/directory.js';
import { subtreeOf } from '../org/rules.js';
import { pick, streamFor, type Random } from './random.js';

// The demo city's expert seat: questions forwarded from the consultations of the
// last weeks of its demand history, with step times as a centre sees them (most
// within 5 minutes, some late, a few silent experts passed over), the month's
// common problems and the experts' trainings. Deterministic and idempotent:
// nothing is added when the seat has history already.

export interface ConsultationSeedOptions {
  seed: number;
  now: () => string;
  /** How far back, in days (60). */
  spanDays?: number;
  /** At most this many (400). */
  limit?: number;
  /** The company's zone: the experts' duty hours and the months are its local time. */
  timeZone?: string;
}

/** Where each category's questions go (the demo's category routing). */
const UNIT_BY_CATEGORY: Record<string, string> = { outage_voltage: 'YL-SCB', supply_service: 'YL-YXB', supply_safety: 'YL-AJB', grid_construction: 'YL-JJB' };
const TOPIC_BY_CATEGORY: Record<string, string> = { outage_voltage: '电压质量', supply_service: '电费电价', supply_safety: '线路保护区', grid_construction: '电网建设' };
const ANSWERS = [
  '已向客户说明相关政策和办理流程，客户表示清楚。',
  '经核实，客户所述情况符合规定，已告知办理所需材料。',
  '已联系现场人员核实，向客户解释原因并告知后续安排。',
  '会同相关部门研究后答复客户，客户表示理解。',
];

/** Minutes, mostly short, with a tail beyond the limit. */
const minutes = (random: Random, typical: number, lateShare: number) => (random() < lateShare ? typical + 1 + random() * typical * 2 : 0.3 + random() * typical);
const plus = (iso: string, m: number) => new Date(Date.parse(iso) + Math.round(m * 60_000)).toISOString();

export async function seedConsultations(database: Database, options: ConsultationSeedOptions): Promise<{ consultationsCreated: number }> {
  const { db } = database;
  const zone = options.timeZone ?? DEFAULT_TIME_ZONE;
  if ((await db.selectFrom('consultations').select('id').limit(1).execute()).length > 0) return { consultationsCreated: 0 };
  const now = options.now();
  const since = new Date(Date.parse(now) - (options.spanDays ?? 60) * 86_400_000).toISOString();
  const demands = await db
    .selectFrom('demands')
    .select(['id', 'category', 'content', 'customer_name', 'phone', 'created_at', 'created_by'])
    .where('type', '=', 'consultation')
    .where('created_at', '>=', since)
    .orderBy('id')
    .limit(options.limit ?? 400)
    .execute();
  if (demands.length === 0) return { consultationsCreated: 0 };

  const tree = await unitTree(db);
  const units = new Map((await db.selectFrom('units').select(['id', 'code']).execute()).map((u) => [u.code, u.id]));
  const experts = await expertsOf(db);
  const poolOf = new Map<number, typeof experts>();
  for (const code of new Set(Object.values(UNIT_BY_CATEGORY))) {
    const id = units.get(code)!;
    const subtree = subtreeOf(tree, id);
    poolOf.set(
      id,
      experts.filter((e) => subtree.has(e.unit_id)),
    );
  }

  let created = 0;
  await db.transaction().execute(async (trx) => {
    for (const [i, d] of demands.entries()) {
      const random = streamFor(options.seed + 31, i);
      const category = d.category ?? 'supply_service';
      const unitId = units.get(UNIT_BY_CATEGORY[category] ?? 'YL-YXB')!;
      const pool = poolOf.get(unitId)!.map(toPoolExpert);
      const forwardedAt = plus(d.created_at, minutes(random, 5, 0.12));
      const topic = TOPIC_BY_CATEGORY[category];
      // As suqiu proposes, or (a third of the time) the next one, whom the agent named.
      const order = poolOrder(pool, topic, new Date(forwardedAt), new Set(), zone);
      const first = order[random() < 2 / 3 ? 0 : Math.min(1, order.length - 1)];
      if (!first) continue;
      // One in fifteen first experts stays silent: the question passes to the next after 5 minutes.
      const second = random() < 1 / 15 ? nextExpert(pool, topic, new Date(forwardedAt), new Set([first.id]), zone) : undefined;
      const expert = second ?? first;
      const assignedAt = second ? plus(forwardedAt, 5) : forwardedAt;
      const acknowledgedAt = plus(assignedAt, minutes(random, 3, 0.06));
      const contactedAt = plus(acknowledgedAt, minutes(random, 2.5, 0.08));
      const callEndedAt = plus(contactedAt, 2 + random() * 8);
      const repliedAt = plus(callEndedAt, minutes(random, 4, 0.1));
      const callbackAt = plus(repliedAt, 10 + random() * 60 * (random() < 0.1 ? 30 : 4));
      if (callbackAt > now) continue;
      const answer = pick(random, ANSWERS);
      const row = await trx
        .insertInto('consultations')
        .values({
          demand_id: d.id,
          unit_id: unitId,
          topic: topic ?? null,
          question: d.content,
          customer_name: d.customer_name,
          customer_phone: d.phone,
          called_at: d.created_at,
          forwarded_at: forwardedAt,
          forwarded_by: d.created_by,
          expert_id: expert.id,
          assigned_at: assignedAt,
          status: 'closed',
          hand_overs: second ? 1 : 0,
          tried_json: JSON.stringify(second ? [first.id, second.id] : [first.id]),
          acknowledged_at: acknowledgedAt,
          contacted_at: contactedAt,
          call_ended_at: callEndedAt,
          replied_at: repliedAt,
          answer,
          callback_at: callbackAt,
          callback_result: '已将专家答复告知客户，客户表示满意',
          closed_by: d.created_by,
          created_at: forwardedAt,
          updated_at: callbackAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const events = [
        { at: forwardedAt, actor_id: d.created_by, kind: 'forwarded', expert_id: first.id, note: d.content },
        ...(second ? [{ at: assignedAt, actor_id: null, kind: second.leader ? 'passed_to_leader' : 'passed_over', expert_id: second.id, note: '未在 5 分钟内确认' }] : []),
        { at: acknowledgedAt, actor_id: expert.id, kind: 'acknowledged', expert_id: expert.id, note: null },
        { at: contactedAt, actor_id: expert.id, kind: 'contacted', expert_id: expert.id, note: null },
        { at: repliedAt, actor_id: expert.id, kind: 'replied', expert_id: expert.id, note: answer },
        { at: callbackAt, actor_id: d.created_by, kind: 'called_back', expert_id: null, note: '已将专家答复告知客户，客户表示满意' },
      ];
      await trx
        .insertInto('consultation_events')
        .values(events.map((e) => ({ consultation_id: row.id, ...e })))
        .execute();
      created++;
    }

    // The months' meeting: a common problem per department and month, and a training.
    const seat = await trx.selectFrom('consultations').select(['id', 'unit_id', 'expert_id', 'forwarded_at']).orderBy('id').execute();
    const byMonthUnit = new Map<string, typeof seat>();
    for (const c of seat) {
      const key = `${localMonth(c.forwarded_at, zone)}|${c.unit_id}`;
      byMonthUnit.set(key, [...(byMonthUnit.get(key) ?? []), c]);
    }
    for (const [key, group] of byMonthUnit) {
      if (group.length < 3) continue;
      const [month, unit] = key.split('|') as [string, string];
      const filer = group[0]!.expert_id;
      const problem = await trx
        .insertInto('common_problems')
        .values({
          title: `${month} 同类咨询集中`,
          description: `本月本专业共 ${group.length} 起同类咨询，建议完善知识库话术并开展坐席培训。`,
          unit_id: Number(unit),
          meeting_month: month,
          filed_by: filer,
          filed_at: group.at(-1)!.forwarded_at,
          updated_at: group.at(-1)!.forwarded_at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('common_problem_consultations')
        .values(group.slice(0, 5).map((c) => ({ problem_id: problem.id, consultation_id: c.id })))
        .execute();
      await trx
        .insertInto('expert_trainings')
        .values({ held_on: localDate(group.at(-1)!.forwarded_at, zone), expert_id: filer, topic: '同类咨询答复要点', attendees_json: JSON.stringify(['李晓雯', '王建华']), hours: 1.5, note: null, created_by: filer, created_at: group.at(-1)!.forwarded_at })
        .execute();
    }
  });
  return { consultationsCreated: created };
}
