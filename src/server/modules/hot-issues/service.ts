import type { Kysely } from 'kysely';
import type { HotGroup, HotIssueDemands, HotIssuesReport, HotTermItem } from '../../../shared/schemas/hot-issues.js';
import { startOfLocalDate } from '../../../shared/time.js';
import type { DB } from '../../db/types.js';
import type { ServiceContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { authorize, can, isCityWide } from '../../platform/policy.js';
import { periodOfQuery } from '../evaluation/service.js';
import { allUnits, unitTree } from '../org/directory.js';
import { subtreeOf } from '../org/rules.js';
import { visibleUnitIds } from '../org/service.js';
import * as repo from './repository.js';
import { contentTerms, freshDays, hotCase } from './rollup.js';
import {
  daysBefore,
  daysOfPeriod,
  excerptOf,
  groupTerms,
  previousPeriod,
  rankItems,
  weeksOf,
  type HotExample,
  type HotItem,
  type SampleCase,
  type Tally,
  type TermGroup,
} from './rules.js';
import { stopWords as storedStopWords, weeklyAbove as storedWeeklyAbove } from './settings.js';

// Hot issues of a period against the period before it (previousPeriod): one
// computation (hotIssuesOf) for the consultation meeting's pack and the
// hot-issues report. Every count is a SUM over the rollups (rollup.ts) plus
// the days changed since their last refresh, counted afresh; jieba runs at
// read time only on those days and on the bounded sample the groups are
// found in.

/** How many of the period's newest cases the groups (and the examples) are found in. */
export const SAMPLE_CASES = 2000;
/** How many of the top terms may be grouped. */
const GROUPED_TERMS = 30;
/** Examples per item. */
const EXAMPLES = 5;
/** Terms per unit and per week. */
const BREAKDOWN_TERMS = 5;
const WEEK_TERMS = 10;
/** The drill-down's page. */
const PAGE_SIZE = 20;

type Days = { fromDay: string; toDay: string };

/** The instants a range of local days spans. */
const instantsOf = (days: Days, zone: string) => ({
  from: startOfLocalDate(days.fromDay, zone).toISOString(),
  to: startOfLocalDate(days.toDay, zone).toISOString(),
});

/**
 * The rollups of a range of days as one reader: the rollups' rows of the
 * days they hold, and the rows of the days changed since their last refresh,
 * counted from the cases now (fresh).
 */
class Counter {
  private constructor(
    private readonly db: Kysely<DB>,
    private readonly fresh: Awaited<ReturnType<typeof freshDays>>,
    private readonly stopWords: readonly string[],
  ) {}

  static async open(db: Kysely<DB>, span: Days, now: Date, zone: string, stopWords: readonly string[]): Promise<Counter> {
    return new Counter(db, await freshDays(db, span, now, zone), stopWords);
  }

  get staleDays(): number {
    return this.fresh.stale.length;
  }

  private range(days: Days, unitIds: readonly number[] | undefined): repo.RollupRange {
    return { ...days, skipDays: this.fresh.stale.filter((d) => d >= days.fromDay && d < days.toDay), unitIds };
  }

  private freshTerms(days: Days, unitIds: readonly number[] | undefined): Map<string, Tally> {
    const units = unitIds ? new Set(unitIds) : null;
    const stop = new Set(this.stopWords);
    const out = new Map<string, Tally>();
    for (const r of this.fresh.terms) {
      if (r.day < days.fromDay || r.day >= days.toDay || (units && !units.has(r.unitId)) || stop.has(r.term)) continue;
      const t = out.get(r.term) ?? { cases: 0, closed: 0 };
      t.cases += r.cases;
      t.closed += r.closed;
      out.set(r.term, t);
    }
    return out;
  }

  /**
   * The terms of some days, exact: the rollup's top `limit` and every term of
   * the fresh days, each summed over both. A term in neither has no more
   * cases than the rollup's `limit`-th, which has at least as many once the
   * fresh days are added: the first `limit` of the result are the true top.
   */
  async top(days: Days, unitIds: readonly number[] | undefined, limit: number): Promise<Map<string, Tally>> {
    const range = this.range(days, unitIds);
    const fresh = this.freshTerms(days, unitIds);
    const out = new Map<string, Tally>();
    for (const r of await repo.sumTerms(this.db, range, { stopWords: this.stopWords, limit })) out.set(r.term, { cases: r.cases, closed: r.closed });
    const missing = [...fresh.keys()].filter((t) => !out.has(t));
    for (const r of await this.sumOf(range, missing)) out.set(r.term, { cases: r.cases, closed: r.closed });
    for (const [term, t] of fresh) {
      const row = out.get(term) ?? { cases: 0, closed: 0 };
      out.set(term, { cases: row.cases + t.cases, closed: row.closed + t.closed });
    }
    return out;
  }

  /** These terms' cases over some days (the period before, for the top terms). */
  async counts(days: Days, unitIds: readonly number[] | undefined, terms: readonly string[]): Promise<Map<string, number>> {
    const range = this.range(days, unitIds);
    const out = new Map<string, number>();
    for (const r of await this.sumOf(range, terms)) out.set(r.term, r.cases);
    const wanted = new Set(terms);
    for (const [term, t] of this.freshTerms(days, unitIds)) if (wanted.has(term)) out.set(term, (out.get(term) ?? 0) + t.cases);
    return out;
  }

  private async sumOf(range: repo.RollupRange, terms: readonly string[]) {
    const rows: Awaited<ReturnType<typeof repo.sumTerms>> = [];
    for (let i = 0; i < terms.length; i += 500) rows.push(...(await repo.sumTerms(this.db, range, { stopWords: [], terms: terms.slice(i, i + 500) })));
    return rows;
  }

  /** The counted cases of some days by unit × category × sub-category. */
  async cases(days: Days, unitIds: readonly number[] | undefined) {
    const rows = await repo.sumCases(this.db, this.range(days, unitIds));
    const units = unitIds ? new Set(unitIds) : null;
    for (const r of this.fresh.cases)
      if (r.day >= days.fromDay && r.day < days.toDay && (!units || units.has(r.unitId)))
        rows.push({ unitId: r.unitId, category: r.category, subcategory: r.subcategory, cases: r.cases, closed: r.closed });
    return rows;
  }

  /** The terms ranked against the days before, with their examples. */
  async items(days: Days, before: Days, unitIds: readonly number[] | undefined, limit: number, examples?: (term: string) => HotExample[]): Promise<HotItem[]> {
    const current = await this.top(days, unitIds, limit);
    const ranked = rankItems(current, new Map(), limit).map((i) => i.key);
    const previous = await this.counts(before, unitIds, ranked);
    return rankItems(new Map(ranked.map((k) => [k, current.get(k)!])), previous, limit, examples);
  }
}

const sum = (rows: readonly { cases: number }[]) => rows.reduce((n, r) => n + r.cases, 0);

function tallyBy<K extends string>(rows: readonly ({ cases: number; closed: number } & Record<K, string>)[], key: K): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const r of rows) {
    if (r[key] === '') continue;
    const t = out.get(r[key]) ?? { cases: 0, closed: 0 };
    t.cases += r.cases;
    t.closed += r.closed;
    out.set(r[key], t);
  }
  return out;
}

