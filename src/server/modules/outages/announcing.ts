import type { Kysely, Transaction } from 'kysely';
import type {
  CancelOutageBody,
  CreateOutageBody,
  OutageDetail,
  OutageKind,
  OutageStatus,
  RestoreOutageBody,
  UpdateOutageBody,
} from '../../../shared/schemas/outages.js';
import { localDate, localDateTime } from '../../../shared/time.js';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { conflict, invalid } from '../../platform/errors.js';
import { notify } from '../../platform/notify.js';
import { authorize } from '../../platform/policy.js';
import { closeOutageCalls } from '../demands/outage-calls.js';
import { queueMessages, queueToCustomers } from '../messages/service.js';
import { unitTree } from '../org/directory.js';
import { visibleUnitIds } from '../org/service.js';
import { getOutage, visibleOutage } from './reading.js';
import * as repo from './repository.js';
import { commonOwner, initialStatus, lateNotice, leadInWords, noticeDueAt, outageTransition, renderNotice, type OutageAction } from './rules.js';
import { outageRules } from './settings.js';

// An outage's lifecycle (DESIGN.md, "Outages and communication with
// customers"): announced (its notice queued to every customer it cuts at
// once, by each one's channel) → in progress at its start (the scheduler, or
// at once when the start has come) → restored (its open calls closed together
// and their callers told) or cancelled (the customers told). Every step is on
// the outage's timeline and the audit trail.

const KIND_WORDS: Record<OutageKind, string> = { planned: '计划停电', maintenance: '临时检修', load_shedding: '有序用电', fault: '故障停电' };

/** How a notice says a moment: 12月14日 08:00. */
function noticeTime(instant: string, zone: string): string {
  const [date, time] = localDateTime(instant, zone).split(' ');
  const [, month, day] = date!.split('-');
  return `${Number(month)}月${Number(day)}日 ${time}`;
}

/** The places in words, for the notice and the public feed: the feeders' and 台区' names, then single customers by count. */
function areaWords(feeders: { name: string }[], districts: { name: string }[], customers: number): string {
  const names = [...feeders.map((f) => `${f.name}供电区域`), ...districts.map((d) => d.name)];
  const shown = names.slice(0, 5).join('、') + (names.length > 5 ? `等${names.length}处` : '');
  const single = customers > 0 ? `${customers}户客户` : '';
  return [shown, single].filter(Boolean).join('及');
}

/** The scope checked: every feeder, 台区 and customer exists and is in the caller's units; the owner unit. */
async function checkScope(ctx: ServiceContext, body: Pick<CreateOutageBody, 'feederIds' | 'districtIds' | 'customerIds' | 'unitId'>) {
  const scope: repo.Scope = {
    feederIds: [...new Set(body.feederIds ?? [])],
    districtIds: [...new Set(body.districtIds ?? [])],
    customerIds: [...new Set(body.customerIds ?? [])],
  };
  const visible = await visibleUnitIds(ctx);
  const [feeders, districts, customers] = await Promise.all([
    repo.feedersByIds(ctx.db, scope.feederIds),
    repo.districtsByIds(ctx.db, scope.districtIds),
    repo.customersByIds(ctx.db, scope.customerIds),
  ]);
  const unknown = (field: string, what: string, asked: readonly number[], found: { id: number; unit_id: number }[]) => {
    const known = new Set(found.filter((f) => visible.has(f.unit_id)).map((f) => f.id));
    const missing = asked.filter((id) => !known.has(id));
    if (missing.length) throw invalid(field, `no ${what} with id ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`);
  };
  unknown('feederIds', 'feeder', scope.feederIds, feeders);
  unknown('districtIds', '台区', scope.districtIds, districts);
  unknown('customerIds', 'customer', scope.customerIds, customers);
  let unitId = body.unitId;
  if (unitId !== undefined && !visible.has(unitId)) throw invalid('unitId', `no unit with id ${unitId}`);
  // By default the unit of the places it cuts, or the nearest unit above them all (the public notices are grouped by it).
  unitId ??=
    commonOwner(
      [...feeders, ...districts, ...customers].map((x) => x.unit_id),
      await unitTree(ctx.db),
    ) ?? ctx.actor.unitId;
  return { scope, unitId, area: areaWords(feeders, districts, scope.customerIds.length) };
}

