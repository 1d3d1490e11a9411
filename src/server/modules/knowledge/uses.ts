import type { ServiceContext } from '../../platform/context.js';
import { can } from '../../platform/policy.js';
import { visibleUnitIds } from '../org/service.js';
import { getArticle } from './reading.js';
import * as repo from './repository.js';

// The demands an article was used on: an agent links the articles that answered
// a demand (demands/actions.ts, through repository.ts linkArticles, which also
// counts the use); the article's page lists those demands the caller may see.

/** The demands an article was used on, those the caller may see. */
export async function articleUses(ctx: ServiceContext, id: number): Promise<{ id: number; number: string; linkedAt: string }[]> {
  await getArticle(ctx, id);
  const visible = can(ctx.actor, 'demand.read') ? await visibleUnitIds(ctx) : new Set<number>();
  return (await repo.usesOf(ctx.db, id, 200)).filter((u) => visible.has(u.unit_id)).map((u) => ({ id: u.id, number: u.number, linkedAt: u.linked_at }));
}
