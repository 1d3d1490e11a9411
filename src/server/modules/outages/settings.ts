import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { authorize } from '../../platform/policy.js';
import { readSetting, writeSetting } from '../../platform/settings.js';
import { DEFAULT_OUTAGE_RULES, OutageRules } from './rules.js';

// The outages' rules are data (settings key `outages.rules`): the notice leads
// by kind, the suspected-outage thresholds and the notice templates. An admin
// edits them; a stored document that no longer reads falls back to the defaults.

const KEY = 'outages.rules';

export function outageRules(db: Kysely<DB>): Promise<OutageRules> {
  return readSetting(db, KEY, OutageRules, DEFAULT_OUTAGE_RULES);
}

export async function getOutageRules(ctx: ServiceContext): Promise<OutageRules> {
  authorize(ctx.actor, 'outage.read');
  return outageRules(ctx.db);
}

export async function setOutageRules(ctx: ServiceContext, rules: OutageRules): Promise<OutageRules> {
  authorize(ctx.actor, 'settings.manage');
  const before = await outageRules(ctx.db);
  await ctx.transact(async (trx) => {
    await writeSetting(trx, KEY, rules, ctx.now(), ctx.actor.userId);
    await recordAudit(trx, ctx, { action: 'settings.outage_rules', entityType: 'settings', entityId: KEY, before, after: rules });
  });
  return outageRules(ctx.db);
}