export interface Announced {
  id: number;
  number: string;
  scope: repo.Scope;
}

/**
 * Announces an outage: checks it, writes it with its scope and timeline, and
 * queues its notice to every customer it cuts; `then` runs in the same
 * transaction (a declared outage links its calls there).
 */
export async function announce(
  ctx: ServiceContext,
  body: CreateOutageBody,
  then?: (trx: Transaction<DB>, outage: Announced) => Promise<void>,
): Promise<OutageDetail> {
  authorize(ctx.actor, 'outage.manage');
  const now = ctx.now();
  const rules = await outageRules(ctx.db);
  const { scope, unitId, area } = await checkScope(ctx, body);
  const startsAt = new Date(body.startsAt).toISOString();
  const expectedEndAt = new Date(body.expectedEndAt).toISOString();
  if (expectedEndAt <= now) throw invalid('expectedEndAt', 'must be in the future: an outage whose power is back is not announced');
  const late = lateNotice(body.kind, startsAt, now, rules);
  if (late.late && !body.lateNoticeReason)
    throw invalid(
      'lateNoticeReason',
      `a ${body.kind} outage is announced ${leadInWords(late.leadHours)} before it starts; this one starts in ${late.hoursAhead} h: give the reason for the late notice`,
    );
  // Counted once, as the notices go out: the outage's page reads these, not a million customers again.
  const districts = await repo.districtsInScope(ctx.db, scope);
  const affected = districts.reduce((n, d) => n + d.customers, 0);
  const status = initialStatus(startsAt, now);
  const id = await ctx.transact(async (trx) => {
    const number = `TD${localDate(now, ctx.timeZone).replaceAll('-', '')}${String(await repo.nextOutageSequence(trx, localDate(now, ctx.timeZone))).padStart(3, '0')}`;
    const notice =
      body.notice ??
      renderNotice(rules.templates[body.kind], {
        area,
        start: noticeTime(startsAt, ctx.timeZone),
        end: noticeTime(expectedEndAt, ctx.timeZone),
        cause: body.cause,
        number,
      });
    const id = await repo.insertOutage(trx, {
      number,
      kind: body.kind,
      status,
      unit_id: unitId,
      cause: body.cause,
      notice,
      area,
      starts_at: startsAt,
      expected_end_at: expectedEndAt,
      notice_due_at: noticeDueAt(body.kind, startsAt, rules),
      late_notice_reason: late.late ? body.lateNoticeReason! : null,
      affected_customers: affected,
      districts_json: JSON.stringify(districts.map((d) => ({ id: d.id, name: d.name, feederName: d.feeder_name, customers: d.customers }))),
      master_demand_id: null,
      started_at: status === 'in_progress' ? startsAt : null,
      restored_at: null,
      cancelled_at: null,
      cancel_reason: null,
      created_by: ctx.actor.userId,
      created_at: now,
      updated_at: now,
    });
    await repo.insertScope(trx, id, scope);
    await repo.addEvent(trx, {
      outageId: id,
      at: now,
      actorId: ctx.actor.userId,
      kind: 'announced',
      note: late.late ? body.lateNoticeReason! : null,
      data: { kind: body.kind, affected, late: late.late, startsAt, expectedEndAt },
    });
    if (status === 'in_progress') await repo.addEvent(trx, { outageId: id, at: now, actorId: null, kind: 'started', data: { startedAt: startsAt } });
    const queued = await queueToCustomers(trx, now, repo.customerIdsInScope(trx, scope), {
      keyPrefix: `outage:${id}:notice`,
      kind: 'outage_notice',
      essential: true,
      outageId: id,
      subject: `${KIND_WORDS[body.kind]}通知 ${number}`,
      body: notice,
    });
    await repo.addEvent(trx, { outageId: id, at: now, actorId: null, kind: 'notices_queued', data: queued });
    await notify(trx, now, [{ role: 'team_lead', kind: 'outage', title: `${KIND_WORDS[body.kind]} ${number}：${area}` }]);
    await then?.(trx, { id, number, scope });
    await recordAudit(trx, ctx, {
      action: 'outage.announced',
      entityType: 'outage',
      entityId: id,
      unitId,
      after: { number, kind: body.kind, scope, startsAt, expectedEndAt, affected, lateNoticeReason: late.late ? body.lateNoticeReason : null },
    });
    return id;
  });
  return getOutage(ctx, id);
}

