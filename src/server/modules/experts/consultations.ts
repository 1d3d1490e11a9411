import type { Kysely, Transaction } from 'kysely';
import type {
  Consultation,
  ConsultationCallbackBody,
  ConsultationDetail,
  ConsultationsQuery,
  CreateConsultationBody,
  ReplyBody,
} from '../../../shared/schemas/experts.js';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import { closeWithAnswer } from '../demands/actions.js';
import { visibleDemand } from '../demands/read.js';
import { addTimeline } from '../demands/service.js';
import { notify } from '../../platform/notify.js';
import { findUnit } from '../org/directory.js';
import { visibleUnitIds } from '../org/service.js';
import { poolOfUnit, toPoolExpert } from './pool.js';
import * as poolRepo from './pool-repository.js';
import * as repo from './repository.js';
import { monthRange, nextExpert, onDuty, stepTimes, type ConsultationStatus, type ConsultationTimes, type Limits } from './rules.js';

// The 5-5-5 relay (DESIGN.md, "Expert seat"): an agent forwards a question from
// an open demand; suqiu proposes the expert by unit, topic and availability;
// the expert acknowledges, calls the customer and reports the answer; the agent
// calls the customer back, and the demand closes or goes on. Each step runs
// against its limit on a timer row; a silent expert is passed over by the
// scheduler (timers.ts). Every change is on the consultation's timeline, on the
// demand's, and in the audit trail.

/** How long a call with the customer may take before the expert is reminded to report. */
export const REPLY_REMINDER_AFTER_CALL_MINUTES = 25;

const minutesLater = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
const short = (text: string) => (text.length > 30 ? `${text.slice(0, 30)}…` : text);

/** The moments a consultation's steps are timed by. */
export function timesOf(
  r: Pick<
    repo.ConsultationRow,
    'called_at' | 'forwarded_at' | 'assigned_at' | 'acknowledged_at' | 'contacted_at' | 'call_ended_at' | 'replied_at' | 'callback_at'
  >,
): ConsultationTimes {
  return {
    calledAt: r.called_at,
    forwardedAt: r.forwarded_at,
    assignedAt: r.assigned_at,
    acknowledgedAt: r.acknowledged_at,
    contactedAt: r.contacted_at,
    callEndedAt: r.call_ended_at,
    repliedAt: r.replied_at,
    callbackAt: r.callback_at,
  };
}

export function presentConsultation(r: repo.ConsultationRow, limits: Limits, now: Date): Consultation {
  const joint = JSON.parse(r.joint_units_json) as { id: number; name: string }[];
  return {
    id: r.id,
    demandId: r.demand_id,
    demandNumber: r.demand_number,
    demandStatus: r.demand_status,
    unitId: r.unit_id,
    unitName: r.unit_name,
    topic: r.topic,
    question: r.question,
    customerName: r.customer_name,
    customerPhone: r.customer_phone,
    calledAt: r.called_at,
    forwardedAt: r.forwarded_at,
    forwardedBy: r.forwarded_by,
    forwardedByName: r.forwarded_by_name,
    expertId: r.expert_id,
    expertName: r.expert_name,
    expertPhone: r.expert_phone,
    assignedAt: r.assigned_at,
    status: r.status as ConsultationStatus,
    handOvers: r.hand_overs,
    unansweredAt: r.unanswered_at,
    acknowledgedAt: r.acknowledged_at,
    contactedAt: r.contacted_at,
    callEndedAt: r.call_ended_at,
    repliedAt: r.replied_at,
    answer: r.answer,
    jointUnits: joint,
    callbackAt: r.callback_at,
    callbackResult: r.callback_result,
    steps: stepTimes(timesOf(r), limits, now),
    version: r.version,
  };
}

/** The consultations the caller may see: the centre's roles all; an expert those of their units and those given to them (now or before a hand-over). */
export async function consultationScope(ctx: ServiceContext): Promise<Pick<repo.ConsultationFilter, 'unitIds' | 'ownExpertId'>> {
  const visible = await visibleUnitIds(ctx);
  const all = ctx.actor.roles.some((r) => r === 'agent' || r === 'team_lead' || r === 'analyst');
  return all ? {} : { unitIds: [...visible], ownExpertId: ctx.actor.userId };
}

