import type { Transaction } from 'kysely';
import { isOpenOrder } from '../../../shared/work-orders.js';
import type { DB } from '../../db/types.js';
import type { BulkResult, CallbackBody, DemandDetail, VerdictBody } from '../../../shared/schemas/demands.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, conflict, invalid } from '../../platform/errors.js';
import { authorize, type Action } from '../../platform/policy.js';
import { cancelLiveDeadlines, deadlineRules, insertDeadlines, meetDeadlines, startDeadlines } from '../deadlines/service.js';
import { linkArticles } from '../knowledge/service.js';
import { notify } from '../../platform/notify.js';
import { findUnit } from '../org/directory.js';
import { visibleUnitIds } from '../org/service.js';
import { getDemand, visibleDemand } from './read.js';
import { runClosingSteps } from './closing.js';
import * as repo from './repository.js';
import type { AreaClass, DemandType, Source } from '../../../shared/codes.js';
import { tellLevels, urgeOpenOrders } from './cases.js';
import {
  callTokens,
  caseSearchText,
  decideCallback,
  escalateOnce,
  initialEscalation,
  isOverLevel,
  MAX_ESCALATION,
  STEPS_AT_INTAKE,
  type Priority,
} from './rules.js';

// What agents and team leads do to a demand: answer it on the call, dispatch
// work orders, record callbacks, escalate. Each change checks the version the
// caller read (If-Match) and the version in the database, so that two people
// changing one demand at once get a clear 409, not a silent overwrite.
// Inside a change, every read and write goes through its transaction.

const UNREACHABLE_RETRY_MINUTES = 120;

export const stale = () => conflict('the demand was changed by someone else since you read it; reload it and try again');

interface Change {
  action: Action;
  expectedVersion?: number | undefined;
  /** Statuses the change may start from. */
  from: readonly string[];
  refused: string;
  /** The change applies to a call that joined a case, too (a verdict, unlinking); others are made on the case. */
  onJoinedCall?: boolean;
}

/** Reads the demand within the caller's units, checks role, status and version, and runs the change in one transaction. */
export async function changeDemand(
  ctx: ServiceContext,
  id: number,
  change: Change,
  apply: (trx: Transaction<DB>, demand: repo.DemandRow) => Promise<void>,
): Promise<DemandDetail> {
  authorize(ctx.actor, change.action);
  const demand = await visibleDemand(ctx, id);
  if (change.expectedVersion !== undefined && change.expectedVersion !== demand.version) throw stale();
  if (!change.onJoinedCall && demand.case_id !== null && demand.case_id !== demand.id) {
    const head = await repo.findDemand(ctx.db, demand.case_id);
    throw conflict(`this call is part of the case ${head?.number ?? demand.case_id}: act on the case, or unlink the call first`);
  }
  if (!change.from.includes(demand.status)) throw conflict(`${change.refused} (the demand is ${demand.status})`);
  await ctx.transact((trx) => apply(trx, demand));
  return getDemand(ctx, id);
}

/** Links the knowledge articles the agent answered with; an id that is no published article is named. */
export async function useArticles(trx: Transaction<DB>, ctx: ServiceContext, demandId: number, articleIds: readonly number[] | undefined): Promise<void> {
  if (!articleIds || articleIds.length === 0) return;
  const unknown = await linkArticles(trx, demandId, articleIds, ctx.actor.userId, ctx.now());
  if (unknown.length > 0) throw invalid('articleIds', `no published article with id ${unknown.join(', ')}`);
}

async function save(trx: Transaction<DB>, demand: repo.DemandRow, changes: Parameters<typeof repo.updateDemand>[3]): Promise<void> {
  if (!(await repo.updateDemand(trx, demand.id, demand.version, changes))) throw stale();
}

export async function answerOnCall(ctx: ServiceContext, id: number, body: { answer: string; articleIds?: number[] | undefined }, expectedVersion?: number) {
  return changeDemand(
    ctx,
    id,
    { action: 'demand.create', expectedVersion, from: ['open'], refused: 'only an open demand is answered on the call' },
    async (trx, demand) => {
      await closeWithAnswer(trx, ctx, demand, { answer: body.answer, data: { articleIds: body.articleIds ?? [] } });
      await useArticles(trx, ctx, id, body.articleIds);
    },
  );
}

/**
 * Closes an open demand with its answer (on the call, or an expert's after the
 * callback), inside the caller's transaction. Refused while a work order runs.
 */
