import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../db/types.js';

// Small documents an admin edits, by key (the `settings` table): the password
// policy first. Each is read through its schema, so that a row written by an
// older version, or by hand, falls back to the default instead of failing.

export async function readSetting<T>(db: Kysely<DB>, key: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
  const row = await db.selectFrom('settings').select('value_json').where('key', '=', key).executeTakeFirst();
  if (!row) return fallback;
  let value: unknown;
  try {
    value = JSON.parse(row.value_json);
  } catch {
    return fallback;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : fallback;
}

export async function writeSetting(db: Kysely<DB>, key: string, value: unknown, now: string, userId: number | null): Promise<void> {
  const value_json = JSON.stringify(value);
  await db
    .insertInto('settings')
    .values({ key, value_json, updated_at: now, updated_by: userId })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value_json, updated_at: now, updated_by: userId }))
    .execute();
}
