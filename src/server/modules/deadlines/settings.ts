import type { z } from 'zod';
import type { CalendarDay, CategoryRoute, TimePolicy, TimePolicyBody } from '../../../shared/schemas/settings.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { invalid, notFound } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { findUnit } from '../org/directory.js';
import { ladderProblem } from '../../../shared/ladder.js';
import * as repo from './repository.js';
import { invalidateDeadlineRules } from './service.js';

// The business calendar, the time limits and the category routing are data
// that each company edits: read by the centre, changed by an admin, audited.

type Day = z.infer<typeof CalendarDay>;
type Policy = z.infer<typeof TimePolicy>;

export async function calendarYear(ctx: ServiceContext, year: number): Promise<Day[]> {
  authorize(ctx.actor, 'org.read');
  const rows = await repo.calendarDaysBetween(ctx.db, `${year}-01-01`, `${year}-12-31`);
  return rows.map((r) => ({ date: r.date, working: r.working === 1, name: r.name }));
}

export async function setCalendarDay(ctx: ServiceContext, date: string, body: { working: boolean; name?: string | null | undefined }): Promise<Day> {
  authorize(ctx.actor, 'settings.manage');
  const before = await repo.findCalendarDay(ctx.db, date);
  await ctx.transact(async (trx) => {
    await repo.saveCalendarDay(trx, date, { working: body.working ? 1 : 0, name: body.name ?? null, updated_at: ctx.now() }, before !== undefined);
    await recordAudit(trx, ctx, { action: 'calendar.day_set', entityType: 'calendar_day', entityId: date, before: before ?? null, after: { date, ...body } });
  });
  invalidateDeadlineRules();
  return { date, working: body.working, name: body.name ?? null };
}

/** Forget a listed day: it follows the week again. */
export async function clearCalendarDay(ctx: ServiceContext, date: string): Promise<void> {
  authorize(ctx.actor, 'settings.manage');
  const before = await repo.findCalendarDay(ctx.db, date);
  if (!before) throw notFound('calendar day');
  await ctx.transact(async (trx) => {
    await repo.deleteCalendarDay(trx, date);
    await recordAudit(trx, ctx, { action: 'calendar.day_cleared', entityType: 'calendar_day', entityId: date, before });
  });
  invalidateDeadlineRules();
}

const presentPolicy = (r: {
  id: number;
  step: string;
  type: string | null;
  category: string | null;
  subcategory: string | null;
  area_class: string | null;
  priority: string | null;
  amount: number;
  unit: string;
}): Policy => ({
  id: r.id,
  step: r.step as Policy['step'],
  type: r.type as Policy['type'],
  category: r.category as Policy['category'],
  subcategory: r.subcategory,
  areaClass: r.area_class as Policy['areaClass'],
  priority: r.priority as Policy['priority'],
  amount: r.amount,
  unit: r.unit as Policy['unit'],
});

export async function listPolicies(ctx: ServiceContext): Promise<Policy[]> {
  authorize(ctx.actor, 'org.read');
  return (await repo.listPolicyRows(ctx.db)).map(presentPolicy);
}

const columns = (b: TimePolicyBody) => ({
  step: b.step,
  type: b.type,
  category: b.category ?? null,
  subcategory: b.subcategory ?? null,
  area_class: b.areaClass ?? null,
  priority: b.priority ?? null,
  amount: b.amount,
  unit: b.unit,
});

export async function savePolicy(ctx: ServiceContext, id: number | null, body: TimePolicyBody): Promise<Policy> {
  authorize(ctx.actor, 'settings.manage');
  const before = id === null ? undefined : await repo.findPolicy(ctx.db, id);
  if (id !== null && !before) throw notFound('time policy');
  const saved = await ctx.transact(async (trx) => {
    const row = await repo.savePolicyRow(trx, id, { ...columns(body), updated_at: ctx.now() });
    await recordAudit(trx, ctx, {
      action: id === null ? 'policy.created' : 'policy.updated',
      entityType: 'time_policy',
      entityId: row.id,
      before: before ?? null,
      after: body,
    });
    return row;
  });
  invalidateDeadlineRules();
  return presentPolicy(saved);
}

export async function deletePolicy(ctx: ServiceContext, id: number): Promise<void> {
  authorize(ctx.actor, 'settings.manage');
  const before = await repo.findPolicy(ctx.db, id);
  if (!before) throw notFound('time policy');
  await ctx.transact(async (trx) => {
    await repo.deletePolicyRow(trx, id);
    await recordAudit(trx, ctx, { action: 'policy.deleted', entityType: 'time_policy', entityId: id, before });
  });
  invalidateDeadlineRules();
}

export async function listRoutes(ctx: ServiceContext): Promise<z.infer<typeof CategoryRoute>[]> {
  authorize(ctx.actor, 'org.read');
  const rows = await repo.listRouteRows(ctx.db);
  return rows.map((r) => ({ category: r.category as z.infer<typeof CategoryRoute>['category'], unitId: r.unit_id, unitName: r.name }));
}

export async function setRoute(ctx: ServiceContext, category: string, unitId: number) {
  authorize(ctx.actor, 'settings.manage');
  const unit = await findUnit(ctx.db, unitId);
  if (!unit || unit.active !== 1) throw invalid('unitId', `no active unit with id ${unitId}`);
  if (unit.kind !== 'department') throw invalid('unitId', `a category is routed to a department (归口部门), not a ${unit.kind}`);
  const before = await repo.findRoute(ctx.db, category);
  await ctx.transact(async (trx) => {
    await repo.saveRoute(trx, category, unitId, ctx.now(), before !== undefined);
    await recordAudit(trx, ctx, {
      action: 'route.set',
      entityType: 'category_route',
      entityId: category,
      unitId,
      before: before ?? null,
      after: { category, unitId },
    });
  });
  return { category: category as z.infer<typeof CategoryRoute>['category'], unitId, unitName: unit.name };
}

// ── the escalation ladder ─────────────────────────────────────────────────
export async function escalationLadder(ctx: ServiceContext): Promise<{ rungs: { level: number; calls: number }[] }> {
  authorize(ctx.actor, 'org.read');
  return { rungs: await repo.loadLadder(ctx.db) };
}

export async function setEscalationLadder(
  ctx: ServiceContext,
  body: { rungs: { level: number; calls: number }[] },
): Promise<{ rungs: { level: number; calls: number }[] }> {
  authorize(ctx.actor, 'settings.manage');
  const problem = ladderProblem(body.rungs);
  if (problem) throw invalid('rungs', problem);
  const before = await repo.loadLadder(ctx.db);
  await ctx.transact(async (trx) => {
    await repo.saveLadder(trx, body.rungs, ctx.now());
    await recordAudit(trx, ctx, { action: 'escalation_ladder.set', entityType: 'escalation_ladder', entityId: 'ladder', before, after: body.rungs });
  });
  return escalationLadder(ctx);
}
