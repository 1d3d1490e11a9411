import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { ConsultationTable, DB } from '../../db/types.js';
import { OPEN_CONSULTATION_STATUSES } from '../../../shared/schemas/experts.js';
import type { ConsultationStep } from './rules.js';

// The expert seat's consultations, their events and timers: with
// pool-repository.ts (the experts, their profiles, the step limits) and
// meeting-repository.ts (common problems, trainings), the only places of this
// module that build SQL.

/** A consultation still with its expert. */
export const IN_HAND = ['assigned', 'acknowledged', 'contacted'] as const;
/** The events that give a consultation to an expert. */
export const GIVEN = ['forwarded', 'passed_over', 'passed_to_leader'] as const;

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
