import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { ConsultationTable, DB } from '../../db/types.js';
import { OPEN_CONSULTATION_STATUSES } from '../../../shared/schemas/experts.js';
import { DEFAULT_LIMITS, type ConsultationStep, type Limits } from './rules.js';

// The expert seat's tables: the only place of this module that builds SQL.

const IN_HAND = ['assigned', 'acknowledged', 'contacted'] as const;
/** The events that give a consultation to an expert. */
export const GIVEN = ['forwarded', 'passed_over', 'passed_to_leader'] as const;

export interface ExpertRow {
  id: number;
  username: string;
  name: string;
  unit_id: number;
  unit_name: string;
  user_phone: string | null;
  phone: string | null;
  duty_from: string | null;
  duty_to: string | null;
  available: number | null;
  unavailable_reason: string | null;
  leader: number | null;
  open_count: number;
  topics: string[];
}

/** The active experts of these units (all when `unitIds` is undefined), with their profile, topics and consultations in hand. */
export async function expertsOf(db: Kysely<DB>, unitIds?: readonly number[]): Promise<ExpertRow[]> {
  if (unitIds && unitIds.length === 0) return [];
  let query = db
    .selectFrom('users')
    .innerJoin('user_roles', (j) => j.onRef('user_roles.user_id', '=', 'users.id').on('user_roles.role', '=', 'expert'))
    .innerJoin('units', 'units.id', 'users.unit_id')
    .leftJoin('expert_profiles', 'expert_profiles.user_id', 'users.id')
    .select([
      'users.id',
      'users.username',
      'users.name',
      'users.unit_id',
      'units.name as unit_name',
      'users.phone as user_phone',
      'expert_profiles.phone',
      'expert_profiles.duty_from',
      'expert_profiles.duty_to',
      'expert_profiles.available',
      'expert_profiles.unavailable_reason',
      'expert_profiles.leader',
    ])
    .select((eb) =>
      eb
        .selectFrom('consultations')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('consultations.expert_id', '=', 'users.id')
        .where('consultations.status', 'in', [...IN_HAND])
        .as('open_count'),
    )
    .where('users.active', '=', 1);
  if (unitIds) query = query.where('users.unit_id', 'in', [...unitIds]);
  const rows = await query.orderBy('users.unit_id').orderBy('users.id').execute();
  const topics = await topicsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, open_count: Number(r.open_count ?? 0), topics: topics.get(r.id) ?? [] }));
}

async function topicsOf(db: Kysely<DB>, userIds: number[]): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>();
  for (let i = 0; i < userIds.length; i += 500) {
    const rows = await db
      .selectFrom('expert_topics')
      .select(['user_id', 'topic'])
      .where('user_id', 'in', userIds.slice(i, i + 500))
      .orderBy('user_id')
      .orderBy('topic')
      .execute();
    for (const r of rows) map.set(r.user_id, [...(map.get(r.user_id) ?? []), r.topic]);
  }
  return map;
}

/** Names and units of these users. */
export async function peopleOf(db: Kysely<DB>, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.name', 'units.name as unit_name'])
    .where('users.id', 'in', [...ids])
    .execute();
}

export async function isExpert(db: Kysely<DB>, userId: number): Promise<boolean> {
  const row = await db.selectFrom('user_roles').select('user_id').where('user_id', '=', userId).where('role', '=', 'expert').executeTakeFirst();
  return row !== undefined;
}

export interface ProfileChanges {
  phone?: string | null;
  duty_from?: string;
  duty_to?: string;
  available?: number;
  unavailable_reason?: string | null;
  leader?: number;
}

export async function saveProfile(db: Kysely<DB>, userId: number, changes: ProfileChanges, topics: readonly string[] | undefined, now: string): Promise<void> {
  const existing = await db.selectFrom('expert_profiles').select('user_id').where('user_id', '=', userId).executeTakeFirst();
  if (existing) {
    await db
      .updateTable('expert_profiles')
      .set({ ...changes, updated_at: now })
      .where('user_id', '=', userId)
      .execute();
  } else {
    await db
      .insertInto('expert_profiles')
      .values({ user_id: userId, ...changes, updated_at: now })
      .execute();
  }
  if (topics) {
    await db.deleteFrom('expert_topics').where('user_id', '=', userId).execute();
    const unique = [...new Set(topics.map((t) => t.trim()))];
    if (unique.length > 0)
      await db
        .insertInto('expert_topics')
        .values(unique.map((topic) => ({ user_id: userId, topic })))
        .execute();
  }
}

// ── limits ─────────────────────────────────────────────────────────────────

/** The step limits: the seed's, as changed by the company. */
export async function loadLimits(db: Kysely<DB>): Promise<{ limits: Limits; changed: Set<ConsultationStep> }> {
  const rows = await db.selectFrom('consultation_limits').select(['step', 'minutes']).execute();
  const limits: Limits = { ...DEFAULT_LIMITS };
  const changed = new Set<ConsultationStep>();
  for (const r of rows) {
    if (r.step in limits) {
      limits[r.step as ConsultationStep] = r.minutes;
      changed.add(r.step as ConsultationStep);
    }
  }
  return { limits, changed };
}

