import type { Kysely } from 'kysely';
import type { DeclareOutageBody, OutageDetail, SuspectedOutages } from '../../../shared/schemas/outages.js';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { conflict } from '../../platform/errors.js';
import { notify } from '../../platform/notify.js';
import { authorize } from '../../platform/policy.js';
import { linkCallsToOutage, unlinkedFaultCalls } from '../demands/outage-calls.js';
import { unitNames } from '../org/directory.js';
import { visibleUnitIds } from '../org/service.js';
import { announce } from './announcing.js';
import * as repo from './repository.js';
import { suspectedGroups, type SuspectedGroup } from './rules.js';
import { outageRules } from './settings.js';

// Suspected outages (DESIGN.md: "several fault calls from one 台区 or feeder
// within minutes are shown to the team lead as a suspected outage before
// anyone has declared one"). They are computed from the fault calls of the
// last window that no outage took (rules.ts suspectedGroups); the scheduler
// tells the team leads of each new one once (a row in outage_suspicions); one
// action declares the fault outage, links the calls and tells the customers.

async function currentGroups(db: Kysely<DB>, now: Date) {
  const rules = await outageRules(db);
  const since = new Date(now.getTime() - rules.suspected.windowMinutes * 60_000).toISOString();
  const calls = await unlinkedFaultCalls(db, since);
  // A call whose place an outage covers will be linked to it; what is left is not covered yet.
  const groups = suspectedGroups(
    calls.map((c) => ({ id: c.id, number: c.number, createdAt: c.created_at, districtId: c.district_id, feederId: c.feeder_id })),
    rules.suspected,
  );
  const settled = await repo.settledSuspicions(
    db,
    groups.map((g) => g.calls[0]!.id),
  );
  const open = groups.filter((g) => !settled.some((s) => s.place === g.place && s.place_id === g.placeId && s.first_call_id === g.calls[0]!.id));
  // A group whose place a live outage covers now is the outage's, not a suspicion (its calls came before it was declared).
  const uncovered: SuspectedGroup[] = [];
  for (const g of open) {
    const live = await repo.liveOutagesOver(db, {
      customerIds: [],
      districtIds: g.place === 'district' ? [g.placeId] : [],
      feederIds: g.place === 'feeder' ? [g.placeId] : (await repo.districtsByIds(db, [g.placeId])).map((d) => d.feeder_id),
    });
    if (!live.some((o) => o.starts_at <= now.toISOString())) uncovered.push(g);
  }
  return { groups: uncovered, calls: new Map(calls.map((c) => [c.id, c])), rules };
}

export async function listSuspected(ctx: ServiceContext): Promise<SuspectedOutages> {
  authorize(ctx.actor, 'outage.read');
  const { groups, calls, rules } = await currentGroups(ctx.db, new Date(ctx.now()));
  const visible = await visibleUnitIds(ctx);
  const items: SuspectedOutages['items'] = [];
  for (const g of groups) {
    const place = await placeOf(ctx.db, g);
    if (!place || !visible.has(place.unitId)) continue;
    items.push({
      ...place,
      place: g.place,
      placeId: g.placeId,
      firstAt: g.firstAt,
      lastAt: g.lastAt,
      customers: await repo.customersBehind(ctx.db, g.place, g.placeId),
      calls: g.calls.map((c) => {
        const call = calls.get(c.id)!;
        return { id: c.id, number: c.number, createdAt: c.createdAt, customerName: call.customer_name, content: call.content };
      }),
    });
  }
  return { items, rules: rules.suspected };
}

async function placeOf(db: Kysely<DB>, g: { place: 'district' | 'feeder'; placeId: number }) {
  if (g.place === 'district') {
    const [d] = await repo.districtsByIds(db, [g.placeId]);
    if (!d) return undefined;
    const [unit] = await unitNames(db, [d.unit_id]);
    return { placeName: d.name, feederName: d.feeder_name, unitId: d.unit_id, unitName: unit?.name ?? '' };
  }
  const [f] = await repo.feedersByIds(db, [g.placeId]);
  if (!f) return undefined;
  const [unit] = await unitNames(db, [f.unit_id]);
  return { placeName: f.name, feederName: null, unitId: f.unit_id, unitName: unit?.name ?? '' };
}