export async function closeWithAnswer(
  trx: Transaction<DB>,
  ctx: ServiceContext,
  demand: repo.DemandRow,
  answer: { answer: string; data?: unknown },
): Promise<void> {
  if (demand.status !== 'open') throw conflict(`only an open demand is closed with an answer (the demand is ${demand.status})`);
  const tasks = await repo.tasksOf(trx, demand.id);
  if (tasks.some((t) => t.status !== 'returned' && t.status !== 'closed'))
    throw conflict('the demand has a work order in progress; it is answered through the order and the callback');
  const at = ctx.now();
  await save(trx, demand, { answer: answer.answer, answered_at: at, status: 'closed', closed_at: at, updated_at: at });
  await meetDeadlines(trx, demand.id, ['contact', 'answer'], at);
  await cancelLiveDeadlines(trx, demand.id, at);
  await repo.addTimeline(trx, [{ demandId: demand.id, at, actorId: ctx.actor.userId, kind: 'answered', note: answer.answer, data: answer.data }]);
  await runClosingSteps(trx, demand, at, ctx.actor.userId);
  await recordAudit(trx, ctx, {
    action: 'demand.answered',
    entityType: 'demand',
    entityId: demand.id,
    unitId: demand.unit_id,
    before: { status: demand.status },
    after: { status: 'closed' },
  });
}

export async function dispatchWorkOrder(ctx: ServiceContext, id: number, body: { unitId: number; instructions: string }, expectedVersion?: number) {
  const unit = await findUnit(ctx.db, body.unitId);
  if (!unit || unit.active !== 1 || !(await visibleUnitIds(ctx)).has(body.unitId)) throw invalid('unitId', `no active unit with id ${body.unitId}`);
  let taskId = 0;
  const detail = await changeDemand(
    ctx,
    id,
    { action: 'demand.dispatch', expectedVersion, from: ['open', 'dispatched'], refused: 'a work order goes out for an open demand' },
    async (trx, demand) => {
      const at = ctx.now();
      const task = {
        id: await repo.insertWorkOrder(trx, { demandId: id, unitId: body.unitId, instructions: body.instructions, createdBy: ctx.actor.userId, at }),
      };
      taskId = task.id;
      // The first order's unit is the demand's first handling unit (首次处理), whose area the evaluation charges with it.
      await save(trx, demand, { status: 'dispatched', first_unit_id: demand.first_unit_id ?? body.unitId, updated_at: at });
      await meetDeadlines(trx, id, ['dispatch'], at);
      await repo.addTimeline(trx, [
        {
          demandId: id,
          taskId: task.id,
          at,
          actorId: ctx.actor.userId,
          kind: 'work_order.dispatched',
          note: body.instructions,
          data: { unitId: body.unitId, unitName: unit.name },
        },
      ]);
      await notify(trx, at, [{ role: 'handler', unitId: body.unitId, kind: 'work_order', demandId: id, taskId: task.id, title: `新工单 ${demand.number}` }]);
      await recordAudit(trx, ctx, {
        action: 'work_order.dispatched',
        entityType: 'task',
        entityId: task.id,
        unitId: body.unitId,
        after: { demandId: id, unitId: body.unitId },
      });
    },
  );
  return detail.tasks.find((t) => t.id === taskId)!;
}

/** Escalation by hand takes the case one rung up the same ladder: the next level's person is told by name. */
export async function escalate(ctx: ServiceContext, id: number, reason: string, expectedVersion?: number) {
  return changeDemand(
    ctx,
    id,
    { action: 'demand.escalate', expectedVersion, from: ['open', 'dispatched', 'awaiting_callback'], refused: 'a closed demand is not escalated' },
    async (trx, demand) => {
      if (demand.escalation_level >= MAX_ESCALATION) throw new AppError('conflict', 'the demand is already at the head of the responsible unit');
      const at = ctx.now();
      const level = escalateOnce(demand.escalation_level);
      await save(trx, demand, { escalation_level: level, updated_at: at });
      await tellLevels(trx, demand, [level], { at, actorId: ctx.actor.userId, reason: 'manual', note: reason });
      await recordAudit(trx, ctx, {
        action: 'demand.escalated',
        entityType: 'demand',
        entityId: id,
        unitId: demand.unit_id,
        before: { level: demand.escalation_level },
        after: { level, reason },
      });
    },
  );
}

/**
 * 催办 by a team lead: each open work order of the case is urged, and its
 * unit told with the lead's words. A case with nothing out with a unit has
 * nothing to urge.
 */