async function visibleConsultation(ctx: ServiceContext, id: number, db: Kysely<DB> = ctx.db): Promise<repo.ConsultationRow> {
  const row = await repo.findConsultation(db, id);
  if (!row) throw notFound('consultation');
  const scope = await consultationScope(ctx);
  const given = (JSON.parse(row.tried_json) as number[]).includes(ctx.actor.userId);
  if (scope.unitIds && !scope.unitIds.includes(row.unit_id) && !given) throw notFound('consultation');
  return row;
}

export async function getConsultation(ctx: ServiceContext, id: number): Promise<ConsultationDetail> {
  authorize(ctx.actor, 'consultation.read');
  const row = await visibleConsultation(ctx, id);
  const [{ limits }, events] = await Promise.all([poolRepo.loadLimits(ctx.db), repo.eventsOf(ctx.db, id)]);
  return {
    ...presentConsultation(row, limits, new Date(ctx.now())),
    timeline: events.map((e) => ({
      id: e.id,
      at: e.at,
      kind: e.kind,
      actorId: e.actor_id,
      actorName: e.actor_name,
      expertId: e.expert_id,
      expertName: e.expert_name,
      note: e.note,
    })),
  };
}

export async function listConsultations(ctx: ServiceContext, q: ConsultationsQuery): Promise<{ items: Consultation[]; total: number }> {
  authorize(ctx.actor, 'consultation.read');
  const filter: repo.ConsultationFilter = {
    ...(await consultationScope(ctx)),
    ...(q.expertId !== undefined && { expertId: q.expertId }),
    ...(q.status && { status: q.status }),
    ...(q.open && { open: q.open === 'true' }),
    ...(q.demandId !== undefined && { demandId: q.demandId }),
    ...(q.unitId !== undefined && { unitId: q.unitId }),
  };
  if (q.month) Object.assign(filter, monthRange(q.month, ctx.timeZone));
  const [rows, total, { limits }] = await Promise.all([
    repo.listConsultations(ctx.db, filter, { limit: q.pageSize, offset: (q.page - 1) * q.pageSize }),
    repo.countConsultations(ctx.db, filter),
    poolRepo.loadLimits(ctx.db),
  ]);
  const now = new Date(ctx.now());
  return { items: rows.map((r) => presentConsultation(r, limits, now)), total };
}

/** The timers of an expert who has just received the question: acknowledge and call the customer. */
function receiveTimers(consultationId: number, expertId: number, at: string, limits: Limits): repo.NewTimer[] {
  return (['acknowledge', 'contact'] as const).map((step) => ({ consultationId, step, expertId, startedAt: at, dueAt: minutesLater(at, limits[step]) }));
}

/** POST /api/demands/:id/consultations: forwards the question to the proposed (or the named) expert. */
export async function forwardQuestion(ctx: ServiceContext, demandId: number, body: CreateConsultationBody): Promise<ConsultationDetail> {
  authorize(ctx.actor, 'consultation.forward');
  const demand = await visibleDemand(ctx, demandId);
  if (demand.status === 'closed') throw conflict('the demand is closed; a question is forwarded from an open demand');
  const unit = await findUnit(ctx.db, body.unitId);
  if (!unit || unit.active !== 1 || !(await visibleUnitIds(ctx)).has(body.unitId)) throw invalid('unitId', `no active unit with id ${body.unitId}`);
  const at = ctx.now();
  const now = new Date(at);
  const pool = await poolOfUnit(ctx.db, body.unitId);
  let expert: poolRepo.ExpertRow | undefined;
  if (body.expertId !== undefined) {
    expert = pool.find((e) => e.id === body.expertId);
    if (!expert) throw invalid('expertId', `user ${body.expertId} is not an expert of ${unit.name}`);
    const p = toPoolExpert(expert);
    if (!p.available)
      throw conflict(
        `${expert.name} is not available${expert.unavailable_reason ? ` (${expert.unavailable_reason})` : ''}; choose another expert or let suqiu propose one`,
      );
    if (!onDuty(p, now, ctx.timeZone))
      throw conflict(`${expert.name} is off duty now (${p.dutyFrom}–${p.dutyTo}); choose another expert or let suqiu propose one`);
  } else {
    const proposed = nextExpert(pool.map(toPoolExpert), body.topic, now, new Set(), ctx.timeZone);
    expert = proposed && pool.find((e) => e.id === proposed.id);
    if (!expert) throw conflict(`no expert of ${unit.name} is available now; the team lead keeps the expert pool`);
  }
  const { limits } = await poolRepo.loadLimits(ctx.db);
  const chosen = expert;
  const id = await ctx.transact(async (trx) => {
    const id = await repo.insertConsultation(trx, {
      demand_id: demandId,
      unit_id: body.unitId,
      topic: body.topic ?? null,
      question: body.question,
      customer_name: body.contactName ?? demand.customer_name,
      customer_phone: body.contactPhone ?? demand.phone,
      called_at: demand.created_at,
      forwarded_at: at,
      forwarded_by: ctx.actor.userId,
      expert_id: chosen.id,
      assigned_at: at,
      status: 'assigned',
      tried_json: JSON.stringify([chosen.id]),
      created_at: at,
      updated_at: at,
    });
    await repo.addEvents(trx, [{ consultationId: id, at, actorId: ctx.actor.userId, kind: 'forwarded', expertId: chosen.id, note: body.question }]);
    await repo.startTimers(trx, receiveTimers(id, chosen.id, at, limits));
    await addTimeline(trx, [
      {
        demandId,
        at,
        actorId: ctx.actor.userId,
        kind: 'consultation.forwarded',
        note: body.question,
        data: { consultationId: id, unitId: body.unitId, unitName: unit.name, expertId: chosen.id, expertName: chosen.name },
      },
    ]);
    await notify(trx, at, [
      { userId: chosen.id, kind: 'consultation', demandId, consultationId: id, title: `专家咨询 ${demand.number}: ${short(body.question)}` },
    ]);
    await recordAudit(trx, ctx, {
      action: 'consultation.forwarded',
      entityType: 'consultation',
      entityId: id,
      unitId: body.unitId,
      after: { demandId, expertId: chosen.id, topic: body.topic ?? null },
    });
    return id;
  });
  return getConsultation(ctx, id);
}

