import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.js';

// What other modules do, in the same transaction, when a demand closes: the
// expert seat withdraws the questions still with their experts (an expert's
// answer closes a demand through demands/actions.ts, so demands may not import
// the expert seat back). The steps are wired once by the composition root
// (src/server/app.ts); a step runs on every close, after the demand's own rows.

export interface ClosingDemand {
  id: number;
  number: string;
}

export type ClosingStep = (trx: Transaction<DB>, demand: ClosingDemand, at: string, actorId: number) => Promise<void>;

const steps: ClosingStep[] = [];

/** Adds a step to every demand's closing (once, however often it is given). */
export function whenDemandCloses(step: ClosingStep): void {
  if (!steps.includes(step)) steps.push(step);
}

/** Runs the other modules' steps of this demand's closing. */
export async function runClosingSteps(trx: Transaction<DB>, demand: ClosingDemand, at: string, actorId: number): Promise<void> {
  for (const step of steps) await step(trx, demand, at, actorId);
}