/** The scheduler's part: each new suspected outage is told to the team leads once. */
export async function runSuspectedOutageWatch(db: Kysely<DB>, now: Date): Promise<number> {
  const { groups } = await currentGroups(db, now);
  let told = 0;
  for (const g of groups) {
    const place = await placeOf(db, g);
    if (!place) continue;
    const at = now.toISOString();
    const first = await db.transaction().execute(async (trx) => {
      if (!(await repo.recordSuspicion(trx, { place: g.place, placeId: g.placeId, firstCallId: g.calls[0]!.id, calls: g.calls.length, at }))) return false;
      await notify(trx, at, [
        { role: 'team_lead', kind: 'suspected_outage', demandId: g.calls[0]!.id, title: `疑似停电：${place.placeName}，${g.calls.length} 个故障报修` },
      ]);
      return true;
    });
    if (first) told++;
  }
  return told;
}

/** Declares the fault outage a suspicion points at: its calls become the outage's 主单 and 子单, its customers are told. */
export async function declareSuspected(ctx: ServiceContext, body: DeclareOutageBody): Promise<OutageDetail> {
  authorize(ctx.actor, 'outage.manage');
  const { groups } = await currentGroups(ctx.db, new Date(ctx.now()));
  const group = groups.find((g) => g.place === body.place && g.placeId === body.placeId);
  if (!group)
    throw conflict(
      `no suspected outage at ${body.place} ${body.placeId} now: its calls were linked or dismissed, or too few came; announce the outage instead`,
    );
  return announce(
    ctx,
    {
      kind: 'fault',
      ...(body.place === 'district' ? { districtIds: [body.placeId] } : { feederIds: [body.placeId] }),
      startsAt: group.firstAt,
      expectedEndAt: body.expectedEndAt,
      cause: body.cause,
      ...(body.notice && { notice: body.notice }),
    },
    async (trx, outage) => {
      const linked = await linkCallsToOutage(
        trx,
        { id: outage.id, number: outage.number, cause: body.cause },
        group.calls.map((c) => c.id),
        ctx.now(),
        ctx.actor.userId,
      );
      if (linked.masterId !== null) await repo.claimMaster(trx, outage.id, linked.masterId);
      await repo.settleSuspicion(
        trx,
        { place: group.place, placeId: group.placeId, firstCallId: group.calls[0]!.id, calls: group.calls.length, at: ctx.now() },
        { outage_id: outage.id },
      );
      await repo.addEvent(trx, {
        outageId: outage.id,
        at: ctx.now(),
        actorId: ctx.actor.userId,
        kind: 'declared',
        data: { place: body.place, placeId: body.placeId, calls: linked.linked },
      });
      await recordAudit(trx, ctx, {
        action: 'outage.declared',
        entityType: 'outage',
        entityId: outage.id,
        after: { place: body.place, placeId: body.placeId, calls: group.calls.map((c) => c.number) },
      });
    },
  );
}

/** Not an outage (one house's fault, say): the suspicion is set aside with the reason, and not shown again. */
export async function dismissSuspected(ctx: ServiceContext, body: { place: 'district' | 'feeder'; placeId: number; reason: string }): Promise<{ ok: true }> {
  authorize(ctx.actor, 'outage.manage');
  const { groups } = await currentGroups(ctx.db, new Date(ctx.now()));
  const group = groups.find((g) => g.place === body.place && g.placeId === body.placeId);
  if (!group) throw conflict(`no suspected outage at ${body.place} ${body.placeId} now`);
  await ctx.transact(async (trx) => {
    await repo.settleSuspicion(
      trx,
      { place: group.place, placeId: group.placeId, firstCallId: group.calls[0]!.id, calls: group.calls.length, at: ctx.now() },
      { dismissed_at: ctx.now(), dismissed_by: ctx.actor.userId, dismiss_reason: body.reason },
    );
    await recordAudit(trx, ctx, {
      action: 'outage.suspicion_dismissed',
      entityType: 'outage_suspicion',
      entityId: `${group.place}:${group.placeId}:${group.calls[0]!.id}`,
      after: { reason: body.reason, calls: group.calls.map((c) => c.number) },
    });
  });
  return { ok: true };
}
