import type { Database } from '../../db/database.js';
import { localDate } from '../../../shared/time.js';

// The demo city's satisfaction surveys (issue 18): the third party's scores of
// the last seven quarters that have ended, for the city, and for each county
// in the latest one. Seven city periods are one short of what the elasticity
// needs to be estimated (satisfaction/rules.ts MIN_PERIODS), so the page shows
// the seed's figures and says so, as a company's first surveys would.

const DIMENSIONS = ['stability', 'safety', 'payment', 'business', 'hall', 'hotline', 'communication', 'handling'] as const;
/** Each dimension's level in the demo's first quarter; supply stability and problem handling score lowest, as in seed 000. */
const BASE: Record<(typeof DIMENSIONS)[number], number> = {
  stability: 82.4,
  safety: 88.1,
  payment: 90.3,
  business: 87.6,
  hall: 89.2,
  hotline: 86.9,
  communication: 85.7,
  handling: 83.5,
};

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The quarter `back` quarters before the one `date` is in: its name and local dates (to exclusive). */
function quarterBefore(date: string, back: number): { period: string; from: string; to: string } {
  const index = Number(date.slice(0, 4)) * 4 + Math.floor((Number(date.slice(5, 7)) - 1) / 3) - back;
  const year = Math.floor(index / 4);
  const q = (index % 4) + 1;
  const month = (m: number, y = year) => `${y}-${String(m).padStart(2, '0')}-01`;
  return { period: `${year}-Q${q}`, from: month(q * 3 - 2), to: q === 4 ? month(1, year + 1) : month(q * 3 + 1) };
}

/** Seeds the surveys once (none yet); returns the rows written. */
export async function seedSatisfaction(database: Database, options: { now: () => string; timeZone: string }): Promise<number> {
  const { db } = database;
  if (await db.selectFrom('satisfaction_surveys').select('id').limit(1).executeTakeFirst()) return 0;
  const analyst = await db.selectFrom('users').select('id').where('username', '=', 'analyst').executeTakeFirst();
  if (!analyst) return 0;
  const counties = await db.selectFrom('units').select(['id', 'code']).where('kind', '=', 'county').where('active', '=', 1).orderBy('id').execute();
  const now = options.now();
  const today = localDate(now, options.timeZone);
  const rows: { period: string; from: string; to: string; unitId: number | null; scores: number[] }[] = [];
  for (let back = 7; back >= 1; back--) {
    const quarter = quarterBefore(today, back);
    const step = 7 - back;
    // A gentle rise over the quarters, a dip each summer (the outage season) in stability and handling.
    const summer = quarter.period.endsWith('Q3') ? 1 : 0;
    const scores = DIMENSIONS.map((d, i) => round1(BASE[d] + step * 0.35 + ((i * 7 + step * 3) % 5) * 0.2 - (d === 'stability' || d === 'handling' ? summer * 1.6 : 0)));
    rows.push({ ...quarter, unitId: null, scores });
    if (back === 1)
      counties.forEach((county, c) => rows.push({ ...quarter, unitId: county.id, scores: scores.map((s, i) => round1(s + (((c + 1) * (i + 2)) % 7) * 0.4 - 1.2)) }));
  }
  await db.transaction().execute(async (trx) => {
    const imported = await trx
      .insertInto('satisfaction_imports')
      .values({ file_name: '第三方满意度调查（演示）.xlsx', rows: rows.length, created_by: analyst.id, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('satisfaction_surveys')
      .values(
        rows.map((r) => {
          const dimensions = Object.fromEntries(DIMENSIONS.map((d, i) => [d, r.scores[i]!])) as Record<(typeof DIMENSIONS)[number], number>;
          const overall = round1(r.scores.reduce((a, b) => a + b, 0) / r.scores.length);
          return {
            period: r.period,
            period_kind: 'quarter',
            period_from: r.from,
            period_to: r.to,
            unit_key: r.unitId ?? 0,
            unit_id: r.unitId,
            ...dimensions,
            overall,
            import_id: imported.id,
            updated_at: now,
          };
        }),
      )
      .execute();
  });
  return rows.length;
}
