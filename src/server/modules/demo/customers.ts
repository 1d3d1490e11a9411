import type { Database } from '../../db/database.js';
import { seedApplications } from './applications.js';
import { seedConsumption } from './consumption.js';
import { seedRelations } from './relations.js';
import { seedSatisfaction } from './satisfaction.js';

export interface CustomerDemoReport {
  /** Customers with imported monthly consumption. */
  consumption: number;
  applications: number;
  /** Service plans and activities. */
  relations: number;
  /** Satisfaction survey rows (issue 18). */
  surveys: number;
}

/**
 * The demo city's customer relations (issue 17), after its demands: a year of
 * monthly consumption and the key accounts it makes, with their account
 * managers; green-channel applications; service plans and activities; and
 * the last seven quarters' satisfaction surveys (issue 18).
 */
export async function seedCustomerRelations(database: Database, options: { now: () => string; timeZone: string }): Promise<CustomerDemoReport> {
  const consumption = await seedConsumption(database, options);
  const applications = await seedApplications(database, options);
  const relations = await seedRelations(database, options);
  const surveys = await seedSatisfaction(database, options);
  return { consumption, applications, relations, surveys };
}
