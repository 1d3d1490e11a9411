import type { Kysely } from 'kysely';
import type { OutageKind, OutageStatus } from '../../../shared/schemas/outages.js';
import type { DB } from '../../db/types.js';
import type { OutagePort } from '../demands/outage-calls.js';
import * as repo from './repository.js';

// What the intake asks of the outages (demands/outage-calls.ts OutagePort),
// given to it by the composition root (src/server/app.ts).

/** The intake's view of an outage: what the agent says, and its 主单. */
const callOutage = async (db: Kysely<DB>, o: repo.OutageRow) => ({
  id: o.id,
  number: o.number,
  cause: o.cause,
  expectedEndAt: o.expected_end_at,
  masterDemandId: o.master_demand_id,
  masterNumber: await repo.masterNumber(db, o.master_demand_id),
});

const isActive = (o: { status: string; starts_at: string }, at: string) => (o.status === 'announced' || o.status === 'in_progress') && o.starts_at <= at;

export const outagePortImpl: OutagePort = {
  async covering(db, place, at) {
    const live = await repo.liveOutagesOver(db, {
      customerIds: place.customerId === null ? [] : [place.customerId],
      districtIds: place.districtId === null ? [] : [place.districtId],
      feederIds: place.feederId === null ? [] : [place.feederId],
    });
    const found = live.find((o) => isActive(o, at));
    return found && callOutage(db, found);
  },
  async activeById(db, id, at) {
    const found = await repo.findOutage(db, id);
    if (!found || !isActive(found, at)) return undefined;
    return callOutage(db, found);
  },
  async claimMaster(trx, outageId, demandId) {
    return repo.claimMaster(trx, outageId, demandId);
  },
  async describe(db, outageId) {
    const o = await repo.findOutage(db, outageId);
    if (!o) return undefined;
    return {
      id: o.id,
      number: o.number,
      kind: o.kind as OutageKind,
      status: o.status as OutageStatus,
      cause: o.cause,
      startsAt: o.starts_at,
      expectedEndAt: o.expected_end_at,
      restoredAt: o.restored_at,
      cancelledAt: o.cancelled_at,
      masterNumber: await repo.masterNumber(db, o.master_demand_id),
    };
  },
};
