import { sql, type Insertable, type Kysely } from 'kysely';
import type { AreaClass, Channel, DemandCategory, DemandType, UnresolvedReason } from '../../../shared/codes.js';
import { subcategoriesOf } from '../../../shared/taxonomy.js';
import { DEFAULT_TIME_ZONE, localDate, startOfLocalDate } from '../../../shared/time.js';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/types.js';
import { dueAt, policyFor, warnAtFor, type DeadlineStep } from '../deadlines/policies.js';
import { deadlineRules, type DeadlineRules } from '../deadlines/service.js';
import { callTokens, caseSearchText, demandNumber, initialEscalation, initialPriority, sourceFromChannel, type Priority } from '../demands/rules.js';
import { CENTRE_CODE } from './organisation.js';
import { mobilePhone } from './people.js';
import { between, pick, streamFor, type Random } from './random.js';

// The demo city's history: N demands over the last two years, deterministic
// (demand i is the same whatever came before it), written in time order so
// that ids, numbers and dates rise together as they would have. Old demands
// are closed; the last weeks' are still open, dispatched or awaiting their
// callback, with live work orders and deadlines, as the centre would find them.

/** Bumped when the generated rows change, so that cached benchmark databases are rebuilt. */
export const DEMO_DEMANDS_VERSION = 8;

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;

type Weighted<T> = readonly (readonly [T, number])[];
/** What a station or county bureau reports when a complaint is beyond its level (本级无法解决). */
const UNRESOLVED_FINDINGS: readonly { reason: UnresolvedReason; findings: string }[] = [
  { reason: 'investment', findings: '线路末端供电能力不足，需新建台区分流，超出本级能力。' },
  { reason: 'investment', findings: '台区变压器重载，需增容改造，已报县公司申请列入改造计划。' },
  { reason: 'outside_powers', findings: '线路迁改涉及市政道路开挖审批，需上级部门协调。' },
  { reason: 'outside_powers', findings: '客户要求的赔偿金额超出供电所处理权限，需上级核定。' },
  { reason: 'policy', findings: '客户对峰谷分时电价执行有异议，需归口部门解释政策。' },
  { reason: 'other', findings: '已多次上门沟通，客户仍不认可处理结果，需上级部门协调。' },
];

function weighted<T>(random: Random, table: Weighted<T>): T {
  let roll = random() * table.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, weight] of table) if ((roll -= weight) < 0) return value;
  return table[table.length - 1]![0];
}

// The mix of a 95598 centre: repairs and questions first, complaints a few in a hundred.
const TYPES: Weighted<DemandType> = [
  ['fault_repair', 44], ['consultation', 30], ['service_request', 8], ['business', 5], ['opinion', 4],
  ['complaint', 4], ['report', 1.5], ['suggestion', 1.5], ['praise', 2],
];
const CHANNELS: Weighted<Channel> = [
  ['phone', 80], ['app', 5], ['wechat', 5], ['web', 3], ['sms', 2], ['hall', 2], ['letter', 0.7],
  ['email', 0.8], ['weibo', 0.5], ['province', 0.7], ['media', 0.3],
];
const CATEGORY_OF: Record<DemandType, Weighted<DemandCategory>> = {
  fault_repair: [['outage_voltage', 1]],
  consultation: [['supply_service', 70], ['outage_voltage', 20], ['grid_construction', 6], ['supply_safety', 4]],
  service_request: [['supply_service', 80], ['outage_voltage', 20]],
  business: [['supply_service', 85], ['grid_construction', 15]],
  opinion: [['supply_service', 50], ['outage_voltage', 30], ['grid_construction', 15], ['supply_safety', 5]],
  complaint: [['supply_service', 45], ['outage_voltage', 40], ['grid_construction', 10], ['supply_safety', 5]],
  report: [['supply_safety', 60], ['supply_service', 40]],
  suggestion: [['supply_service', 50], ['grid_construction', 30], ['outage_voltage', 20]],
  praise: [['supply_service', 1]],
};
// The sub-categories of the taxonomy (the five complaint classes, service and business requests); residential connections twice as often.
const codesOf = (type: DemandType) => subcategoriesOf(type).map((s) => s.code);
const SUBCATEGORIES: Partial<Record<DemandType, readonly string[]>> = {
  complaint: codesOf('complaint'),
  service_request: codesOf('service_request'),
  business: [codesOf('business')[0]!, ...codesOf('business')],
};
const CONTENT: Record<DemandType, readonly string[]> = {
  fault_repair: ['家中停电，全户无电，请尽快派人处理。', '整栋楼停电，邻居家也没有电。', '电压不稳，灯光忽明忽暗，电器无法使用。', '表箱处有烧焦味，总开关跳闸后合不上。', '村里线路被风刮断，整组停电。'],
  consultation: ['咨询本月电费为什么比上月高。', '咨询阶梯电价的计算方法。', '咨询停电计划，什么时候恢复供电。', '咨询如何办理过户。', '咨询电费缴纳方式。'],
  service_request: ['已缴清欠费，申请复电。', '怀疑电能表走得快，申请校验。', '雷雨后家电损坏，申请核实赔偿。'],
  business: ['申请新装居民用电。', '申请商铺新装低压用电。', '工厂申请高压新装。', '申请增容。'],
  opinion: ['停电前没有收到通知，意见很大。', '营业厅排队时间太长。', '抢修人员到达太慢。'],
  complaint: ['多次报修无人处理，要求投诉。', '工作人员态度恶劣，要求投诉。', '频繁停电影响经营，要求投诉并赔偿。', '电表安装后一直不通电，要求投诉。'],
  report: ['举报有人私拉乱接窃电。', '举报线路下违章建房存在安全隐患。'],
  suggestion: ['建议停电通知提前短信告知。', '建议在村里增设缴费点。'],
  praise: ['抢修师傅冒雨抢修，及时恢复供电，特此表扬。', '营业厅工作人员耐心细致，表扬。'],
};
// Calls by hour of the local day: quiet at night, peaks mid-morning and early evening.
const HOURS: Weighted<number> = [0.6, 0.4, 0.3, 0.3, 0.3, 0.5, 1.5, 3.5, 7, 8.5, 8.5, 7, 5, 5.5, 7, 7.5, 7, 6.5, 6, 6.5, 5, 3.5, 2, 1].map((weight, hour) => [hour, weight] as const);

