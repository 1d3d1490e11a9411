import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import type { DB } from '../../db/types.js';

// The monthly meeting's side of the expert seat: the common problems filed
// for it and the training sessions experts give.

// ── the meeting: common problems and trainings ─────────────────────────────

export async function problemsOf(db: Kysely<DB>, filter: { month?: string | undefined; id?: number }, unitIds: readonly number[] | undefined) {
  let q = db
    .selectFrom('common_problems')
    .innerJoin('units', 'units.id', 'common_problems.unit_id')
    .innerJoin('users', 'users.id', 'common_problems.filed_by')
    .selectAll('common_problems')
    .select(['units.name as unit_name', 'users.name as filed_by_name']);
  if (filter.month) q = q.where('meeting_month', '=', filter.month);
  if (filter.id !== undefined) q = q.where('common_problems.id', '=', filter.id);
  if (unitIds) q = unitIds.length === 0 ? q.where(sql<boolean>`1 = 0`) : q.where('common_problems.unit_id', 'in', [...unitIds]);
  const rows = await q.orderBy('meeting_month', 'desc').orderBy('common_problems.id', 'desc').limit(500).execute();
  const links =
    rows.length === 0
      ? []
      : await db
          .selectFrom('common_problem_consultations')
          .innerJoin('consultations', 'consultations.id', 'common_problem_consultations.consultation_id')
          .innerJoin('demands', 'demands.id', 'consultations.demand_id')
          .select(['common_problem_consultations.problem_id', 'consultations.id', 'demands.number', 'consultations.question'])
          .where(
            'common_problem_consultations.problem_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('consultations.id')
          .execute();
  return rows.map((r) => ({ ...r, consultations: links.filter((l) => l.problem_id === r.id) }));
}

export async function trainingsOf(db: Kysely<DB>, filter: { id?: number; from?: string; to?: string; expertId?: number }) {
  let q = db
    .selectFrom('expert_trainings')
    .innerJoin('users', 'users.id', 'expert_trainings.expert_id')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .selectAll('expert_trainings')
    .select(['users.name as expert_name', 'units.name as unit_name']);
  if (filter.id !== undefined) q = q.where('expert_trainings.id', '=', filter.id);
  if (filter.from) q = q.where('held_on', '>=', filter.from);
  if (filter.to) q = q.where('held_on', '<', filter.to);
  if (filter.expertId !== undefined) q = q.where('expert_id', '=', filter.expertId);
  return q.orderBy('held_on', 'desc').orderBy('expert_trainings.id', 'desc').limit(500).execute();
}

// ── common problems and trainings (meeting.ts) ────────────────────────────

/** A common problem filed for the month's meeting, with the consultations it stands for: its id. */
export async function insertProblem(db: Kysely<DB>, row: Omit<Insertable<DB['common_problems']>, 'id'>, consultationIds: readonly number[]): Promise<number> {
  const { id } = await db.insertInto('common_problems').values(row).returning('id').executeTakeFirstOrThrow();
  if (consultationIds.length > 0)
    await db
      .insertInto('common_problem_consultations')
      .values(consultationIds.map((consultation_id) => ({ problem_id: id, consultation_id })))
      .execute();
  return id;
}

export async function updateProblem(db: Kysely<DB>, id: number, changes: Updateable<DB['common_problems']>): Promise<void> {
  await db.updateTable('common_problems').set(changes).where('id', '=', id).execute();
}

/** A training session an expert gave: its id. */
export async function insertTraining(db: Kysely<DB>, row: Omit<Insertable<DB['expert_trainings']>, 'id'>): Promise<number> {
  return (await db.insertInto('expert_trainings').values(row).returning('id').executeTakeFirstOrThrow()).id;
}
