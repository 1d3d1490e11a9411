import { sql } from 'kysely';
import { indexCustomerNames } from '../customers/service.js';
import type { Database } from '../../db/database.js';
import type { NewCustomerRow } from '../../db/types.js';
import { hashPassword } from '../../platform/passwords.js';
import { recordAudit } from '../../platform/audit.js';
import { ensureDeadlineReferenceData } from '../deadlines/reference.js';
import { demoUnits, expertTopicsOf, MORE_ACCOUNT_MANAGERS, ROLE_USERS, TRANSMISSION_CODE, type DemoUser } from './organisation.js';
import { generateCustomer, importantName, mobilePhone, personName } from './people.js';
import { seedKnowledge } from './knowledge.js';
import { between, streamFor } from './random.js';

export const DEFAULT_SEED = 95598;

export interface SeedOptions {
  /** The city's customers: the seed tops them up to this count. */
  customers: number;
  password: string;
  seed?: number;
  now?: () => string;
  /** The company's zone (SUQIU_TIME_ZONE), for the knowledge base's revision dates. */
  timeZone?: string;
  log?: (message: string) => void;
  /** Load the demo knowledge base too (demo/knowledge), its attachments kept under this data folder. */
  knowledge?: { dataDir: string };
}

export interface SeedReport {
  unitsCreated: number;
  usersCreated: number;
  customersCreated: number;
  customersTotal: number;
  articlesCreated: number;
}

/** Staff beyond the nine role users: experts and handlers for every unit, agents for the centre. */
export function demoStaff(seed: number): DemoUser[] {
  const staff: DemoUser[] = [];
  let n = 0;
  const person = () => {
    const random = streamFor(seed + 17, n++);
    return { name: personName(random), phone: mobilePhone(random) };
  };
  for (const unit of demoUnits()) {
    const slug = unit.code.toLowerCase().replace(/^yl-?/, '') || 'yl';
    if (unit.kind === 'department' || unit.kind === 'county') {
      // Every department and county bureau names at least two experts, its leader among them (the first: see demoExpertProfiles).
      for (const i of [1, 2]) staff.push({ username: `expert.${slug}.${i}`, ...person(), roles: ['expert'], unitCode: unit.code });
      staff.push({ username: `handler.${slug}`, ...person(), roles: ['handler'], unitCode: unit.code });
    }
    if (unit.code === TRANSMISSION_CODE) staff.push({ username: `expert.${slug}.1`, ...person(), roles: ['expert'], unitCode: unit.code });
    if (unit.kind === 'station') staff.push({ username: `handler.${slug}`, ...person(), roles: ['handler'], unitCode: unit.code });
    if (unit.kind === 'centre') {
      for (let i = 1; i <= 8; i++) staff.push({ username: `agent.${String(i).padStart(2, '0')}`, ...person(), roles: ['agent'], unitCode: unit.code });
      staff.push({ username: 'team_lead.2', ...person(), roles: ['team_lead'], unitCode: unit.code });
    }
  }
  // Named, not drawn: the staff above keep their generated names.
  staff.push(...MORE_ACCOUNT_MANAGERS);
  return staff;
}

/**
 * Loads the demo city: idempotent (what exists is left alone), deterministic
 * (the same seed gives the same city), and scalable (`--customers 1000000`).
 */