/** Who handles the order: the customer's station, its county bureau, or the department the category routes to. */
type Handler = 'station' | 'county' | 'route' | null;

/** Demand `index` of the city's history, before it meets the database: pure, so it can be tested alone. */
export interface DemandPlan {
  at: number;
  type: DemandType;
  category: DemandCategory;
  subcategory: string | null;
  channel: Channel;
  /** Index into the customers (by id order), or null for a caller the centre could not match. */
  customer: number | null;
  /** The number the customer called from when it is not the one on file. */
  otherPhone: string | null;
  askedPriority: Priority | undefined;
  content: string;
  handler: Handler;
  /** Minutes after `at` of each step reached; the demand stands where the anchor falls among them. */
  steps: { dispatch?: number; accept?: number; arrive?: number; handle?: number; close: number };
  /** The first handling reports it cannot resolve the matter at its level. */
  unresolved: boolean;
  /** A follow-up call about the demand just before it (same customer, same matter). */
  followUp: boolean;
  agent: number;
}

/** When demand `index` arrived: any day of the span, at an hour of the day's profile (local time in the company's zone). */
export function demandTime(seed: number, index: number, anchor: number, spanDays: number, zone: string = DEFAULT_TIME_ZONE): number {
  const random = streamFor(seed + 43, index);
  const uniform = anchor - Math.floor(random() * spanDays * DAY_MS) - 1;
  const at = startOfLocalDate(localDate(uniform, zone), zone).getTime() + weighted(random, HOURS) * 3_600_000 + Math.floor(random() * 3_600_000);
  // Today's calls stop at the present, the first day's start at the beginning of the span.
  return at < anchor && at > anchor - spanDays * DAY_MS ? at : uniform;
}

