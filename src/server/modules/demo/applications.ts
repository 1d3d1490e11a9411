import type { Database } from '../../db/database.js';

/** Placeholder until the module's demo data is written (issue 17). */
export async function seedApplications(_database: Database, _options: { now: () => string; timeZone: string }): Promise<number> {
  return 0;
}
