import type { CasePreview, CasePreviewQuery, CreateDemandBody, DemandDetail } from '../../../shared/schemas/demands.js';
import { auditItem, recordAudit } from '../../platform/audit.js';
import { runBatch } from '../../db/statements.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, invalid } from '../../platform/errors.js';
import { requestHash } from '../../platform/request-hash.js';
import { authorize } from '../../platform/policy.js';
import { localDate, localDateTime } from '../../../shared/time.js';
import { deadlineRules, deadlinesItem, planDeadlines, startDeadlines, storedDeadlines } from '../deadlines/service.js';
import { useArticles } from './actions.js';
import { notificationsItem, notify, type NewNotification } from '../../platform/notify.js';
import { findUnit } from '../org/directory.js';
import { visibleUnitIds } from '../org/service.js';
import { stationOfFaultPlace } from '../customers/service.js';
import { callsOf, caseOf, getDemand, presentDemand, presentTimelineEntry } from './read.js';
import { isOutageCall, outageAnswer, outagePort, type CallOutage } from './outage-calls.js';
import * as repo from './repository.js';
import { ladderOf, firstMinutePeople, tellLevels, urgeOpenOrders } from './cases.js';
import {
  callTokens,
  caseSearchText,
  caseToJoin,
  demandNumber,
  STEPS_AT_INTAKE,
  initialEscalation,
  initialPriority,
  isOverLevel,
  levelAfterCall,
  levelsPassed,
  REPEAT_WINDOW_DAYS,
  sourceFromChannel,
} from './rules.js';

export interface RegisterResult {
  demand: DemandDetail;
  /** The same Idempotency-Key was seen before: this is the demand it created. */
  replayed: boolean;
}

/** Since when a closed case can still be joined. */
const joinableSince = (now: Date) => new Date(now.getTime() - REPEAT_WINDOW_DAYS * 86_400_000).toISOString();

/** The case a call of this customer would join now (rules.ts caseToJoin), with its first call; `calls` when read already (repo.openRegistration). */
async function findCaseToJoin(
  db: ServiceContext['db'],
  caller: { accountNo: string | null; phone: string; category: string | undefined },
  now: Date,
  calls?: Parameters<typeof repo.caseCandidates>[4],
) {
  // Without a category yet, only an open case can be joined: the statement's category never matches ''.
  const cases = await repo.caseCandidates(db, { accountNo: caller.accountNo, phone: caller.phone }, caller.category ?? '', joinableSince(now), calls);
  const found = caseToJoin(
    cases.map((c) => ({
      caseId: c.case_id,
      category: c.category,
      status: c.status,
      createdAt: c.created_at,
      closedAt: c.closed_at,
      callCount: c.call_count,
      escalationLevel: c.escalation_level,
    })),
    { category: caller.category ?? null },
    now,
  );
  return found && { head: (await repo.findDemand(db, found.case.caseId))!, reason: found.reason };
}

/**
 * What the agent sees before saving (DESIGN.md: "the agent sees the case and
 * its history before saving"): the case this caller's call would join, with
 * its calls and its orders, and the caller's recent cases by phone or 户号,
 * also for a phone no customer is tied to yet.
 */
export async function previewCase(ctx: ServiceContext, query: CasePreviewQuery): Promise<CasePreview> {
  authorize(ctx.actor, 'demand.create');
  const now = new Date(ctx.now());
  const customer = query.accountNo ? await repo.findCustomerByAccount(ctx.db, query.accountNo) : await repo.findCustomerByPhone(ctx.db, query.phone);
  const accountNo = query.accountNo ?? customer?.account_no ?? null;
  const found = await findCaseToJoin(ctx.db, { accountNo, phone: query.phone, category: query.category }, now);
  const recent = await repo.recentCasesOf(ctx.db, { accountNo, phone: query.phone }, 10);
  let joins: CasePreview['joins'] = null;
  if (found) {
    const theCase = await caseOf(ctx.db, found.head);
    const tasks = await repo.tasksOf(ctx.db, found.head.id);
    joins = {
      reason: found.reason,
      caseId: found.head.id,
      number: found.head.number,
      status: found.head.status as CasePreview['recent'][number]['status'],
      type: found.head.type as CasePreview['recent'][number]['type'],
      category: found.head.category as CasePreview['recent'][number]['category'],
      content: found.head.content,
      unitName: found.head.unit_name,
      escalationLevel: found.head.escalation_level,
      callCount: found.head.call_count,
      nextCall: found.head.call_count + 1,
      createdAt: found.head.created_at,
      closedAt: found.head.closed_at,
      calls: theCase?.calls ?? (await callsOf(ctx.db, found.head.id)),
      orders: tasks.filter((t) => t.kind === 'work_order').map((t) => ({ unitName: t.unit_name, status: t.status, urgeCount: t.urge_count })),
    };
  }
  return {
    joins,
    recent: recent.map((r) => ({
      id: r.id,
      number: r.number,
      type: r.type as CasePreview['recent'][number]['type'],
      category: r.category as CasePreview['recent'][number]['category'],
      status: r.status as CasePreview['recent'][number]['status'],
      callCount: r.call_count,
      createdAt: r.created_at,
      closedAt: r.closed_at,
      content: r.content,
    })),
  };
}

