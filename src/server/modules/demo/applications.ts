import { sql } from 'kysely';
import type { ApplicationStage, ApplicationSupply, ApplicationVoltage } from '../../../shared/schemas/applications.js';
import { DEFAULT_TIME_ZONE, instantOfLocal, localDate } from '../../../shared/time.js';
import type { Database } from '../../db/database.js';
import { commandContext } from '../../platform/context.js';
import type { Actor } from '../../platform/policy.js';
import { completeStage, createApplication } from '../applications/service.js';
import { stageRules } from '../applications/settings.js';
import { actorOfUsername } from '../auth/service.js';
import type { BusinessCalendar } from '../deadlines/calendar.js';
import { deadlineRules } from '../deadlines/service.js';

// The demo city's green channel: a dozen connection applications (业扩) of its
// high-voltage and 自备变 customers, at various stages on the business
// calendar: three connected (completed), most under way on time, one whose
// stage is late (the first scheduler pass escalates it to the account
// manager) and one past 80 % of its stage (reminded on the first pass). Each
// is made and moved through the service, as the account manager would, at the
// moments it happened; the account manager is the customer's (helper data
// assigned by the consumption seed, which runs first), else 黄伟.
// Runs once (nothing is added where an application exists).

const DAY = 86_400_000;

interface Scenario {
  voltage: ApplicationVoltage;
  supply: ApplicationSupply;
  kind: 'new' | 'increase';
  capacityKva: number;
  /** Working days each completed stage took, in order. */
  took: number[];
  /** For an open application: how far into the stage under way it is, as a share of its limit. */
  into?: number;
  notes: string[];
}

const SCENARIOS: Scenario[] = [
  { voltage: '10kV', supply: 'single', kind: 'new', capacityKva: 800, took: [1, 2, 5, 3, 2, 3, 1], notes: ['资料齐全'] },
  { voltage: '35kV', supply: 'double', kind: 'new', capacityKva: 6300, took: [1, 3, 8, 5, 4, 3, 2], notes: ['双电源方案已会签'] },
  { voltage: '10kV', supply: 'single', kind: 'increase', capacityKva: 1250, took: [1, 3, 6, 4, 3, 2, 2], notes: ['增容至1250kVA'] },
  { voltage: '10kV', supply: 'single', kind: 'new', capacityKva: 630, took: [1, 2, 4, 3, 2], into: 0.3, notes: ['工业园区新建厂房'] },
  { voltage: '10kV', supply: 'double', kind: 'new', capacityKva: 2000, took: [1, 3], into: 0.4, notes: ['医院新院区，双电源'] },
  { voltage: '10kV', supply: 'single', kind: 'increase', capacityKva: 400, took: [1], into: 0.2, notes: ['增加生产线'] },
  // Late: the supply scheme (6 WD) under way for 8.
  { voltage: '10kV', supply: 'single', kind: 'new', capacityKva: 1600, took: [1, 3], into: 8 / 6, notes: ['水厂加压泵站'] },
  // Near its 80 %: nine of the scheme's ten working days gone.
  { voltage: '35kV', supply: 'double', kind: 'new', capacityKva: 8000, took: [1, 4], into: 0.9, notes: ['矿区变电站'] },
  { voltage: '10kV', supply: 'single', kind: 'new', capacityKva: 315, took: [], into: 0, notes: [] },
  { voltage: '10kV', supply: 'single', kind: 'new', capacityKva: 500, took: [1, 2, 5], into: 0.5, notes: ['商业综合体'] },
  { voltage: '110kV', supply: 'double', kind: 'new', capacityKva: 40000, took: [1, 4, 9, 6], into: 0.25, notes: ['110kV专线'] },
  { voltage: '10kV', supply: 'single', kind: 'increase', capacityKva: 1000, took: [1, 3, 6, 4, 3], into: 0.6, notes: ['冷库扩建'] },
];

/** The instant `workingDays` working days before `from` at the same time of day (whole days; a fraction moves the hour). */
function workingDaysBefore(from: number, workingDays: number, calendar: BusinessCalendar): number {
  const whole = Math.floor(workingDays);
  let at = from - (workingDays - whole) * DAY;
  for (let counted = 0; counted < whole; ) {
    at -= DAY;
    if (calendar.isWorkingDay(localDate(at, calendar.timeZone))) counted++;
  }
  return at;
}

export async function seedApplications(database: Database, options: { now: () => string; timeZone: string }): Promise<number> {
  const { db } = database;
  if ((await db.selectFrom('applications').select('id').limit(1).execute()).length > 0) return 0;
  const zone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const fallback = await actorOfUsername(db, 'account_manager');
  if (!fallback) return 0;
  const { calendar } = await deadlineRules(db, zone);
  const rules = await stageRules(db);
  const nowMs = Date.parse(options.now());
  // High-voltage and 自备变 customers, those with an account manager first.
  const customers = await db
    .selectFrom('customers as c')
    .leftJoin('users as u', 'u.id', 'c.account_manager_id')
    .select(['c.id', 'u.username'])
    .where('c.customer_class', 'in', ['high_voltage', 'self_transformer'])
    .orderBy(sql`case when c.account_manager_id is null then 1 else 0 end`)
    .orderBy('c.key_account_rank')
    .orderBy('c.id')
    .limit(SCENARIOS.length)
    .execute();
  const actors = new Map<string, Actor>();
  let made = 0;
  for (const [i, customer] of customers.entries()) {
    const s = SCENARIOS[i]!;
    let actor = fallback;
    if (customer.username) {
      const own = actors.get(customer.username) ?? (await actorOfUsername(db, customer.username));
      if (own?.roles.includes('account_manager')) {
        actors.set(customer.username, own);
        actor = own;
      }
    }
    const open = s.into !== undefined;
    // Backwards from now: the stage under way started `into` of its limit ago (or the last stage was done a day or more ago).
    const stages = rules.tracks[s.supply === 'double' ? 'hv_double' : 'hv_single'];
    const currentLimit = open ? (stages[s.took.length]?.limitWd ?? 1) : 0;
    const lastMoment = open ? workingDaysBefore(nowMs, (s.into ?? 0) * currentLimit, calendar) : workingDaysBefore(nowMs, 2 + i, calendar);
    const moments = [lastMoment];
    for (let k = s.took.length - 1; k >= 0; k--) moments.unshift(workingDaysBefore(moments[0]!, s.took[k]!, calendar));
    // Days before today happen in office hours (the due times go by dates, so lateness is the same).
    const today = localDate(nowMs, zone);
    const officeHours = (ms: number, k: number) => {
      const date = localDate(ms, zone);
      if (date >= today) return ms;
      const minutes = 9 * 60 + ((i * 7 + k * 53) % (8 * 60));
      return instantOfLocal(date, `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`, zone).getTime();
    };
    moments.forEach((ms, k) => (moments[k] = officeHours(ms, k)));
    const ctxAt = (ms: number) => commandContext(database, actor, () => new Date(ms).toISOString(), zone);
    let app = await createApplication(ctxAt(moments[0]!), {
      customerId: customer.id,
      kind: s.kind,
      capacityKva: s.capacityKva,
      voltage: s.voltage,
      supply: s.supply,
      ...(s.notes[0] && { note: s.notes[0] }),
    });
    for (let k = 0; k < s.took.length && app.stage; k++)
      app = await completeStage(ctxAt(moments[k + 1]!), app.id, app.stage as ApplicationStage, { note: k === 0 ? '资料审核通过，已受理' : '已按时限办结' }, app.version);
    made++;
  }
  return made;
}
