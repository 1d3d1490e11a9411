import type { AreaClass, DemandType } from '../../../shared/codes.js';
import { isOpenOrder } from '../../../shared/work-orders.js';
import type { HandleBody, Task } from '../../../shared/schemas/demands.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { addWorkingDays } from '../deadlines/calendar.js';
import { deadlineRules, meetDeadlines, startDeadlines } from '../deadlines/service.js';
import { notify } from '../../platform/notify.js';
import { visibleUnitIds } from '../org/service.js';
import { presentTask } from './read.js';
import * as repo from './repository.js';
import { factTime, PROGRESS_EVERY_WD, workOrderTransition, type Priority, type WorkOrderAction, type WorkOrderStatus } from './rules.js';
import { stale } from './actions.js';

// What a unit does with its work orders: accept, record the crew's arrival,
// hand back with a structured report, or return a misrouted order.

export type WorkOrderInput =
  { action: 'accept' } | { action: 'arrive'; arrivedAt?: string | undefined } | { action: 'handle'; report: HandleBody } | { action: 'return'; reason: string };

export async function actOnWorkOrder(ctx: ServiceContext, taskId: number, input: WorkOrderInput, expectedVersion?: number): Promise<Task> {
  authorize(ctx.actor, 'work_order.handle');
  const task = await repo.findTask(ctx.db, taskId);
  // A unit sees its own orders and those of the units below it, nothing else.
  if (!task || task.kind !== 'work_order' || !(await visibleUnitIds(ctx)).has(task.unit_id)) throw notFound('work order');
  if (expectedVersion !== undefined && expectedVersion !== task.version)
    throw conflict('the work order was changed by someone else since you read it; reload it and try again');
  const demand = (await repo.findDemand(ctx.db, task.demand_id))!;
  const next = workOrderTransition(task.status as WorkOrderStatus, input.action as WorkOrderAction, demand.type as DemandType);
  if (typeof next !== 'string') throw conflict(next.refused);
  const rules = await deadlineRules(ctx.db, ctx.timeZone);
  const at = ctx.now();
  const facts = {
    type: demand.type as DemandType,
    category: demand.category,
    subcategory: demand.subcategory,
    areaClass: demand.area_class as AreaClass,
    priority: demand.priority as Priority,
  };

  await ctx.transact(async (trx) => {
    const timeline: repo.TimelineEntry[] = [];
    switch (input.action) {
      case 'accept':
        if (!(await repo.updateTask(trx, taskId, task.version, { status: next, accepted_at: at, assignee_id: ctx.actor.userId, updated_at: at })))
          throw stale();
        timeline.push({ demandId: demand.id, taskId, at, actorId: ctx.actor.userId, kind: 'work_order.accepted' });
        break;
      case 'arrive': {
        // The crew's actual arrival: the arrival clock is met then, and the restoration clock starts then.
        const arrived = factTime(input.arrivedAt, at, { dispatchedAt: task.created_at });
        if ('problem' in arrived) throw invalid('arrivedAt', arrived.problem);
        if (!(await repo.updateTask(trx, taskId, task.version, { status: next, arrived_at: arrived.at, updated_at: at }))) throw stale();
        await meetDeadlines(trx, demand.id, ['arrive'], arrived.at);
        await startDeadlines(trx, rules, { demandId: demand.id, taskId, facts, important: demand.important === 1 }, ['restore'], new Date(arrived.at));
        timeline.push({ demandId: demand.id, taskId, at, actorId: ctx.actor.userId, kind: 'work_order.arrived', data: { arrivedAt: arrived.at } });
        break;
      }
      case 'handle': {
        const report = input.report;
        const resolved = report.resolved !== false;
        const restored = report.powerRestored
          ? factTime(report.restoredAt, at, {
              dispatchedAt: task.created_at,
              notBefore: task.arrived_at ? { at: task.arrived_at, what: 'the crew arrived' } : undefined,
            })
          : undefined;
        if (restored && 'problem' in restored) throw invalid('restoredAt', restored.problem);
        if (
          !(await repo.updateTask(trx, taskId, task.version, {
            status: next,
            handled_at: at,
            report_json: JSON.stringify(restored ? { ...report, restoredAt: restored.at } : report),
            updated_at: at,
          }))
        )
          throw stale();
        if (restored) await meetDeadlines(trx, demand.id, ['restore'], restored.at);
        await meetDeadlines(trx, demand.id, ['contact', 'answer'], at);
        const changes: Parameters<typeof repo.updateDemand>[3] = {};
        // 首次处理: the first report of the demand is what the evaluation judges the first unit by.
        if (demand.first_resolved === null) {
          Object.assign(changes, {
            first_unit_id: demand.first_unit_id ?? task.unit_id,
            first_resolved: resolved ? 1 : 0,
            first_handled_at: at,
            unresolved_reason: resolved ? null : (report.unresolvedReason ?? 'other'),
          });
        }
        // Needs grid investment: months of work ahead, so the customer hears of its progress (progress.ts) unless that is on already.
        if (!resolved && report.unresolvedReason === 'investment' && demand.progress_every_wd === null) {
          Object.assign(changes, {
            progress_every_wd: PROGRESS_EVERY_WD,
            progress_due_at: addWorkingDays(new Date(at), PROGRESS_EVERY_WD, rules.calendar).toISOString(),
            progress_told: demand.status,
          });
        }
        // The demand waits for its callback when no other order of it is still out; one the unit could not resolve stays open for the monthly transfer.
        const open = (await repo.tasksOf(trx, demand.id)).filter((t) => t.id !== taskId && isOpenOrder(t.status));
        if (open.length === 0 && resolved) {
          Object.assign(changes, { status: 'awaiting_callback', callback_attempts: 0 });
          await startDeadlines(trx, rules, { demandId: demand.id, taskId: null, facts, important: demand.important === 1 }, ['callback'], new Date(at));
          await notify(trx, at, [
            { userId: demand.created_by, kind: 'handed_back', demandId: demand.id, taskId, title: `工单已处理，待回访 ${demand.number}` },
          ]);
        } else if (open.length === 0) {
          Object.assign(changes, { status: 'open' });
        }
        if (!resolved) {
          await notify(trx, at, [
            { userId: demand.created_by, kind: 'unresolved', demandId: demand.id, taskId, title: `本级无法解决，待传递 ${demand.number}` },
            { role: 'team_lead', kind: 'unresolved', demandId: demand.id, taskId, title: `本级无法解决，待传递 ${demand.number}` },
          ]);
        }
        if (Object.keys(changes).length > 0 && !(await repo.updateDemand(trx, demand.id, demand.version, { ...changes, updated_at: at }))) throw stale();
        timeline.push({
          demandId: demand.id,
          taskId,
          at,
          actorId: ctx.actor.userId,
          kind: resolved ? 'work_order.handled' : 'work_order.unresolved',
          note: report.findings,
          data: report,
        });
        break;
      }
      case 'return':
        if (!(await repo.updateTask(trx, taskId, task.version, { status: next, return_reason: input.reason, updated_at: at }))) throw stale();
        {
          const others = (await repo.tasksOf(trx, demand.id)).filter((t) => t.id !== taskId && t.kind === 'work_order' && t.status !== 'returned');
          const open = others.filter((t) => isOpenOrder(t.status));
          const changes: Parameters<typeof repo.updateDemand>[3] = {};
          if (open.length === 0) changes.status = 'open';
          // A misrouted order was never handled there: the next unit it goes to is the first to handle it.
          if (demand.first_resolved === null && demand.first_unit_id === task.unit_id) changes.first_unit_id = others[0]?.unit_id ?? null;
          if (Object.keys(changes).length > 0 && !(await repo.updateDemand(trx, demand.id, demand.version, { ...changes, updated_at: at }))) throw stale();
        }
        timeline.push({ demandId: demand.id, taskId, at, actorId: ctx.actor.userId, kind: 'work_order.returned', note: input.reason });
        await notify(trx, at, [
          { userId: demand.created_by, kind: 'returned', demandId: demand.id, taskId, title: `工单退回 ${demand.number}` },
          { role: 'team_lead', kind: 'returned', demandId: demand.id, taskId, title: `工单退回 ${demand.number}` },
        ]);
        break;
    }
    await repo.addTimeline(trx, timeline);
    await recordAudit(trx, ctx, {
      action: `work_order.${input.action}`,
      entityType: 'task',
      entityId: taskId,
      unitId: task.unit_id,
      before: { status: task.status },
      after: { status: next },
    });
  });
  const tasks = await repo.tasksOf(ctx.db, demand.id);
  return presentTask(tasks.find((t) => t.id === taskId)!);
}
