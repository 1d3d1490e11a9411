import type { CreateDemandBody, DemandDetail } from '../../../shared/schemas/demands.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { indexTokens } from '../../platform/text.js';
import { localDate } from '../deadlines/calendar.js';
import type { DeadlineStep } from '../deadlines/policies.js';
import { deadlineRules, startDeadlines } from '../deadlines/service.js';
import { useArticles } from './actions.js';
import { notify, type NewNotification } from '../notifications/repository.js';
import { findUnit } from '../org/repository.js';
import { visibleUnitIds } from '../org/service.js';
import { getDemand, presentDemand, presentTimelineEntry } from './read.js';
import * as repo from './repository.js';
import { demandNumber, findRepeatOf, initialEscalation, initialPriority, isOverLevel, REPEAT_WINDOW_DAYS, sourceFromChannel } from './rules.js';

/** The clocks a new demand starts, by type. */
const STEPS_AT_INTAKE: Partial<Record<CreateDemandBody['type'], DeadlineStep[]>> = {
  fault_repair: ['dispatch', 'arrive'],
  complaint: ['contact', 'answer'],
  opinion: ['answer'],
  suggestion: ['answer'],
  report: ['answer'],
  service_request: ['answer'],
  business: ['answer'],
};

export interface RegisterResult {
  demand: DemandDetail;
  /** The same Idempotency-Key was seen before: this is the demand it created. */
  replayed: boolean;
}

