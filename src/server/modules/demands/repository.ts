import { sql, type Kysely, type Selectable } from 'kysely';
import { REPEATED_FROM_CALLS } from '../../../shared/cases.js';
import { OPEN_ORDER_STATUSES } from '../../../shared/work-orders.js';
import type { Dialect } from '../../db/database.js';
import { insertItem, insertRows, run, runBatch, statement, type BatchItem } from '../../db/statements.js';
import type { DB, DemandTable, TimelineTable } from '../../db/types.js';
import { ftsPhrase } from '../../platform/text.js';
import type { ListDemandsQuery } from '../../../shared/schemas/demands.js';

// Demands, their tasks and timeline: the only place of this module that builds SQL.

// The registration's statements run on every call an agent takes: hand-written (see db/statements.ts).

const NEXT_SEQUENCE = statement('INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value');
// SQLite runs a RETURNING clause through a temporary table: 9 µs against 1.3 µs for the two statements apart.
const BUMP_SEQUENCE = statement('INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1');
const READ_SEQUENCE = statement('SELECT value FROM counters WHERE name = ?');

/**
 * The next number of the day's sequence of demand numbers. PostgreSQL: one
 * round trip. SQLite: two statements, so inside a transaction (one writer: nobody bumps between them).
 */
export async function nextDemandSequence(db: Kysely<DB>, dialect: Dialect, localDate: string): Promise<number> {
  const name = `demand:${localDate}`;
  if (dialect === 'postgres') return (await run<{ value: number }>(db, NEXT_SEQUENCE, [name]))[0]!.value;
  if (!db.isTransaction) throw new Error('the SQLite demand sequence is taken inside a transaction');
  await run(db, BUMP_SEQUENCE, [name]);
  return (await run<{ value: number }>(db, READ_SEQUENCE, [name]))[0]!.value;
}

/** What registering a demand needs of its customer. */
export interface IntakeCustomer {
  id: number;
  account_no: string;
  name: string;
  important: number;
  area_class: string;
  unit_id: number;
  /** The name of the customer's station (unit_id), which a repair goes to. */
  unit_name: string;
  district_id: number | null;
  feeder_id: number | null;
  /** 客户经理: told the moment the customer calls (issue 17). */
  account_manager_id: number | null;
}
const CUSTOMER_COLUMNS =
  'c.id, c.account_no, c.name, c.important, c.area_class, c.unit_id, u.name AS unit_name, c.district_id, c.feeder_id, c.account_manager_id';
const CUSTOMER_BY_ACCOUNT = statement(`SELECT ${CUSTOMER_COLUMNS} FROM customers c INNER JOIN units u ON u.id = c.unit_id WHERE c.account_no = ?`);
const CUSTOMERS_BY_PHONE = statement(`SELECT ${CUSTOMER_COLUMNS} FROM customers c INNER JOIN units u ON u.id = c.unit_id WHERE c.phone = ? LIMIT 2`);

export async function findCustomerByAccount(db: Kysely<DB>, accountNo: string): Promise<IntakeCustomer | undefined> {
  return (await run<IntakeCustomer>(db, CUSTOMER_BY_ACCOUNT, [accountNo]))[0];
}

/** The customer behind a phone number, when exactly one has it. */
export async function findCustomerByPhone(db: Kysely<DB>, phone: string): Promise<IntakeCustomer | undefined> {
  const rows = await run<IntakeCustomer>(db, CUSTOMERS_BY_PHONE, [phone]);
  return rows.length === 1 ? rows[0] : undefined;
}

const ROUTE_OF = statement('SELECT r.unit_id, u.name AS unit_name FROM category_routes r INNER JOIN units u ON u.id = r.unit_id WHERE r.category = ?');
const UNIT_NAME = statement('SELECT name FROM units WHERE id = ?');

/** The unit a category's demands go to, with its name. */
export async function routeOf(db: Kysely<DB>, category: string): Promise<{ unit_id: number; unit_name: string } | undefined> {
  return (await run<{ unit_id: number; unit_name: string }>(db, ROUTE_OF, [category]))[0];
}

/** What a registration reads before it writes: the customer, the demand its Idempotency-Key made before, the category's unit, and (PostgreSQL) the day's next number. */
export interface IntakeFacts {
  customer: IntakeCustomer | undefined;
  replay: { id: number; number: string; idempotency_hash: string | null } | undefined;
  route: { unit_id: number; unit_name: string } | undefined;
  /** PostgreSQL: the day's next demand number, taken now unless the key was used before or the 户号 is unknown. */
  sequence: number | undefined;
}

// The day's counter, bumped in the same round trip as the reads, but not for a
// replay or an unknown 户号 (their requests register nothing). Committed
// without waiting for the disk: the registration's own commit, later in the
// write-ahead log, waits for both, so no number can be handed out twice even
// if PostgreSQL crashes in between; a crash can only leave a gap, as a failed
// registration does.
const ASYNC_COMMIT = statement("SELECT set_config('synchronous_commit', 'off', true)");
const NEXT_SEQUENCE_UNLESS_KNOWN = statement(
  `INSERT INTO counters (name, value) SELECT ?, 1
   WHERE NOT EXISTS (SELECT 1 FROM demands WHERE idempotency_key = ?) AND (CAST(? AS text) IS NULL OR EXISTS (SELECT 1 FROM customers WHERE account_no = ?))
   ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`,
);

/**
 * The reads of a registration before its transaction. PostgreSQL: one round
 * trip, with the day's number. SQLite: the statements apart (microseconds
 * each), the number taken inside the transaction.
 */