interface Step {
  action: 'consultation.answer' | 'consultation.forward';
  from: readonly ConsultationStatus[];
  refused: string;
  /** Only the expert it is assigned to (the expert's steps). */
  assignedOnly: boolean;
}

/** Reads the consultation within the caller's bound, checks role, assignment, status and version, and runs the change in one transaction. */
async function changeConsultation(
  ctx: ServiceContext,
  id: number,
  step: Step,
  expectedVersion: number | undefined,
  apply: (trx: Transaction<DB>, c: repo.ConsultationRow, limits: Limits) => Promise<void>,
): Promise<ConsultationDetail> {
  authorize(ctx.actor, step.action);
  const row = await visibleConsultation(ctx, id);
  if (step.assignedOnly && row.expert_id !== ctx.actor.userId)
    throw new AppError('forbidden', `only the expert it is assigned to (${row.expert_name}) may do this`);
  if (expectedVersion !== undefined && expectedVersion !== row.version) throw stale();
  if (!step.from.includes(row.status as ConsultationStatus)) throw conflict(`${step.refused} (the consultation is ${row.status})`);
  const { limits } = await poolRepo.loadLimits(ctx.db);
  await ctx.transact((trx) => apply(trx, row, limits));
  return getConsultation(ctx, id);
}

const stale = () => conflict('the consultation was changed by someone else since you read it; reload it and try again');

async function save(trx: Transaction<DB>, c: repo.ConsultationRow, changes: Parameters<typeof repo.updateConsultation>[3]): Promise<void> {
  if (!(await repo.updateConsultation(trx, c.id, c.version, changes))) throw stale();
}

/** A clock picked to the minute may fall up to a minute before the moment it means. */
const PICKED_TO_THE_MINUTE_MS = 60_000;

/** A moment the caller gives for a step: not before `earliest` (a minute's slack, clamped), not in the future. */
function pastMoment(field: string, given: string | undefined, earliest: string, now: string): string {
  if (given === undefined) return now;
  const at = new Date(given).toISOString();
  if (at > now) throw invalid(field, 'must not be in the future');
  if (at < earliest) {
    if (Date.parse(earliest) - Date.parse(at) > PICKED_TO_THE_MINUTE_MS) throw invalid(field, `must not be before ${earliest}`);
    return earliest;
  }
  return at;
}