/** Runs `work` on the outage if the action is allowed in its status, with the version it was read at. */
async function change(
  ctx: ServiceContext,
  id: number,
  action: OutageAction,
  work: (trx: Transaction<DB>, outage: repo.OutageRow, next: OutageStatus, now: string) => Promise<void>,
): Promise<OutageDetail> {
  authorize(ctx.actor, 'outage.manage');
  await visibleOutage(ctx, id);
  await ctx.transact(async (trx) => {
    const outage = (await repo.findOutage(trx, id))!;
    const next = outageTransition(outage.status as OutageStatus, action);
    if (typeof next === 'object') throw conflict(next.refused);
    await work(trx, outage, next, ctx.now());
  });
  return getOutage(ctx, id);
}

const moved = () => conflict('the outage was changed by someone else meanwhile; reload it and try again');

/** The expected end moves: on the timeline, and the customers told. */
export async function updateOutage(ctx: ServiceContext, id: number, body: UpdateOutageBody): Promise<OutageDetail> {
  return change(ctx, id, 'update', async (trx, outage, next, now) => {
    const expectedEndAt = new Date(body.expectedEndAt).toISOString();
    if (expectedEndAt <= outage.starts_at) throw invalid('expectedEndAt', 'must be after the outage starts');
    if (expectedEndAt <= now) throw invalid('expectedEndAt', 'must be in the future (restore the outage when power is back)');
    if (!(await repo.updateOutage(trx, id, outage.version, { expected_end_at: expectedEndAt, status: next, updated_at: now }))) throw moved();
    await repo.addEvent(trx, {
      outageId: id,
      at: now,
      actorId: ctx.actor.userId,
      kind: 'expected_end_moved',
      note: body.note,
      data: { from: outage.expected_end_at, to: expectedEndAt },
    });
    const queued = await queueToCustomers(trx, now, repo.customerIdsInScope(trx, await repo.scopeOf(trx, id)), {
      keyPrefix: `outage:${id}:update:${outage.version}`,
      kind: 'outage_update',
      essential: true,
      outageId: id,
      subject: `停电信息更新 ${outage.number}`,
      body: `【停电信息更新】${outage.area}停电（编号${outage.number}）预计恢复供电时间调整为${noticeTime(expectedEndAt, ctx.timeZone)}。${body.note}`,
    });
    await repo.addEvent(trx, { outageId: id, at: now, actorId: null, kind: 'notices_queued', data: { ...queued, update: true } });
    await recordAudit(trx, ctx, {
      action: 'outage.updated',
      entityType: 'outage',
      entityId: id,
      unitId: outage.unit_id,
      before: { expectedEndAt: outage.expected_end_at },
      after: { expectedEndAt, note: body.note },
    });
  });
}