export async function seedDemo(database: Database, options: SeedOptions): Promise<SeedReport> {
  const { db } = database;
  const seed = options.seed ?? DEFAULT_SEED;
  const now = options.now ?? (() => new Date().toISOString());
  const log = options.log ?? (() => undefined);
  const report: SeedReport = { unitsCreated: 0, usersCreated: 0, customersCreated: 0, customersTotal: 0, articlesCreated: 0 };
  const audit = { actor: null, now };

  // Units, parents first.
  const unitIds = new Map((await db.selectFrom('units').select(['id', 'code']).execute()).map((u) => [u.code, u.id]));
  for (const unit of demoUnits()) {
    if (unitIds.has(unit.code)) continue;
    const id = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('units')
        .values({
          code: unit.code,
          name: unit.name,
          kind: unit.kind,
          parent_id: unit.parentCode ? unitIds.get(unit.parentCode)! : null,
          area_class: unit.areaClass,
          created_at: now(),
          updated_at: now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, audit, { action: 'unit.created', entityType: 'unit', entityId: row.id, unitId: row.id, after: { ...unit, source: 'demo seed' } });
      return row.id;
    });
    unitIds.set(unit.code, id);
    report.unitsCreated++;
  }

  await ensureDeadlineReferenceData(db, now());
  // Category → responsible department (DESIGN.md): data, changed in the admin pages.
  const routes = { outage_voltage: 'YL-SCB', supply_service: 'YL-YXB', supply_safety: 'YL-AJB', grid_construction: 'YL-JJB' };
  const routed = new Set((await db.selectFrom('category_routes').select('category').execute()).map((r) => r.category));
  const newRoutes = Object.entries(routes).filter(([category]) => !routed.has(category));
  if (newRoutes.length > 0) {
    await db.insertInto('category_routes').values(newRoutes.map(([category, code]) => ({ category, unit_id: unitIds.get(code)!, updated_at: now() }))).execute();
  }

  // Users: the nine role users and the staff, each with their own salted hash.
  const existing = new Set((await db.selectFrom('users').select('username').execute()).map((u) => u.username));
  const missing = [...ROLE_USERS, ...demoStaff(seed)].filter((u) => !existing.has(u.username));
  const hashes = await Promise.all(missing.map(() => hashPassword(options.password)));
  for (const [i, user] of missing.entries()) {
    await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('users')
        .values({ username: user.username, name: user.name, password_hash: hashes[i]!, unit_id: unitIds.get(user.unitCode)!, phone: user.phone, created_at: now(), updated_at: now() })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('user_roles').values(user.roles.map((role) => ({ user_id: row.id, role }))).execute();
      await recordAudit(trx, audit, { action: 'user.created', entityType: 'user', entityId: row.id, unitId: unitIds.get(user.unitCode)!, after: { ...user, source: 'demo seed' } });
    });
    report.usersCreated++;
  }
  if (missing.length > 0) log(`demo users: ${missing.length} created`);
  await seedExpertProfiles(db, now());
  // 负责人: each department and county bureau is headed by its leader, its first expert; a station's case reaches its county's head.
  for (const unit of demoUnits().filter((u) => u.kind === 'department' || u.kind === 'county')) {
    const leader = await db.selectFrom('users').select('id').where('username', '=', `expert.${unit.code.toLowerCase().replace(/^yl-?/, '') || 'yl'}.1`).executeTakeFirst();
    if (leader) await db.updateTable('units').set({ head_user_id: leader.id }).where('code', '=', unit.code).where('head_user_id', 'is', null).execute();
  }

  // The network: two 10 kV feeders per station, five 台区 on each.
  const units = demoUnits();
  // The stations with customers: a county's 供电所 (a department's 所 has none).
  const stations = units.filter((u) => u.kind === 'station' && units.find((p) => p.code === u.parentCode)?.kind === 'county');
  if ((await db.selectFrom('feeders').select('id').limit(1).execute()).length === 0) {
    await db.transaction().execute(async (trx) => {
      for (const station of stations) {
        for (const f of [1, 2]) {
          const feeder = await trx
            .insertInto('feeders')
            .values({ code: `${station.code}-F${f}`, name: `10kV ${station.name.replace('供电所', '')}${f === 1 ? '一' : '二'}回线`, unit_id: unitIds.get(station.parentCode!)! })
            .returning('id')
            .executeTakeFirstOrThrow();
          const districts = Array.from({ length: 5 }, (_, d) => ({
            code: `${station.code}-F${f}-T${d + 1}`,
            name: `${station.name.replace('供电所', '')}${f}号线${d + 1}号台区`,
            feeder_id: feeder.id,
            unit_id: unitIds.get(station.code)!,
            area_class: station.areaClass ?? 'rural',
          }));
          await trx.insertInto('transformer_districts').values(districts).execute();
        }
      }
    });
  }
  const districts = await db.selectFrom('transformer_districts').select(['id', 'feeder_id', 'unit_id', 'area_class']).orderBy('id').execute();
  const unitById = new Map(units.map((u) => [unitIds.get(u.code)!, u]));

  // Customers, topped up to the requested count in batches.
  const countRow = await db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const have = Number(countRow.n);
  const lastBefore = Number((await db.selectFrom('customers').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst())?.id ?? 0);
  const batch = 500;
  const perTransaction = 20_000;
  for (let start = have; start < options.customers; start += perTransaction) {
    const end = Math.min(options.customers, start + perTransaction);
    await db.transaction().execute(async (trx) => {
      for (let from = start; from < end; from += batch) {
        const rows: NewCustomerRow[] = [];
        for (let i = from; i < Math.min(end, from + batch); i++) {
          const district = districts[between(streamFor(seed + 1, i), 0, districts.length - 1)]!;
          const station = unitById.get(district.unit_id)!;
          const county = units.find((u) => u.code === station.parentCode)!;
          const c = generateCustomer(seed, i, { countyName: county.name, stationName: station.name, urban: district.area_class === 'urban' });
          rows.push({
            account_no: c.accountNo,
            name: c.name,
            phone: c.phone,
            address: c.address,
            customer_class: c.customerClass,
            annual_kwh: c.annualKwh,
            unit_id: district.unit_id,
            district_id: district.id,
            feeder_id: district.feeder_id,
            area_class: district.area_class,
            created_at: now(),
            updated_at: now(),
          });
        }
        await trx.insertInto('customers').values(rows).execute();
      }
    });
    report.customersCreated += end - start;
    if (options.customers - have > perTransaction) log(`customers: ${end} of ${options.customers}`);
  }
  if (report.customersCreated > 0) {
    // Important customers (重要电力用户: hospitals, water works, mines …; their limits are halved): a third of the new
    // high-voltage and 自备变 customers, named for what they are. Never derived from consumption: key accounts
    // (核心客户) are the largest by imported consumption (demo/consumption.ts), a separate group; some are both.
    const large = await db
      .selectFrom('customers')
      .innerJoin('units', 'units.id', 'customers.unit_id')
      .innerJoin('units as county', 'county.id', 'units.parent_id')
      .select(['customers.id', 'county.name as county_name'])
      .where('customers.id', '>', lastBefore)
      .where('customers.customer_class', 'in', ['high_voltage', 'self_transformer'])
      .orderBy('customers.id')
      .execute();
    const chosen = large.filter((_, i) => i % 3 === 0);
    const already = Number(
      (
        await db
          .selectFrom('customers')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('important', '=', 1)
          .executeTakeFirst()
      )?.n ?? 0,
    );
    if (chosen.length > 0)
      await db.transaction().execute(async (trx) => {
        for (const [i, c] of chosen.entries())
          await trx.updateTable('customers').set({ important: 1, name: importantName(seed, already + i, c.county_name) }).where('id', '=', c.id).execute();
      });
    await indexCustomerNames(db);
    if (database.dialect === 'postgres') await sql`ANALYZE customers`.execute(db);
  }
  report.customersTotal = have + report.customersCreated;
  if (options.knowledge) {
    const knowledge = await seedKnowledge(database, { dataDir: options.knowledge.dataDir, now, ...(options.timeZone && { timeZone: options.timeZone }) });
    report.articlesCreated = knowledge.created;
    if (knowledge.created > 0) log(`knowledge base: ${knowledge.created} of ${knowledge.total} demo articles published`);
  }
  return report;
}

