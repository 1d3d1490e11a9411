import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import type { ScoreColumn } from './rules.js';

// The satisfaction module's SQL: the survey imports and their rows
// (satisfaction_imports, satisfaction_surveys). The customers each unit
// serves come from the reports module (customersByUnit).

export interface SurveyInsert {
  period: string;
  period_kind: string;
  period_from: string;
  period_to: string;
  unit_id: number | null;
  scores: Record<ScoreColumn, number>;
}

export async function insertImport(trx: Transaction<DB> | Kysely<DB>, row: { file_name: string; rows: number; created_by: number; created_at: string }) {
  const inserted = await trx.insertInto('satisfaction_imports').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** Each period and unit once: a row imported before for the same period and unit is replaced. */
export async function upsertSurveys(trx: Transaction<DB> | Kysely<DB>, rows: readonly SurveyInsert[], importId: number, at: string): Promise<void> {
  for (const r of rows) {
    const values = {
      period_kind: r.period_kind,
      period_from: r.period_from,
      period_to: r.period_to,
      unit_id: r.unit_id,
      ...r.scores,
      import_id: importId,
      updated_at: at,
    };
    await trx
      .insertInto('satisfaction_surveys')
      .values({ period: r.period, unit_key: r.unit_id ?? 0, ...values })
      .onConflict((oc) => oc.columns(['period', 'unit_key']).doUpdateSet(values))
      .execute();
  }
}

/** The surveys whose period overlaps [from, to) (local dates; all when absent), the city first, then by period. */
export function listSurveys(db: Kysely<DB>, range: { from?: string | undefined; to?: string | undefined }) {
  return db
    .selectFrom('satisfaction_surveys')
    .select([
      'satisfaction_surveys.period',
      'satisfaction_surveys.period_kind',
      'satisfaction_surveys.period_from',
      'satisfaction_surveys.period_to',
      'satisfaction_surveys.unit_id',
      'satisfaction_surveys.stability',
      'satisfaction_surveys.safety',
      'satisfaction_surveys.payment',
      'satisfaction_surveys.business',
      'satisfaction_surveys.hall',
      'satisfaction_surveys.hotline',
      'satisfaction_surveys.communication',
      'satisfaction_surveys.handling',
      'satisfaction_surveys.overall',
    ])
    .$if(range.to !== undefined, (qb) => qb.where('satisfaction_surveys.period_from', '<', range.to!))
    .$if(range.from !== undefined, (qb) => qb.where('satisfaction_surveys.period_to', '>', range.from!))
    .orderBy('satisfaction_surveys.unit_key')
    .orderBy('satisfaction_surveys.period_from')
    .orderBy('satisfaction_surveys.period_to', 'desc')
    .execute();
}

export type SurveyListRow = Awaited<ReturnType<typeof listSurveys>>[number];

/** The city's surveys, every period: what the elasticity is fitted on. */
export function citySurveys(db: Kysely<DB>) {
  return db
    .selectFrom('satisfaction_surveys')
    .select(['period', 'period_kind', 'period_from', 'period_to', 'overall'])
    .where('unit_key', '=', 0)
    .orderBy('period_from')
    .execute();
}