export async function registerDemand(ctx: ServiceContext, body: CreateDemandBody, idempotencyKey?: string): Promise<RegisterResult> {
  authorize(ctx.actor, 'demand.create');
  // Keys are the caller's own: two agents' keys never collide.
  const key = idempotencyKey ? `${ctx.actor.userId}:${idempotencyKey}` : null;
  if (key) {
    const existing = await repo.findDemandByIdempotencyKey(ctx.db, key);
    if (existing) return { demand: await getDemand(ctx, existing.id), replayed: true };
  }

  const now = new Date(ctx.now());
  const customer = body.customer.accountNo
    ? await repo.findCustomerByAccount(ctx.db, body.customer.accountNo)
    : await repo.findCustomerByPhone(ctx.db, body.customer.phone);
  if (body.customer.accountNo && !customer) throw invalid('customer.accountNo', `no customer with account ${body.customer.accountNo}`);
  const important = customer?.important === 1;
  const source = body.source ?? sourceFromChannel(body.channel);
  const areaClass = body.areaClass ?? (customer?.area_class as CreateDemandBody['areaClass']) ?? 'urban';

  // The responsible unit: as asked, else a repair goes to the customer's station and the rest by category.
  let unitId = body.unitId;
  let unitName: string | undefined;
  if (unitId !== undefined) {
    const unit = await findUnit(ctx.db, unitId);
    if (!unit || unit.active !== 1 || !(await visibleUnitIds(ctx)).has(unitId)) throw invalid('unitId', `no active unit with id ${unitId}`);
    unitName = unit.name;
  } else if (body.type === 'fault_repair' && customer) {
    unitId = customer.unit_id;
  } else {
    unitId = (await repo.routeOf(ctx.db, body.category)) ?? ctx.actor.unitId;
  }

  const accountNo = body.customer.accountNo ?? customer?.account_no ?? null;
  /** The earlier demand this one repeats, read inside the write: on SQLite two calls of one customer in the same moment see each other. */
  const repeatOf = async (db: typeof ctx.db) => {
    const since = new Date(now.getTime() - REPEAT_WINDOW_DAYS * 86_400_000).toISOString();
    const earlier = await repo.repeatCandidates(db, { accountNo, phone: body.customer.phone }, body.category, since);
    const repeat = findRepeatOf(
      earlier.map((d) => ({
        id: d.id,
        caseId: d.case_id,
        category: d.category,
        accountNo: d.account_no,
        phone: d.phone,
        status: d.status,
        createdAt: d.created_at,
        closedAt: d.closed_at,
        repeatCount: d.repeat_count,
        escalationLevel: d.escalation_level,
      })),
      { accountNo, phone: body.customer.phone, category: body.category },
      now,
    );
    const repeatCount = repeat ? repeat.repeatCount + 1 : 0;
    return { repeat, repeatCount, escalationLevel: initialEscalation(source, repeatCount, repeat?.escalationLevel ?? 0) };
  };
  const priority = initialPriority(source, body.priority, important);
  const rules = await deadlineRules(ctx.db);
  const at = ctx.now();
  const tokens = indexTokens([body.content, body.customer.name ?? customer?.name ?? ''].join(' '));

  const today = localDate(now);
  unitName ??= await repo.unitName(ctx.db, unitId);
  // PostgreSQL: the number is taken before the transaction, so that concurrent
  // registrations do not queue on the day's counter row until each commits. A
  // registration that fails after it leaves a gap in the day's numbers, which
  // is harmless. On SQLite (one writer) it is taken inside.
  const numberedEarly = ctx.dialect === 'postgres' ? await repo.nextDemandSequence(ctx.db, ctx.dialect, today) : undefined;

  let written;
  try {
    written = await ctx.transact(async (trx) => {
      await repo.lockCustomer(trx, ctx.dialect, accountNo ?? body.customer.phone);
      const { repeat, repeatCount, escalationLevel } = await repeatOf(trx);
      const number = demandNumber(today, numberedEarly ?? (await repo.nextDemandSequence(trx, ctx.dialect, today)));
      const demand = await repo.insertDemand(trx, {
        number,
        channel: body.channel,
        type: body.type,
        category: body.category,
        subcategory: body.subcategory ?? null,
        source,
        priority,
        sensitive: body.sensitive ? 1 : 0,
        customer_id: customer?.id ?? null,
        account_no: accountNo,
        customer_name: body.customer.name ?? customer?.name ?? null,
        phone: body.customer.phone,
        important: important ? 1 : 0,
        area_class: areaClass,
        station_id: customer?.unit_id ?? null,
        district_id: customer?.district_id ?? null,
        feeder_id: customer?.feeder_id ?? null,
        unit_id: unitId,
        content: body.content,
        status: 'open',
        escalation_level: escalationLevel,
        case_id: repeat ? (repeat.caseId ?? repeat.id) : null,
        repeat_of: repeat?.id ?? null,
        repeat_count: repeatCount,
        idempotency_key: key,
        search_text: tokens,
        created_by: ctx.actor.userId,
        created_at: at,
        updated_at: at,
      });
      const id = demand.id;
      await repo.indexDemandText(trx, ctx.dialect, id, tokens);

      const deadlines = await startDeadlines(
        trx,
        rules,
        { demandId: id, taskId: null, facts: { type: body.type, category: body.category, subcategory: body.subcategory ?? null, areaClass, priority }, important },
        STEPS_AT_INTAKE[body.type] ?? [],
        now,
      );

      const timeline: repo.TimelineEntry[] = [{ demandId: id, at, actorId: ctx.actor.userId, kind: 'registered', data: { channel: body.channel, source, priority } }];
      const notices: NewNotification[] = [];
      if (repeat) {
        timeline.push({ demandId: id, at, actorId: null, kind: 'repeat_linked', data: { repeatOf: repeat.id, repeatCount } });
        notices.push({ role: 'team_lead', kind: 'repeat', demandId: id, title: `多次诉求 ${number}: 第 ${repeatCount + 1} 次来电` });
      }
      if (escalationLevel > 0) {
        timeline.push({ demandId: id, at, actorId: null, kind: 'escalated', data: { level: escalationLevel, reason: isOverLevel(source) ? `over_level:${source}` : 'repeat' } });
      }
      if (isOverLevel(source)) {
        // The team lead and the head of the responsible unit are on the case from the first minute.
        timeline.push({ demandId: id, at, actorId: null, kind: 'over_level', data: { source, notified: ['team_lead', 'unit_head'], unitId } });
        notices.push({ role: 'team_lead', kind: 'over_level', demandId: id, title: `越级诉求 ${number}` });
        notices.push({ role: 'handler', unitId, kind: 'over_level', demandId: id, title: `越级诉求 ${number}` });
      }
      if (important) timeline.push({ demandId: id, at, actorId: null, kind: 'important_customer', data: { notified: ['team_lead'] } });
      const entries = await repo.addTimeline(trx, timeline);
      await notify(trx, at, notices);
      if (body.articleIds?.length) await useArticles(trx, ctx, id, body.articleIds);
      await recordAudit(trx, ctx, { action: 'demand.registered', entityType: 'demand', entityId: id, unitId, after: { number, type: body.type, channel: body.channel, repeatOf: repeat?.id ?? null } });
      return { demand, deadlines, entries };
    });
  } catch (err) {
    // Two requests with one Idempotency-Key at the same moment: the second finds the first's demand.
    if (key && /unique|UNIQUE|23505/.test(String((err as { code?: string }).code ?? '') + String(err))) {
      const existing = await repo.findDemandByIdempotencyKey(ctx.db, key);
      if (existing) return { demand: await getDemand(ctx, existing.id), replayed: true };
    }
    throw err;
  }
  // The answer is what was written (a new demand has no tasks yet): reading it back would double the statements of the busiest call.
  const { demand, deadlines, entries } = written;
  return {
    demand: {
      ...presentDemand({ ...demand, unit_name: unitName }, deadlines, at),
      tasks: [],
      timeline: entries.map((e) => presentTimelineEntry({ ...e, actor_name: e.actor_id === ctx.actor.userId ? ctx.actor.name : null })),
    },
    replayed: false,
  };
}