/**
 * The expert pool of the demo city: every expert without a profile gets one,
 * around the clock and available, with the topics of their unit; the first
 * expert of each department and county bureau is its leader.
 */
async function seedExpertProfiles(db: Database['db'], now: string): Promise<void> {
  const experts = await db
    .selectFrom('users')
    .innerJoin('user_roles', (j) => j.onRef('user_roles.user_id', '=', 'users.id').on('user_roles.role', '=', 'expert'))
    .innerJoin('units', 'units.id', 'users.unit_id')
    .leftJoin('expert_profiles', 'expert_profiles.user_id', 'users.id')
    .select(['users.id', 'users.username', 'users.phone', 'units.code', 'units.kind'])
    .where('expert_profiles.user_id', 'is', null)
    .execute();
  if (experts.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const e of experts) {
      await trx
        .insertInto('expert_profiles')
        .values({ user_id: e.id, phone: e.phone, leader: /^expert\.[a-z-]+\.1$/.test(e.username) && e.kind !== 'station' ? 1 : 0, updated_at: now })
        .execute();
      const topics = expertTopicsOf(e.code, e.kind);
      if (topics.length > 0) await trx.insertInto('expert_topics').values(topics.map((topic) => ({ user_id: e.id, topic }))).execute();
    }
  });
}