export async function acknowledge(ctx: ServiceContext, id: number, expectedVersion?: number): Promise<ConsultationDetail> {
  return changeConsultation(
    ctx,
    id,
    { action: 'consultation.answer', from: ['assigned'], refused: 'only a question not yet acknowledged is acknowledged', assignedOnly: true },
    expectedVersion,
    async (trx, c) => {
      const at = ctx.now();
      await save(trx, c, { status: 'acknowledged', acknowledged_at: at, updated_at: at });
      await repo.meetTimers(trx, c.id, ['acknowledge'], at);
      await repo.addEvents(trx, [{ consultationId: c.id, at, actorId: ctx.actor.userId, kind: 'acknowledged', expertId: c.expert_id }]);
      await notify(trx, at, [
        {
          userId: c.forwarded_by,
          kind: 'consultation_progress',
          demandId: c.demand_id,
          consultationId: c.id,
          title: `${c.expert_name} 已确认接收 ${c.demand_number}`,
        },
      ]);
      await recordAudit(trx, ctx, { action: 'consultation.acknowledged', entityType: 'consultation', entityId: c.id, unitId: c.unit_id });
    },
  );
}

export async function markContacted(
  ctx: ServiceContext,
  id: number,
  body: { at?: string | undefined } | undefined,
  expectedVersion?: number,
): Promise<ConsultationDetail> {
  return changeConsultation(
    ctx,
    id,
    { action: 'consultation.answer', from: ['assigned', 'acknowledged'], refused: 'the customer is called once, before the answer', assignedOnly: true },
    expectedVersion,
    async (trx, c, limits) => {
      const now = ctx.now();
      const at = pastMoment('at', body?.at, c.assigned_at, now);
      // Calling the customer acknowledges the question too.
      await save(trx, c, { status: 'contacted', acknowledged_at: c.acknowledged_at ?? at, contacted_at: at, updated_at: now });
      await repo.meetTimers(trx, c.id, ['acknowledge', 'contact'], now);
      // The report is due 5 minutes after the call ends, which suqiu learns only with the report: the
      // reminder waits for a long call's worth (the verdict is computed from the call's end, not from this).
      await repo.startTimers(trx, [
        {
          consultationId: c.id,
          step: 'reply',
          expertId: c.expert_id,
          startedAt: at,
          dueAt: minutesLater(at, limits.reply + REPLY_REMINDER_AFTER_CALL_MINUTES),
        },
      ]);
      const events: repo.NewEvent[] = [];
      if (!c.acknowledged_at) events.push({ consultationId: c.id, at, actorId: ctx.actor.userId, kind: 'acknowledged', expertId: c.expert_id });
      events.push({ consultationId: c.id, at, actorId: ctx.actor.userId, kind: 'contacted', expertId: c.expert_id });
      await repo.addEvents(trx, events);
      await notify(trx, now, [
        {
          userId: c.forwarded_by,
          kind: 'consultation_progress',
          demandId: c.demand_id,
          consultationId: c.id,
          title: `${c.expert_name} 已联系客户 ${c.demand_number}`,
        },
      ]);
      await recordAudit(trx, ctx, { action: 'consultation.contacted', entityType: 'consultation', entityId: c.id, unitId: c.unit_id, after: { at } });
    },
  );
}

export async function reply(ctx: ServiceContext, id: number, body: ReplyBody, expectedVersion?: number): Promise<ConsultationDetail> {
  const joint: { id: number; name: string }[] = [];
  for (const unitId of new Set(body.jointUnitIds ?? [])) {
    const unit = await findUnit(ctx.db, unitId);
    if (!unit || unit.active !== 1) throw invalid('jointUnitIds', `no active unit with id ${unitId}`);
    joint.push({ id: unit.id, name: unit.name });
  }
  return changeConsultation(
    ctx,
    id,
    { action: 'consultation.answer', from: ['contacted'], refused: 'the answer is reported after calling the customer', assignedOnly: true },
    expectedVersion,
    async (trx, c, limits) => {
      const at = ctx.now();
      const callEndedAt = body.callEndedAt === undefined ? null : pastMoment('callEndedAt', body.callEndedAt, c.contacted_at!, at);
      await save(trx, c, {
        status: 'replied',
        replied_at: at,
        call_ended_at: callEndedAt,
        answer: body.answer,
        joint_units_json: JSON.stringify(joint),
        updated_at: at,
      });
      await repo.meetTimers(trx, c.id, ['reply'], at);
      await repo.startTimers(trx, [{ consultationId: c.id, step: 'callback', expertId: null, startedAt: at, dueAt: minutesLater(at, limits.callback) }]);
      await repo.addEvents(trx, [{ consultationId: c.id, at, actorId: ctx.actor.userId, kind: 'replied', expertId: c.expert_id, note: body.answer }]);
      await addTimeline(trx, [
        {
          demandId: c.demand_id,
          at,
          actorId: ctx.actor.userId,
          kind: 'consultation.replied',
          note: body.answer,
          data: { consultationId: c.id, expertName: c.expert_name, jointUnits: joint.map((u) => u.name) },
        },
      ]);
      await notify(trx, at, [
        {
          userId: c.forwarded_by,
          kind: 'consultation_replied',
          demandId: c.demand_id,
          consultationId: c.id,
          title: `专家已答复 ${c.demand_number}: 请回访客户`,
        },
      ]);
      await recordAudit(trx, ctx, {
        action: 'consultation.replied',
        entityType: 'consultation',
        entityId: c.id,
        unitId: c.unit_id,
        after: { jointUnits: joint.map((u) => u.id), callEndedAt },
      });
    },
  );
}

