import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import * as repo from './repository.js';

// What other modules call of the expert seat.

export { expertsOf } from './repository.js';

/**
 * A demand that closes or is cancelled withdraws the questions still with
 * their experts (those answered wait for the agent's callback). Returns the
 * withdrawn ones, for their experts to be told.
 */
export function withdrawConsultationsOfDemand(db: Kysely<DB>, demandId: number, at: string, actorId: number | null, note: string) {
  return repo.withdrawOpen(db, { demandId }, at, actorId, note);
}
