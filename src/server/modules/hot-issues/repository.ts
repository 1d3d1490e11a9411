import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import { COUNTED_TYPES } from '../../../shared/codes.js';
import type { DB } from '../../db/types.js';
import type { CaseCount, TermCount } from './rules.js';

// The hot issues' reads and writes: the counted cases of a span of time (to
// build the rollups, to sample, to drill down) and the rollups themselves
// (term_rollup, hot_case_rollup).

/** The case's unit: the unit of its first work order, else its responsible unit. */
const CASE_UNIT = sql<number>`COALESCE(demands.first_unit_id, demands.unit_id)`;

/** The counted cases (their heads) registered in [from, to), in these units when given. */
function countedCases<O>(q: SelectQueryBuilder<DB, 'demands', O>, period: { from: string; to: string }, unitIds?: readonly number[]) {
  return q
    .where('demands.created_at', '>=', period.from)
    .where('demands.created_at', '<', period.to)
    .where('demands.type', 'in', COUNTED_TYPES)
    .where((eb) => eb.or([eb('demands.case_id', 'is', null), eb('demands.case_id', '=', eb.ref('demands.id'))]))
    .where((eb) => eb.or([eb('demands.verdict', 'is', null), eb('demands.verdict', '<>', 'unfounded')]))
    .$if(unitIds !== undefined, (qb) => qb.where(CASE_UNIT, 'in', unitIds!.length > 0 ? [...unitIds!] : [-1]));
}

export interface CaseRow {
  id: number;
  number: string;
  created_at: string;
  unit_id: number;
  category: string | null;
  subcategory: string | null;
  content: string;
  status: string;
  closed_at: string | null;
}

const CASE_COLUMNS = [
  'demands.id',
  'demands.number',
  'demands.created_at',
  CASE_UNIT.as('unit_id'),
  'demands.category',
  'demands.subcategory',
  'demands.content',
  'demands.status',
  'demands.closed_at',
] as const;

const asCase = (r: Record<string, unknown>): CaseRow => ({ ...(r as unknown as CaseRow), unit_id: Number(r.unit_id) });

/** Every counted case registered in [from, to): what a run of the rollups' days is built from. */
export async function casesOf(db: Kysely<DB>, period: { from: string; to: string }, unitIds?: readonly number[]): Promise<CaseRow[]> {
  const rows = await countedCases(db.selectFrom('demands').select(CASE_COLUMNS), period, unitIds).execute();
  return rows.map((r) => asCase(r));
}

/** The newest `limit` counted cases of [from, to): the sample the groups are found in. */
export async function newestCases(
  db: Kysely<DB>,
  period: { from: string; to: string },
  unitIds: readonly number[] | undefined,
  limit: number,
): Promise<CaseRow[]> {
  const rows = await countedCases(db.selectFrom('demands').select(CASE_COLUMNS), period, unitIds)
    .orderBy('demands.created_at', 'desc')
    .orderBy('demands.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => asCase(r));
}

/**
 * The counted cases of [from, to) whose content contains `text` (any case:
 * jieba's words are lower-cased), newest first: the candidates of a term's
 * drill-down and examples, which the caller keeps only when jieba finds the
 * term among their words.
 */
export async function casesContaining(
  db: Kysely<DB>,
  period: { from: string; to: string },
  unitIds: readonly number[] | undefined,
  text: string,
  limit?: number,
): Promise<CaseRow[]> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await countedCases(db.selectFrom('demands').select(CASE_COLUMNS), period, unitIds)
    .where(sql<boolean>`lower(demands.content) LIKE ${pattern} ESCAPE '\\'`)
    .orderBy('demands.created_at', 'desc')
    .orderBy('demands.id', 'desc')
    .$if(limit !== undefined, (q) => q.limit(limit!))
    .execute();
  return rows.map((r) => asCase(r));
}

// ── the rollups ───────────────────────────────────────────────────────────

const CHUNK = 500;