/** The agent has called the customer back with the expert's answer: the consultation closes, and the demand with it when the customer has what they asked. */
export async function callBack(ctx: ServiceContext, id: number, body: ConsultationCallbackBody, expectedVersion?: number): Promise<ConsultationDetail> {
  return changeConsultation(
    ctx,
    id,
    { action: 'consultation.forward', from: ['replied'], refused: 'the customer is called back once the expert has answered', assignedOnly: false },
    expectedVersion,
    async (trx, c) => {
      const at = ctx.now();
      const demand = body.closeDemand ? await visibleDemand(ctx, c.demand_id, trx) : undefined;
      // Closed meanwhile (another question's callback, an answer on the call): the callback is recorded, there is nothing left to close.
      const close = demand !== undefined && demand.status !== 'closed';
      if (close && demand.status !== 'open')
        throw conflict(
          `the demand has a work order in progress (${demand.status}); record the callback without closing the demand, which closes through its order`,
        );
      if (close && !can(ctx.actor, 'demand.create')) throw new AppError('forbidden', 'your role may not close a demand');
      await save(trx, c, { status: 'closed', callback_at: at, callback_result: body.result, closed_by: ctx.actor.userId, updated_at: at });
      await repo.meetTimers(trx, c.id, ['callback'], at);
      await repo.addEvents(trx, [{ consultationId: c.id, at, actorId: ctx.actor.userId, kind: 'called_back', note: body.result }]);
      await addTimeline(trx, [
        {
          demandId: c.demand_id,
          at,
          actorId: ctx.actor.userId,
          kind: 'consultation.called_back',
          note: body.result,
          data: { consultationId: c.id, closeDemand: body.closeDemand },
        },
      ]);
      if (close) await closeWithAnswer(trx, ctx, demand, { answer: c.answer ?? body.result, data: { consultationId: c.id, expertName: c.expert_name } });
      await recordAudit(trx, ctx, {
        action: 'consultation.called_back',
        entityType: 'consultation',
        entityId: c.id,
        unitId: c.unit_id,
        after: { closeDemand: body.closeDemand, demandClosed: close },
      });
    },
  );
}

/** The agent takes a question back (asked by mistake, or answered otherwise): it stops, and its expert is told. */
export async function withdraw(ctx: ServiceContext, id: number, reason: string, expectedVersion?: number): Promise<ConsultationDetail> {
  return changeConsultation(
    ctx,
    id,
    {
      action: 'consultation.forward',
      from: ['assigned', 'acknowledged', 'contacted', 'replied'],
      refused: 'only an open question is withdrawn',
      assignedOnly: false,
    },
    expectedVersion,
    async (trx, c) => {
      const at = ctx.now();
      await repo.withdrawOpen(trx, { id: c.id }, at, ctx.actor.userId, reason);
      await addTimeline(trx, [
        {
          demandId: c.demand_id,
          at,
          actorId: ctx.actor.userId,
          kind: 'consultation.withdrawn',
          note: reason,
          data: { consultationId: c.id, expertName: c.expert_name },
        },
      ]);
      await notify(trx, at, [
        { userId: c.expert_id, kind: 'consultation_withdrawn', demandId: c.demand_id, consultationId: c.id, title: `专家咨询已撤回 ${c.demand_number}` },
      ]);
      await recordAudit(trx, ctx, {
        action: 'consultation.withdrawn',
        entityType: 'consultation',
        entityId: c.id,
        unitId: c.unit_id,
        before: { status: c.status },
        after: { reason },
      });
    },
  );
}
