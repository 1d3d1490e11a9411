import type { Transaction } from 'kysely';
import {
  APPLICATION_STAGES,
  type ApplicationDetail,
  type ApplicationKind,
  type ApplicationList,
  type ApplicationStage,
  type ApplicationStatus,
  type ApplicationSummary,
  type ApplicationSupply,
  type ApplicationTrack,
  type CancelApplicationBody,
  type CompleteStageBody,
  type CreateApplicationBody,
  type ExportApplicationsQuery,
  type ListApplicationsQuery,
} from '../../../shared/schemas/applications.js';
import { localDate } from '../../../shared/time.js';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { notify } from '../../platform/notify.js';
import { authorize } from '../../platform/policy.js';
import { deadlineRules } from '../deadlines/service.js';
import { seesEveryUnit, visibleUnitIds } from '../org/service.js';
import * as repo from './repository.js';
import { applicationNumber, ownerUnitOf, stageOrder, stageTimes, STAGE_WORDS, trackFor } from './rules.js';
import { stageRules } from './settings.js';

// A green-channel application (绿色通道, 业扩): made with its track's stages
// (their owners resolved to units, their limits copied), the first under way
// at once; each stage completed in order by the account manager or a handler
// of the stage's owner unit, the next started and its owner told; cancelled
// with a reason. Everything on the application's events and the audit trail.

type Row = NonNullable<Awaited<ReturnType<typeof repo.findApplication>>>;

export function presentSummary(row: Row, now: string): ApplicationSummary {
  return {
    id: row.id,
    number: row.number,
    customerId: row.customer_id,
    customerName: row.customer_name,
    accountNo: row.account_no,
    kind: row.kind as ApplicationKind,
    capacityKva: Number(row.capacity_kva),
    voltage: row.voltage,
    supply: row.supply as ApplicationSupply,
    track: row.track as ApplicationTrack,
    status: row.status as ApplicationStatus,
    stage: (row.stage as ApplicationStage | null) ?? null,
    stageOwnerUnitName: row.stage_owner_unit_name ?? null,
    stageDueAt: row.stage_due_at,
    late: row.status === 'open' && row.stage_due_at !== null && row.stage_due_at < now,
    accountManagerId: row.account_manager_id,
    accountManagerName: row.account_manager_name ?? null,
    createdAt: row.created_at,
  };
}

/** The application if the caller's units include its customer's station or the owner of one of its stages; 404 otherwise. */
async function visibleApplication(ctx: ServiceContext, id: number): Promise<Row> {
  const row = await repo.findApplication(ctx.db, id);
  if (!row) throw notFound('application');
  if (await seesEveryUnit(ctx)) return row;
  const visible = await visibleUnitIds(ctx);
  if (visible.has(row.unit_id)) return row;
  if ((await repo.stageOwners(ctx.db, id)).some((u) => visible.has(u))) return row;
  throw notFound('application');
}

export async function getApplication(ctx: ServiceContext, id: number): Promise<ApplicationDetail> {
  authorize(ctx.actor, 'application.read');
  const row = await visibleApplication(ctx, id);
  const now = ctx.now();
  const [stages, events] = await Promise.all([repo.stagesOf(ctx.db, id), repo.eventsOf(ctx.db, id)]);
  return {
    ...presentSummary(row, now),
    unitId: row.unit_id,
    unitName: row.unit_name,
    note: row.note,
    version: row.version,
    createdByName: row.created_by_name ?? null,
    completedAt: row.completed_at,
    cancelledAt: row.cancelled_at,
    cancelReason: row.cancel_reason,
    totalLimitWd: stages.reduce((n, s) => n + s.limit_wd, 0),
    stages: stages.map((s) => ({
      seq: s.seq,
      stage: s.stage as ApplicationStage,
      ownerUnitId: s.owner_unit_id,
      ownerUnitName: s.owner_unit_name,
      limitWd: s.limit_wd,
      startedAt: s.started_at,
      dueAt: s.due_at,
      remindAt: s.remind_at,
      completedAt: s.completed_at,
      completedByName: s.completed_by_name ?? null,
      note: s.note,
      late: s.due_at !== null && (s.completed_at === null ? row.status === 'open' && s.due_at < now : s.completed_at > s.due_at && s.completed_by !== null),
      escalationLevel: s.escalation_level,
      remindedAt: s.reminded_at,
      escalatedAt: s.escalated_at,
    })),
    events: events.map((e) => ({
      id: e.id,
      at: e.at,
      kind: e.kind,
      stage: (e.stage as ApplicationStage | null) ?? null,
      note: e.note,
      actorName: e.actor_name ?? null,
    })),
  };
}

