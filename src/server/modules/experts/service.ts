import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { notify } from '../../platform/notify.js';
import type { ClosingDemand } from '../demands/closing.js';
import * as repo from './repository.js';

// What other modules call of the expert seat.

export { expertsOf } from './pool-repository.js';

/**
 * A demand's closing step (demands/closing.ts, wired by src/server/app.ts):
 * the questions still with their experts are withdrawn, and each expert is
 * told; no expert is chased for a closed case. Those answered wait for the
 * agent's callback.
 */
export async function withdrawQuestionsOfClosedDemand(trx: Transaction<DB>, demand: ClosingDemand, at: string, actorId: number): Promise<void> {
  const withdrawn = await repo.withdrawOpen(trx, { demandId: demand.id }, at, actorId, '诉求已办结');
  await notify(
    trx,
    at,
    withdrawn.map((c) => ({
      userId: c.expert_id,
      kind: 'consultation_withdrawn',
      demandId: demand.id,
      consultationId: c.id,
      title: `诉求已办结，专家咨询撤回 ${demand.number}`,
    })),
  );
}