/** Power is back: the outage's open calls close together and their callers are told. */
export async function restoreOutage(ctx: ServiceContext, id: number, body: RestoreOutageBody): Promise<OutageDetail> {
  return change(ctx, id, 'restore', async (trx, outage, next, now) => {
    const restoredAt = body.restoredAt ? new Date(body.restoredAt).toISOString() : now;
    if (restoredAt < outage.starts_at) throw invalid('restoredAt', 'must not be before the outage started');
    if (Date.parse(restoredAt) > Date.parse(now) + 5 * 60_000) throw invalid('restoredAt', 'must not be in the future');
    if (
      !(await repo.updateOutage(trx, id, outage.version, {
        status: next,
        restored_at: restoredAt,
        started_at: outage.started_at ?? outage.starts_at,
        updated_at: now,
      }))
    )
      throw moved();
    const answer = `已于${noticeTime(restoredAt, ctx.timeZone)}恢复供电（停电编号${outage.number}）。`;
    const calls = await closeOutageCalls(trx, outage, answer, now, ctx.actor.userId);
    const told = await queueMessages(
      trx,
      now,
      calls.closed.map((c) => ({
        key: `outage:${id}:restored:demand:${c.id}`,
        kind: 'outage_restored' as const,
        essential: true,
        customerId: c.customerId,
        demandId: c.id,
        outageId: id,
        ...(c.customerId === null && { channel: 'sms' as const, address: c.phone }),
        subject: `恢复供电 ${outage.number}`,
        body: `【恢复供电】您反映的停电（工单${c.number}）${answer}感谢您的理解。`,
      })),
    );
    await repo.addEvent(trx, {
      outageId: id,
      at: now,
      actorId: ctx.actor.userId,
      kind: 'restored',
      note: body.note ?? null,
      data: { restoredAt, closedCalls: calls.closed.length, leftOpen: calls.leftOpen, told },
    });
    await recordAudit(trx, ctx, {
      action: 'outage.restored',
      entityType: 'outage',
      entityId: id,
      unitId: outage.unit_id,
      before: { status: outage.status },
      after: { status: next, restoredAt, closedCalls: calls.closed.map((c) => c.number) },
    });
  });
}

/** An announced outage called off: the customers told. */
export async function cancelOutage(ctx: ServiceContext, id: number, body: CancelOutageBody): Promise<OutageDetail> {
  return change(ctx, id, 'cancel', async (trx, outage, next, now) => {
    if (!(await repo.updateOutage(trx, id, outage.version, { status: next, cancelled_at: now, cancel_reason: body.reason, updated_at: now }))) throw moved();
    const queued = await queueToCustomers(trx, now, repo.customerIdsInScope(trx, await repo.scopeOf(trx, id)), {
      keyPrefix: `outage:${id}:cancelled`,
      kind: 'outage_cancelled',
      essential: true,
      outageId: id,
      subject: `停电取消 ${outage.number}`,
      body: `【停电取消】原定${noticeTime(outage.starts_at, ctx.timeZone)}起${outage.area}的停电（编号${outage.number}）已取消，将正常供电。`,
    });
    await repo.addEvent(trx, { outageId: id, at: now, actorId: ctx.actor.userId, kind: 'cancelled', note: body.reason, data: queued });
    await recordAudit(trx, ctx, {
      action: 'outage.cancelled',
      entityType: 'outage',
      entityId: id,
      unitId: outage.unit_id,
      before: { status: outage.status },
      after: { status: next, reason: body.reason },
    });
  });
}

/** The scheduler's part: announced outages whose start has come are in progress (each once: a guarded update). */
export async function runOutageTimers(db: Kysely<DB>, now: Date): Promise<number> {
  const at = now.toISOString();
  let started = 0;
  for (const due of await repo.dueToStart(db, at, 200)) {
    const done = await db.transaction().execute(async (trx) => {
      if (!(await repo.updateOutage(trx, due.id, due.version, { status: 'in_progress', started_at: due.starts_at, updated_at: at }))) return false;
      await repo.addEvent(trx, { outageId: due.id, at, actorId: null, kind: 'started', data: { startedAt: due.starts_at } });
      return true;
    });
    if (done) started++;
  }
  return started;
}
