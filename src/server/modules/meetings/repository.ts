import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';

// The meetings' SQL: meetings and their stored pack, action items with their
// progress, the front line's suggestions, and the experts' common problems of
// the meeting's month (read, never copied).

export async function insertMeeting(
  db: Kysely<DB>,
  m: { title: string; heldOn: string; from: string; to: string; pack: unknown; at: string; by: number },
): Promise<number> {
  const row = await db
    .insertInto('meetings')
    .values({
      title: m.title,
      held_on: m.heldOn,
      period_from: m.from,
      period_to: m.to,
      pack_json: JSON.stringify(m.pack),
      assembled_at: m.at,
      created_by: m.by,
      created_at: m.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updatePack(db: Kysely<DB>, id: number, pack: unknown, at: string): Promise<void> {
  await db
    .updateTable('meetings')
    .set({ pack_json: JSON.stringify(pack), assembled_at: at })
    .where('id', '=', id)
    .execute();
}

const MEETING = [
  'm.id',
  'm.title',
  'm.held_on',
  'm.period_from',
  'm.period_to',
  'm.pack_json',
  'm.assembled_at',
  'm.created_at',
  'users.name as created_by_name',
] as const;

export async function findMeeting(db: Kysely<DB>, id: number) {
  return db.selectFrom('meetings as m').innerJoin('users', 'users.id', 'm.created_by').select(MEETING).where('m.id', '=', id).executeTakeFirst();
}
export type MeetingRow = NonNullable<Awaited<ReturnType<typeof findMeeting>>>;

export async function listMeetings(db: Kysely<DB>) {
  return db
    .selectFrom('meetings as m')
    .innerJoin('users', 'users.id', 'm.created_by')
    .select(MEETING)
    .orderBy('m.held_on', 'desc')
    .orderBy('m.id', 'desc')
    .limit(200)
    .execute();
}

// ── action items ─────────────────────────────────────────────────────────
export async function insertActionItem(
  db: Kysely<DB>,
  i: {
    meetingId: number;
    text: string;
    ownerUnitId: number;
    ownerUserId: number | null;
    dueOn: string;
    remindAt: string;
    lateAt: string;
    by: number;
    at: string;
  },
): Promise<number> {
  const row = await db
    .insertInto('action_items')
    .values({
      meeting_id: i.meetingId,
      text: i.text,
      owner_unit_id: i.ownerUnitId,
      owner_user_id: i.ownerUserId,
      due_on: i.dueOn,
      status: 'open',
      remind_at: i.remindAt,
      late_at: i.lateAt,
      created_by: i.by,
      created_at: i.at,
      updated_at: i.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface ActionItemFilter {
  id?: number;
  meetingId?: number | undefined;
  status?: string | undefined;
  ownerUnitIds?: number[] | undefined;
  /** Items of meetings held before this date, not done before this instant. */
  openAt?: { heldBefore: string; at: string };
  lateBy?: string;
}

export async function listActionItems(db: Kysely<DB>, f: ActionItemFilter) {
  return db
    .selectFrom('action_items as a')
    .innerJoin('meetings as m', 'm.id', 'a.meeting_id')
    .innerJoin('units as u', 'u.id', 'a.owner_unit_id')
    .leftJoin('users as o', 'o.id', 'a.owner_user_id')
    .select([
      'a.id',
      'a.meeting_id',
      'm.title as meeting_title',
      'm.held_on as meeting_held_on',
      'a.text',
      'a.owner_unit_id',
      'u.name as owner_unit_name',
      'a.owner_user_id',
      'o.name as owner_user_name',
      'a.due_on',
      'a.status',
      'a.late_at',
      'a.done_at',
      'a.version',
    ])
    .$if(f.id !== undefined, (q) => q.where('a.id', '=', f.id!))
    .$if(f.meetingId !== undefined, (q) => q.where('a.meeting_id', '=', f.meetingId!))
    .$if(f.status !== undefined, (q) => q.where('a.status', '=', f.status!))
    .$if(f.ownerUnitIds !== undefined, (q) => q.where('a.owner_unit_id', 'in', f.ownerUnitIds!.length > 0 ? f.ownerUnitIds! : [-1]))
    .$if(f.openAt !== undefined, (q) =>
      q.where('m.held_on', '<', f.openAt!.heldBefore).where((eb) => eb.or([eb('a.done_at', 'is', null), eb('a.done_at', '>=', f.openAt!.at)])),
    )
    .$if(f.lateBy !== undefined, (q) => q.where('a.late_at', '<=', f.lateBy!).where('a.status', '=', 'open'))
    .orderBy('a.due_on')
    .orderBy('a.id')
    .limit(2000)
    .execute();
}
export type ActionItemRow = Awaited<ReturnType<typeof listActionItems>>[number];

export async function progressOf(db: Kysely<DB>, itemIds: number[]) {
  if (itemIds.length === 0) return [];
  return db
    .selectFrom('action_item_progress as p')
    .leftJoin('users', 'users.id', 'p.actor_id')
    .select(['p.item_id', 'p.at', 'p.kind', 'p.note', 'users.name as actor_name'])
    .where('p.item_id', 'in', itemIds)
    .orderBy('p.item_id')
    .orderBy('p.id')
    .execute();
}

export async function addProgress(db: Kysely<DB>, p: { itemId: number; at: string; actorId: number | null; kind: string; note: string | null }): Promise<void> {
  await db.insertInto('action_item_progress').values({ item_id: p.itemId, at: p.at, actor_id: p.actorId, kind: p.kind, note: p.note }).execute();
}

export async function updateActionItem(
  db: Kysely<DB>,
  id: number,
  version: number,
  changes: { status?: string; done_at?: string | null; updated_at: string },
): Promise<boolean> {
  const result = await db
    .updateTable('action_items')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The scheduler's claims: an item's reminder and its escalation, each once. */
export async function dueReminders(db: Kysely<DB>, now: string) {
  return db
    .selectFrom('action_items as a')
    .innerJoin('units as u', 'u.id', 'a.owner_unit_id')
    .select(['a.id', 'a.text', 'a.owner_unit_id', 'a.owner_user_id', 'a.due_on', 'a.late_at', 'u.name as owner_unit_name'])
    .where('a.status', '=', 'open')
    .where('a.reminded_at', 'is', null)
    .where('a.remind_at', '<=', now)
    .orderBy('a.id')
    .limit(200)
    .execute();
}

export async function dueEscalations(db: Kysely<DB>, now: string) {
  return db
    .selectFrom('action_items as a')
    .innerJoin('units as u', 'u.id', 'a.owner_unit_id')
    .select(['a.id', 'a.text', 'a.owner_unit_id', 'a.owner_user_id', 'a.due_on', 'u.name as owner_unit_name'])
    .where('a.status', '=', 'open')
    .where('a.escalated_at', 'is', null)
    .where('a.late_at', '<=', now)
    .orderBy('a.id')
    .limit(200)
    .execute();
}

export async function claim(db: Kysely<DB>, id: number, column: 'reminded_at' | 'escalated_at', at: string): Promise<boolean> {
  const result = await db
    .updateTable('action_items')
    .set({ [column]: at })
    .where('id', '=', id)
    .where(column, 'is', null)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ── suggestions ──────────────────────────────────────────────────────────
export async function insertSuggestion(
  db: Kysely<DB>,
  s: { text: string; demandId: number | null; unitId: number; authorId: number; at: string },
): Promise<number> {
  const row = await db
    .insertInto('suggestions')
    .values({ text: s.text, demand_id: s.demandId, unit_id: s.unitId, author_id: s.authorId, created_at: s.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listSuggestions(db: Kysely<DB>, f: { id?: number; meetingId?: number | undefined; pending?: boolean | undefined }) {
  return db
    .selectFrom('suggestions as s')
    .innerJoin('units as u', 'u.id', 's.unit_id')
    .innerJoin('users as a', 'a.id', 's.author_id')
    .leftJoin('demands as d', 'd.id', 's.demand_id')
    .select([
      's.id',
      's.text',
      's.demand_id',
      'd.number as demand_number',
      's.unit_id',
      'u.name as unit_name',
      'a.name as author_name',
      's.created_at',
      's.meeting_id',
    ])
    .$if(f.id !== undefined, (q) => q.where('s.id', '=', f.id!))
    .$if(f.meetingId !== undefined, (q) => q.where('s.meeting_id', '=', f.meetingId!))
    .$if(f.pending === true, (q) => q.where('s.meeting_id', 'is', null))
    .$if(f.pending === false, (q) => q.where('s.meeting_id', 'is not', null))
    .orderBy('s.id')
    .limit(1000)
    .execute();
}
export type SuggestionRow = Awaited<ReturnType<typeof listSuggestions>>[number];

/** Takes the suggestions waiting for a meeting to this one. */
export async function linkPendingSuggestions(db: Kysely<DB>, meetingId: number, before: string): Promise<void> {
  await db.updateTable('suggestions').set({ meeting_id: meetingId }).where('meeting_id', 'is', null).where('created_at', '<=', before).execute();
}

/** The experts' common problems brought to the meeting of this month (共性问题), as filed. */
/** The experts' common problems filed for the meeting of this month, and those of earlier months no meeting has discussed yet. */
export async function problemsForMeeting(db: Kysely<DB>, month: string) {
  return db
    .selectFrom('common_problems as p')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .innerJoin('users as f', 'f.id', 'p.filed_by')
    .select((eb) => [
      'p.id',
      'p.title',
      'p.description',
      'u.name as unit_name',
      'f.name as filed_by_name',
      'p.status',
      'p.meeting_month',
      eb
        .selectFrom('common_problem_consultations as c')
        .select((c) => c.fn.countAll<number>().as('n'))
        .whereRef('c.problem_id', '=', 'p.id')
        .as('consultations'),
    ])
    .where((eb) => eb.or([eb('p.meeting_month', '=', month), eb.and([eb('p.meeting_month', '<', month), eb('p.status', '=', 'open')])]))
    .orderBy('p.meeting_month')
    .orderBy('p.id')
    .execute();
}