export async function intakeFacts(
  db: Kysely<DB>,
  dialect: Dialect,
  q: { accountNo: string | undefined; phone: string; idempotencyKey: string | null; category: string; localDate: string },
): Promise<IntakeFacts> {
  const customerItem: BatchItem = q.accountNo
    ? { statement: CUSTOMER_BY_ACCOUNT, values: [q.accountNo] }
    : { statement: CUSTOMERS_BY_PHONE, values: [q.phone] };
  const items: BatchItem[] = [customerItem, { statement: BY_IDEMPOTENCY_KEY, values: [q.idempotencyKey] }, { statement: ROUTE_OF, values: [q.category] }];
  if (dialect === 'postgres') {
    items.push(
      { statement: ASYNC_COMMIT, values: [] },
      { statement: NEXT_SEQUENCE_UNLESS_KNOWN, values: [`demand:${q.localDate}`, q.idempotencyKey, q.accountNo ?? null, q.accountNo ?? null] },
    );
  }
  const [customers, replays, routes, , sequences] = (await runBatch(db, items)) as [
    IntakeCustomer[],
    IntakeFacts['replay'][],
    IntakeFacts['route'][],
    unknown,
    { value: number }[] | undefined,
  ];
  return {
    // By phone: only when exactly one customer has it.
    customer: q.accountNo || customers.length === 1 ? customers[0] : undefined,
    replay: q.idempotencyKey ? replays[0] : undefined,
    route: routes[0],
    sequence: sequences?.[0]?.value,
  };
}

export async function unitName(db: Kysely<DB>, id: number): Promise<string> {
  return (await run<{ name: string }>(db, UNIT_NAME, [id]))[0]?.name ?? '';
}

/** A case the calling customer has: its first call's state, and the category of the call that matched. */
export interface CaseCandidate {
  case_id: number;
  category: string | null;
  status: string;
  created_at: string;
  closed_at: string | null;
  call_count: number;
  escalation_level: number;
}
// Two candidates by each key, walked newest first in the phone and 户号 indexes,
// which hold the category, status and closed_at (migration 20261123050000):
// the customer's newest call in a case still open (a joined call carries its
// case's status), and the newest on the category closed since the window's
// start (closed_at is set only while a case is closed; a condition on the
// status there made SQLite walk every closed demand through the status index).
// A customer's long history costs nothing, four rows at most come back, each
// read with its case's first call. rules.ts caseToJoin decides.
const OPEN_CALL = (key: 'phone' | 'account_no', alias: string) =>
  `SELECT * FROM (SELECT case_id, category FROM demands WHERE ${key} = ? AND status <> 'closed' ORDER BY created_at DESC, id DESC LIMIT 1) AS ${alias}`;
const RECENT_CALL = (key: 'phone' | 'account_no', alias: string) =>
  `SELECT * FROM (SELECT case_id, category FROM demands WHERE ${key} = ? AND category = ? AND closed_at >= ? ORDER BY created_at DESC, id DESC LIMIT 1) AS ${alias}`;
const CASE_CALLS = statement(
  `${OPEN_CALL('phone', 'op')} UNION ALL ${RECENT_CALL('phone', 'rp')} UNION ALL ${OPEN_CALL('account_no', 'oa')} UNION ALL ${RECENT_CALL('account_no', 'ra')}`,
);
// The cases' first calls by id, apart: joined to the union in one statement, SQLite walked every demand (0.9 s at 200,000).
const CASE_HEADS = statement('SELECT id AS case_id, status, created_at, closed_at, call_count, escalation_level FROM demands WHERE id IN (?, ?, ?, ?)');

type CaseCall = { case_id: number; category: string | null };
const caseCallValues = (customer: { accountNo: string | null; phone: string }, category: string, since: string) => [
  customer.phone,
  customer.phone,
  category,
  since,
  customer.accountNo,
  customer.accountNo,
  category,
  since,
];

/**
 * The cases a new call of this customer could join: open, or on `category` and
 * closed since `since`. `calls` when openRegistration has read them already.
 */
export async function caseCandidates(
  db: Kysely<DB>,
  customer: { accountNo: string | null; phone: string },
  category: string,
  since: string,
  calls?: CaseCall[],
): Promise<CaseCandidate[]> {
  calls ??= await run<CaseCall>(db, CASE_CALLS, caseCallValues(customer, category, since));
  if (calls.length === 0) return [];
  const ids = [0, 1, 2, 3].map((i) => calls[i]?.case_id ?? -1);
  const heads = new Map((await run<Omit<CaseCandidate, 'category'>>(db, CASE_HEADS, ids)).map((h) => [h.case_id, h]));
  return calls.flatMap((c) => {
    const head = heads.get(c.case_id);
    return head ? [{ ...head, category: c.category }] : [];
  });
}

// Two arguments: a key space of its own, apart from the scheduler's one-argument lock.
const LOCK_CUSTOMER = statement('SELECT pg_advisory_xact_lock(95598, hashtext(?))');

const NEXT_DEMAND_ID = statement("SELECT nextval(pg_get_serial_sequence('demands', 'id')) AS id");

/**
 * A registration's first step inside its transaction: lock the customer (by
 * 户号, else phone) until the transaction ends, so that the second of two
 * simultaneous calls sees the first and is linked to it (SQLite has one
 * writer: its transactions are serial already); then read the calls of the
 * cases it could join (caseCandidates). PostgreSQL, in one round trip: the lock, the calls (read
 * after the lock is held: each statement of a batch has its own snapshot), and
 * the new demand's id, so that the demand and every row that refers to it can
 * go in the next round trip.
 */