export function planDemand(seed: number, index: number, at: number, customerCount: number): DemandPlan {
  const random = streamFor(seed + 41, index);
  const type = weighted(random, TYPES);
  const channel = type === 'fault_repair' ? (random() < 0.9 ? 'phone' : weighted(random, CHANNELS)) : weighted(random, CHANNELS);
  const category = weighted(random, CATEGORY_OF[type]);
  const subs = SUBCATEGORIES[type];
  const subcategory = subs ? pick(random, subs) : null;
  // A few callers are never matched to an account; some call about the same matter again.
  const followUp = random() < (type === 'fault_repair' || type === 'complaint' ? 0.06 : 0.015);
  let customer: number | null = null;
  if (customerCount > 0 && random() >= 0.04) {
    // A small share of the customers make a large share of the calls.
    customer = random() < 0.08 ? (between(random, 0, Math.max(0, Math.floor(customerCount / 50) - 1)) * 50) % customerCount : between(random, 0, customerCount - 1);
  }
  const otherPhone = customer === null || random() < 0.08 ? mobilePhone(random) : null;
  const late = random() < 0.02 ? 6 : 1;
  const m = (min: number, max: number) => between(random, min, max) * late;
  let handler: Handler = null;
  let steps: DemandPlan['steps'];
  switch (type) {
    case 'praise':
      steps = { close: between(random, 1, 5) };
      break;
    case 'consultation':
      // Most are answered on the call; the rest by an expert the same day.
      steps = { close: random() < 0.85 ? between(random, 2, 10) : m(30, 600) };
      break;
    case 'fault_repair': {
      handler = 'station';
      const dispatch = between(random, 1, 5);
      const accept = dispatch + m(2, 15);
      const arrive = accept + m(15, 100);
      const handle = arrive + m(30, 300);
      steps = { dispatch, accept, arrive, handle, close: handle + m(60, 1500) };
      break;
    }
    default: {
      handler = type === 'complaint' ? weighted<Handler>(random, [['station', 6], ['county', 2], ['route', 2]]) : type === 'service_request' ? 'station' : type === 'business' ? (random() < 0.7 ? 'station' : 'county') : 'route';
      const dispatch = between(random, 5, 120);
      const accept = dispatch + m(30, 480);
      const handle = accept + m(600, 6 * 1440);
      steps = { dispatch, accept, handle, close: handle + m(120, 1440) };
    }
  }
  const content = pick(random, CONTENT[type]);
  const askedPriority: Priority | undefined = random() < 0.03 ? 'high' : undefined;
  const agent = between(random, 0, 1000);
  // 首次处理: one in six of the complaints a station or county handles is reported not resolvable at its level; the
  // demand stays open until the department it is raised to answers, weeks later, and the customer is called back.
  const unresolved = type === 'complaint' && (handler === 'station' || handler === 'county') && agent % 6 === 3;
  if (unresolved) steps.close = steps.handle! + between(random, 20, 60) * 1440;
  return { at, type, category, subcategory, channel, customer, otherPhone, askedPriority, content, handler, steps, followUp, agent, unresolved };
}

export interface DemandSeedOptions {
  /** Tops the demands up to this count (the demo's, the API's and the generated together). */
  demands: number;
  seed: number;
  /** The present: history ends here. */
  now: () => string;
  /** How far back the history goes. */
  spanDays?: number;
  /** The company's zone (SUQIU_TIME_ZONE): the days of the demand numbers and of the hours' profile. */
  timeZone?: string;
  log?: (message: string) => void;
}

export interface DemandSeedReport {
  demandsCreated: number;
  demandsTotal: number;
  tasksCreated: number;
  deadlinesCreated: number;
}

interface Customers {
  id: Int32Array;
  unit: Int32Array;
  district: Int32Array;
  feeder: Int32Array;
  important: Uint8Array;
  accountNo: string[];
  phone: string[];
  name: string[];
  areaClass: string[];
}

