import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { CHINA_2026, CHINA_2027_PROVISIONAL } from './holidays.js';
import { DEFAULT_POLICIES } from './policies.js';
import * as repo from './repository.js';

/**
 * Loads the business calendar's known years and the default time limits into
 * an empty database. What is there already (an admin's edits) is kept.
 */
export async function ensureDeadlineReferenceData(db: Kysely<DB>, now: string): Promise<void> {
  const have = new Set(await repo.listedDates(db));
  const missing = [...CHINA_2026, ...CHINA_2027_PROVISIONAL].filter((d) => !have.has(d.date));
  if (missing.length > 0)
    await repo.insertCalendarDays(
      db,
      missing.map((d) => ({ date: d.date, working: d.working ? 1 : 0, name: d.name ?? null, updated_at: now })),
    );
  if (!(await repo.hasPolicies(db)))
    await repo.insertPolicies(
      db,
      DEFAULT_POLICIES.map((p) => ({
        step: p.step,
        type: p.type,
        category: p.category,
        subcategory: p.subcategory,
        area_class: p.areaClass,
        priority: p.priority,
        amount: p.amount,
        unit: p.unit,
        updated_at: now,
      })),
    );
}
