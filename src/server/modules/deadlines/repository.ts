import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { AreaClass, DemandType } from '../../../shared/codes.js';
import { insertItem, insertRows, type BatchItem } from '../../db/statements.js';
import type { DB, DeadlineTable, TimePolicyTable } from '../../db/types.js';
import type { CalendarDay } from './calendar.js';
import type { DeadlineStep, LimitUnit, TimePolicy } from './policies.js';

export async function loadCalendarDays(db: Kysely<DB>): Promise<CalendarDay[]> {
  const rows = await db.selectFrom('calendar_days').select(['date', 'working', 'name']).execute();
  return rows.map((r) => ({ date: r.date, working: r.working === 1, name: r.name }));
}

export async function loadPolicies(db: Kysely<DB>): Promise<TimePolicy[]> {
  const rows = await db.selectFrom('time_policies').selectAll().orderBy('id').execute();
  return rows.map((r) => ({
    step: r.step as DeadlineStep,
    type: r.type as DemandType | null,
    category: r.category,
    subcategory: r.subcategory,
    areaClass: r.area_class as AreaClass | null,
    priority: r.priority,
    amount: r.amount,
    unit: r.unit as LimitUnit,
  }));
}

export interface NewDeadline {
  demandId: number;
  taskId: number | null;
  step: DeadlineStep;
  startedAt: string;
  dueAt: string;
  warnAt: string;
}

const DEADLINE_COLUMNS = ['demand_id', 'task_id', 'step', 'started_at', 'due_at', 'warn_at'] as const;

const deadlineRows = (deadlines: readonly NewDeadline[]) =>
  deadlines.map((d) => ({ demand_id: d.demandId, task_id: d.taskId, step: d.step, started_at: d.startedAt, due_at: d.dueAt, warn_at: d.warnAt }));

/** The deadlines as stored under these ids (the columns not written are NULL). */
export function storedDeadlines(deadlines: readonly NewDeadline[], ids: readonly number[]): Selectable<DeadlineTable>[] {
  return deadlineRows(deadlines).map((row, i) => ({ id: ids[i]!, ...row, met_at: null, warned_at: null, escalated_at: null, cancelled_at: null }));
}

/** Inserts the deadlines and returns them as stored. */
export async function insertDeadlines(db: Kysely<DB>, deadlines: NewDeadline[]): Promise<Selectable<DeadlineTable>[]> {
  return storedDeadlines(deadlines, await insertRows(db, 'deadlines', DEADLINE_COLUMNS, deadlineRows(deadlines)));
}

/** The insert of the deadlines as an item of a batch (db/statements.ts runBatch); storedDeadlines makes them of its ids. */
export function deadlinesItem(deadlines: readonly NewDeadline[]): BatchItem {
  return insertItem('deadlines', DEADLINE_COLUMNS, deadlineRows(deadlines));
}