export async function urge(ctx: ServiceContext, id: number, note: string, expectedVersion?: number) {
  return changeDemand(
    ctx,
    id,
    { action: 'demand.urge', expectedVersion, from: ['dispatched'], refused: 'only a case with a work order out is urged' },
    async (trx, demand) => {
      const at = ctx.now();
      const urged = await urgeOpenOrders(trx, demand, at, { actorId: ctx.actor.userId, note });
      if (urged === 0) throw conflict('the case has no open work order to urge');
      await save(trx, demand, { updated_at: at });
      await recordAudit(trx, ctx, { action: 'demand.urged', entityType: 'demand', entityId: id, unitId: demand.unit_id, after: { note, orders: urged } });
    },
  );
}

/**
 * A call the agent judges another matter leaves its case, with the reason: it
 * becomes a case of its own, open, routed by its category, with its own
 * clocks from now. The case counts one call less; its level stays.
 */
export async function unlinkCall(ctx: ServiceContext, id: number, reason: string, expectedVersion?: number) {
  const rules = await deadlineRules(ctx.db, ctx.timeZone);
  return changeDemand(
    ctx,
    id,
    { action: 'demand.unlink', expectedVersion, from: ['open', 'dispatched', 'awaiting_callback', 'closed'], refused: 'no unlinking now', onJoinedCall: true },
    async (trx, call) => {
      if (call.case_id === null || call.case_id === call.id) throw conflict('this call is the case itself, not a call joined to one');
      const head = (await repo.findDemand(trx, call.case_id))!;
      const at = ctx.now();
      const unitId =
        call.type === 'fault_repair' && call.station_id !== null ? call.station_id : ((await repo.routeOf(trx, call.category ?? ''))?.unit_id ?? call.unit_id);
      const level = initialEscalation(call.source as Source);
      await save(trx, call, {
        case_id: call.id,
        repeat_of: null,
        repeat_count: 0,
        call_count: 1,
        status: 'open',
        closed_at: null,
        escalation_level: level,
        unit_id: unitId,
        updated_at: at,
      });
      await repo.countCall(trx, head.id, {
        call_count: Math.max(1, head.call_count - 1),
        escalation_level: head.escalation_level,
        status: head.status,
        closed_at: head.closed_at,
        priority: head.priority,
        updated_at: at,
      });
      // The case is no longer found by the words of the call taken out of it.
      const calls = await repo.caseTextParts(trx, head.id);
      await repo.indexCaseText(
        trx,
        ctx.dialect,
        head.id,
        caseSearchText(calls.map((c) => (c.id === head.id ? callTokens(c.content, c.customer_name) : (c.search_text ?? '')))),
        true,
      );
      const facts = {
        type: call.type as DemandType,
        category: call.category,
        subcategory: call.subcategory,
        areaClass: call.area_class as AreaClass,
        priority: call.priority,
      };
      const steps = STEPS_AT_INTAKE[call.type as DemandType] ?? [];
      await startDeadlines(
        trx,
        rules,
        { demandId: call.id, taskId: null, facts, important: call.important === 1 },
        isOverLevel(call.source as Source) ? [...new Set([...steps, 'contact', 'answer'] as const)] : steps,
        new Date(at),
      );
      await repo.addTimeline(trx, [
        {
          demandId: call.id,
          at,
          actorId: ctx.actor.userId,
          kind: 'case.unlinked',
          note: reason,
          data: { caseId: head.id, caseNumber: head.number, callId: call.id, callNumber: call.number },
        },
        {
          demandId: head.id,
          at,
          actorId: ctx.actor.userId,
          kind: 'case.unlinked',
          note: reason,
          data: { caseId: head.id, caseNumber: head.number, callId: call.id, callNumber: call.number },
        },
      ]);
      await recordAudit(trx, ctx, {
        action: 'demand.unlinked',
        entityType: 'demand',
        entityId: id,
        unitId,
        before: { caseId: head.id },
        after: { caseId: id, reason },
      });
    },
  );
}