/** The newest cases of a period, segmented: where the groups and most examples come from. */
async function sampleOf(db: Kysely<DB>, period: { from: string; to: string }, unitIds: readonly number[] | undefined, size: number) {
  const rows = await repo.newestCases(db, period, unitIds, size);
  return { rows, cases: rows.map(hotCase), complete: rows.length < size };
}

/** Examples of a term: from the sample, else looked for in the period's cases (a rare term the sample missed). */
async function examplesOf(
  db: Kysely<DB>,
  period: { from: string; to: string },
  unitIds: readonly number[] | undefined,
  sample: Awaited<ReturnType<typeof sampleOf>>,
  items: readonly HotItem[],
): Promise<void> {
  for (const item of items) {
    const found = sample.cases.filter((c) => c.terms.includes(item.key)).slice(0, EXAMPLES);
    if (found.length < Math.min(EXAMPLES, item.count) && !sample.complete) {
      for (const row of await repo.casesContaining(db, period, unitIds, item.key, 200)) {
        if (found.length >= EXAMPLES) break;
        if (!found.some((f) => f.id === row.id) && contentTerms(row.content).includes(item.key)) found.push(hotCase(row));
      }
      found.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.id - a.id));
    }
    item.examples = found.slice(0, EXAMPLES).map((c) => ({ id: c.id, number: c.number }));
  }
}

function presentGroups(groups: readonly TermGroup[], ranked: readonly HotItem[]): HotGroup[] {
  const byTerm = new Map(ranked.map((i) => [i.key, i]));
  return groups.map((g) => ({
    terms: g.terms.map((term) => {
      const i = byTerm.get(term)!;
      return { term, count: i.count, previousCount: i.previousCount, change: i.change, trend: i.trend };
    }),
    cohesion: g.cohesion,
    examples: g.examples,
  }));
}

