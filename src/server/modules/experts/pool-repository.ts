import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { IN_HAND } from './repository.js';
import { DEFAULT_LIMITS, type ConsultationStep, type Limits } from './rules.js';

// The expert pool (专家库): the experts, their profiles and topics, and the
// step limits of the relay.

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
