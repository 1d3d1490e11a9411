import { sql, type Kysely } from 'kysely';
import { OPEN_ORDER_STATUSES } from '../../../shared/work-orders.js';
import type { DB } from '../../db/types.js';

// The dashboards' own reads. Counts of demands over days and months are the
// reports' rollups (reports/rollup.ts), never read here. What is read here is
// bounded:
// - the live work (the wall screen, a unit's queue): the open demands
//   (demands_open_idx, a partial index of the demands not closed) and their
//   deadlines and orders through the demand-id indexes, or a unit's open
//   orders (tasks_unit_status_idx); open items only, never the history;
// - today's calls per hour: one local day of demands (demands_created_idx);
// - the staff figures: one month of demands (demands_created_idx), of handled
//   orders (tasks_handled_idx) and of their deadlines (deadlines_demand_idx),
//   grouped per person in the database.

const OPEN = [...OPEN_ORDER_STATUSES];
const live = sql<boolean>`deadlines.met_at IS NULL AND deadlines.cancelled_at IS NULL`;

/** The open work orders of the open demands, each with the unit that holds it. */
export async function openOrders(db: Kysely<DB>) {
  return db
    .selectFrom('tasks')
    .innerJoin('demands', 'demands.id', 'tasks.demand_id')
    .select('tasks.unit_id')
    .where('demands.status', '<>', 'closed')
    .where('tasks.status', 'in', OPEN)
    .execute();
}

/** The live deadlines of the open demands, each with the unit that owes the step (the order's, else the demand's). */
export async function liveSteps(db: Kysely<DB>) {
  return db
    .selectFrom('deadlines')
    .innerJoin('demands', 'demands.id', 'deadlines.demand_id')
    .leftJoin('tasks', 'tasks.id', 'deadlines.task_id')
    .select([sql<number>`COALESCE(tasks.unit_id, demands.unit_id)`.as('unit_id'), 'deadlines.step', 'deadlines.due_at'])
    .where('demands.status', '<>', 'closed')
    .where(live)
    .execute();
}

const isCaseHead = sql<boolean>`(demands.case_id IS NULL OR demands.case_id = demands.id)`;

