import type { Kysely, Transaction } from 'kysely';
import type { OutageOfDemand } from '../../../shared/schemas/demands.js';
import { isOutageCall } from '../../../shared/schemas/outages.js';

export { isOutageCall };
import type { DB } from '../../db/types.js';
import { cancelLiveDeadlines } from '../deadlines/service.js';
import { runClosingSteps } from './closing.js';
import * as repo from './repository.js';

// Calls about a known outage (DESIGN.md, "Outages and communication with
// customers"; the time-limit table's 主单/子单). The outages module owns the
// outages; the demands are this module's. The outages module depends on this
// file (to link, count and close an outage's calls); the intake reaches the
// outages through the port below, which the composition root (src/server/app.ts)
// fills, so that demands never imports outages back.

/** An active outage as the intake needs it to link a call. */
export interface CallOutage {
  id: number;
  number: string;
  cause: string;
  expectedEndAt: string;
  /** The outage's first call, its 主单; null until a call comes. */
  masterDemandId: number | null;
  masterNumber: string | null;
}

export interface OutagePort {
  /** The active outage (started, neither restored nor cancelled) over this customer or place at `at`, the latest started first. */
  covering(
    db: Kysely<DB>,
    place: { customerId: number | null; districtId: number | null; feederId: number | null },
    at: string,
  ): Promise<CallOutage | undefined>;
  /** The outage by id when it is active at `at` (the agent named it). */
  activeById(db: Kysely<DB>, id: number, at: string): Promise<CallOutage | undefined>;
  /** Makes `demandId` the outage's 主单 if it has none yet; answers the 主单's id (this demand's when it became it). */
  claimMaster(trx: Transaction<DB>, outageId: number, demandId: number, at: string): Promise<number>;
  /** The outage a demand is linked to, as its detail shows it. */
  describe(db: Kysely<DB>, outageId: number): Promise<OutageOfDemand | undefined>;
}

let port: OutagePort | undefined;

/** Wired once by the composition root. */
export function useOutages(outages: OutagePort): void {
  port = outages;
}

export function outagePort(): OutagePort | undefined {
  return port;
}

/** What the agent tells a caller of an outage: its cause and when power is expected back. */
export function outageAnswer(outage: { number: string; cause: string; expectedEndAt: string }, expectedLocal: string): string {
  return `停电事件 ${outage.number}：${outage.cause}；预计 ${expectedLocal} 恢复供电。`;
}

/** The fault calls since `since` not linked to an outage, with their place: what a suspected outage is made of. */
export async function unlinkedFaultCalls(db: Kysely<DB>, since: string) {
  return repo.unlinkedFaultCallsSince(db, since);
}

/** How many calls each outage drew, and how many are open. */
export async function outageCallCounts(db: Kysely<DB>, outageIds: readonly number[]): Promise<Map<number, { calls: number; open: number }>> {
  const rows = await repo.outageCallCounts(db, outageIds);
  return new Map(rows.map((r) => [r.outage_id, { calls: Number(r.calls), open: Number(r.open) }]));
}

/** The calls linked to an outage, newest first. */
export async function outageCalls(db: Kysely<DB>, outageId: number, limit: number) {
  return repo.outageCalls(db, outageId, limit);
}

/**
 * A declared outage takes the calls that made it suspected: the first becomes
 * its 主单 (its work order, if any, goes on), the others its 子单, whose
 * dispatch clocks stop (in the caller's transaction).
 */
export async function linkCallsToOutage(
  trx: Transaction<DB>,
  outage: { id: number; number: string; cause: string },
  callIds: readonly number[],
  at: string,
  actorId: number,
): Promise<{ masterId: number | null; linked: number }> {
  const calls = (await repo.demandsByIds(trx, callIds)).filter((c) => c.outage_id === null).sort((a, b) => a.id - b.id);
  if (calls.length === 0) return { masterId: null, linked: 0 };
  const master = calls[0]!;
  for (const call of calls) {
    const parentId = call.id === master.id ? null : master.id;
    await repo.setOutageLink(trx, call.id, { outage_id: outage.id, parent_id: parentId, updated_at: at });
    if (parentId !== null) await cancelLiveDeadlines(trx, call.id, at);
  }
  await repo.addTimeline(
    trx,
    calls.map((call) => ({
      demandId: call.id,
      at,
      actorId,
      kind: 'outage.linked',
      data: {
        outageId: outage.id,
        outageNumber: outage.number,
        cause: outage.cause,
        role: call.id === master.id ? 'master' : 'child',
        masterNumber: master.number,
      },
    })),
  );
  return { masterId: master.id, linked: calls.length };
}

/**
 * Power is back: the outage's open calls (cases whose status is open, with no
 * work order running) are closed together with the answer, in the caller's
 * transaction; a call whose crew is still out is left to its order and only
 * told on its timeline. Answers the closed calls, for their callers to be told.
 */
export async function closeOutageCalls(
  trx: Transaction<DB>,
  outage: { id: number; number: string },
  answer: string,
  at: string,
  actorId: number,
): Promise<{ closed: { id: number; number: string; customerId: number | null; phone: string }[]; leftOpen: number }> {
  const open = await repo.openOutageCalls(trx, outage.id);
  const running = new Set(
    await repo.demandsWithRunningOrders(
      trx,
      open.map((c) => c.id),
    ),
  );
  const closed: { id: number; number: string; customerId: number | null; phone: string }[] = [];
  for (const call of open) {
    if (running.has(call.id) || call.status !== 'open') {
      await repo.addTimeline(trx, [
        { demandId: call.id, at, actorId, kind: 'outage.restored', data: { outageId: outage.id, outageNumber: outage.number, closed: false } },
      ]);
      continue;
    }
    if (!(await repo.updateDemand(trx, call.id, call.version, { answer, answered_at: at, status: 'closed', closed_at: at, updated_at: at }))) continue;
    await cancelLiveDeadlines(trx, call.id, at);
    await repo.addTimeline(trx, [
      { demandId: call.id, at, actorId, kind: 'outage.restored', note: answer, data: { outageId: outage.id, outageNumber: outage.number, closed: true } },
    ]);
    await runClosingSteps(trx, call, at, actorId);
    closed.push({ id: call.id, number: call.number, customerId: call.customer_id, phone: call.phone });
  }
  return { closed, leftOpen: open.length - closed.length };
}