async function loadCustomers(db: Kysely<DB>): Promise<Customers> {
  const n = Number((await db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const c: Customers = { id: new Int32Array(n), unit: new Int32Array(n), district: new Int32Array(n), feeder: new Int32Array(n), important: new Uint8Array(n), accountNo: [], phone: [], name: [], areaClass: [] };
  let last = 0;
  for (let i = 0; i < n; ) {
    const page = await db.selectFrom('customers').select(['id', 'unit_id', 'district_id', 'feeder_id', 'important', 'account_no', 'phone', 'name', 'area_class']).where('id', '>', last).orderBy('id').limit(50_000).execute();
    if (page.length === 0) break;
    for (const r of page) {
      if (i >= n) break;
      c.id[i] = r.id; c.unit[i] = r.unit_id; c.district[i] = r.district_id; c.feeder[i] = r.feeder_id; c.important[i] = r.important;
      c.accountNo[i] = r.account_no; c.phone[i] = r.phone; c.name[i] = r.name; c.areaClass[i] = r.area_class;
      i++;
    }
    last = page[page.length - 1]!.id;
  }
  return c;
}

/** What the history is written against: the city as the database has it, and the present. */
interface City {
  customers: Customers;
  parentOf: Map<number, number | null>;
  centreId: number;
  routes: Map<string, number>;
  agents: number[];
  /** In the company's zone: `rules.calendar.timeZone`. */
  rules: DeadlineRules;
  anchor: number;
}

async function loadCity(db: Kysely<DB>, anchor: number, timeZone: string): Promise<City> {
  const units = await db.selectFrom('units').select(['id', 'code', 'parent_id']).execute();
  const agents = (await db.selectFrom('users').innerJoin('user_roles', 'user_roles.user_id', 'users.id').select('users.id').where('user_roles.role', '=', 'agent').orderBy('users.id').execute()).map((r) => r.id);
  if (agents.length === 0) throw new Error('the demo demands need the demo agents: seed the city first');
  return {
    customers: await loadCustomers(db),
    parentOf: new Map(units.map((u) => [u.id, u.parent_id])),
    centreId: units.find((u) => u.code === CENTRE_CODE)?.id ?? units[0]!.id,
    routes: new Map((await db.selectFrom('category_routes').select(['category', 'unit_id']).execute()).map((r) => [r.category, r.unit_id])),
    agents,
    rules: await deadlineRules(db, timeZone),
    anchor,
  };
}

/** A customer's latest case, as its first call stands at the anchor. */
interface Latest {
  id: number;
  caseId: number;
  category: string;
  at: number;
  /** When the case closes (its first call's plan); Infinity when it is still open at the anchor. */
  closesAt: number;
  calls: number;
  escalation: number;
  unitId: number;
  status: string;
  closedAt: string | null;
  /** The case's search words so far: its first call's and its joined calls' (demands/rules.ts caseSearchText). */
  text: string;
}

/** Who called last: each customer's latest demand (repeats, 多次诉求) and the customers of the last 200 calls (follow-ups). */
class Callers {
  private readonly latest = new Map<number, Latest>();
  private readonly recent: number[] = [];

  /** A follow-up call is from the customer of one of the last calls, about the same matter. */
  followUp(plan: DemandPlan): DemandPlan {
    if (!plan.followUp || this.recent.length === 0) return plan;
    const customer = this.recent[plan.agent % this.recent.length]!;
    const category = this.latest.get(customer)!.category as DemandCategory;
    return CATEGORY_OF[plan.type].some(([c]) => c === category) ? { ...plan, customer, category, otherPhone: null } : plan;
  }

  /**
   * The case this call joins: the customer's case still open when they call,
   * whatever the matter (intake.ts joins a case closed within 30 days on the
   * same matter too and opens it again; the history leaves that out).
   */
  repeated(plan: DemandPlan): Latest | undefined {
    const earlier = plan.customer === null ? undefined : this.latest.get(plan.customer);
    return earlier && earlier.closesAt > plan.at ? earlier : undefined;
  }

  remember(customer: number | null, demand: Latest): void {
    if (customer === null) return;
    this.latest.set(customer, demand);
    this.recent.push(customer);
    if (this.recent.length > 200) this.recent.shift();
  }
}

/** The rows of one transaction. */
interface Rows {
  demands: Insertable<DB['demands']>[];
  tasks: Insertable<DB['tasks']>[];
  deadlines: Insertable<DB['deadlines']>[];
  timeline: Insertable<DB['timeline']>[];
  /** SQLite's full-text index: rowid (the demand's id) and tokens. */
  searchable: [number, string][];
  /** The cases a call joined in this batch, with their search words now (written on their first call after the batch). */
  caseTexts: Map<number, string>;
}

/**
 * Tops the demands up to `options.demands`, in transactions of 20,000 with
 * multi-row inserts, advancing the day counters (`demand:YYYY-MM-DD`) in the
 * same transactions so that demands registered later never reuse a number.
 */
export async function seedDemands(database: Database, options: DemandSeedOptions): Promise<DemandSeedReport> {
  const { db } = database;
  const spanDays = options.spanDays ?? 730;
  const log = options.log ?? (() => undefined);
  const anchor = Date.parse(options.now());
  const have = Number((await db.selectFrom('demands').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const report: DemandSeedReport = { demandsCreated: 0, demandsTotal: have, tasksCreated: 0, deadlinesCreated: 0 };
  const todo = options.demands - have;
  if (todo <= 0) return report;
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const city = await loadCity(db, anchor, timeZone);

  // Time order first (8 bytes a demand), then each demand from its own stream: ids, numbers and dates rise together.
  const times = new Float64Array(todo);
  for (let k = 0; k < todo; k++) times[k] = demandTime(options.seed, have + k, anchor, spanDays, timeZone);
  const order = new Uint32Array(todo).map((_, k) => k).sort((a, b) => times[a]! - times[b]! || a - b);
  const callers = new Callers();
  const perTransaction = 20_000;

  await withLargePageCache(database, async () => {
    for (let start = 0; start < todo; start += perTransaction) {
      const end = Math.min(todo, start + perTransaction);
      const plans = Array.from({ length: end - start }, (_, k) => planDemand(options.seed, have + order[start + k]!, times[order[start + k]!]!, city.customers.id.length));
      const written = await db.transaction().execute((trx) => writeBatch(trx, database.dialect, city, callers, plans));
      report.demandsCreated += end - start;
      report.tasksCreated += written.tasks.length;
      report.deadlinesCreated += written.deadlines.length;
      if (todo > perTransaction && (end % 100_000 === 0 || end === todo)) log(`demands: ${have + end} of ${options.demands}`);
    }
  });
  await caseCounts(db);
  // Statistics and the visibility map, as autovacuum would leave them on a database that grew over two years.
  if (database.dialect === 'postgres') await sql`VACUUM ANALYZE demands, tasks, deadlines, timeline, counters`.execute(db);
  report.demandsTotal = have + report.demandsCreated;
  return report;
}

/** The phone and 户号 indexes take rows in random order: SQLite's default 2 MB page cache would read them again at every batch. */
async function withLargePageCache(database: Database, work: () => Promise<void>): Promise<void> {
  if (database.dialect !== 'sqlite') return work();
  const before = (await sql<{ cache_size: number }>`PRAGMA cache_size`.execute(database.db)).rows[0]!.cache_size;
  await sql`PRAGMA cache_size = -262144`.execute(database.db);
  try {
    await work();
  } finally {
    await sql.raw(`PRAGMA cache_size = ${Number(before)}`).execute(database.db);
  }
}

async function writeBatch(trx: Kysely<DB>, dialect: Database['dialect'], city: City, callers: Callers, plans: DemandPlan[]): Promise<Rows> {
  // Ids are chosen here (repeats and work orders refer to them); on PostgreSQL nobody inserts meanwhile.
  if (dialect === 'postgres') await sql`LOCK TABLE demands, tasks IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
  let demandId = await maxId(trx, 'demands');
  let taskId = await maxId(trx, 'tasks');
  const counters = new Map((await trx.selectFrom('counters').select(['name', 'value']).where('name', 'like', 'demand:%').execute()).map((r) => [r.name, r.value]));
  const touched = new Set<string>();
  const rows: Rows = { demands: [], tasks: [], deadlines: [], timeline: [], searchable: [], caseTexts: new Map() };
  for (const planned of plans) {
    const plan = callers.followUp(planned);
    const day = localDate(plan.at, city.rules.calendar.timeZone);
    const counter = `demand:${day}`;
    counters.set(counter, (counters.get(counter) ?? 0) + 1);
    touched.add(counter);
    const id = ++demandId;
    const latest = addDemand(rows, city, plan, { id, number: demandNumber(day, counters.get(counter)!), repeat: callers.repeated(plan), nextTaskId: () => ++taskId });
    callers.remember(plan.customer, latest);
  }

  const batch = dialect === 'postgres' ? 1000 : 500;
  const each = async <T>(items: T[], insert: (slice: T[]) => Promise<unknown>) => {
    for (let i = 0; i < items.length; i += batch) await insert(items.slice(i, i + batch));
  };
  await each(rows.demands, (slice) => trx.insertInto('demands').values(slice).execute());
  await each(rows.tasks, (slice) => trx.insertInto('tasks').values(slice).execute());
  await each(rows.deadlines, (slice) => trx.insertInto('deadlines').values(slice).execute());
  await each(rows.timeline, (slice) => trx.insertInto('timeline').values(slice).execute());
  // SQLite's full-text index, as repository.indexDemandText keeps it, a batch at a time; PostgreSQL indexes search_text itself.
  if (dialect === 'sqlite') await each(rows.searchable, (slice) => sql`INSERT INTO demands_fts (rowid, tokens) VALUES ${sql.join(slice.map(([rowid, tokens]) => sql`(${rowid}, ${tokens})`))}`.execute(trx));
  // A case is found by the words of all its calls, on its first call (as intake keeps it), whichever batch that call was in.
  const texts = [...rows.caseTexts];
  await each(texts, async (slice) => {
    if (dialect === 'postgres') {
      await sql`UPDATE demands SET search_text = v.t FROM (VALUES ${sql.join(slice.map(([id, t]) => sql`(${id}::bigint, ${t})`))}) AS v(id, t) WHERE demands.id = v.id`.execute(trx);
    } else {
      for (const [id, t] of slice) await trx.updateTable('demands').set({ search_text: t }).where('id', '=', id).execute();
      await sql`INSERT OR REPLACE INTO demands_fts (rowid, tokens) VALUES ${sql.join(slice.map(([id, t]) => sql`(${id}, ${t})`))}`.execute(trx);
    }
  });
  await each([...touched].map((name) => ({ name, value: counters.get(name)! })), (slice) =>
    trx
      .insertInto('counters')
      .values(slice)
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`case when counters.value > excluded.value then counters.value else excluded.value end` }))
      .execute(),
  );
  if (dialect === 'postgres') {
    // Explicit ids leave the identity sequences behind: bring them up so that the API's next insert fits.
    await sql`select setval(pg_get_serial_sequence('demands', 'id'), ${demandId})`.execute(trx);
    if (rows.tasks.length > 0) await sql`select setval(pg_get_serial_sequence('tasks', 'id'), ${taskId})`.execute(trx);
  }
  return rows;
}

async function maxId(db: Kysely<DB>, table: 'demands' | 'tasks'): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.max<number | null>('id').as('id')).executeTakeFirstOrThrow();
  return Number(row.id ?? 0);
}

/** What the demand's steps make of it at the anchor. */
function standing(plan: DemandPlan, anchor: number) {
  const age = (anchor - plan.at) / MIN_MS;
  const s = plan.steps;
  const reached = (step: number | undefined) => step !== undefined && step <= age;
  if (reached(s.close)) return { demand: 'closed', task: plan.handler ? 'closed' : null } as const;
  if (!plan.handler || !reached(s.dispatch)) return { demand: 'open', task: null } as const;
  if (reached(s.handle)) return { demand: 'awaiting_callback', task: 'handled' } as const;
  return { demand: 'dispatched', task: reached(s.arrive) ? 'arrived' : reached(s.accept) ? 'accepted' : 'dispatched' } as const;
}

/** Demand `plan` as rows: the demand, its work order, and, while it is live, its clocks and the start of its timeline. */
function addDemand(rows: Rows, city: City, plan: DemandPlan, d: { id: number; number: string; repeat: Latest | undefined; nextTaskId: () => number }): Latest {
  const { customers } = city;
  const c = plan.customer;
  const source = sourceFromChannel(plan.channel);
  const important = c !== null && customers.important[c] === 1;
  const priority = initialPriority(source, plan.askedPriority, important);
  if (d.repeat) return addJoinedCall(rows, city, plan, { id: d.id, number: d.number, source, priority, important, joins: d.repeat });
  const escalation = initialEscalation(source);
  const caseId = d.id;

  // As intake.ts routes: a repair to the customer's station, the rest by category; the order to the handler of the plan.
  const station = c === null ? null : customers.unit[c]!;
  const areaClass = (c === null ? 'urban' : customers.areaClass[c]!) as AreaClass;
  const routed = city.routes.get(plan.category) ?? city.centreId;
  const unitId = plan.type === 'fault_repair' && station !== null ? station : routed;
  const taskUnit = plan.handler === null ? null : plan.handler === 'route' || station === null ? routed : plan.handler === 'county' ? (city.parentOf.get(station) ?? station) : station;

  const now = standing(plan, city.anchor);
  const s = plan.steps;
  const stamp = (minutes: number | undefined) => (minutes === undefined || plan.at + minutes * MIN_MS > city.anchor ? null : new Date(plan.at + minutes * MIN_MS).toISOString());
  const created = new Date(plan.at).toISOString();
  const lastChange = stamp(s.close) ?? stamp(s.handle) ?? stamp(s.arrive) ?? stamp(s.accept) ?? stamp(s.dispatch) ?? created;
  const createdBy = city.agents[plan.agent % city.agents.length]!;
  const closedAt = now.demand === 'closed' ? stamp(s.close) : null;
  const answered = plan.handler === null && closedAt !== null;
  // 首次处理: the order's unit handled it first, and said whether it could resolve the matter at its level.
  const handledAt = taskUnit !== null && now.task !== null ? stamp(s.handle) : null;
  const unresolved = handledAt !== null && plan.unresolved && taskUnit !== routed;
  const why = UNRESOLVED_FINDINGS[Math.floor(plan.agent / 6) % UNRESOLVED_FINDINGS.length]!;
  // Searchable as a demand registered through the API is (intake.ts): its content and the customer's name, segmented.
  const tokens = callTokens(plan.content, c === null ? null : customers.name[c]!);
  rows.searchable.push([d.id, tokens]);
  rows.demands.push({
    id: d.id,
    number: d.number,
    channel: plan.channel,
    type: plan.type,
    category: plan.category,
    subcategory: plan.subcategory,
    source,
    priority,
    sensitive: plan.type === 'complaint' && plan.agent % 10 === 0 ? 1 : 0,
    customer_id: c === null ? null : customers.id[c]!,
    account_no: c === null ? null : customers.accountNo[c]!,
    customer_name: c === null ? null : customers.name[c]!,
    phone: plan.otherPhone ?? customers.phone[c!]!,
    important: important ? 1 : 0,
    area_class: areaClass,
    station_id: station,
    district_id: c === null ? null : customers.district[c]!,
    feeder_id: c === null ? null : customers.feeder[c]!,
    unit_id: unitId,
    content: plan.content,
    status: unresolved && now.demand === 'awaiting_callback' ? 'open' : now.demand,
    escalation_level: escalation,
    case_id: caseId,
    repeat_of: null,
    repeat_count: 0,
    callback_attempts: now.demand === 'closed' && plan.handler ? 1 : 0,
    // A handled demand is closed by the customer's satisfied callback (migration 20261209000000).
    callback_outcome: now.demand === 'closed' && plan.handler ? 'satisfied' : null,
    answer: answered ? '已在来电中答复客户。' : null,
    answered_at: answered ? closedAt : null,
    idempotency_key: null,
    search_text: tokens,
    created_by: createdBy,
    owner_id: createdBy,
    created_at: created,
    updated_at: lastChange,
    closed_at: closedAt,
    version: now.demand === 'closed' ? 3 : now.demand === 'open' ? 1 : 2,
    first_unit_id: taskUnit !== null && now.task !== null ? taskUnit : null,
    first_resolved: handledAt === null ? null : unresolved ? 0 : 1,
    first_handled_at: handledAt,
    unresolved_reason: unresolved ? why.reason : null,
  });

  let task: number | null = null;
  if (taskUnit !== null && now.task !== null) {
    task = d.nextTaskId();
    rows.tasks.push({
      id: task,
      demand_id: d.id,
      kind: 'work_order',
      unit_id: taskUnit,
      assignee_id: null,
      status: now.task,
      instructions: '请核实处理并回复。',
      report_json: stamp(s.handle)
        ? JSON.stringify(
            unresolved
              ? { findings: why.findings, resolved: false, unresolvedReason: why.reason }
              : { findings: '已处理。', ...(plan.type === 'fault_repair' && { powerRestored: true }) },
          )
        : null,
      return_reason: null,
      created_by: createdBy,
      created_at: stamp(s.dispatch)!,
      updated_at: lastChange,
      accepted_at: stamp(s.accept),
      arrived_at: stamp(s.arrive),
      handled_at: stamp(s.handle),
      closed_at: stamp(s.close),
    });
  }
  if (now.demand !== 'closed') {
    rows.timeline.push({ demand_id: d.id, task_id: null, at: created, actor_id: createdBy, kind: 'registered', note: null, data_json: JSON.stringify({ channel: plan.channel, source, priority }) });
    if (task !== null) rows.timeline.push({ demand_id: d.id, task_id: task, at: stamp(s.dispatch)!, actor_id: createdBy, kind: 'work_order.dispatched', note: null, data_json: JSON.stringify({ unitId: taskUnit }) });
    rows.deadlines.push(...liveDeadlines(city, plan, { id: d.id, task, areaClass, priority, important }));
  }
  const closesAt = s.close !== undefined && plan.at + s.close * MIN_MS <= city.anchor ? plan.at + s.close * MIN_MS : Infinity;
  const status = unresolved && now.demand === 'awaiting_callback' ? 'open' : now.demand;
  return { id: d.id, caseId, category: plan.category, at: plan.at, closesAt, calls: 1, escalation, unitId, status, closedAt, text: tokens };
}

/**
 * A further call of a customer's open case (多次诉求): a row of its own (its
 * number, channel and words) with its case's status, and no order or clock of
 * its own. The case's count and its level on the ladder are summed up once
 * the history is written (caseCounts).
 */
function addJoinedCall(rows: Rows, city: City, plan: DemandPlan, d: { id: number; number: string; source: string; priority: Priority; important: boolean; joins: Latest }): Latest {
  const { customers } = city;
  const c = plan.customer!;
  const created = new Date(plan.at).toISOString();
  const createdBy = city.agents[plan.agent % city.agents.length]!;
  const tokens = callTokens(plan.content, customers.name[c]!);
  const kase = d.joins;
  kase.calls++;
  kase.text = caseSearchText([kase.text, tokens]);
  rows.caseTexts.set(kase.caseId, kase.text);
  rows.searchable.push([d.id, tokens]);
  rows.demands.push({
    id: d.id,
    number: d.number,
    channel: plan.channel,
    type: plan.type,
    category: plan.category,
    subcategory: plan.subcategory,
    source: d.source,
    priority: d.priority,
    sensitive: 0,
    customer_id: customers.id[c]!,
    account_no: customers.accountNo[c]!,
    customer_name: customers.name[c]!,
    phone: plan.otherPhone ?? customers.phone[c]!,
    important: d.important ? 1 : 0,
    area_class: customers.areaClass[c]!,
    station_id: customers.unit[c]!,
    district_id: customers.district[c]!,
    feeder_id: customers.feeder[c]!,
    unit_id: kase.unitId,
    content: plan.content,
    status: kase.status,
    escalation_level: kase.escalation,
    case_id: kase.caseId,
    repeat_of: kase.caseId,
    repeat_count: kase.calls - 1,
    callback_attempts: 0,
    answer: null,
    answered_at: null,
    idempotency_key: null,
    search_text: tokens,
    created_by: createdBy,
    owner_id: createdBy,
    created_at: created,
    updated_at: created,
    closed_at: kase.closedAt,
    version: 1,
    first_unit_id: null,
    first_resolved: null,
    first_handled_at: null,
    unresolved_reason: null,
  });
  if (kase.status !== 'closed') {
    rows.timeline.push({ demand_id: d.id, task_id: null, at: created, actor_id: createdBy, kind: 'registered', note: null, data_json: JSON.stringify({ channel: plan.channel, source: d.source, priority: d.priority }) });
    rows.timeline.push({ demand_id: d.id, task_id: null, at: created, actor_id: null, kind: 'joined_case', note: null, data_json: JSON.stringify({ caseId: kase.caseId, ordinal: kase.calls, reason: 'open' }) });
    rows.timeline.push({ demand_id: kase.caseId, task_id: null, at: created, actor_id: createdBy, kind: 'call.joined', note: plan.content, data_json: JSON.stringify({ callId: d.id, callNumber: d.number, ordinal: kase.calls, reason: 'open', channel: plan.channel, type: plan.type, source: d.source }) });
  }
  return kase;
}

/**
 * Each case's count of calls on its first call, and the level the default
 * ladder gives it (3rd call team lead, 5th centre manager, 7th unit head),
 * never lower than it was; the case's level reaches its calls. Set-based, so
 * that a case whose first call was written in an earlier transaction counts too.
 */
async function caseCounts(db: Kysely<DB>): Promise<void> {
  await sql`UPDATE demands SET call_count = (SELECT COUNT(*) FROM demands c WHERE c.case_id = demands.id)
    WHERE id IN (SELECT case_id FROM demands WHERE case_id <> id)`.execute(db);
  await sql`UPDATE demands SET escalation_level = CASE
      WHEN call_count >= 7 THEN 3
      WHEN call_count >= 5 AND escalation_level < 2 THEN 2
      WHEN call_count >= 3 AND escalation_level < 1 THEN 1
      ELSE escalation_level END
    WHERE call_count >= 3 AND case_id = id`.execute(db);
}

/** The clocks of a demand still in progress, met, warned or escalated as its history has it. */
function liveDeadlines(city: City, plan: DemandPlan, d: { id: number; task: number | null; areaClass: AreaClass; priority: Priority; important: boolean }): Insertable<DB['deadlines']>[] {
  const facts = { type: plan.type, category: plan.category, subcategory: plan.subcategory, areaClass: d.areaClass, priority: d.priority };
  const s = plan.steps;
  const reached = (minutes: number | undefined) => minutes !== undefined && plan.at + minutes * MIN_MS <= city.anchor;
  // [step, started (minutes after the call), met (minutes after the call)]
  const clocks: [DeadlineStep, number, number | undefined][] =
    plan.type === 'fault_repair'
      ? [['dispatch', 0, s.dispatch], ['arrive', 0, s.arrive]]
      : plan.type === 'complaint'
        ? [['contact', 0, s.accept], ['answer', 0, s.handle]]
        : [['answer', 0, s.handle]];
  if (plan.type === 'fault_repair' && reached(s.arrive)) clocks.push(['restore', s.arrive!, s.handle]);
  if (reached(s.handle) && !plan.unresolved) clocks.push(['callback', s.handle!, s.close]);
  const rows: Insertable<DB['deadlines']>[] = [];
  for (const [step, from, met] of clocks) {
    const policy = policyFor(city.rules.policies, step, facts);
    if (!policy) continue;
    const start = new Date(plan.at + from * MIN_MS);
    const due = dueAt(policy, start, city.rules.calendar, d.important);
    const warn = warnAtFor(policy.unit, start, due, city.rules.calendar);
    const metAt = reached(met) ? plan.at + met! * MIN_MS : null;
    // What the scheduler would already have raised, each once: it raises nothing more for the past.
    const warned = warn.getTime() <= city.anchor && (metAt === null || metAt > warn.getTime());
    const escalated = due.getTime() <= city.anchor && (metAt === null || metAt > due.getTime());
    rows.push({
      demand_id: d.id,
      task_id: step === 'callback' || step === 'dispatch' ? null : d.task,
      step,
      started_at: start.toISOString(),
      due_at: due.toISOString(),
      warn_at: warn.toISOString(),
      met_at: metAt === null ? null : new Date(metAt).toISOString(),
      warned_at: warned ? warn.toISOString() : null,
      escalated_at: escalated ? due.toISOString() : null,
      cancelled_at: null,
    });
  }
  return rows;
}