export async function openRegistration(
  trx: Kysely<DB>,
  dialect: Dialect,
  q: { lockKey: string; customer: { accountNo: string | null; phone: string }; category: string; since: string },
): Promise<{ calls: CaseCall[]; reservedId: number | undefined }> {
  const values = caseCallValues(q.customer, q.category, q.since);
  if (dialect !== 'postgres') return { calls: await run<CaseCall>(trx, CASE_CALLS, values), reservedId: undefined };
  const [, calls, ids] = await runBatch(trx, [
    { statement: LOCK_CUSTOMER, values: [q.lockKey] },
    { statement: CASE_CALLS, values },
    { statement: NEXT_DEMAND_ID, values: [] },
  ]);
  return { calls: calls as CaseCall[], reservedId: Number((ids as { id: number | string }[])[0]!.id) };
}

const BY_IDEMPOTENCY_KEY = statement('SELECT id, number, idempotency_hash FROM demands WHERE idempotency_key = ?');

export async function findDemandByIdempotencyKey(
  db: Kysely<DB>,
  key: string,
): Promise<{ id: number; number: string; idempotency_hash: string | null } | undefined> {
  return (await run<{ id: number; number: string; idempotency_hash: string | null }>(db, BY_IDEMPOTENCY_KEY, [key]))[0];
}

const DEMAND_COLUMNS = [
  'number',
  'channel',
  'type',
  'category',
  'subcategory',
  'source',
  'priority',
  'sensitive',
  'customer_id',
  'account_no',
  'customer_name',
  'phone',
  'important',
  'area_class',
  'station_id',
  'district_id',
  'feeder_id',
  'unit_id',
  'content',
  'status',
  'escalation_level',
  'case_id',
  'repeat_of',
  'repeat_count',
  'idempotency_key',
  'idempotency_hash',
  'search_text',
  'created_by',
  'created_at',
  'updated_at',
  'call_count',
  'fault_address',
  'outage_id',
  'parent_id',
  'owner_id',
] as const;
/** Every written column, given: what is stored is this and the columns' defaults. */
export type NewDemand = Pick<Selectable<DemandTable>, (typeof DEMAND_COLUMNS)[number]>;
const OWN_CASE = statement('UPDATE demands SET case_id = id WHERE id = ?');

const DEMAND_COLUMNS_WITH_ID = ['id', ...DEMAND_COLUMNS] as const;

/**
 * Inserts a new demand (the first of its case when `case_id` is null) and
 * returns it as stored; under `reservedId` when openRegistration took one.
 */
export async function insertDemand(db: Kysely<DB>, demand: NewDemand, reservedId?: number): Promise<Selectable<DemandTable>> {
  if (reservedId !== undefined) {
    await runBatch(db, [demandItem(demand, reservedId)]);
    return storedDemand(demand, reservedId);
  }
  const [id] = await insertRows(db, 'demands', DEMAND_COLUMNS, [demand]);
  if (demand.case_id === null) await run(db, OWN_CASE, [id]);
  return storedDemand(demand, id!);
}

/** The insert of a new demand under its reserved id (a first call is its own case) as an item of a batch. */
export function demandItem(demand: NewDemand, id: number): BatchItem {
  return insertItem('demands', DEMAND_COLUMNS_WITH_ID, [{ ...demand, id, case_id: demand.case_id ?? id }]);
}

/** The demand as stored under `id`: what was written and the columns' defaults (migration 20261123010000), without reading it back. */
export function storedDemand(demand: NewDemand, id: number): Selectable<DemandTable> {
  return {
    ...demand,
    id,
    case_id: demand.case_id ?? id,
    callback_attempts: 0,
    answer: null,
    answered_at: null,
    closed_at: null,
    version: 1,
    // Migration 20261205000000: what first handling reports and a verdict set later.
    first_unit_id: null,
    first_resolved: null,
    first_handled_at: null,
    unresolved_reason: null,
    verdict: null,
    verdict_reason: null,
    verdict_by: null,
    verdict_at: null,
    // Migration 20261207000000: a long-running demand's progress messages are turned on later.
    progress_every_wd: null,
    progress_due_at: null,
    progress_told: null,
    // Migration 20261209000000: the case's callback comes later.
    callback_outcome: null,
  };
}

export async function findDemand(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('demands')
    .innerJoin('units', 'units.id', 'demands.unit_id')
    .leftJoin('users as owners', 'owners.id', 'demands.owner_id')
    .selectAll('demands')
    .select(['units.name as unit_name', 'owners.name as owner_name'])
    .where('demands.id', '=', id)
    .executeTakeFirst();
}
export type DemandRow = NonNullable<Awaited<ReturnType<typeof findDemand>>>;

