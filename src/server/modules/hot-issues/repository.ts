import type { Kysely } from 'kysely';
import { COUNTED_TYPES } from '../../../shared/codes.js';
import type { DB } from '../../db/types.js';

/** The counted demands (complaint, opinion, suggestion) registered in a period, with what hot issues read of them. */
export async function demandsOfPeriod(db: Kysely<DB>, period: { from: string; to: string }, unitIds?: number[]) {
  return db
    .selectFrom('demands')
    .select(['id', 'case_id', 'number', 'category', 'subcategory', 'content', 'closed_at'])
    .where('type', 'in', COUNTED_TYPES)
    .where('created_at', '>=', period.from)
    .where('created_at', '<', period.to)
    .where((eb) => eb.or([eb('verdict', 'is', null), eb('verdict', '<>', 'unfounded')]))
    .$if(unitIds !== undefined, (q) =>
      q.where((eb) => eb.or([eb('unit_id', 'in', unitIds!.length > 0 ? unitIds! : [-1]), eb('first_unit_id', 'in', unitIds!.length > 0 ? unitIds! : [-1])])),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}
