import type { Kysely } from 'kysely';
import { ApplicationStageRules } from '../../../shared/schemas/applications.js';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { readSetting, writeSetting } from '../../platform/settings.js';
import * as repo from './repository.js';
import { DEFAULT_STAGE_RULES } from './rules.js';

// The green channel's stages are data (settings key `applications.stages`):
// per track, the ordered stages, each with its owner and its limit in working
// days. An application copies its track's stages when it is made, so an edit
// changes the applications made after it only.

const KEY = 'applications.stages';

export function stageRules(db: Kysely<DB>): Promise<ApplicationStageRules> {
  return readSetting(db, KEY, ApplicationStageRules, DEFAULT_STAGE_RULES);
}

export async function getStageRules(ctx: ServiceContext): Promise<ApplicationStageRules> {
  authorize(ctx.actor, 'application.read');
  return stageRules(ctx.db);
}

export async function setStageRules(ctx: ServiceContext, rules: ApplicationStageRules): Promise<ApplicationStageRules> {
  authorize(ctx.actor, 'settings.manage');
  // Every named owner is a unit that exists.
  const codes = [...new Set(Object.values(rules.tracks).flatMap((stages) => stages.map((s) => s.owner).filter((o) => !o.startsWith('@'))))];
  const known = await repo.unitIdsByCode(ctx.db, codes);
  for (const [track, stages] of Object.entries(rules.tracks))
    stages.forEach((s, i) => {
      if (!s.owner.startsWith('@') && !known.has(s.owner)) throw invalid(`tracks.${track}.${i}.owner`, `no unit with code ${s.owner}`);
    });
  const before = await stageRules(ctx.db);
  await ctx.transact(async (trx) => {
    await writeSetting(trx, KEY, rules, ctx.now(), ctx.actor.userId);
    await recordAudit(trx, ctx, { action: 'settings.application_stages', entityType: 'settings', entityId: KEY, before, after: rules });
  });
  return stageRules(ctx.db);
}
