import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { HotIssuesReport as Report } from '../../../shared/schemas/meetings.js';
import type { DB } from '../../db/types.js';
import type { ServiceContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { authorize, isCityWide } from '../../platform/policy.js';
import { queryWords } from '../../platform/text.js';
import { periodOfQuery } from '../evaluation/service.js';
import { unitTree } from '../org/directory.js';
import { subtreeOf } from '../org/rules.js';
import { visibleUnitIds } from '../org/service.js';
import * as repo from './repository.js';
import { hotIssues, previousPeriod, type HotDemand, type HotIssues } from './rules.js';

type HotIssuesReport = z.infer<typeof Report>;

// Hot issues of a period against the period before it (previousPeriod).
// Used by the consultation meeting's pack and the hot-issues report alike.

async function hotDemands(db: Kysely<DB>, period: { from: string; to: string }, unitIds?: number[]): Promise<HotDemand[]> {
  return (await repo.demandsOfPeriod(db, period, unitIds)).map((r) => ({
    id: r.id,
    caseId: r.case_id ?? r.id,
    number: r.number,
    category: r.category,
    subcategory: r.subcategory,
    words: queryWords(r.content),
    closed: r.closed_at !== null,
  }));
}

export async function hotIssuesOf(
  db: Kysely<DB>,
  period: { from: string; to: string },
  timeZone: string,
  unitIds?: number[],
): Promise<HotIssues & { from: string; to: string; previousFrom: string }> {
  const previous = previousPeriod(period, timeZone);
  const [current, before] = await Promise.all([hotDemands(db, period, unitIds), hotDemands(db, previous, unitIds)]);
  return { ...hotIssues(current, before), from: period.from, to: period.to, previousFrom: previous.from };
}

/** GET /api/reports/hot-issues: the words, for the city or a unit's area (a unit's handlers: their units only). */
export async function hotIssuesReport(ctx: ServiceContext, query: { from: string; to: string; unitId?: number | undefined }): Promise<HotIssuesReport> {
  authorize(ctx.actor, 'evaluation.read');
  const period = periodOfQuery(query, 1, ctx.timeZone);
  const visible = await visibleUnitIds(ctx);
  let unitIds = isCityWide(ctx.actor.roles) ? undefined : [...visible];
  if (query.unitId !== undefined) {
    if (!visible.has(query.unitId)) throw notFound('unit');
    unitIds = [...subtreeOf(await unitTree(ctx.db), query.unitId)];
  }
  const issues = await hotIssuesOf(ctx.db, period, ctx.timeZone, unitIds);
  return { from: issues.from, to: issues.to, items: issues.terms.map(({ key, ...rest }) => ({ term: key, ...rest })) };
}