export interface HotIssues {
  from: string;
  to: string;
  previousFrom: string;
  total: number;
  previousTotal: number;
  categories: HotItem[];
  subcategories: HotItem[];
  terms: HotItem[];
  groups: HotGroup[];
  /** How many of the period's newest cases the groups were found in. */
  sampled: number;
}

export interface HotIssuesOptions {
  /** The clock: which days changed since the rollups' refresh. */
  now?: Date;
  /** Read from the settings when absent. */
  stopWords?: readonly string[];
  /** How many terms (20). */
  terms?: number;
}

/**
 * The hot issues of a period, for the city or some units (the cases whose
 * unit is one of them): the counted cases, by category, by sub-category and
 * by term against the period before, the terms that belong together.
 */
export async function hotIssuesOf(
  db: Kysely<DB>,
  period: { from: string; to: string },
  timeZone: string,
  unitIds?: readonly number[],
  options: HotIssuesOptions = {},
): Promise<HotIssues> {
  const { hot } = await compute(db, period, timeZone, unitIds, options);
  return hot;
}

async function compute(
  db: Kysely<DB>,
  period: { from: string; to: string },
  timeZone: string,
  unitIds: readonly number[] | undefined,
  options: HotIssuesOptions,
) {
  const previous = previousPeriod(period, timeZone);
  const days = daysOfPeriod(period, timeZone);
  const before = daysOfPeriod(previous, timeZone);
  const stop = options.stopWords ?? (await storedStopWords(db));
  const limit = options.terms ?? 20;
  // The weeks of the period and the days before the first are read too (the weekly breakdown).
  const span = { fromDay: [before.fromDay, daysBefore(days).fromDay].sort()[0]!, toDay: days.toDay };
  const counter = await Counter.open(db, span, options.now ?? new Date(), timeZone, stop);
  const [cases, previousCases, sample, current] = await Promise.all([
    counter.cases(days, unitIds),
    counter.cases(before, unitIds),
    sampleOf(db, instantsOf(days, timeZone), unitIds, SAMPLE_CASES),
    counter.top(days, unitIds, Math.max(limit, GROUPED_TERMS)),
  ]);
  const ranked = rankItems(current, new Map(), Math.max(limit, GROUPED_TERMS)).map((i) => i.key);
  const previousTerms = await counter.counts(before, unitIds, ranked);
  const all = rankItems(new Map(ranked.map((k) => [k, current.get(k)!])), previousTerms, ranked.length);
  const terms = all.slice(0, limit);
  await examplesOf(db, instantsOf(days, timeZone), unitIds, sample, terms);
  const sampleCases: SampleCase[] = sample.cases.map((c) => ({ id: c.id, number: c.number, terms: c.terms }));
  const groups = presentGroups(
    groupTerms(
      all.slice(0, GROUPED_TERMS).map((i) => i.key),
      sampleCases,
    ),
    all,
  );
  const keyed = (key: 'category' | 'subcategory', limitOf: number) => {
    const items = rankItems(tallyBy(cases, key), new Map([...tallyBy(previousCases, key)].map(([k, t]) => [k, t.cases])), limitOf, (k) =>
      sample.cases
        .filter((c) => (key === 'category' ? c.category : c.subcategory) === k)
        .slice(0, EXAMPLES)
        .map((c) => ({ id: c.id, number: c.number })),
    );
    return items;
  };
  const hot: HotIssues = {
    from: period.from,
    to: period.to,
    previousFrom: previous.from,
    total: sum(cases),
    previousTotal: sum(previousCases),
    categories: keyed('category', 10),
    subcategories: keyed('subcategory', 20),
    terms,
    groups,
    sampled: sample.cases.length,
  };
  return { hot, counter, days, previous };
}

const asTermItem = ({ key, trend, ...rest }: HotItem): HotTermItem => ({ term: key, trend, ...rest });

/** The units a report is bounded to (undefined: the whole city), and the one asked for. */
async function scopeOf(ctx: ServiceContext, unitId: number | undefined) {
  const visible = await visibleUnitIds(ctx);
  const tree = await unitTree(ctx.db);
  let unitIds = isCityWide(ctx.actor.roles) ? undefined : [...visible];
  if (unitId !== undefined) {
    if (!visible.has(unitId)) throw notFound('unit');
    unitIds = [...subtreeOf(tree, unitId)];
  }
  return { tree, unitIds, root: unitId ?? (isCityWide(ctx.actor.roles) ? null : ctx.actor.unitId) };
}

function authorizeRead(ctx: ServiceContext): void {
  if (!can(ctx.actor, 'evaluation.read')) authorize(ctx.actor, 'report.read');
}

/**
 * GET /api/reports/hot-issues: the terms, for the city or a unit's area (a
 * unit's handlers: their units only), with the groups, a breakdown per
 * county (or per unit below the one asked for) and, above the volume
 * threshold, per week.
 */