export async function saveLimit(db: Kysely<DB>, step: ConsultationStep, minutes: number, now: string): Promise<void> {
  await db
    .insertInto('consultation_limits')
    .values({ step, minutes, updated_at: now })
    .onConflict((oc) => oc.column('step').doUpdateSet({ minutes, updated_at: now }))
    .execute();
}

// ── consultations ──────────────────────────────────────────────────────────

export type NewConsultation = Omit<
  Selectable<ConsultationTable>,
  | 'id'
  | 'version'
  | 'hand_overs'
  | 'unanswered_at'
  | 'acknowledged_at'
  | 'contacted_at'
  | 'call_ended_at'
  | 'replied_at'
  | 'answer'
  | 'callback_at'
  | 'callback_result'
  | 'closed_by'
  | 'joint_units_json'
>;

export async function insertConsultation(db: Kysely<DB>, row: NewConsultation): Promise<number> {
  const inserted = await db.insertInto('consultations').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

const consultationColumns = (db: Kysely<DB>) =>
  db
    .selectFrom('consultations')
    .innerJoin('demands', 'demands.id', 'consultations.demand_id')
    .innerJoin('units', 'units.id', 'consultations.unit_id')
    .innerJoin('users as expert', 'expert.id', 'consultations.expert_id')
    .innerJoin('users as agent', 'agent.id', 'consultations.forwarded_by')
    .leftJoin('expert_profiles', 'expert_profiles.user_id', 'consultations.expert_id')
    .selectAll('consultations')
    .select([
      'demands.number as demand_number',
      'demands.status as demand_status',
      'units.name as unit_name',
      'expert.name as expert_name',
      'agent.name as forwarded_by_name',
    ])
    .select((eb) => eb.fn.coalesce('expert_profiles.phone', 'expert.phone').as('expert_phone'));

export type ConsultationRow = Awaited<ReturnType<typeof findConsultation>> & {};

export async function findConsultation(db: Kysely<DB>, id: number) {
  return consultationColumns(db).where('consultations.id', '=', id).executeTakeFirst();
}

export interface ConsultationFilter {
  /** The caller's bound: consultations to these units, or given to `ownExpertId` (now or before). */
  unitIds?: readonly number[];
  ownExpertId?: number;
  expertId?: number;
  status?: string;
  open?: boolean;
  demandId?: number;
  unitId?: number;
  from?: string;
  to?: string;
}

function filtered(db: Kysely<DB>, f: ConsultationFilter) {
  let q = consultationColumns(db);
  if (f.unitIds) {
    const units = [...f.unitIds];
    const own = f.ownExpertId;
    q = q.where((eb) => {
      const ors = [];
      if (units.length > 0) ors.push(eb('consultations.unit_id', 'in', units));
      if (own !== undefined) {
        // Given to them now, or before they were passed over.
        ors.push(eb('consultations.expert_id', '=', own));
        ors.push(
          eb.exists(
            eb
              .selectFrom('consultation_events')
              .select('consultation_events.id')
              .whereRef('consultation_events.consultation_id', '=', 'consultations.id')
              .where('consultation_events.expert_id', '=', own)
              .where('consultation_events.kind', 'in', [...GIVEN]),
          ),
        );
      }
      return ors.length > 0 ? eb.or(ors) : eb.lit(false);
    });
  }
  if (f.expertId !== undefined) q = q.where('consultations.expert_id', '=', f.expertId);
  if (f.status) q = q.where('consultations.status', '=', f.status);
  if (f.open === true) q = q.where('consultations.status', 'in', [...OPEN_CONSULTATION_STATUSES]);
  if (f.open === false) q = q.where('consultations.status', 'not in', [...OPEN_CONSULTATION_STATUSES]);
  if (f.demandId !== undefined) q = q.where('consultations.demand_id', '=', f.demandId);
  if (f.unitId !== undefined) q = q.where('consultations.unit_id', '=', f.unitId);
  if (f.from) q = q.where('consultations.forwarded_at', '>=', f.from);
  if (f.to) q = q.where('consultations.forwarded_at', '<', f.to);
  return q;
}

export async function listConsultations(db: Kysely<DB>, f: ConsultationFilter, page: { limit: number; offset: number }) {
  return filtered(db, f).orderBy('consultations.forwarded_at', 'desc').orderBy('consultations.id', 'desc').limit(page.limit).offset(page.offset).execute();
}

export async function countConsultations(db: Kysely<DB>, f: ConsultationFilter): Promise<number> {
  const row = await filtered(db, f)
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every consultation of the range (the record form and the figures of a month). */
export async function consultationsBetween(db: Kysely<DB>, f: ConsultationFilter) {
  return filtered(db, f).orderBy('consultations.forwarded_at').orderBy('consultations.id').execute();
}

/** Changes the consultation only if nobody changed it since `version`; false when somebody did. */
export async function updateConsultation(db: Kysely<DB>, id: number, version: number, changes: Updateable<ConsultationTable>): Promise<boolean> {
  const result = await db
    .updateTable('consultations')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface NewEvent {
  consultationId: number;
  at: string;
  actorId: number | null;
  kind: string;
  expertId?: number | null;
  note?: string | null;
}

export async function addEvents(db: Kysely<DB>, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('consultation_events')
    .values(
      events.map((e) => ({
        consultation_id: e.consultationId,
        at: e.at,
        actor_id: e.actorId,
        kind: e.kind,
        expert_id: e.expertId ?? null,
        note: e.note ?? null,
      })),
    )
    .execute();
}

export async function eventsOf(db: Kysely<DB>, consultationId: number) {
  return db
    .selectFrom('consultation_events')
    .leftJoin('users as actor', 'actor.id', 'consultation_events.actor_id')
    .leftJoin('users as expert', 'expert.id', 'consultation_events.expert_id')
    .selectAll('consultation_events')
    .select(['actor.name as actor_name', 'expert.name as expert_name'])
    .where('consultation_id', '=', consultationId)
    .orderBy('consultation_events.id')
    .execute();
}

// ── timers ─────────────────────────────────────────────────────────────────

export interface NewTimer {
  consultationId: number;
  step: ConsultationStep;
  expertId: number | null;
  startedAt: string;
  dueAt: string;
}

export async function startTimers(db: Kysely<DB>, timers: NewTimer[]): Promise<void> {
  if (timers.length === 0) return;
  await db
    .insertInto('consultation_timers')
    .values(timers.map((t) => ({ consultation_id: t.consultationId, step: t.step, expert_id: t.expertId, started_at: t.startedAt, due_at: t.dueAt })))
    .execute();
}

/** The running timers of these steps stop: met (the step was done) or cancelled (the expert was passed over). */
async function stopTimers(
  db: Kysely<DB>,
  consultationId: number,
  steps: readonly ConsultationStep[],
  how: 'met_at' | 'cancelled_at',
  now: string,
): Promise<void> {
  await db
    .updateTable('consultation_timers')
    .set({ [how]: now })
    .where('consultation_id', '=', consultationId)
    .where('step', 'in', [...steps])
    .where('met_at', 'is', null)
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .execute();
}

export const meetTimers = (db: Kysely<DB>, consultationId: number, steps: readonly ConsultationStep[], now: string) =>
  stopTimers(db, consultationId, steps, 'met_at', now);
export const cancelTimers = (db: Kysely<DB>, consultationId: number, steps: readonly ConsultationStep[], now: string) =>
  stopTimers(db, consultationId, steps, 'cancelled_at', now);

/**
 * Withdraws a question the agent takes back, or a closed demand's questions
 * still with their experts: their timers stop and their timeline says why.
 * Returns the withdrawn ones, for their experts to be told.
 */
export async function withdrawOpen(
  db: Kysely<DB>,
  filter: { demandId: number } | { id: number },
  at: string,
  actorId: number | null,
  note: string,
): Promise<{ id: number; expert_id: number }[]> {
  // A demand that closes withdraws the questions still with their experts; those answered wait for the agent's callback.
  let q = db.selectFrom('consultations').select(['id', 'expert_id', 'status']);
  q =
    'id' in filter
      ? q.where('id', '=', filter.id).where('status', 'in', [...OPEN_CONSULTATION_STATUSES])
      : q.where('demand_id', '=', filter.demandId).where('status', 'in', [...IN_HAND]);
  const open = await q.execute();
  if (open.length === 0) return [];
  const ids = open.map((c) => c.id);
  await db
    .updateTable('consultations')
    .set((eb) => ({ status: 'cancelled', updated_at: at, version: eb('version', '+', 1) }))
    .where('id', 'in', ids)
    .execute();
  await db
    .updateTable('consultation_timers')
    .set({ cancelled_at: at })
    .where('consultation_id', 'in', ids)
    .where('met_at', 'is', null)
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .execute();
  await addEvents(
    db,
    open.map((c) => ({ consultationId: c.id, at, actorId, kind: 'cancelled', note })),
  );
  return open.map((c) => ({ id: c.id, expert_id: c.expert_id }));
}

/** Timers due by `at` that nobody acted on yet; the acknowledgements first, so a silent expert is passed over before anything else. */
export async function dueTimers(db: Kysely<DB>, at: string, limit: number) {
  return db
    .selectFrom('consultation_timers')
    .selectAll()
    .where('fired_at', 'is', null)
    .where('met_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .where('due_at', '<=', at)
    .orderBy(sql`CASE WHEN step = 'acknowledge' THEN 0 ELSE 1 END`)
    .orderBy('due_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Claims the timer for this pass: true once, whoever asks after gets false. */
export async function claimTimer(db: Kysely<DB>, id: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('consultation_timers')
    .set({ fired_at: at })
    .where('id', '=', id)
    .where('fired_at', 'is', null)
    .where('met_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

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