export async function recordCallback(ctx: ServiceContext, id: number, body: CallbackBody, expectedVersion?: number) {
  // Read before the transaction: on SQLite a read through ctx.db inside it would wait for the transaction's own connection.
  const rules = await deadlineRules(ctx.db, ctx.timeZone);
  return changeDemand(
    ctx,
    id,
    { action: 'demand.callback', expectedVersion, from: ['awaiting_callback'], refused: 'a callback follows the unit’s hand-back' },
    async (trx, demand) => {
      const at = ctx.now();
      const decision = decideCallback(
        { type: demand.type as DemandDetail['type'], escalationLevel: demand.escalation_level, callbackAttempts: demand.callback_attempts },
        body.outcome,
        body.powerRestored,
      );
      const entry = {
        demandId: id,
        at,
        actorId: ctx.actor.userId,
        note: body.note ?? null,
        data: { outcome: body.outcome, powerRestored: body.powerRestored ?? null, decision: decision.kind },
      };
      switch (decision.kind) {
        case 'close':
          await save(trx, demand, { status: 'closed', closed_at: at, updated_at: at, callback_outcome: body.outcome });
          await runClosingSteps(trx, demand, at, ctx.actor.userId);
          await meetDeadlines(trx, id, ['callback', 'answer', 'contact', 'restore'], at);
          await cancelLiveDeadlines(trx, id, at);
          await repo.closeHandledOrders(trx, id, at);
          await repo.addTimeline(trx, [{ ...entry, kind: 'callback.closed' }]);
          break;
        case 'reopen': {
          // Back to the centre one level higher, with the customer's words on the timeline.
          await save(trx, demand, {
            status: 'open',
            escalation_level: decision.escalationLevel,
            callback_attempts: 0,
            updated_at: at,
            callback_outcome: body.outcome,
          });
          await meetDeadlines(trx, id, ['callback'], at);
          await repo.addTimeline(trx, [
            { ...entry, kind: 'callback.reopened', data: { ...entry.data, reason: decision.reason, level: decision.escalationLevel } },
          ]);
          await notify(trx, at, [{ role: 'team_lead', kind: 'reopened', demandId: id, title: `回访不满意 ${demand.number}` }]);
          await startDeadlines(
            trx,
            rules,
            {
              demandId: id,
              taskId: null,
              facts: {
                type: demand.type as DemandDetail['type'],
                category: demand.category,
                subcategory: demand.subcategory,
                areaClass: demand.area_class as DemandDetail['areaClass'],
                priority: demand.priority as Priority,
              },
              important: demand.important === 1,
            },
            demand.type === 'fault_repair' ? ['dispatch', 'arrive'] : ['answer'],
            new Date(at),
          );
          break;
        }
        case 'retry': {
          await save(trx, demand, { callback_attempts: decision.attempts, updated_at: at });
          await meetDeadlines(trx, id, ['callback'], at);
          const due = new Date(Date.parse(at) + UNREACHABLE_RETRY_MINUTES * 60_000);
          await insertDeadlines(trx, [
            {
              demandId: id,
              taskId: null,
              step: 'callback',
              startedAt: at,
              dueAt: due.toISOString(),
              warnAt: new Date(Date.parse(at) + UNREACHABLE_RETRY_MINUTES * 48_000).toISOString(),
            },
          ]);
          await repo.addTimeline(trx, [
            { ...entry, kind: 'callback.unreachable', data: { ...entry.data, attempts: decision.attempts, nextTryBy: due.toISOString() } },
          ]);
          break;
        }
        case 'team_lead':
          await save(trx, demand, { callback_attempts: decision.attempts, escalation_level: decision.escalationLevel, updated_at: at });
          await meetDeadlines(trx, id, ['callback'], at);
          await repo.addTimeline(trx, [{ ...entry, kind: 'callback.unreachable', data: { ...entry.data, attempts: decision.attempts, toTeamLead: true } }]);
          await notify(trx, at, [{ role: 'team_lead', kind: 'unreachable', demandId: id, title: `三次回访未接通 ${demand.number}` }]);
          break;
      }
      await recordAudit(trx, ctx, {
        action: 'demand.callback',
        entityType: 'demand',
        entityId: id,
        unitId: demand.unit_id,
        before: { status: demand.status },
        after: { outcome: body.outcome, decision: decision.kind },
      });
    },
  );
}

/**
 * 不属实: after verification, a team lead or analyst marks a complaint
 * unfounded (the company did not cause it: seed 004's customer wiring), or
 * founded again, with the reason. The demand stays on record; an unfounded
 * one is shown apart and not counted in the evaluation. A case is judged by
 * its first complaint, the one the evaluation counts.
 */
