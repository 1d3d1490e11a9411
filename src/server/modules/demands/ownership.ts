import type { DemandDetail, HandOverBody } from '../../../shared/schemas/demands.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, invalid } from '../../platform/errors.js';
import { notify } from '../../platform/notify.js';
import { authorize } from '../../platform/policy.js';
import { visibleUnitIds } from '../org/service.js';
import { changeDemand, stale } from './actions.js';
import * as repo from './repository.js';

// 首问负责制 (seed 001): the agent who registers a demand owns it until it is
// closed, or hands it over by name with the reason. A team lead may hand over
// any demand of the centre (an agent off shift). The new owner is told live,
// and the hand-over is on the demand's timeline and the audit trail.

/** The roles that own demands: they take the calls. */
const OWNER_ROLES: readonly string[] = ['agent', 'team_lead'];

export async function handOver(ctx: ServiceContext, id: number, body: HandOverBody, expectedVersion?: number): Promise<DemandDetail> {
  authorize(ctx.actor, 'demand.hand_over');
  // The new owner is read before the change's transaction (on SQLite a read through ctx.db inside it would wait for it).
  const to = await repo.findOwnerCandidate(ctx.db, body.toUserId);
  if (!to || to.active !== 1 || !to.roles.some((role) => OWNER_ROLES.includes(role)) || !(await visibleUnitIds(ctx)).has(to.unit_id))
    throw invalid('toUserId', `no active agent or team lead with id ${body.toUserId}`);
  return changeDemand(
    ctx,
    id,
    { action: 'demand.hand_over', expectedVersion, from: ['open', 'dispatched', 'awaiting_callback'], refused: 'a closed demand is not handed over' },
    async (trx, demand) => {
      const lead = ctx.actor.roles.includes('team_lead');
      if (demand.owner_id !== ctx.actor.userId && !lead)
        throw new AppError('forbidden', `only the demand's owner (${demand.owner_name ?? 'nobody'}) or a team lead hands it over`);
      if (demand.owner_id === to.id) throw invalid('toUserId', `${to.name} already owns the demand`);
      const at = ctx.now();
      if (!(await repo.updateDemand(trx, demand.id, demand.version, { owner_id: to.id, updated_at: at }))) throw stale();
      const facts = { fromUserId: demand.owner_id, fromName: demand.owner_name, toUserId: to.id, toName: to.name };
      await repo.addTimeline(trx, [{ demandId: id, at, actorId: ctx.actor.userId, kind: repo.HANDED_OVER, note: body.reason, data: facts }]);
      await notify(trx, at, [
        { userId: to.id, kind: 'handed_over', demandId: id, title: `首问负责移交 ${demand.number}：${demand.owner_name ?? ctx.actor.name} → ${to.name}` },
      ]);
      await recordAudit(trx, ctx, {
        action: 'demand.handed_over',
        entityType: 'demand',
        entityId: id,
        unitId: demand.unit_id,
        before: { ownerId: demand.owner_id },
        after: { ownerId: to.id, reason: body.reason },
      });
    },
  );
}
