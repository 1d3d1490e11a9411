import type { Kysely } from 'kysely';
import { boundsOfDays, refreshRollup, runsOf, staleDays } from '../../db/rollups.js';
import type { DB } from '../../db/types.js';
import { queryWords } from '../../platform/text.js';
import * as repo from './repository.js';
import { countCases, termsOf, type CaseCount, type HotCase, type TermCount } from './rules.js';

// The hot issues' rollups (term_rollup, hot_case_rollup), rollup `terms`:
// jieba runs once per case, when the scheduler rebuilds the case's day
// (db/rollups.ts), not each time the hot issues are read. A reader sums the
// rollups' rows of the days they hold as they are and counts the days
// changed since the last refresh from the cases themselves (freshDays): the
// answer is exact at any lag of the scheduler.

export const TERMS_ROLLUP = 'terms';

/**
 * The distinct terms of a content, remembered for the most recent contents:
 * each scheduler pass rebuilds today's cases (and a reader counts them) again,
 * and only the cases new since need jieba. Keyed by the text itself, so an
 * edited content is cut afresh.
 */
const REMEMBERED = 50_000;
const remembered = new Map<string, string[]>();
export function contentTerms(content: string): string[] {
  const known = remembered.get(content);
  if (known) return known;
  const terms = termsOf(queryWords(content));
  if (remembered.size >= REMEMBERED) remembered.delete(remembered.keys().next().value!);
  remembered.set(content, terms);
  return terms;
}

/** A case's head as the rules count it: its content cut by jieba into its distinct terms. */
export function hotCase(row: repo.CaseRow): HotCase {
  return {
    id: row.id,
    number: row.number,
    createdAt: row.created_at,
    unitId: row.unit_id,
    category: row.category,
    subcategory: row.subcategory,
    terms: contentTerms(row.content),
    closed: row.closed_at !== null,
  };
}

/** The rollups' rows of a run of local days, from the cases as they are now. */
async function countDays(db: Kysely<DB>, bounds: { from: string; to: string }, zone: string) {
  return countCases((await repo.casesOf(db, bounds)).map(hotCase), zone);
}

/** The scheduler's part: the hot issues' rollups brought up to date as of `now`; the days rebuilt. */
export async function refreshTermRollups(db: Kysely<DB>, now: Date, zone: string): Promise<number> {
  return refreshRollup(db, TERMS_ROLLUP, now, zone, async (trx, first, last, bounds) => {
    await repo.writeDays(trx, first, last, await countDays(trx, bounds, zone));
  });
}

/**
 * The local days of [fromDay, toDay) the rollups do not hold as they are
 * now, and their rows counted from the cases: a reader skips these days in
 * the rollups and adds these rows.
 */
export async function freshDays(
  db: Kysely<DB>,
  range: { fromDay: string; toDay: string },
  now: Date,
  zone: string,
): Promise<{ stale: string[]; terms: TermCount[]; cases: CaseCount[] }> {
  const stale = [...(await staleDays(db, TERMS_ROLLUP, now, zone, range))].sort();
  const terms: TermCount[] = [];
  const cases: CaseCount[] = [];
  for (const [first, last] of runsOf(stale)) {
    const counted = await countDays(db, boundsOfDays(first, last, zone), zone);
    terms.push(...counted.terms);
    cases.push(...counted.cases);
  }
  return { stale, terms, cases };
}