async function filterOf(ctx: ServiceContext, query: ExportApplicationsQuery): Promise<repo.ApplicationFilter> {
  const visible = (await seesEveryUnit(ctx)) ? undefined : [...(await visibleUnitIds(ctx))];
  return {
    status: query.status,
    late: query.late === undefined ? undefined : query.late === 'true',
    stage: query.stage,
    customerId: query.customerId,
    accountManagerId: query.accountManagerId,
    ownerUnitId: query.unitId,
    visible,
  };
}

export async function listApplications(ctx: ServiceContext, query: ListApplicationsQuery): Promise<ApplicationList> {
  authorize(ctx.actor, 'application.read');
  const now = ctx.now();
  const { items, total, byStage } = await repo.listApplications(ctx.db, await filterOf(ctx, query), now, {
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  const counted = new Map(byStage.map((r) => [r.stage, r]));
  return {
    items: items.map((r) => presentSummary(r, now)),
    total,
    byStage: APPLICATION_STAGES.map((stage) => ({ stage, open: counted.get(stage)?.open ?? 0, late: counted.get(stage)?.late ?? 0 })),
  };
}

/** The rows of the export: the list's filters, every page (up to 10,000). */
export async function exportRows(ctx: ServiceContext, query: ExportApplicationsQuery): Promise<ApplicationSummary[]> {
  authorize(ctx.actor, 'application.read');
  const now = ctx.now();
  const rows = await repo.exportApplications(ctx.db, await filterOf(ctx, query), now, 10_000);
  return rows.map((r) => presentSummary(r, now));
}

const stageWords = (stage: string) => STAGE_WORDS[stage as ApplicationStage] ?? stage;

export async function createApplication(ctx: ServiceContext, body: CreateApplicationBody): Promise<ApplicationDetail> {
  authorize(ctx.actor, 'application.manage');
  const customer = await repo.customerForApplication(ctx.db, body.customerId);
  // Bounded by unit: a handler makes applications for the customers of their own units only (an account manager sees every unit).
  if (!customer || !(await visibleUnitIds(ctx)).has(customer.unit_id)) throw invalid('customerId', `no customer with id ${body.customerId}`);
  const track = trackFor({ voltage: body.voltage, supply: body.supply, customerClass: customer.customer_class });
  if (typeof track === 'object') throw invalid('supply', track.refused);

  const rules = await stageRules(ctx.db);
  const stages = [...rules.tracks[track]];
  const codes = await repo.unitIdsByCode(
    ctx.db,
    stages.map((s) => s.owner).filter((o) => !o.startsWith('@')),
  );
  const place = {
    stationId: customer.unit_id,
    countyId: customer.unit_kind === 'station' && customer.unit_parent_id !== null ? customer.unit_parent_id : customer.unit_id,
  };
  const owners = stages.map((s) => {
    const unit = ownerUnitOf(s.owner, place, codes);
    if (unit === undefined)
      throw conflict(`the ${s.stage} stage of the ${track} track is owned by ${s.owner}, which is no unit: correct the application stages`);
    return unit;
  });
  const accountManagerId = customer.account_manager_id ?? (ctx.actor.roles.includes('account_manager') ? ctx.actor.userId : null);
  const now = ctx.now();
  const { calendar } = await deadlineRules(ctx.db, ctx.timeZone);
  const first = stageTimes(new Date(now), stages[0]!.limitWd, calendar);

  const id = await ctx.transact(async (trx) => {
    const day = localDate(now, ctx.timeZone);
    const number = applicationNumber(day, await repo.nextSequence(trx, day));
    const id = await repo.insertApplication(trx, {
      number,
      customer_id: customer.id,
      kind: body.kind,
      capacity_kva: body.capacityKva,
      voltage: body.voltage,
      supply: body.supply,
      track,
      status: 'open',
      stage: stages[0]!.stage,
      stage_due_at: first.dueAt,
      unit_id: customer.unit_id,
      account_manager_id: accountManagerId,
      note: body.note ?? null,
      created_by: ctx.actor.userId,
      created_at: now,
      updated_at: now,
      completed_at: null,
      cancelled_at: null,
      cancel_reason: null,
    });
    await repo.insertStages(
      trx,
      stages.map((s, i) => ({
        application_id: id,
        seq: i + 1,
        stage: s.stage,
        owner_unit_id: owners[i]!,
        limit_wd: s.limitWd,
        started_at: i === 0 ? now : null,
        due_at: i === 0 ? first.dueAt : null,
        remind_at: i === 0 ? first.remindAt : null,
        completed_at: null,
        completed_by: null,
        note: null,
        reminded_at: null,
        escalated_at: null,
      })),
    );
    await repo.addEvent(trx, { applicationId: id, at: now, actorId: ctx.actor.userId, kind: 'created', note: body.note ?? null });
    await repo.addEvent(trx, { applicationId: id, at: now, actorId: null, kind: 'stage_started', stage: stages[0]!.stage });
    const title = `业扩 ${number} ${customer.name}：${stageWords(stages[0]!.stage)}待办（${stages[0]!.limitWd}个工作日）`;
    await notify(trx, now, [
      { role: 'handler', unitId: owners[0]!, kind: 'application_stage', title },
      ...(accountManagerId !== null && accountManagerId !== ctx.actor.userId ? [{ userId: accountManagerId, kind: 'application_stage', title }] : []),
    ]);
    await recordAudit(trx, ctx, {
      action: 'application.created',
      entityType: 'application',
      entityId: id,
      unitId: customer.unit_id,
      after: {
        number,
        customerId: customer.id,
        kind: body.kind,
        capacityKva: body.capacityKva,
        voltage: body.voltage,
        supply: body.supply,
        track,
        accountManagerId,
      },
    });
    return id;
  });
  return getApplication(ctx, id);
}

const moved = () => conflict('the application was changed by someone else meanwhile; reload it and try again');

/** Runs `work` on the open application at the version the caller read (If-Match), or the one read now. */
async function change(
  ctx: ServiceContext,
  id: number,
  version: number | undefined,
  work: (trx: Transaction<DB>, app: Row, now: string) => Promise<void>,
): Promise<ApplicationDetail> {
  authorize(ctx.actor, 'application.manage');
  await visibleApplication(ctx, id);
  await ctx.transact(async (trx) => {
    const app = (await repo.findApplication(trx, id))!;
    if (version !== undefined && version !== app.version) throw moved();
    if (app.status !== 'open') throw conflict(`the application is ${app.status}`);
    await work(trx, app, ctx.now());
  });
  return getApplication(ctx, id);
}

/** Whether the caller may complete a stage owned by `ownerUnitId`: an account manager, or a handler of that unit or a unit above it. */
async function mayComplete(ctx: ServiceContext, db: Transaction<DB>, ownerUnitId: number): Promise<boolean> {
  if (ctx.actor.roles.includes('account_manager')) return true;
  if (!ctx.actor.roles.includes('handler')) return false;
  if (ctx.actor.unitId === ownerUnitId) return true;
  return (await repo.ancestorsOf(db, ownerUnitId)).includes(ctx.actor.unitId);
}

export async function completeStage(
  ctx: ServiceContext,
  id: number,
  stage: ApplicationStage,
  body: CompleteStageBody,
  version: number | undefined,
): Promise<ApplicationDetail> {
  const { calendar } = await deadlineRules(ctx.db, ctx.timeZone);
  return change(ctx, id, version, async (trx, app, now) => {
    if (app.stage !== stage) throw conflict(`the stage under way is ${app.stage} (${stageWords(app.stage!)}), not ${stage}`);
    const stages = await repo.stagesOf(trx, id);
    const current = stages.find((s) => s.stage === stage)!;
    if (!(await mayComplete(ctx, trx, current.owner_unit_id)))
      throw forbidden(`the ${stage} stage is ${current.owner_unit_name}'s: its handlers or an account manager complete it`);
    if (!(await repo.completeStage(trx, current.id, { at: now, userId: ctx.actor.userId, note: body.note }))) throw moved();
    await repo.addEvent(trx, { applicationId: id, at: now, actorId: ctx.actor.userId, kind: 'stage_completed', stage, note: body.note });
    const next = stages.filter((s) => s.seq > current.seq).sort((a, b) => a.seq - b.seq || stageOrder(a.stage) - stageOrder(b.stage))[0];
    if (next) {
      const times = stageTimes(new Date(now), next.limit_wd, calendar);
      if (!(await repo.updateApplication(trx, id, app.version, { stage: next.stage, stage_due_at: times.dueAt, updated_at: now }))) throw moved();
      await repo.startStage(trx, next.id, { startedAt: now, ...times });
      await repo.addEvent(trx, { applicationId: id, at: now, actorId: null, kind: 'stage_started', stage: next.stage });
      const title = `业扩 ${app.number} ${app.customer_name}：${stageWords(next.stage)}待办（${next.limit_wd}个工作日）`;
      await notify(trx, now, [{ role: 'handler', unitId: next.owner_unit_id, kind: 'application_stage', title }]);
    } else {
      if (!(await repo.updateApplication(trx, id, app.version, { status: 'completed', stage: null, stage_due_at: null, completed_at: now, updated_at: now })))
        throw moved();
      await repo.addEvent(trx, { applicationId: id, at: now, actorId: null, kind: 'completed' });
      if (app.account_manager_id !== null && app.account_manager_id !== ctx.actor.userId)
        await notify(trx, now, [{ userId: app.account_manager_id, kind: 'application_done', title: `业扩 ${app.number} ${app.customer_name} 已装表接电` }]);
    }
    await recordAudit(trx, ctx, {
      action: 'application.stage_completed',
      entityType: 'application',
      entityId: id,
      unitId: app.unit_id,
      before: { stage },
      after: { stage: next?.stage ?? null, status: next ? 'open' : 'completed', note: body.note },
    });
  });
}

export async function cancelApplication(ctx: ServiceContext, id: number, body: CancelApplicationBody, version: number | undefined): Promise<ApplicationDetail> {
  const visible = await visibleUnitIds(ctx);
  return change(ctx, id, version, async (trx, app, now) => {
    if (!ctx.actor.roles.includes('account_manager') && !visible.has(app.unit_id))
      throw forbidden("an application is cancelled by an account manager or a handler of its customer's units");
    if (
      !(await repo.updateApplication(trx, id, app.version, {
        status: 'cancelled',
        stage: null,
        stage_due_at: null,
        cancelled_at: now,
        cancel_reason: body.reason,
        updated_at: now,
      }))
    )
      throw moved();
    await repo.stopStages(trx, id, now);
    await repo.addEvent(trx, { applicationId: id, at: now, actorId: ctx.actor.userId, kind: 'cancelled', stage: app.stage, note: body.reason });
    await recordAudit(trx, ctx, {
      action: 'application.cancelled',
      entityType: 'application',
      entityId: id,
      unitId: app.unit_id,
      before: { status: app.status, stage: app.stage },
      after: { status: 'cancelled', reason: body.reason },
    });
  });
}