export async function recordVerdict(ctx: ServiceContext, id: number, body: VerdictBody, expectedVersion?: number) {
  return changeDemand(
    ctx,
    id,
    { action: 'demand.verdict', expectedVersion, from: ['open', 'dispatched', 'awaiting_callback', 'closed'], refused: 'no verdict now', onJoinedCall: true },
    async (trx, demand) => {
      if (demand.type !== 'complaint') throw conflict(`only a complaint is judged founded or unfounded (this demand is a ${demand.type})`);
      const first = await repo.firstComplaintOfCase(trx, demand.case_id ?? demand.id);
      if (first && first.id !== demand.id) throw conflict(`the case is judged by its first complaint, ${first.number}`);
      if (demand.verdict === body.verdict && demand.verdict_reason === body.reason) return;
      const at = ctx.now();
      await save(trx, demand, { verdict: body.verdict, verdict_reason: body.reason, verdict_by: ctx.actor.userId, verdict_at: at, updated_at: at });
      await repo.addTimeline(trx, [
        { demandId: id, at, actorId: ctx.actor.userId, kind: 'verdict', note: body.reason, data: { verdict: body.verdict, before: demand.verdict } },
      ]);
      await recordAudit(trx, ctx, {
        action: 'demand.verdict',
        entityType: 'demand',
        entityId: id,
        unitId: demand.unit_id,
        before: { verdict: demand.verdict, reason: demand.verdict_reason },
        after: body,
      });
    },
  );
}

/**
 * 改派 by a team lead: the case's open work orders are withdrawn (returned,
 * with the lead's words) and one order goes to the unit named. The first
 * handling unit stays as it was: it is who handled it first, if anyone did.
 */
export async function reassign(ctx: ServiceContext, id: number, body: { unitId: number; note: string }, expectedVersion?: number) {
  const unit = await findUnit(ctx.db, body.unitId);
  if (!unit || unit.active !== 1 || !(await visibleUnitIds(ctx)).has(body.unitId)) throw invalid('unitId', `no active unit with id ${body.unitId}`);
  return changeDemand(
    ctx,
    id,
    { action: 'demand.reassign', expectedVersion, from: ['open', 'dispatched'], refused: 'only an open case is reassigned' },
    async (trx, demand) => {
      const at = ctx.now();
      const open = (await repo.tasksOf(trx, demand.id)).filter((t) => t.kind === 'work_order' && isOpenOrder(t.status));
      if (open.some((t) => t.unit_id === body.unitId)) throw conflict(`the case is already with ${unit.name}`);
      for (const t of open) {
        if (!(await repo.updateTask(trx, t.id, t.version, { status: 'returned', return_reason: `班长改派：${body.note}`, updated_at: at }))) throw stale();
        await notify(trx, at, [
          { role: 'handler', unitId: t.unit_id, kind: 'reassigned', demandId: demand.id, taskId: t.id, title: `工单已改派至${unit.name} ${demand.number}` },
        ]);
      }
      const task = { id: await repo.insertWorkOrder(trx, { demandId: id, unitId: body.unitId, instructions: body.note, createdBy: ctx.actor.userId, at }) };
      await save(trx, demand, { status: 'dispatched', unit_id: demand.unit_id, updated_at: at });
      await repo.addTimeline(trx, [
        {
          demandId: id,
          taskId: task.id,
          at,
          actorId: ctx.actor.userId,
          kind: 'work_order.reassigned',
          note: body.note,
          data: { from: open.map((t) => ({ taskId: t.id, unitName: t.unit_name })), unitId: body.unitId, unitName: unit.name },
        },
      ]);
      await notify(trx, at, [
        { role: 'handler', unitId: body.unitId, kind: 'work_order', demandId: id, taskId: task.id, title: `新工单（班长改派）${demand.number}` },
      ]);
      await recordAudit(trx, ctx, {
        action: 'demand.reassigned',
        entityType: 'demand',
        entityId: id,
        unitId: body.unitId,
        before: { orders: open.map((t) => t.unit_id) },
        after: { unitId: body.unitId, note: body.note },
      });
    },
  );
}

/** One change to many cases, each in its own transaction: what was done, and what was refused with the reason. */
export async function eachCase(ctx: ServiceContext, ids: readonly number[], change: (id: number) => Promise<DemandDetail>): Promise<BulkResult> {
  const result: BulkResult = { done: [], refused: [] };
  for (const id of [...new Set(ids)]) {
    try {
      const detail = await change(id);
      result.done.push({ id, number: detail.number });
    } catch (err) {
      // A bad body is bad for every case: 400, not a list of refusals.
      if (!(err instanceof AppError) || err.code === 'validation') throw err;
      const row = await repo.findDemand(ctx.db, id);
      result.refused.push({ id, number: err.code === 'not_found' ? null : (row?.number ?? null), reason: err.message });
    }
  }
  return result;
}
