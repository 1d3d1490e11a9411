import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { StopWords, WeeklyThreshold } from '../../../shared/schemas/hot-issues.js';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { authorize, can } from '../../platform/policy.js';
import { readSetting, writeSetting } from '../../platform/settings.js';
import { DEFAULT_STOP_WORDS, normaliseStopWords } from './rules.js';

// The hot issues' settings: the stop words (`hotIssues.stopWords`, edited by
// an analyst with report.manage; applied when the terms are read, so an edit
// needs no rebuild) and the month's volume above which the answer breaks the
// month into weeks (`hotIssues.weeklyAbove`, cases of the counted types;
// edited the same way).

const STOP_WORDS = 'hotIssues.stopWords';
const WEEKLY_ABOVE = 'hotIssues.weeklyAbove';
export const DEFAULT_WEEKLY_ABOVE = 3000;

const StoredStopWords = z.array(z.string());

export async function stopWords(db: Kysely<DB>): Promise<string[]> {
  return normaliseStopWords(await readSetting(db, STOP_WORDS, StoredStopWords, [...DEFAULT_STOP_WORDS]));
}

export function weeklyAbove(db: Kysely<DB>): Promise<number> {
  return readSetting(db, WEEKLY_ABOVE, z.number().int().nonnegative(), DEFAULT_WEEKLY_ABOVE);
}

async function present(ctx: ServiceContext): Promise<StopWords> {
  const row = await ctx.db.selectFrom('settings').select('updated_at').where('key', '=', STOP_WORDS).executeTakeFirst();
  return { words: await stopWords(ctx.db), defaults: row === undefined, updatedAt: row?.updated_at ?? null };
}

/** GET /api/hot-issues/stop-words: whoever reads the hot issues may see what they leave out. */
export async function getStopWords(ctx: ServiceContext): Promise<StopWords> {
  if (!can(ctx.actor, 'evaluation.read')) authorize(ctx.actor, 'report.read');
  return present(ctx);
}

/** PUT /api/hot-issues/stop-words: the whole list, replaced (report.manage; audited). */
export async function setStopWords(ctx: ServiceContext, body: { words: readonly string[] }): Promise<StopWords> {
  authorize(ctx.actor, 'report.manage');
  const before = await stopWords(ctx.db);
  const after = normaliseStopWords(body.words);
  await ctx.transact(async (trx) => {
    await writeSetting(trx, STOP_WORDS, after, ctx.now(), ctx.actor.userId);
    await recordAudit(trx, ctx, {
      action: 'settings.hot_issue_stop_words',
      entityType: 'settings',
      entityId: STOP_WORDS,
      before: { words: before },
      after: { words: after, added: after.filter((w) => !before.includes(w)), removed: before.filter((w) => !after.includes(w)) },
    });
  });
  return present(ctx);
}

async function presentThreshold(ctx: ServiceContext): Promise<WeeklyThreshold> {
  const row = await ctx.db.selectFrom('settings').select('updated_at').where('key', '=', WEEKLY_ABOVE).executeTakeFirst();
  return { cases: await weeklyAbove(ctx.db), defaults: row === undefined, updatedAt: row?.updated_at ?? null };
}

/** GET /api/hot-issues/weekly-above: the volume above which a period is also read week by week. */
export async function getWeeklyAbove(ctx: ServiceContext): Promise<WeeklyThreshold> {
  if (!can(ctx.actor, 'evaluation.read')) authorize(ctx.actor, 'report.read');
  return presentThreshold(ctx);
}

/** PUT /api/hot-issues/weekly-above (report.manage; audited). */
export async function setWeeklyAbove(ctx: ServiceContext, body: { cases: number }): Promise<WeeklyThreshold> {
  authorize(ctx.actor, 'report.manage');
  const before = await weeklyAbove(ctx.db);
  await ctx.transact(async (trx) => {
    await writeSetting(trx, WEEKLY_ABOVE, body.cases, ctx.now(), ctx.actor.userId);
    await recordAudit(trx, ctx, {
      action: 'settings.hot_issue_weekly_above',
      entityType: 'settings',
      entityId: WEEKLY_ABOVE,
      before: { cases: before },
      after: { cases: body.cases },
    });
  });
  return presentThreshold(ctx);
}
