import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Expert, ExpertProfileBody, PoolWarnings } from '../../../shared/schemas/experts.js';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import { allUnits, unitTree } from '../org/directory.js';
import { subtreeOf } from '../org/rules.js';
import { visibleUnitIds } from '../org/service.js';
import * as poolRepo from './pool-repository.js';
import { coversTopic, onDuty, poolOrder, type ConsultationStep, type PoolExpert } from './rules.js';

// The expert pool (专家库): who answers for which unit and topic, when, and
// whether they can now. Every department and county bureau names at least two.

export const MINIMUM_EXPERTS = 2;

export function toPoolExpert(r: poolRepo.ExpertRow): PoolExpert {
  return {
    id: r.id,
    unitId: r.unit_id,
    available: (r.available ?? 1) === 1,
    dutyFrom: r.duty_from ?? '00:00',
    dutyTo: r.duty_to ?? '24:00',
    leader: (r.leader ?? 0) === 1,
    topics: r.topics,
    openCount: r.open_count,
  };
}

export function presentExpert(r: poolRepo.ExpertRow, now: Date, zone: string): Expert {
  const p = toPoolExpert(r);
  return {
    id: r.id,
    username: r.username,
    name: r.name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    phone: r.phone ?? r.user_phone,
    topics: r.topics,
    dutyFrom: p.dutyFrom,
    dutyTo: p.dutyTo,
    available: p.available,
    unavailableReason: r.unavailable_reason,
    leader: p.leader,
    onDuty: onDuty(p, now, zone),
    openConsultations: r.open_count,
  };
}

/** The experts who answer for `unitId`: its own and those of the units below it (a department's 所). */
export async function poolOfUnit(db: Kysely<DB>, unitId: number): Promise<poolRepo.ExpertRow[]> {
  const tree = await unitTree(db);
  return poolRepo.expertsOf(db, [...subtreeOf(tree, unitId)]);
}

/** GET /api/experts: available first (in the order they would be asked), then the others. */
export async function listExperts(ctx: ServiceContext, query: { unitId?: number | undefined; topic?: string | undefined }): Promise<Expert[]> {
  authorize(ctx.actor, 'org.read');
  const now = new Date(ctx.now());
  const visible = await visibleUnitIds(ctx);
  let rows: poolRepo.ExpertRow[];
  if (query.unitId !== undefined) {
    if (!visible.has(query.unitId)) return [];
    rows = (await poolOfUnit(ctx.db, query.unitId)).filter((r) => visible.has(r.unit_id));
  } else rows = await poolRepo.expertsOf(ctx.db, [...visible]);
  if (query.topic) rows = rows.filter((r) => coversTopic({ topics: r.topics }, query.topic));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const asked = poolOrder(rows.map(toPoolExpert), query.topic, now, new Set(), ctx.timeZone).map((p) => byId.get(p.id)!);
  const askedIds = new Set(asked.map((r) => r.id));
  const others = rows.filter((r) => !askedIds.has(r.id));
  return [...asked, ...others].map((r) => presentExpert(r, now, ctx.timeZone));
}

/** Changes an expert's profile: an admin or team lead anyone's, an expert their own (not whether they lead). */
export async function updateExpert(ctx: ServiceContext, userId: number, body: ExpertProfileBody): Promise<Expert> {
  const own = userId === ctx.actor.userId;
  if (!can(ctx.actor, 'expert.manage')) {
    authorize(ctx.actor, 'expert.profile');
    if (!own) throw new AppError('forbidden', 'an expert changes their own profile only');
    if (body.leader !== undefined) throw new AppError('forbidden', "the unit's leader is set by an admin or the team lead");
  }
  const visible = await visibleUnitIds(ctx);
  const before = (await poolRepo.expertsOf(ctx.db)).find((r) => r.id === userId);
  if (!before || (!own && !visible.has(before.unit_id))) throw notFound('expert');
  const changes: poolRepo.ProfileChanges = {};
  if (body.phone !== undefined) changes.phone = body.phone;
  if (body.dutyFrom !== undefined) changes.duty_from = body.dutyFrom;
  if (body.dutyTo !== undefined) changes.duty_to = body.dutyTo;
  if (body.available !== undefined) {
    changes.available = body.available ? 1 : 0;
    // Back at work: the reason goes with the absence.
    if (body.available && body.unavailableReason === undefined) changes.unavailable_reason = null;
  }
  if (body.unavailableReason !== undefined) changes.unavailable_reason = body.unavailableReason || null;
  if (body.leader !== undefined) changes.leader = body.leader ? 1 : 0;
  const at = ctx.now();
  await ctx.transact(async (trx) => {
    await poolRepo.saveProfile(trx, userId, changes, body.topics, at);
    await recordAudit(trx, ctx, {
      action: 'expert.profile_changed',
      entityType: 'user',
      entityId: userId,
      unitId: before.unit_id,
      before: {
        available: (before.available ?? 1) === 1,
        topics: before.topics,
        dutyFrom: before.duty_from ?? '00:00',
        dutyTo: before.duty_to ?? '24:00',
        leader: (before.leader ?? 0) === 1,
      },
      after: body,
    });
  });
  const after = (await poolRepo.expertsOf(ctx.db, [before.unit_id])).find((r) => r.id === userId)!;
  return presentExpert(after, new Date(at), ctx.timeZone);
}

/** The departments and county bureaus with fewer than two experts available now (admin page). */
export async function poolWarnings(ctx: ServiceContext): Promise<z.infer<typeof PoolWarnings>> {
  authorize(ctx.actor, 'org.read');
  const now = new Date(ctx.now());
  const units = await allUnits(ctx.db);
  const tree = units.map((u) => ({ id: u.id, parentId: u.parent_id, kind: u.kind }));
  const visible = await visibleUnitIds(ctx);
  const experts = (await poolRepo.expertsOf(ctx.db)).map((r) => ({ row: r, pool: toPoolExpert(r) }));
  const items = [];
  for (const unit of units) {
    if ((unit.kind !== 'department' && unit.kind !== 'county') || unit.active !== 1 || !visible.has(unit.id)) continue;
    const subtree = subtreeOf(tree, unit.id);
    const theirs = experts.filter((e) => subtree.has(e.row.unit_id));
    const available = theirs.filter((e) => e.pool.available && onDuty(e.pool, now, ctx.timeZone)).length;
    if (available < MINIMUM_EXPERTS) items.push({ unitId: unit.id, unitName: unit.name, kind: unit.kind, experts: theirs.length, available });
  }
  return { items, minimum: MINIMUM_EXPERTS };
}

// ── limits ─────────────────────────────────────────────────────────────────

export async function listLimits(ctx: ServiceContext) {
  authorize(ctx.actor, 'org.read');
  const { limits, changed } = await poolRepo.loadLimits(ctx.db);
  return (Object.keys(limits) as ConsultationStep[]).map((step) => ({ step, minutes: limits[step], isDefault: !changed.has(step) }));
}

export async function setLimit(ctx: ServiceContext, step: ConsultationStep, minutes: number) {
  authorize(ctx.actor, 'settings.manage');
  const { limits } = await poolRepo.loadLimits(ctx.db);
  await ctx.transact(async (trx) => {
    await poolRepo.saveLimit(trx, step, minutes, ctx.now());
    await recordAudit(trx, ctx, {
      action: 'consultation.limit_set',
      entityType: 'consultation_limit',
      entityId: step,
      before: { minutes: limits[step] },
      after: { minutes },
    });
  });
  return { step, minutes, isDefault: false };
}