/** Replaces the rollups' rows of the days first..last with these. */
export async function writeDays(trx: Transaction<DB>, first: string, last: string, rows: { terms: TermCount[]; cases: CaseCount[] }): Promise<void> {
  await trx.deleteFrom('term_rollup').where('day', '>=', first).where('day', '<=', last).execute();
  await trx.deleteFrom('hot_case_rollup').where('day', '>=', first).where('day', '<=', last).execute();
  for (let i = 0; i < rows.terms.length; i += CHUNK)
    await trx
      .insertInto('term_rollup')
      .values(rows.terms.slice(i, i + CHUNK).map((r) => ({ day: r.day, unit_id: r.unitId, term: r.term, cases: r.cases, closed: r.closed })))
      .execute();
  for (let i = 0; i < rows.cases.length; i += CHUNK)
    await trx
      .insertInto('hot_case_rollup')
      .values(
        rows.cases
          .slice(i, i + CHUNK)
          .map((r) => ({ day: r.day, unit_id: r.unitId, category: r.category, subcategory: r.subcategory, cases: r.cases, closed: r.closed })),
      )
      .execute();
}

/** Which of the rollups' days to read: [fromDay, toDay) without the days counted afresh, in these units when given. */
export interface RollupRange {
  fromDay: string;
  toDay: string;
  skipDays: readonly string[];
  unitIds?: readonly number[] | undefined;
}

/**
 * The terms' cases and closed cases over a range of the rollup's days, the
 * most frequent first: all of them, just `terms`, or the `limit` most
 * frequent and every term tied with the last of them (the ranking breaks ties
 * by the rise and the pinyin of the name, rules.ts rankItems: the database's
 * order of names must not choose among them); never a stop word.
 */
export async function sumTerms(
  db: Kysely<DB>,
  range: RollupRange,
  options: { stopWords: readonly string[]; limit?: number; terms?: readonly string[] },
): Promise<{ term: string; cases: number; closed: number }[]> {
  if (options.terms !== undefined && options.terms.length === 0) return [];
  const sums = (atLeast?: number) =>
    db
      .selectFrom('term_rollup')
      .select(['term', sql<number>`SUM(cases)`.as('cases'), sql<number>`SUM(closed)`.as('closed')])
      .where('day', '>=', range.fromDay)
      .where('day', '<', range.toDay)
      .$if(range.skipDays.length > 0, (q) => q.where('day', 'not in', [...range.skipDays]))
      .$if(range.unitIds !== undefined, (q) => q.where('unit_id', 'in', range.unitIds!.length > 0 ? [...range.unitIds!] : [-1]))
      .$if(options.stopWords.length > 0, (q) => q.where('term', 'not in', [...options.stopWords]))
      .$if(options.terms !== undefined, (q) => q.where('term', 'in', [...options.terms!]))
      .groupBy('term')
      .$if(atLeast !== undefined, (q) => q.having(sql`SUM(cases)`, '>=', atLeast!));
  const numbers = (rows: { term: string; cases: number; closed: number }[]) =>
    rows.map((r) => ({ term: r.term, cases: Number(r.cases), closed: Number(r.closed) }));
  if (options.limit === undefined) return numbers(await sums().execute());
  const top = numbers(
    await sums()
      .orderBy(sql`SUM(cases)`, 'desc')
      .orderBy('term')
      .limit(options.limit + 1)
      .execute(),
  );
  const last = top[options.limit - 1];
  const next = top[options.limit];
  if (last === undefined || next === undefined || next.cases < last.cases) return top.slice(0, options.limit);
  // The next term has as many cases as the last: those tied with it (and those above, again) in one more read.
  return numbers(await sums(last.cases).execute());
}

/** The counted cases over a range of the rollup's days, by unit × category × sub-category. */
export async function sumCases(
  db: Kysely<DB>,
  range: RollupRange,
): Promise<{ unitId: number; category: string; subcategory: string; cases: number; closed: number }[]> {
  const rows = await db
    .selectFrom('hot_case_rollup')
    .select(['unit_id', 'category', 'subcategory', sql<number>`SUM(cases)`.as('cases'), sql<number>`SUM(closed)`.as('closed')])
    .where('day', '>=', range.fromDay)
    .where('day', '<', range.toDay)
    .$if(range.skipDays.length > 0, (q) => q.where('day', 'not in', [...range.skipDays]))
    .$if(range.unitIds !== undefined, (q) => q.where('unit_id', 'in', range.unitIds!.length > 0 ? [...range.unitIds!] : [-1]))
    .groupBy(['unit_id', 'category', 'subcategory'])
    .execute();
  return rows.map((r) => ({ unitId: Number(r.unit_id), category: r.category, subcategory: r.subcategory, cases: Number(r.cases), closed: Number(r.closed) }));
}
