import type { Database } from '../../db/database.js';
import { localDate } from '../../../shared/time.js';
import { monthsUpTo } from '../customers/rules.js';
import { importConsumptionTable } from '../customers/consumption.js';
import { MORE_ACCOUNT_MANAGERS, ROLE_USERS } from './organisation.js';
import { mobilePhone, personName } from './people.js';
import { streamFor } from './random.js';

// The demo city's consumption (issue 17): the last 12 complete months for
// every customer, imported through the endpoint's own code (all or nothing,
// the yearly sums, the key accounts ranked), skewed as the seed describes it
// (the largest 100 of 5,000 use about half the energy); the key accounts
// shared among the account managers of 市场营销部; contact persons for the
// high-voltage and 自备变 customers.

/** The month's part of a year's energy: more in winter (heating) and high summer (cooling). */
const SEASON = [1.12, 1.02, 0.95, 0.9, 0.93, 1.02, 1.12, 1.14, 1.0, 0.9, 0.92, 1.08];
const SEASON_SUM = SEASON.reduce((a, b) => a + b, 0);
/** A customer of this many kWh a year keeps them; larger ones are drawn closer to it (see skew). */
const PIVOT = 3_000;

/** The share of the largest `top` when every yearly figure is raised to `alpha` around the pivot. */
function topShare(sorted: readonly number[], alpha: number, top: number): number {
  let all = 0;
  let largest = 0;
  sorted.forEach((kwh, i) => {
    const v = PIVOT * (kwh / PIVOT) ** alpha;
    all += v;
    if (i < top) largest += v;
  });
  return all > 0 ? largest / all : 0;
}

/**
 * The exponent that makes the largest 100 use about half of the energy: the
 * generated yearly figures of the big customers (up to 30 GWh) would give
 * them nearly all of it, more than a city's real skew.
 */
function skew(annual: readonly number[]): number {
  const sorted = [...annual].sort((a, b) => b - a);
  if (sorted.length <= 200 || topShare(sorted, 1, 100) <= 0.5) return 1;
  let lo = 0.3;
  let hi = 1;
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (topShare(sorted, mid, 100) > 0.5) hi = mid;
    else lo = mid;
  }
  return (lo + hi) / 2;
}

const CONTACT_ROLES = [['electrician'], ['finance'], ['legal_rep']] as const;

export async function seedConsumption(database: Database, options: { now: () => string; timeZone: string }): Promise<number> {
  const { db } = database;
  const done = await db.selectFrom('consumption_imports').select('id').limit(1).executeTakeFirst();
  if (done) return 0;
  const customers = await db.selectFrom('customers').select(['id', 'account_no', 'customer_class', 'annual_kwh']).orderBy('id').execute();
  if (customers.length === 0) return 0;
  const now = options.now();
  const thisMonth = localDate(new Date(now), options.timeZone).slice(0, 7);
  // The last 12 complete months: up to the month before this one.
  const months = monthsUpTo(thisMonth, 13).slice(0, 12);
  const alpha = skew(customers.map((c) => c.annual_kwh));
  const table = [{ number: 1, cells: ['户号', '月份', '电量'] }];
  let row = 1;
  for (const c of customers) {
    const random = streamFor(4_217, c.id);
    const year = PIVOT * (c.annual_kwh / PIVOT) ** alpha;
    for (const month of months) {
      const season = SEASON[Number(month.slice(5, 7)) - 1]! / SEASON_SUM;
      const kwh = Math.round(year * season * (0.9 + random() * 0.2) * 10) / 10;
      table.push({ number: ++row, cells: [c.account_no, month, String(kwh)] });
    }
  }
  const outcome = await importConsumptionTable(db, database.transact, table, { fileName: '演示数据-月度用电量.csv', userId: null, at: now });
  if (outcome.rejected.length > 0) throw new Error(`demo consumption refused: ${JSON.stringify(outcome.rejected.slice(0, 3))}`);

  // The key accounts, shared in turn among the account managers (the demo user `account_manager` first).
  const managers = await db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('username', 'in', [ROLE_USERS.find((u) => u.roles.includes('account_manager'))!.username, ...MORE_ACCOUNT_MANAGERS.map((u) => u.username)])
    .orderBy('username')
    .execute();
  if (managers.length > 0) {
    const keyAccounts = await db.selectFrom('customers').select('id').where('key_account', '=', 1).orderBy('key_account_rank').execute();
    await database.transact(async (trx) => {
      for (const [i, c] of keyAccounts.entries())
        await trx
          .updateTable('customers')
          .set({ account_manager_id: managers[i % managers.length]!.id })
          .where('id', '=', c.id)
          .where('account_manager_id', 'is', null)
          .execute();
    });
  }

  // Contact persons of the large customers: their electrician, their finance office, and for 自备变 the legal representative.
  const large = await db
    .selectFrom('customers')
    .leftJoin('customer_contacts', 'customer_contacts.customer_id', 'customers.id')
    .select(['customers.id', 'customers.customer_class'])
    .where('customers.customer_class', 'in', ['high_voltage', 'self_transformer'])
    .where('customer_contacts.id', 'is', null)
    .orderBy('customers.id')
    .execute();
  const contacts = large.flatMap((c) => {
    const random = streamFor(5_303, c.id);
    return CONTACT_ROLES.slice(0, c.customer_class === 'self_transformer' ? 3 : 2).map(([role]) => ({
      customer_id: c.id,
      name: personName(random),
      role,
      phone: mobilePhone(random),
      email: null,
      note: null,
      created_at: now,
      updated_at: now,
    }));
  });
  for (let i = 0; i < contacts.length; i += 500) await db.insertInto('customer_contacts').values(contacts.slice(i, i + 500)).execute();
  return customers.length;
}