export async function registerDemand(ctx: ServiceContext, body: CreateDemandBody, idempotencyKey?: string): Promise<RegisterResult> {
  authorize(ctx.actor, 'demand.create');
  // Keys are the caller's own: two agents' keys never collide.
  const key = idempotencyKey ? `${ctx.actor.userId}:${idempotencyKey}` : null;
  // The key stands for this request: used again with another body, it is a mistake to say so, not the first demand to return.
  const hash = key ? requestHash(body) : null;
  const replay = async (existing: { id: number; number: string; idempotency_hash: string | null }): Promise<RegisterResult> => {
    if (existing.idempotency_hash !== null && existing.idempotency_hash !== hash) {
      throw new AppError(
        'unprocessable',
        `the Idempotency-Key ${idempotencyKey} was used before with another request (demand ${existing.number}); use a new key for a new demand`,
      );
    }
    return { demand: await getDemand(ctx, existing.id), replayed: true };
  };
  const now = new Date(ctx.now());
  const today = localDate(now, ctx.timeZone);
  // PostgreSQL: one round trip for the reads, and the day's number with them,
  // before the transaction, so that concurrent registrations do not queue on
  // the day's counter row until each commits. A registration that fails after
  // it leaves a gap in the day's numbers, which is harmless. On SQLite (one
  // writer) the number is taken inside the transaction.
  const facts = await repo.intakeFacts(ctx.db, ctx.dialect, {
    accountNo: body.customer.accountNo,
    phone: body.customer.phone,
    idempotencyKey: key,
    category: body.category,
    localDate: today,
  });
  if (facts.replay) return replay(facts.replay);
  const { customer, sequence: takenEarly } = facts;
  if (body.customer.accountNo && !customer) throw invalid('customer.accountNo', `no customer with account ${body.customer.accountNo}`);
  const important = customer?.important === 1;
  const source = body.source ?? sourceFromChannel(body.channel);
  const areaClass = body.areaClass ?? (customer?.area_class as CreateDemandBody['areaClass']) ?? 'urban';

  const place =
    body.districtId !== undefined || body.feederId !== undefined
      ? await stationOfFaultPlace(ctx.db, { districtId: body.districtId, feederId: body.feederId })
      : undefined;
  if (body.districtId !== undefined && !place) throw invalid('districtId', `no 台区 with id ${body.districtId}`);
  if (body.feederId !== undefined && !place) throw invalid('feederId', `no feeder with id ${body.feederId}`);
  // The responsible unit: as asked, else a repair goes to its place's station (or the customer's) and the rest by category.
  let unitId = body.unitId;
  let knownUnitName: string | undefined;
  if (unitId !== undefined) {
    const unit = await findUnit(ctx.db, unitId);
    if (!unit || unit.active !== 1 || !(await visibleUnitIds(ctx)).has(unitId)) throw invalid('unitId', `no active unit with id ${unitId}`);
    knownUnitName = unit.name;
  } else if (body.type === 'fault_repair' && place) {
    // A repair goes to the station of the fault's place (台区 or feeder), else of the customer.
    unitId = place.stationId;
  } else if (body.type === 'fault_repair' && customer) {
    unitId = customer.unit_id;
    knownUnitName = customer.unit_name;
  } else if (facts.route) {
    unitId = facts.route.unit_id;
    knownUnitName = facts.route.unit_name;
  } else {
    unitId = ctx.actor.unitId;
  }

  const accountNo = body.customer.accountNo ?? customer?.account_no ?? null;
  const overLevel = isOverLevel(source);
  const priority = initialPriority(source, body.priority, important);
  const rules = await deadlineRules(ctx.db, ctx.timeZone);
  const at = ctx.now();
  const tokens = callTokens(body.content, body.customer.name ?? customer?.name ?? null);

  // The outage over the caller (or the one the agent named), read before the transaction: on SQLite what runs inside it
  // runs in the one writer's turn, and most calls are about no outage. A call that joins a case is not linked.
  if (body.outageId !== undefined && body.outageId !== null && !isOutageCall(body))
    throw invalid('outageId', 'only a fault repair or a consultation on outages and voltage is linked to an outage');
  const outages = outagePort();
  let outageOfCall: CallOutage | undefined;
  if (body.outageId !== null && outages && isOutageCall(body)) {
    outageOfCall =
      body.outageId !== undefined
        ? await outages.activeById(ctx.db, body.outageId, at)
        : await outages.covering(
            ctx.db,
            {
              customerId: customer?.id ?? null,
              districtId: place ? place.districtId : (customer?.district_id ?? null),
              feederId: place?.feederId ?? customer?.feeder_id ?? null,
            },
            at,
          );
    if (body.outageId !== undefined && !outageOfCall) throw invalid('outageId', `no outage ${body.outageId} is in progress`);
  }

  let written;
  try {
    written = await ctx.transact(async (trx) => {
      // The customer is locked, then the case this call joins is read inside the write: two calls of one customer in the same moment see each other.
      const caller = { accountNo, phone: body.customer.phone };
      const opened = await repo.openRegistration(trx, ctx.dialect, {
        lockKey: accountNo ?? body.customer.phone,
        customer: caller,
        category: body.category,
        since: joinableSince(now),
      });
      const joined = opened.calls.length > 0 ? await findCaseToJoin(trx, { ...caller, category: body.category }, now, opened.calls) : undefined;
      const head = joined?.head;
      const callNumber = head ? head.call_count + 1 : 1;
      const reopened = head !== undefined && head.status === 'closed';
      const ladder = head ? await ladderOf(trx) : undefined;
      const escalationLevel = head ? levelAfterCall(ladder!, head.escalation_level, callNumber, overLevel) : initialEscalation(source);
      // A call of a case belongs to the case's unit (the province's forward goes to the station handling the hotel), unless the agent names another.
      const callUnitId = body.unitId ?? head?.unit_id ?? unitId;
      // A new call about an outage over the caller (found before the transaction) is linked to it: a 子单 of its 主单, no dispatch clock.
      const outage = head ? undefined : outageOfCall;
      // PostgreSQL took the number with the reads (repo.intakeFacts); SQLite takes it here, its one writer in turn.
      const number = demandNumber(today, takenEarly ?? (await repo.nextDemandSequence(trx, ctx.dialect, today)));
      const newDemand: repo.NewDemand = {
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
        station_id: place?.stationId ?? customer?.unit_id ?? null,
        district_id: place ? place.districtId : (customer?.district_id ?? null),
        feeder_id: place?.feederId ?? customer?.feeder_id ?? null,
        unit_id: callUnitId,
        content: body.content,
        // A joined call carries its case's status (reopened: open again).
        status: head && !reopened ? head.status : 'open',
        escalation_level: escalationLevel,
        case_id: head ? head.id : null,
        repeat_of: head ? head.id : null,
        repeat_count: callNumber - 1,
        idempotency_key: key,
        idempotency_hash: hash,
        search_text: tokens,
        created_by: ctx.actor.userId,
        // 首问负责制: whoever registers the demand owns it until it is closed or handed over.
        owner_id: ctx.actor.userId,
        created_at: at,
        updated_at: at,
        call_count: 1,
        fault_address: body.faultAddress ?? null,
        outage_id: outage?.id ?? null,
        parent_id: outage?.masterDemandId ?? null,
      };
      // PostgreSQL reserved the new demand's id (openRegistration): a first call goes in one round trip with its deadlines, timeline, notices and audit row.
      const batched = !head && opened.reservedId !== undefined;
      const demand = batched ? repo.storedDemand(newDemand, opened.reservedId!) : await repo.insertDemand(trx, newDemand, opened.reservedId);
      const id = demand.id;
      await repo.indexDemandText(trx, ctx.dialect, id, tokens);

      const timeline: repo.TimelineEntry[] = [
        { demandId: id, at, actorId: ctx.actor.userId, kind: 'registered', data: { channel: body.channel, source, priority } },
      ];
      if (outage)
        timeline.push({
          demandId: id,
          at,
          actorId: null,
          kind: 'outage.linked',
          note: outageAnswer(outage, localDateTime(outage.expectedEndAt, ctx.timeZone)),
          data: {
            outageId: outage.id,
            outageNumber: outage.number,
            cause: outage.cause,
            expectedEndAt: outage.expectedEndAt,
            role: outage.masterDemandId === null ? 'master' : 'child',
            masterNumber: outage.masterNumber,
          },
        });
      const notices: NewNotification[] = [];
      let deadlines: Awaited<ReturnType<typeof startDeadlines>> = [];
      const facts = { type: body.type, category: body.category, subcategory: body.subcategory ?? null, areaClass, priority };
      // Over-level: the team lead and the head of the responsible unit are on the case from the first minute, by name.
      const told = new Set<number>();
      const firstMinute = async (caseHead: { id: number; unit_id: number; created_by: number }, what: 'over_level' | 'important_customer') => {
        const people = await firstMinutePeople(trx, caseHead, what === 'over_level');
        const named = [...people.teamLeads, ...people.unitHead];
        timeline.push({
          demandId: caseHead.id,
          at,
          actorId: null,
          kind: what,
          data: { source, teamLeads: people.teamLeads, unitHead: people.unitHead, notified: named },
        });
        for (const p of named) {
          if (told.has(p.userId)) continue;
          told.add(p.userId);
          notices.push({ userId: p.userId, kind: what, demandId: caseHead.id, title: what === 'over_level' ? `越级诉求 ${number}` : `重要客户诉求 ${number}` });
        }
      };

      if (head) {
        // The call joins the case: no clock of its own; it urges the open orders and may move the case up the ladder.
        const casePriority = overLevel ? 'urgent' : head.priority;
        // The case is found by this call's words too (rules.ts caseSearchText).
        const caseText = caseSearchText([head.search_text ?? '', tokens]);
        await repo.countCall(trx, head.id, {
          call_count: callNumber,
          escalation_level: escalationLevel,
          status: reopened ? 'open' : head.status,
          closed_at: reopened ? null : head.closed_at,
          priority: casePriority,
          updated_at: at,
          search_text: caseText,
        });
        await repo.indexCaseText(trx, ctx.dialect, head.id, caseText);
        if (reopened) await repo.mirrorCaseStatus(trx, head.id, { status: 'open', closed_at: null, updated_at: at });
        timeline.push({
          demandId: id,
          at,
          actorId: null,
          kind: 'joined_case',
          data: { caseId: head.id, caseNumber: head.number, ordinal: callNumber, reason: joined!.reason },
        });
        timeline.push({
          demandId: head.id,
          at,
          actorId: ctx.actor.userId,
          kind: 'call.joined',
          note: body.content,
          data: { callId: id, callNumber: number, ordinal: callNumber, reason: joined!.reason, channel: body.channel, type: body.type, source },
        });
        const headFacts = {
          type: head.type as CreateDemandBody['type'],
          category: head.category,
          subcategory: head.subcategory,
          areaClass: head.area_class as NonNullable<CreateDemandBody['areaClass']>,
          priority: casePriority,
        };
        if (reopened) {
          // Called again within 30 days of closing: the matter is not settled. The case opens again with its clocks.
          timeline.push({ demandId: head.id, at, actorId: null, kind: 'case.reopened', data: { ordinal: callNumber, callNumber: number } });
          await startDeadlines(
            trx,
            rules,
            { demandId: head.id, taskId: null, facts: headFacts, important: head.important === 1 },
            STEPS_AT_INTAKE[head.type as CreateDemandBody['type']] ?? [],
            now,
          );
        }
        if (overLevel) {
          // The forward's own urgent limits run on the case: contacted within 2 h, answered within 2 WD.
          await startDeadlines(
            trx,
            rules,
            { demandId: head.id, taskId: null, facts: { ...headFacts, type: body.type }, important: head.important === 1 },
            ['contact', 'answer'],
            now,
          );
          await firstMinute(head, 'over_level');
        }
        const entries = await repo.addTimeline(trx, timeline.splice(0));
        tellAccountManager(notices, customer, body.type, number, head.id);
        await notify(trx, at, notices.splice(0));
        if (!reopened) await urgeOpenOrders(trx, head, at, { callNumber, actorId: null });
        const levels = levelsPassed(head.escalation_level, escalationLevel).filter((level) => !(overLevel && level === 1));
        await tellLevels(trx, head, levels, { at, actorId: null, reason: 'repeat', callNumber });
        if (body.articleIds?.length) await useArticles(trx, ctx, id, body.articleIds);
        await recordAudit(trx, ctx, {
          action: 'demand.registered',
          entityType: 'demand',
          entityId: id,
          unitId: callUnitId,
          after: { number, type: body.type, channel: body.channel, caseId: head.id, ordinal: callNumber },
        });
        return { demand, deadlines, entries: entries.filter((e) => e.demand_id === id), head, callNumber };
      }

      // A call about an outage has no clock of its own (it is answered from the outage), unless a forward's over-level limits run.
      const ownSteps = outage ? [] : (STEPS_AT_INTAKE[body.type] ?? []);
      const planned = planDeadlines(
        rules,
        { demandId: id, taskId: null, facts, important },
        overLevel ? [...new Set([...ownSteps, 'contact', 'answer'] as const)] : ownSteps,
        now,
      );
      const self = { id, unit_id: callUnitId, created_by: ctx.actor.userId };
      const claimsMaster = outage !== undefined && outage.masterDemandId === null;
      if (overLevel) await firstMinute(self, 'over_level');
      if (important) await firstMinute(self, 'important_customer');
      tellAccountManager(notices, customer, body.type, number, id);
      const stored = await runBatch(
        trx,
        [
          ...(batched ? [repo.demandItem(newDemand, id)] : []),
          deadlinesItem(planned),
          repo.timelineItem(timeline),
          notificationsItem(at, notices),
          auditItem(ctx, {
            action: 'demand.registered',
            entityType: 'demand',
            entityId: id,
            unitId: callUnitId,
            after: { number, type: body.type, channel: body.channel },
          }),
        ],
        { commit: !body.articleIds?.length && !claimsMaster },
      ); // the transaction's last step, unless articles are marked used or the outage's 主单 claimed after it
      const idsOf = (rows: unknown[] | undefined) => (rows as { id: number }[]).map((r) => Number(r.id));
      const [deadlineIds, timelineIds] = stored.slice(batched ? 1 : 0).map(idsOf);
      deadlines = storedDeadlines(planned, deadlineIds!);
      const entries = repo.storedTimeline(timeline, timelineIds!);
      if (claimsMaster) {
        // The outage's first call is its 主单; two first calls at once: the other one is, and this one its 子单.
        const masterId = await outages!.claimMaster(trx, outage!.id, id, at);
        if (masterId !== id) {
          await repo.setOutageLink(trx, id, { outage_id: outage!.id, parent_id: masterId, updated_at: at });
          demand.parent_id = masterId;
          demand.version += 1;
        }
      }
      if (body.articleIds?.length) await useArticles(trx, ctx, id, body.articleIds);
      return { demand, deadlines, entries, head: undefined, callNumber };
    });
  } catch (err) {
    // Two requests with one Idempotency-Key at the same moment: the second finds the first's demand.
    if (key && /unique|UNIQUE|23505/.test(String((err as { code?: string }).code ?? '') + String(err))) {
      const existing = await repo.findDemandByIdempotencyKey(ctx.db, key);
      if (existing) return replay(existing);
    }
    throw err;
  }
  // The answer is what was written (a new demand has no tasks yet): reading it back would double the statements of the busiest call.
  const { demand, deadlines, entries, head, callNumber } = written;
  const unitName =
    demand.unit_id === unitId && knownUnitName !== undefined
      ? knownUnitName
      : head && demand.unit_id === head.unit_id
        ? head.unit_name
        : await repo.unitName(ctx.db, demand.unit_id);
  const presented = {
    ...presentDemand({ ...demand, unit_name: unitName }, deadlines, at),
    outage: demand.outage_id === null ? null : ((await outagePort()?.describe(ctx.db, demand.outage_id)) ?? null),
    callCount: callNumber,
    tasks: [],
    timeline: entries.map((e) => presentTimelineEntry({ ...e, actor_name: e.actor_id === ctx.actor.userId ? ctx.actor.name : null })),
    case: null,
  };
  // A joined call is answered with its case and the case's calls, as the agent will see it.
  return { demand: head ? { ...presented, case: await caseOf(ctx.db, (await repo.findDemand(ctx.db, head.id))!) } : presented, replayed: false };
}

/** 客户经理负责制: the customer's account manager is told of each demand and call the moment it is registered (a complaint says so). */
function tellAccountManager(
  notices: NewNotification[],
  customer: { name: string; account_no: string; account_manager_id: number | null } | undefined,
  type: string,
  number: string,
  demandId: number,
): void {
  if (!customer || customer.account_manager_id === null) return;
  const what = type === 'complaint' ? '投诉' : '来电';
  notices.push({
    userId: customer.account_manager_id,
    kind: 'account_demand',
    demandId,
    title: `您的客户${what}：${customer.name}（${customer.account_no}）${number}`,
  });
}