/** Marks the demand's live deadlines of these steps as met. */
export async function meetDeadlines(db: Kysely<DB>, demandId: number, steps: readonly DeadlineStep[], now: string): Promise<void> {
  if (steps.length === 0) return;
  await db
    .updateTable('deadlines')
    .set({ met_at: now })
    .where('demand_id', '=', demandId)
    .where('step', 'in', [...steps])
    .where('met_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .execute();
}

/** A closed demand's remaining deadlines stop counting. */
export async function cancelLiveDeadlines(db: Kysely<DB>, demandId: number, now: string): Promise<void> {
  await db
    .updateTable('deadlines')
    .set({ cancelled_at: now })
    .where('demand_id', '=', demandId)
    .where('met_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .execute();
}

export async function deadlinesOf(db: Kysely<DB>, demandIds: number[]) {
  if (demandIds.length === 0) return [];
  return db.selectFrom('deadlines').selectAll().where('demand_id', 'in', demandIds).orderBy('due_at').execute();
}

/** The escalation ladder's rungs, by level. */
export async function loadLadder(db: Kysely<DB>): Promise<{ level: number; calls: number }[]> {
  return db.selectFrom('escalation_ladder').select(['level', 'calls']).orderBy('level').execute();
}

export async function saveLadder(db: Kysely<DB>, rungs: readonly { level: number; calls: number }[], at: string): Promise<void> {
  for (const r of rungs) await db.updateTable('escalation_ladder').set({ calls: r.calls, updated_at: at }).where('level', '=', r.level).execute();
}

// ── the scheduler's part (demands/timers.ts acts on them) ─────────────────

/** Live deadlines whose escalation (100 %) has come due, oldest first, with their demand's number and unit. */
export async function dueEscalations(db: Kysely<DB>, at: string, limit: number) {
  return db
    .selectFrom('deadlines')
    .innerJoin('demands', 'demands.id', 'deadlines.demand_id')
    .select(['deadlines.id', 'deadlines.step', 'deadlines.demand_id', 'deadlines.due_at', 'demands.number', 'demands.unit_id'])
    .where('deadlines.escalated_at', 'is', null)
    .where('deadlines.due_at', '<=', at)
    .where('deadlines.met_at', 'is', null)
    .where('deadlines.cancelled_at', 'is', null)
    .orderBy('deadlines.due_at')
    .limit(limit)
    .execute();
}

/** Live deadlines whose warning (80 %) has come due, oldest first, with their demand's number, unit and registering agent. */
export async function dueWarnings(db: Kysely<DB>, at: string, limit: number) {
  return db
    .selectFrom('deadlines')
    .innerJoin('demands', 'demands.id', 'deadlines.demand_id')
    .select(['deadlines.id', 'deadlines.step', 'deadlines.demand_id', 'deadlines.due_at', 'demands.number', 'demands.unit_id', 'demands.created_by'])
    .where('deadlines.warned_at', 'is', null)
    .where('deadlines.warn_at', '<=', at)
    .where('deadlines.met_at', 'is', null)
    .where('deadlines.cancelled_at', 'is', null)
    .orderBy('deadlines.warn_at')
    .limit(limit)
    .execute();
}

/** Claims a deadline's escalation (and its warning, if it never went out): false when a pass claimed it already. */
export async function claimEscalation(db: Kysely<DB>, id: number, at: string): Promise<boolean> {
  const claimed = await db
    .updateTable('deadlines')
    .set({ escalated_at: at, warned_at: sql`coalesce(warned_at, ${at})` })
    .where('id', '=', id)
    .where('escalated_at', 'is', null)
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

/** Claims a deadline's warning: false when a pass claimed it already. */
export async function claimWarning(db: Kysely<DB>, id: number, at: string): Promise<boolean> {
  const claimed = await db.updateTable('deadlines').set({ warned_at: at }).where('id', '=', id).where('warned_at', 'is', null).executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

// ── the settings an admin edits (settings.ts) ─────────────────────────────

export async function calendarDaysBetween(db: Kysely<DB>, from: string, to: string) {
  return db.selectFrom('calendar_days').select(['date', 'working', 'name']).where('date', '>=', from).where('date', '<=', to).orderBy('date').execute();
}

export async function findCalendarDay(db: Kysely<DB>, date: string) {
  return db.selectFrom('calendar_days').selectAll().where('date', '=', date).executeTakeFirst();
}

/** Lists the day as working or not (updating it when `listed`). */
export async function saveCalendarDay(
  db: Kysely<DB>,
  date: string,
  values: { working: number; name: string | null; updated_at: string },
  listed: boolean,
): Promise<void> {
  if (listed) await db.updateTable('calendar_days').set(values).where('date', '=', date).execute();
  else
    await db
      .insertInto('calendar_days')
      .values({ date, ...values })
      .execute();
}

export async function deleteCalendarDay(db: Kysely<DB>, date: string): Promise<void> {
  await db.deleteFrom('calendar_days').where('date', '=', date).execute();
}

export async function listPolicyRows(db: Kysely<DB>) {
  return db.selectFrom('time_policies').selectAll().orderBy('step').orderBy('type').orderBy('id').execute();
}

export async function findPolicy(db: Kysely<DB>, id: number) {
  return db.selectFrom('time_policies').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Adds a policy (`id` null) or changes one, and returns it as stored. */
export async function savePolicyRow(db: Kysely<DB>, id: number | null, values: Omit<Insertable<TimePolicyTable>, 'id'>): Promise<Selectable<TimePolicyTable>> {
  return id === null
    ? db.insertInto('time_policies').values(values).returningAll().executeTakeFirstOrThrow()
    : db.updateTable('time_policies').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deletePolicyRow(db: Kysely<DB>, id: number): Promise<void> {
  await db.deleteFrom('time_policies').where('id', '=', id).execute();
}

/** Each category's department (归口部门), with its name. */
export async function listRouteRows(db: Kysely<DB>) {
  return db
    .selectFrom('category_routes')
    .innerJoin('units', 'units.id', 'category_routes.unit_id')
    .select(['category', 'unit_id', 'units.name'])
    .orderBy('category')
    .execute();
}

export async function findRoute(db: Kysely<DB>, category: string) {
  return db.selectFrom('category_routes').selectAll().where('category', '=', category).executeTakeFirst();
}

/** Routes the category to the unit (changing its route when `routed`). */
export async function saveRoute(db: Kysely<DB>, category: string, unitId: number, at: string, routed: boolean): Promise<void> {
  if (routed) await db.updateTable('category_routes').set({ unit_id: unitId, updated_at: at }).where('category', '=', category).execute();
  else await db.insertInto('category_routes').values({ category, unit_id: unitId, updated_at: at }).execute();
}

// ── reference data (reference.ts) and the scheduler's backlog (metrics.ts) ─

export async function listedDates(db: Kysely<DB>): Promise<string[]> {
  return (await db.selectFrom('calendar_days').select('date').execute()).map((r) => r.date);
}

export async function insertCalendarDays(db: Kysely<DB>, days: Insertable<DB['calendar_days']>[]): Promise<void> {
  await db.insertInto('calendar_days').values(days).execute();
}

export async function hasPolicies(db: Kysely<DB>): Promise<boolean> {
  return (await db.selectFrom('time_policies').select('id').limit(1).execute()).length > 0;
}

export async function insertPolicies(db: Kysely<DB>, policies: Omit<Insertable<TimePolicyTable>, 'id'>[]): Promise<void> {
  await db.insertInto('time_policies').values(policies).execute();
}

/** Clocks past their limit that no pass has escalated: how many, and the oldest limit. Read through the live-deadline index (migration 20261123010000). */
export async function overdueNotEscalated(db: Kysely<DB>, at: string) {
  return db
    .selectFrom('deadlines')
    .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min<string>('due_at').as('oldest')])
    .where('escalated_at', 'is', null)
    .where('met_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .where('due_at', '<=', at)
    .executeTakeFirstOrThrow();
}