/** Updates a demand only if nobody changed it since `version` was read; false when somebody did. */
export async function updateDemand(
  db: Kysely<DB>,
  id: number,
  version: number,
  changes: Partial<Omit<DemandRow, 'id' | 'version' | 'unit_name' | 'owner_name'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('demands')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  // A case's status reaches its other calls.
  if (changes.status !== undefined) {
    const row = await db
      .selectFrom('demands')
      .select(['status', 'closed_at', 'updated_at', 'call_count', 'case_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    if (row.case_id === id && row.call_count > 1) await mirrorCaseStatus(db, id, { status: row.status, closed_at: row.closed_at, updated_at: row.updated_at });
  }
  return true;
}

/** The units handling a case: each call's responsible unit and the unit of every order of the case. A unit that handles the case sees all its calls. */
export async function unitsOfCase(db: Kysely<DB>, caseId: number): Promise<number[]> {
  const [calls, orders] = await Promise.all([
    db.selectFrom('demands').select('unit_id').where('case_id', '=', caseId).execute(),
    db.selectFrom('tasks').innerJoin('demands', 'demands.id', 'tasks.demand_id').select('tasks.unit_id').where('demands.case_id', '=', caseId).execute(),
  ]);
  return [...new Set([...calls, ...orders].map((r) => r.unit_id))];
}

/** The open cases escalated or with a live step past its limit, as their first calls. */
export async function supervisedCases(db: Kysely<DB>, now: string, limit: number) {
  return db
    .selectFrom('demands')
    .innerJoin('units', 'units.id', 'demands.unit_id')
    .select([
      'demands.id',
      'demands.number',
      'demands.type',
      'demands.category',
      'demands.status',
      'demands.priority',
      'demands.customer_name',
      'demands.phone',
      'demands.content',
      'demands.unit_id',
      'units.name as unit_name',
      'demands.escalation_level',
      'demands.call_count',
      'demands.created_at',
      'demands.updated_at',
      'demands.version',
    ])
    .where('demands.status', '<>', 'closed')
    .where(sql<boolean>`demands.case_id = demands.id`)
    .where((eb) =>
      eb.or([
        eb('demands.escalation_level', '>', 0),
        eb(
          'demands.id',
          'in',
          eb
            .selectFrom('deadlines')
            .select('deadlines.demand_id')
            .where('deadlines.due_at', '<=', now)
            .where('deadlines.met_at', 'is', null)
            .where('deadlines.cancelled_at', 'is', null),
        ),
      ]),
    )
    .orderBy('demands.escalation_level', 'desc')
    .orderBy('demands.created_at')
    .limit(limit)
    .execute();
}

export async function overdueStepsOf(db: Kysely<DB>, demandIds: number[], now: string) {
  if (demandIds.length === 0) return [];
  return db
    .selectFrom('deadlines')
    .select(['demand_id', 'step', 'due_at'])
    .where('demand_id', 'in', demandIds)
    .where('due_at', '<=', now)
    .where('met_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .orderBy('due_at')
    .execute();
}

export async function openOrdersOf(db: Kysely<DB>, demandIds: number[]) {
  if (demandIds.length === 0) return [];
  return db
    .selectFrom('tasks')
    .innerJoin('units', 'units.id', 'tasks.unit_id')
    .select(['tasks.id', 'tasks.demand_id', 'tasks.unit_id', 'units.name as unit_name', 'tasks.status', 'tasks.urge_count', 'tasks.urged_at'])
    .where('tasks.demand_id', 'in', demandIds)
    .where('tasks.kind', '=', 'work_order')
    .where('tasks.status', 'in', [...OPEN_ORDER_STATUSES])
    .orderBy('tasks.id')
    .execute();
}

/** A caller's latest cases (their first calls) by phone or 户号, newest first. */
export async function recentCasesOf(db: Kysely<DB>, caller: { accountNo: string | null; phone: string }, limit: number) {
  return db
    .selectFrom('demands')
    .select(['id', 'number', 'type', 'category', 'status', 'call_count', 'created_at', 'closed_at', 'content'])
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('demands as c')
        .select('c.case_id')
        .where((w) =>
          caller.accountNo === null ? w('c.phone', '=', caller.phone) : w.or([w('c.phone', '=', caller.phone), w('c.account_no', '=', caller.accountNo)]),
        ),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** The calls of a case, first to last. */
export async function callsOfCase(db: Kysely<DB>, caseId: number) {
  return db
    .selectFrom('demands')
    .leftJoin('users', 'users.id', 'demands.created_by')
    .select([
      'demands.id',
      'demands.number',
      'demands.channel',
      'demands.type',
      'demands.category',
      'demands.source',
      'demands.priority',
      'demands.content',
      'demands.customer_name',
      'demands.phone',
      'demands.created_at',
      'users.name as created_by_name',
    ])
    .where('demands.case_id', '=', caseId)
    .orderBy('demands.created_at')
    .orderBy('demands.id')
    .limit(500)
    .execute();
}

/**
 * A joined call carries its case's status: the case's first call's status
 * and closing are copied to the other calls, so that a customer's open case
 * is found from any of its calls, and lists and counts agree.
 */
export async function mirrorCaseStatus(db: Kysely<DB>, caseId: number, state: { status: string; closed_at: string | null; updated_at: string }): Promise<void> {
  await db.updateTable('demands').set(state).where('case_id', '=', caseId).where('id', '<>', caseId).execute();
}

/** Another call joins the case: counted on its first call, with the case's level and status now. */
export async function countCall(
  db: Kysely<DB>,
  caseId: number,
  changes: {
    call_count: number;
    escalation_level: number;
    status: string;
    closed_at: string | null;
    priority: string;
    updated_at: string;
    search_text?: string;
  },
): Promise<void> {
  await db
    .updateTable('demands')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', caseId)
    .execute();
}

/** 催办: the order is urged once more. */
export async function urgeTask(db: Kysely<DB>, taskId: number, at: string): Promise<void> {
  await db
    .updateTable('tasks')
    .set((eb) => ({ urge_count: eb('urge_count', '+', 1), urged_at: at, updated_at: at }))
    .where('id', '=', taskId)
    .execute();
}

/** A case's first complaint: the call the evaluation counts and a verdict judges. */
export async function firstComplaintOfCase(db: Kysely<DB>, caseId: number) {
  return db
    .selectFrom('demands')
    .select(['id', 'number'])
    .where('case_id', '=', caseId)
    .where('type', '=', 'complaint')
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export async function tasksOf(db: Kysely<DB>, demandId: number) {
  return db
    .selectFrom('tasks')
    .innerJoin('units', 'units.id', 'tasks.unit_id')
    .selectAll('tasks')
    .select('units.name as unit_name')
    .where('demand_id', '=', demandId)
    .orderBy('tasks.id')
    .execute();
}

export async function findTask(db: Kysely<DB>, id: number) {
  return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
}
export type TaskRow = NonNullable<Awaited<ReturnType<typeof findTask>>>;

export async function updateTask(db: Kysely<DB>, id: number, version: number, changes: Partial<Omit<TaskRow, 'id' | 'version'>>): Promise<boolean> {
  const result = await db
    .updateTable('tasks')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function timelineOf(db: Kysely<DB>, demandId: number) {
  return db
    .selectFrom('timeline')
    .leftJoin('users', 'users.id', 'timeline.actor_id')
    .selectAll('timeline')
    .select('users.name as actor_name')
    .where('timeline.demand_id', '=', demandId)
    .orderBy('timeline.id')
    .execute();
}

export interface TimelineEntry {
  demandId: number;
  taskId?: number | null;
  at: string;
  actorId: number | null;
  kind: string;
  note?: string | null;
  data?: unknown;
}

const TIMELINE_COLUMNS = ['demand_id', 'task_id', 'at', 'actor_id', 'kind', 'note', 'data_json'] as const;

/** Appends the entries to their demands' timelines and returns them as stored. */
export async function addTimeline(db: Kysely<DB>, entries: TimelineEntry[]): Promise<Selectable<TimelineTable>[]> {
  return storedTimeline(entries, await insertRows(db, 'timeline', TIMELINE_COLUMNS, timelineRows(entries)));
}

const timelineRows = (entries: readonly TimelineEntry[]) =>
  entries.map((e) => ({
    demand_id: e.demandId,
    task_id: e.taskId ?? null,
    at: e.at,
    actor_id: e.actorId,
    kind: e.kind,
    note: e.note ?? null,
    data_json: e.data === undefined ? null : JSON.stringify(e.data),
  }));

/** addTimeline as an item of a batch; storedTimeline makes the entries of its ids. */
export function timelineItem(entries: readonly TimelineEntry[]): BatchItem {
  return insertItem('timeline', TIMELINE_COLUMNS, timelineRows(entries));
}

export function storedTimeline(entries: readonly TimelineEntry[], ids: readonly number[]): Selectable<TimelineTable>[] {
  return timelineRows(entries).map((row, i) => ({ id: ids[i]!, ...row }));
}

const INDEX_TEXT = statement('INSERT INTO demands_fts (rowid, tokens) VALUES (?, ?)');

/** Keeps the demand's search tokens in the SQLite full-text index (PostgreSQL indexes the column itself). */
export async function indexDemandText(db: Kysely<DB>, dialect: Dialect, id: number, tokens: string): Promise<void> {
  if (dialect === 'sqlite' && tokens) await run(db, INDEX_TEXT, [id, tokens]);
}

const CASE_TEXT = statement('INSERT OR REPLACE INTO demands_fts (rowid, tokens) VALUES (?, ?)');

/**
 * A case is found by the words of any of its calls: its first call's search
 * text holds them all (rules.ts caseSearchText), since the lists show a case
 * as its first call. `search_text` is written with the case's count
 * (countCall) or here; SQLite's index row is replaced.
 */
export async function indexCaseText(db: Kysely<DB>, dialect: Dialect, caseId: number, tokens: string, column = false): Promise<void> {
  if (column) await db.updateTable('demands').set({ search_text: tokens }).where('id', '=', caseId).execute();
  if (dialect === 'sqlite') await run(db, CASE_TEXT, [caseId, tokens]);
}

/** What a case's search text is made of: its first call's words and those of the calls joined to it, first to last. */
export async function caseTextParts(db: Kysely<DB>, caseId: number) {
  return db.selectFrom('demands').select(['id', 'content', 'customer_name', 'search_text']).where('case_id', '=', caseId).orderBy('id').execute();
}

export interface DemandFilter extends ListDemandsQuery {
  dialect: Dialect;
  /** The query's words (jieba), matched as a phrase. */
  words: string[] | undefined;
  /** The caller's units; undefined when the caller sees the whole organisation. */
  unitIds: number[] | undefined;
  now: string;
}

/**
 * Totals are counted up to this many; a list past it says "more than 1,000"
 * (fifty pages). Counting a third of a million matches to print one number
 * took a second at 1,000,000 demands, and a station's closed demands, counted
 * through the status index, still 300 ms with a cap of 10,000.
 */
export const TOTAL_CAP = 1000;

/** SQLite's full-text index drives the query and its order (newest registration first) when there are words. */
const usesFts = (f: DemandFilter) => f.dialect === 'sqlite' && f.words !== undefined && f.words.length > 0;

/**
 * The list's demands as a query, filtered and bound to the caller's units. The
 * caller's unit bound, in the spelling that suits the query: `exists` when the
 * rows are read newest first (SQLite walks the dates and stops at a page), `in`
 * to count the whole of a unit's list (SQLite unions two index ranges instead
 * of probing a million demands). Both mean: responsible for it, or holding one
 * of its orders.
 */
function filteredDemands(db: Kysely<DB>, f: DemandFilter, bound: 'exists' | 'in') {
  const fts = usesFts(f);
  let query = db.selectFrom('demands');
  if (fts)
    query = query
      .innerJoin('demands_fts', 'demands_fts.rowid', 'demands.id')
      .where(sql<boolean>`demands_fts MATCH ${ftsPhrase(f.words!)}`) as unknown as typeof query;
  const related = (units: number[]) =>
    query.where((eb) =>
      eb.or([
        eb('demands.unit_id', 'in', units),
        bound === 'exists'
          ? eb.exists(eb.selectFrom('tasks').select('tasks.id').whereRef('tasks.demand_id', '=', 'demands.id').where('tasks.unit_id', 'in', units))
          : eb('demands.id', 'in', eb.selectFrom('tasks').select('tasks.demand_id').where('tasks.unit_id', 'in', units)),
      ]),
    );
  // A unit asked for inside the caller's bound implies the bound: one condition, not two.
  if (f.unitIds && !(f.unitId !== undefined && f.unitIds.includes(f.unitId))) query = related(f.unitIds.length > 0 ? f.unitIds : [-1]);
  if (f.unitId !== undefined) query = related([f.unitId]);
  return (
    query
      .$if(f.status !== undefined, (q) => q.where('demands.status', '=', f.status!))
      .$if(f.type !== undefined, (q) => q.where('demands.type', '=', f.type!))
      .$if(f.category !== undefined, (q) => q.where('demands.category', '=', f.category!))
      .$if(f.channel !== undefined, (q) => q.where('demands.channel', '=', f.channel!))
      // A case once, as its first call: a call found by its phone, 户号 or number shows its case.
      .where(sql<boolean>`demands.case_id = demands.id`)
      .$if(f.phone !== undefined, (q) => q.where('demands.id', 'in', (eb) => eb.selectFrom('demands as c').select('c.case_id').where('c.phone', '=', f.phone!)))
      .$if(f.accountNo !== undefined, (q) =>
        q.where('demands.id', 'in', (eb) => eb.selectFrom('demands as c').select('c.case_id').where('c.account_no', '=', f.accountNo!)),
      )
      .$if(f.number !== undefined, (q) =>
        q.where('demands.id', 'in', (eb) => eb.selectFrom('demands as c').select('c.case_id').where('c.number', '=', f.number!)),
      )
      .$if(f.words !== undefined && f.words.length === 0, (q) => q.where(sql<boolean>`1 = 0`))
      .$if(f.dialect === 'postgres' && f.words !== undefined && f.words.length > 0, (q) =>
        q.where(sql<boolean>`to_tsvector('simple', coalesce(demands.search_text, '')) @@ phraseto_tsquery('simple', ${f.words!.join(' ')})`),
      )
      .$if(f.from !== undefined, (q) => q.where('demands.created_at', '>=', new Date(f.from!).toISOString()))
      .$if(f.to !== undefined, (q) => q.where('demands.created_at', '<', new Date(f.to!).toISOString()))
      .$if(f.escalated === 'true', (q) => q.where('demands.escalation_level', '>', 0))
      .$if(f.repeated === 'true', (q) => q.where('demands.call_count', '>=', REPEATED_FROM_CALLS))
      .$if(f.open === 'true', (q) => q.where('demands.status', '!=', 'closed'))
      .$if(f.open === 'false', (q) => q.where('demands.status', '=', 'closed'))
      // 首问负责: the owner's demands (demands_owner_open_idx for the open ones).
      .$if(f.ownerId !== undefined, (q) => q.where('demands.owner_id', '=', f.ownerId!))
      .$if(f.overdue === 'true', (q) =>
        q.where('demands.id', 'in', (eb) =>
          eb
            .selectFrom('deadlines')
            .select('deadlines.demand_id')
            .where('deadlines.due_at', '<=', f.now)
            .where('deadlines.met_at', 'is', null)
            .where('deadlines.cancelled_at', 'is', null),
        ),
      )
  );
}

/** The matches of the list's filters, counted up to `cap` (a count that reaches it means "at least"). */
export async function countDemandsUpTo(db: Kysely<DB>, f: DemandFilter, cap: number): Promise<number> {
  // Counted through the unit bound's indexes when nothing else narrows the list; else through the other filter's index.
  const narrowed = [
    f.status,
    f.type,
    f.category,
    f.channel,
    f.phone,
    f.accountNo,
    f.number,
    f.words,
    f.from,
    f.to,
    f.escalated,
    f.repeated,
    f.open,
    f.overdue,
    f.ownerId,
  ].some((v) => v !== undefined);
  const counted = await db
    .selectFrom(
      filteredDemands(db, f, narrowed ? 'exists' : 'in')
        .select(sql<number>`1`.as('one'))
        .limit(cap)
        .as('matches'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(counted.n);
}

/**
 * A page of the list, with its total: `exactTotal` when the caller knows it
 * (demands/totals.ts, from the rollups), else counted up to TOTAL_CAP.
 */
export async function listDemands(db: Kysely<DB>, f: DemandFilter, exactTotal?: number) {
  const fts = usesFts(f);
  const n = exactTotal ?? (await countDemandsUpTo(db, f, TOTAL_CAP + 1));
  const page = filteredDemands(db, f, 'exists')
    .innerJoin('units', 'units.id', 'demands.unit_id')
    .leftJoin('users as owners', 'owners.id', 'demands.owner_id')
    .selectAll('demands')
    .select(['units.name as unit_name', 'owners.name as owner_name']);
  const ordered =
    f.ownerId !== undefined && f.open === 'true'
      ? // An owner's open demands are worked down: the nearest live deadline first (demands_owner_open_idx finds them; a
        // few dozen a person). With the closed ones too, the list is newest first, as any other: an owner's years of
        // closed demands are not sorted by a deadline they no longer have.
        page
          .orderBy(
            sql`COALESCE((SELECT MIN(dl.due_at) FROM deadlines dl WHERE dl.demand_id = demands.id AND dl.met_at IS NULL AND dl.cancelled_at IS NULL), '9999')`,
          )
          .orderBy('demands.created_at')
          .orderBy('demands.id')
      : f.words !== undefined
        ? page.orderBy(sql.ref(fts ? 'demands_fts.rowid' : 'demands.id'), 'desc')
        : page.orderBy('demands.created_at', 'desc').orderBy('demands.id', 'desc');
  const rows = await ordered
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  if (exactTotal !== undefined) return { rows, total: exactTotal, totalCapped: false };
  return { rows, total: Math.min(n, TOTAL_CAP), totalCapped: n > TOTAL_CAP };
}

/** Where a batch of an export ends: the next batch starts after this row (in the order exportBatch reads). */
export interface ExportCursor {
  createdAt: string;
  id: number;
}

/**
 * A batch of the list's matches for an export, as the list orders them (newest
 * registration first; by id with words, as the full-text index walks them),
 * after `after`: keyset pages, so that each batch costs what the first does.
 */
export async function exportBatch(db: Kysely<DB>, f: DemandFilter, after: ExportCursor | null, limit: number) {
  const byId = f.words !== undefined;
  return filteredDemands(db, f, 'exists')
    .innerJoin('units', 'units.id', 'demands.unit_id')
    .leftJoin('users as owners', 'owners.id', 'demands.owner_id')
    .select([
      'demands.id',
      'demands.number',
      'demands.created_at',
      'demands.channel',
      'demands.type',
      'demands.category',
      'demands.subcategory',
      'demands.customer_name',
      'demands.account_no',
      'demands.phone',
      'units.name as unit_name',
      'demands.status',
      'demands.escalation_level',
      'demands.call_count',
      'demands.closed_at',
      'owners.name as owner_name',
      'demands.content',
    ])
    .$if(after !== null && byId, (q) => q.where('demands.id', '<', after!.id))
    .$if(after !== null && !byId, (q) =>
      q.where((eb) =>
        eb.or([eb('demands.created_at', '<', after!.createdAt), eb.and([eb('demands.created_at', '=', after!.createdAt), eb('demands.id', '<', after!.id)])]),
      ),
    )
    .$if(byId, (q) => q.orderBy('demands.id', 'desc'))
    .$if(!byId, (q) => q.orderBy('demands.created_at', 'desc').orderBy('demands.id', 'desc'))
    .limit(limit)
    .execute();
}

/** The timeline kind of a hand-over of first-contact ownership. */
export const HANDED_OVER = 'ownership.handed_over';

/** Since when each demand is its owner's: the moment of its last hand-over (首问负责人移交), for the demands that had one. */
export async function lastHandOvers(db: Kysely<DB>, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('timeline')
    .select(['demand_id', (eb) => eb.fn.max('at').as('at')])
    .where('demand_id', 'in', [...ids])
    .where('kind', '=', HANDED_OVER)
    .groupBy('demand_id')
    .execute();
  return new Map(rows.map((r) => [r.demand_id, String(r.at)]));
}

/** An active user who may own demands (an agent or a team lead), with their unit; undefined when there is none by that id. */
export async function findOwnerCandidate(db: Kysely<DB>, userId: number) {
  const user = await db.selectFrom('users').select(['id', 'name', 'unit_id', 'active']).where('id', '=', userId).executeTakeFirst();
  if (!user) return undefined;
  const roles = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
  return { ...user, roles: roles.map((r) => r.role) };
}

/** What an overdue step's escalation reads of its demand (demands/timers.ts). */
export async function escalationFacts(db: Kysely<DB>, id: number) {
  return db.selectFrom('demands').select(['escalation_level', 'version', 'created_by']).where('id', '=', id).executeTakeFirstOrThrow();
}

/** Puts the demand at an escalation level, as a change of its version. */
export async function setEscalationLevel(db: Kysely<DB>, id: number, level: number, version: number, at: string): Promise<void> {
  await db
    .updateTable('demands')
    .set({ escalation_level: level, version: version + 1, updated_at: at })
    .where('id', '=', id)
    .execute();
}

/** A work order sent to a unit (dispatched): its id. */
export async function insertWorkOrder(
  db: Kysely<DB>,
  order: { demandId: number; unitId: number; instructions: string | null; createdBy: number; at: string },
): Promise<number> {
  const row = await db
    .insertInto('tasks')
    .values({
      demand_id: order.demandId,
      kind: 'work_order',
      unit_id: order.unitId,
      status: 'dispatched',
      instructions: order.instructions,
      created_by: order.createdBy,
      created_at: order.at,
      updated_at: order.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The demand's handled orders close with it. */
export async function closeHandledOrders(db: Kysely<DB>, demandId: number, at: string): Promise<void> {
  await db
    .updateTable('tasks')
    .set({ status: 'closed', closed_at: at, updated_at: at })
    .where('demand_id', '=', demandId)
    .where('status', '=', 'handled')
    .execute();
}

/** The demand goes to another unit (a transfer item raised to a department); its first handling unit stays. */
export async function moveToUnit(db: Kysely<DB>, id: number, move: { unitId: number; firstUnitId: number; version: number; at: string }): Promise<void> {
  await db
    .updateTable('demands')
    .set({ unit_id: move.unitId, first_unit_id: move.firstUnitId, version: move.version + 1, updated_at: move.at })
    .where('id', '=', id)
    .execute();
}

/**
 * A unit's work orders with their demand, the nearest live deadline first (in
 * SQL, so that the limit keeps the most urgent orders), those without one last.
 */
export async function workOrderQueueRows(db: Kysely<DB>, q: { unitIds: readonly number[]; statuses: readonly string[]; limit: number }) {
  // The demand's nearest live deadline, as a correlated subquery usable in SELECT and ORDER BY alike.
  const nextDue = () =>
    db
      .selectFrom('deadlines')
      .select((d) => d.fn.min('deadlines.due_at').as('due'))
      .where('deadlines.demand_id', '=', sql<number>`tasks.demand_id`)
      .where('deadlines.met_at', 'is', null)
      .where('deadlines.cancelled_at', 'is', null);
  return db
    .selectFrom('tasks')
    .innerJoin('demands', 'demands.id', 'tasks.demand_id')
    .innerJoin('units', 'units.id', 'tasks.unit_id')
    .selectAll('tasks')
    .select([
      'units.name as unit_name',
      'demands.number',
      'demands.type',
      'demands.category',
      'demands.priority',
      'demands.escalation_level',
      'demands.customer_name',
      'demands.phone',
      'demands.content',
      'demands.call_count',
      nextDue().as('next_due_at'),
    ])
    .where('tasks.kind', '=', 'work_order')
    .where('tasks.unit_id', 'in', q.unitIds.length > 0 ? [...q.unitIds] : [-1])
    .where('tasks.status', 'in', [...q.statuses])
    .orderBy(sql`case when ${nextDue()} is null then 1 else 0 end`)
    .orderBy(nextDue())
    .orderBy('tasks.created_at', 'desc')
    .limit(q.limit)
    .execute();
}

/** Cases (a case counted once, however many calls) in these statuses, by status (GET /metrics). */
export async function openCasesByStatus(db: Kysely<DB>, statuses: readonly string[]) {
  return db
    .selectFrom('demands')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', [...statuses])
    .whereRef('case_id', '=', 'id')
    .groupBy('status')
    .execute();
}

/** Work orders in these statuses, by status (GET /metrics). */
export async function workOrdersByStatus(db: Kysely<DB>, statuses: readonly string[]) {
  return db
    .selectFrom('tasks')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('kind', '=', 'work_order')
    .where('status', 'in', [...statuses])
    .groupBy('status')
    .execute();
}

// Calls about outages (outage-calls.ts).

/** Fault calls since `since` that are their case's first call and not linked to an outage, with their place. */
export async function unlinkedFaultCallsSince(db: Kysely<DB>, since: string) {
  return db
    .selectFrom('demands')
    .select(['id', 'number', 'created_at', 'district_id', 'feeder_id', 'customer_id', 'customer_name', 'phone', 'content', 'status', 'unit_id'])
    .where('created_at', '>=', since)
    .where('type', '=', 'fault_repair')
    .where('outage_id', 'is', null)
    .whereRef('case_id', '=', 'id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function outageCallCounts(db: Kysely<DB>, outageIds: readonly number[]) {
  if (outageIds.length === 0) return [];
  return db
    .selectFrom('demands')
    .select((eb) => [
      'outage_id',
      eb.fn.countAll<number>().as('calls'),
      eb.fn.sum<number>(eb.case().when('status', '<>', 'closed').then(1).else(0).end()).as('open'),
    ])
    .where('outage_id', 'in', [...outageIds])
    .groupBy('outage_id')
    .execute() as Promise<{ outage_id: number; calls: number; open: number }[]>;
}

export async function outageCalls(db: Kysely<DB>, outageId: number, limit: number) {
  return db
    .selectFrom('demands')
    .select(['id', 'number', 'created_at', 'customer_name', 'phone', 'status', 'parent_id', 'type', 'district_id'])
    .where('outage_id', '=', outageId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function demandsByIds(db: Kysely<DB>, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('demands')
    .select(['id', 'number', 'outage_id', 'status'])
    .where('id', 'in', [...ids])
    .whereRef('case_id', '=', 'id')
    .execute();
}

export async function setOutageLink(db: Kysely<DB>, id: number, link: { outage_id: number; parent_id: number | null; updated_at: string }): Promise<void> {
  await db
    .updateTable('demands')
    .set((eb) => ({ ...link, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** An outage's calls still open (their cases' first calls), oldest first. */
export async function openOutageCalls(db: Kysely<DB>, outageId: number) {
  return db
    .selectFrom('demands')
    .innerJoin('units', 'units.id', 'demands.unit_id')
    .selectAll('demands')
    .select('units.name as unit_name')
    .where('demands.outage_id', '=', outageId)
    .where('demands.status', '<>', 'closed')
    .whereRef('demands.case_id', '=', 'demands.id')
    .orderBy('demands.id')
    .execute();
}

/** Of these demands, those with a work order still running. */
export async function demandsWithRunningOrders(db: Kysely<DB>, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('tasks')
    .select('demand_id')
    .distinct()
    .where('demand_id', 'in', [...ids])
    .where('kind', '=', 'work_order')
    .where('status', 'in', [...OPEN_ORDER_STATUSES])
    .execute();
  return rows.map((r) => r.demand_id);
}

// Progress messages of long-running demands (progress.ts).

/**
 * The demands whose customers are to be told of their progress now: their
 * schedule has come due, or their status is not the one last told. Only
 * these are read (through the partial index of the demands that have
 * progress messages), so a pass's `limit` never leaves one waiting behind
 * others that have nothing to tell.
 */
export async function progressDemands(db: Kysely<DB>, now: string, limit: number) {
  return db
    .selectFrom('demands')
    .innerJoin('units', 'units.id', 'demands.unit_id')
    .select([
      'demands.id',
      'demands.number',
      'demands.status',
      'demands.customer_id',
      'demands.phone',
      'demands.progress_every_wd',
      'demands.progress_due_at',
      'demands.progress_told',
      'demands.version',
      'units.name as unit_name',
    ])
    .where('demands.progress_due_at', 'is not', null)
    .where((eb) =>
      eb.or([eb('demands.progress_due_at', '<=', now), eb('demands.progress_told', 'is', null), eb('demands.status', '<>', eb.ref('demands.progress_told'))]),
    )
    .orderBy('demands.progress_due_at')
    .limit(limit)
    .execute();
}

/** Moves a demand's progress schedule on, only if nobody did since it was read (a pass runs it once). */
export async function advanceProgress(
  db: Kysely<DB>,
  id: number,
  seen: { progress_due_at: string | null; progress_told: string | null },
  next: { progress_due_at: string | null; progress_told: string },
): Promise<boolean> {
  let q = db.updateTable('demands').set(next).where('id', '=', id).where('progress_due_at', '=', seen.progress_due_at!);
  q = seen.progress_told === null ? q.where('progress_told', 'is', null) : q.where('progress_told', '=', seen.progress_told);
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1;
}