/** The open escalated cases (level 1 and up), the highest level and oldest first, and how many there are. */
export async function escalatedCases(db: Kysely<DB>, limit: number) {
  const base = db.selectFrom('demands').where('demands.status', '<>', 'closed').where('demands.escalation_level', '>=', 1).where(isCaseHead);
  const [rows, total] = await Promise.all([
    base
      .innerJoin('units', 'units.id', 'demands.unit_id')
      .select([
        'demands.id',
        'demands.number',
        'demands.type',
        'demands.escalation_level',
        'demands.created_at',
        'units.name as unit_name',
        (eb) =>
          eb
            .selectFrom('deadlines')
            .select((e) => e.fn.min('deadlines.due_at').as('due'))
            .whereRef('deadlines.demand_id', '=', 'demands.id')
            .where(live)
            .as('due_at'),
      ])
      .orderBy('demands.escalation_level', 'desc')
      .orderBy('demands.created_at')
      .orderBy('demands.id')
      .limit(limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Calls registered in [from, to) per UTC hour (`YYYY-MM-DDTHH`). */
export async function callsByHour(db: Kysely<DB>, from: string, to: string) {
  const hour = sql<string>`substr(demands.created_at, 1, 13)`;
  const rows = await db
    .selectFrom('demands')
    .select([hour.as('hour'), (eb) => eb.fn.countAll<number>().as('calls')])
    .where('demands.created_at', '>=', from)
    .where('demands.created_at', '<', to)
    .groupBy(hour)
    .execute();
  return rows.map((r) => ({ hour: r.hour, calls: Number(r.calls) }));
}

/** The open work orders of some units, each with its demand and its nearest live step (the order's own or the demand's). */
export async function unitQueue(db: Kysely<DB>, unitIds: readonly number[]) {
  const nearest = (column: 'due_at' | 'step') =>
    sql<string | null>`(SELECT d.${sql.ref(column)} FROM deadlines d
        WHERE d.demand_id = tasks.demand_id AND (d.task_id = tasks.id OR d.task_id IS NULL)
          AND d.met_at IS NULL AND d.cancelled_at IS NULL
        ORDER BY d.due_at, d.id LIMIT 1)`;
  return db
    .selectFrom('tasks')
    .innerJoin('demands', 'demands.id', 'tasks.demand_id')
    .innerJoin('units', 'units.id', 'tasks.unit_id')
    .select([
      'tasks.id as task_id',
      'tasks.status',
      'tasks.created_at',
      'demands.id as demand_id',
      'demands.number',
      'demands.type',
      'units.name as unit_name',
      nearest('due_at').as('due_at'),
      nearest('step').as('step'),
    ])
    .where('tasks.unit_id', 'in', [-1, ...unitIds])
    .where('tasks.status', 'in', OPEN)
    .execute();
}

// ── staff figures ─────────────────────────────────────────────────────────
/** The active agents and handlers (a person with both roles is listed once per role), with their unit. */
export async function staffMembers(db: Kysely<DB>) {
  return db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.name', 'users.username', 'users.unit_id', 'units.name as unit_name', 'user_roles.role'])
    .where('users.active', '=', 1)
    .where('user_roles.role', 'in', ['agent', 'handler'])
    .orderBy('users.unit_id')
    .orderBy('users.username')
    .execute();
}

const n = (column: string) => sql<number>`SUM(CASE WHEN ${sql.raw(column)} THEN 1 ELSE 0 END)`;

/** How the deadlines stand at `now`, summed (reports/rules.ts deadlineStanding, in SQL: a step given up before its limit counts nowhere). */
const stepSums = (now: string) =>
  [
    n('deadlines.met_at IS NOT NULL AND deadlines.met_at <= deadlines.due_at').as('in_time'),
    sql<number>`SUM(CASE WHEN (deadlines.met_at IS NOT NULL AND deadlines.met_at > deadlines.due_at)
      OR (deadlines.met_at IS NULL AND COALESCE(deadlines.cancelled_at, ${now}) > deadlines.due_at) THEN 1 ELSE 0 END)`.as('late'),
    sql<number>`SUM(CASE WHEN deadlines.met_at IS NULL AND deadlines.cancelled_at IS NULL AND ${now} <= deadlines.due_at THEN 1 ELSE 0 END)`.as('running'),
  ] as const;

/** Per agent: the calls they registered in [from, to), the cases among them, their callbacks and those closed on the call. */
export async function agentCounts(db: Kysely<DB>, from: string, to: string, userIds: readonly number[] | null) {
  const head = '(demands.case_id IS NULL OR demands.case_id = demands.id)';
  return db
    .selectFrom('demands')
    .select([
      'demands.created_by as user_id',
      (eb) => eb.fn.countAll<number>().as('taken'),
      n(head).as('cases'),
      n(`${head} AND demands.callback_outcome = 'satisfied'`).as('satisfied'),
      n(`${head} AND demands.callback_outcome = 'unsatisfied'`).as('unsatisfied'),
      // Closed on the call: answered and closed with no work order ever sent and no expert asked.
      n(
        `${head} AND demands.closed_at IS NOT NULL AND demands.answered_at IS NOT NULL AND demands.first_unit_id IS NULL
          AND NOT EXISTS (SELECT 1 FROM consultations c WHERE c.demand_id = demands.id)`,
      ).as('first_call'),
    ])
    .where('demands.created_at', '>=', from)
    .where('demands.created_at', '<', to)
    .$if(userIds !== null, (q) => q.where('demands.created_by', 'in', [-1, ...userIds!]))
    .groupBy('demands.created_by')
    .execute();
}

/** Per agent: the centre's steps of the demands they registered in [from, to), as they stand at `now`. */
export async function agentSteps(db: Kysely<DB>, from: string, to: string, steps: readonly string[], now: string, userIds: readonly number[] | null) {
  return db
    .selectFrom('demands')
    .innerJoin('deadlines', 'deadlines.demand_id', 'demands.id')
    .select(['demands.created_by as user_id', ...stepSums(now)])
    .where('demands.created_at', '>=', from)
    .where('demands.created_at', '<', to)
    .where('deadlines.step', 'in', [...steps])
    .$if(userIds !== null, (q) => q.where('demands.created_by', 'in', [-1, ...userIds!]))
    .groupBy('demands.created_by')
    .execute();
}

/** Per handler: the work orders they handled in [from, to), the demands of those orders, and those demands' callbacks. */
export async function handlerCounts(db: Kysely<DB>, from: string, to: string, userIds: readonly number[] | null) {
  return db
    .selectFrom('tasks')
    .innerJoin('demands', 'demands.id', 'tasks.demand_id')
    .select([
      'tasks.assignee_id as user_id',
      (eb) => eb.fn.countAll<number>().as('taken'),
      sql<number>`COUNT(DISTINCT tasks.demand_id)`.as('cases'),
      n(`demands.callback_outcome = 'satisfied'`).as('satisfied'),
      n(`demands.callback_outcome = 'unsatisfied'`).as('unsatisfied'),
    ])
    .where('tasks.handled_at', '>=', from)
    .where('tasks.handled_at', '<', to)
    .where('tasks.assignee_id', 'is not', null)
    .$if(userIds !== null, (q) => q.where('tasks.assignee_id', 'in', [-1, ...userIds!]))
    .groupBy('tasks.assignee_id')
    .execute();
}

/** Per handler: the unit's steps of the orders they handled in [from, to) (the order's own, and the demand's not tied to an order). */
export async function handlerSteps(db: Kysely<DB>, from: string, to: string, steps: readonly string[], now: string, userIds: readonly number[] | null) {
  return db
    .selectFrom('tasks')
    .innerJoin('deadlines', 'deadlines.demand_id', 'tasks.demand_id')
    .select(['tasks.assignee_id as user_id', ...stepSums(now)])
    .where('tasks.handled_at', '>=', from)
    .where('tasks.handled_at', '<', to)
    .where('tasks.assignee_id', 'is not', null)
    .where((eb) => eb.or([eb('deadlines.task_id', '=', eb.ref('tasks.id')), eb('deadlines.task_id', 'is', null)]))
    .where('deadlines.step', 'in', [...steps])
    .$if(userIds !== null, (q) => q.where('tasks.assignee_id', 'in', [-1, ...userIds!]))
    .groupBy('tasks.assignee_id')
    .execute();
}
