import type { Kysely, Selectable } from 'kysely';
import type { AreaClass, DemandType } from '../../../shared/codes.js';
import { insertItem, insertRows, type BatchItem } from '../../db/statements.js';
import type { DB, DeadlineTable } from '../../db/types.js';
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
