import type { Kysely } from 'kysely';
import { PlanRules } from '../../../shared/schemas/relations.js';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { authorize, can } from '../../platform/policy.js';
import { readSetting, writeSetting } from '../../platform/settings.js';
import { DEFAULT_PLAN_RULES } from './rules.js';

// The dynamic plans' rules are data (settings key `relations.planRules`): which
// recent demands of which customers propose which plan. An admin edits them; a
// stored document that no longer reads falls back to the defaults.

const KEY = 'relations.planRules';

export function planRules(db: Kysely<DB>): Promise<PlanRules> {
  return readSetting(db, KEY, PlanRules, DEFAULT_PLAN_RULES);
}

export async function getPlanRules(ctx: ServiceContext): Promise<PlanRules> {
  if (!can(ctx.actor, 'settings.manage')) authorize(ctx.actor, 'plan.manage');
  return planRules(ctx.db);
}

export async function setPlanRules(ctx: ServiceContext, rules: PlanRules): Promise<PlanRules> {
  authorize(ctx.actor, 'settings.manage');
  const before = await planRules(ctx.db);
  await ctx.transact(async (trx) => {
    await writeSetting(trx, KEY, rules, ctx.now(), ctx.actor.userId);
    await recordAudit(trx, ctx, { action: 'settings.plan_rules', entityType: 'settings', entityId: KEY, before, after: rules });
  });
  return planRules(ctx.db);
}