export async function hotIssuesReport(
  ctx: ServiceContext,
  query: { from: string; to: string; unitId?: number | undefined; limit?: number },
): Promise<HotIssuesReport> {
  authorizeRead(ctx);
  const period = periodOfQuery(query, 1, ctx.timeZone);
  const scope = await scopeOf(ctx, query.unitId);
  const { hot, counter, days, previous } = await compute(ctx.db, period, ctx.timeZone, scope.unitIds, { now: new Date(ctx.now()), terms: query.limit ?? 20 });
  const before = daysOfPeriod(previous, ctx.timeZone);
  const inScope = (ids: Set<number>) => (scope.unitIds ? [...ids].filter((id) => scope.unitIds!.includes(id)) : [...ids]);

  // For the city: per unit directly under the bureau (the counties, the departments); for a unit: per unit directly below it.
  const names = new Map((await allUnits(ctx.db)).map((u) => [u.id, u.name]));
  const roots = new Set(scope.tree.filter((u) => u.parentId === null).map((u) => u.id));
  const heads = scope.tree.filter((u) => (scope.root === null ? u.parentId !== null && roots.has(u.parentId) : u.parentId === scope.root));
  const units = await Promise.all(
    heads.map(async (head) => {
      const ids = inScope(subtreeOf(scope.tree, head.id));
      const [cases, previousCases, items] = await Promise.all([
        counter.cases(days, ids),
        counter.cases(before, ids),
        counter.items(days, before, ids, BREAKDOWN_TERMS),
      ]);
      return { unitId: head.id, unitName: names.get(head.id) ?? '', total: sum(cases), previousTotal: sum(previousCases), items: items.map(asTermItem) };
    }),
  );

  const threshold = await storedWeeklyAbove(ctx.db);
  const length = Math.round((Date.parse(`${days.toDay}T00:00:00Z`) - Date.parse(`${days.fromDay}T00:00:00Z`)) / 86_400_000);
  const weekly = hot.total > threshold && length > 7 && length <= 31;
  const weeks = weekly
    ? await Promise.all(
        weeksOf(days.fromDay, days.toDay).map(async (week) => {
          const prior = daysBefore(week);
          const [cases, previousCases, items] = await Promise.all([
            counter.cases(week, scope.unitIds),
            counter.cases(prior, scope.unitIds),
            counter.items(week, prior, scope.unitIds, WEEK_TERMS),
          ]);
          return { from: week.fromDay, to: week.toDay, total: sum(cases), previousTotal: sum(previousCases), items: items.map(asTermItem) };
        }),
      )
    : [];

  return {
    from: hot.from,
    to: hot.to,
    previousFrom: hot.previousFrom,
    previousTo: previous.to,
    unitId: query.unitId ?? null,
    total: hot.total,
    previousTotal: hot.previousTotal,
    items: hot.terms.map(asTermItem),
    groups: hot.groups,
    sampled: hot.sampled,
    units: units.sort((a, b) => b.total - a.total || a.unitName.localeCompare(b.unitName, 'zh-CN')),
    weeklyAbove: threshold,
    weeks,
  };
}

/**
 * GET /api/reports/hot-issues/demands: the cases of the period whose content
 * has the term (as jieba cuts it: the cases the term's count counts), newest
 * first, a page at a time.
 */
export async function hotIssueDemands(
  ctx: ServiceContext,
  query: { term: string; from: string; to: string; unitId?: number | undefined; page?: number },
): Promise<HotIssueDemands> {
  authorizeRead(ctx);
  const period = periodOfQuery(query, 1, ctx.timeZone);
  const scope = await scopeOf(ctx, query.unitId);
  const term = query.term.toLowerCase();
  // The rollups count whole local days: so does the drill-down.
  const matching = (await repo.casesContaining(ctx.db, instantsOf(daysOfPeriod(period, ctx.timeZone), ctx.timeZone), scope.unitIds, term)).filter((row) =>
    contentTerms(row.content).includes(term),
  );
  const page = query.page ?? 1;
  const rows = matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const names = new Map((await allUnits(ctx.db)).map((u) => [u.id, u.name]));
  return {
    term,
    total: matching.length,
    page,
    pageSize: PAGE_SIZE,
    items: rows.map((r) => ({
      id: r.id,
      number: r.number,
      createdAt: r.created_at,
      unitId: r.unit_id,
      unitName: names.get(r.unit_id) ?? '',
      status: r.status,
      closed: r.closed_at !== null,
      excerpt: excerptOf(r.content, term),
    })),
  };
}
