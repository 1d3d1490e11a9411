import type { Kysely } from 'kysely';
import type {
  ActionItem,
  ActionItemProgressBody,
  CreateActionItemBody,
  CreateMeetingBody,
  CreateSuggestionBody,
  HotExample,
  HotIssuesSection,
  Meeting,
  MeetingPack,
  MeetingSummary,
  Suggestion,
} from '../../../shared/schemas/meetings.js';
import { addMonths, localDate } from '../../../shared/time.js';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { authorize, can, isCityWide } from '../../platform/policy.js';
import { deadlineRules } from '../deadlines/service.js';
import { visibleDemand } from '../demands/read.js';
import { getEvaluation, listEvaluations } from '../evaluation/service.js';
import { instantOf } from '../evaluation/rules.js';
import { hotIssuesOf } from '../hot-issues/service.js';
import { notify } from '../../platform/notify.js';
import { findUnit, findUser } from '../org/directory.js';
import { visibleUnitIds } from '../org/service.js';
import { listBatches, listItems as listTransferItems } from '../transfers/service.js';
import * as repo from './repository.js';
import { actionItemTimes, isLate } from './rules.js';

// 会商会议: an analyst opens the meeting of a period and suqiu assembles its
// pack — the hot issues and how far each is resolved, the latest published
// evaluation, the earlier meetings' action items, the front line's
// suggestions and the experts' common problems, the period's transfer items
// with their answers. The meeting's decisions become action items tracked to
// done, reminded three working days before their date and escalated when late.

/** What the pack stores as assembled; the tracked sections are read live. */
interface StoredPack {
  hotIssues: HotIssuesSection;
  evaluationId: number | null;
  transferMonths: string[];
}

/** The months a period touches, YYYY-MM, local time in the company's zone. */
function monthsOf(from: string, to: string, zone: string): string[] {
  const months: string[] = [];
  let month = localDate(from, zone).slice(0, 7);
  const last = localDate(Date.parse(to) - 1, zone).slice(0, 7);
  while (month <= last && months.length < 24) {
    months.push(month);
    month = addMonths(month, 1);
  }
  return months;
}

/** The centre sees every unit's items; a unit's handlers those their units own. */
async function ownerScope(ctx: ServiceContext): Promise<number[] | undefined> {
  return isCityWide(ctx.actor.roles) ? undefined : [...(await visibleUnitIds(ctx))];
}

async function presentItems(ctx: ServiceContext, rows: repo.ActionItemRow[]): Promise<ActionItem[]> {
  const progress = await repo.progressOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  const now = ctx.now();
  return rows.map((r) => ({
    id: r.id,
    meetingId: r.meeting_id,
    meetingTitle: r.meeting_title,
    meetingHeldOn: r.meeting_held_on,
    text: r.text,
    ownerUnitId: r.owner_unit_id,
    ownerUnitName: r.owner_unit_name,
    ownerUserId: r.owner_user_id,
    ownerUserName: r.owner_user_name,
    dueOn: r.due_on,
    status: r.status as ActionItem['status'],
    late: isLate({ status: r.status, lateAt: r.late_at, doneAt: r.done_at }, now),
    doneAt: r.done_at,
    progress: progress.filter((p) => p.item_id === r.id).map((p) => ({ at: p.at, kind: p.kind, note: p.note, actorName: p.actor_name })),
    version: r.version,
  }));
}

function presentSuggestion(r: repo.SuggestionRow): Suggestion {
  return {
    id: r.id,
    text: r.text,
    demandId: r.demand_id,
    demandNumber: r.demand_number,
    unitId: r.unit_id,
    unitName: r.unit_name,
    authorName: r.author_name,
    createdAt: r.created_at,
    meetingId: r.meeting_id,
  };
}

async function assemble(ctx: ServiceContext, period: { from: string; to: string }): Promise<StoredPack> {
  const [hotIssues, evaluations] = await Promise.all([
    hotIssuesOf(ctx.db, period, ctx.timeZone, undefined, { now: new Date(ctx.now()) }),
    listEvaluations(ctx, undefined),
  ]);
  const published = evaluations.find((e) => e.status === 'published');
  return { hotIssues, evaluationId: published?.id ?? null, transferMonths: monthsOf(period.from, period.to, ctx.timeZone) };
}

/** A pack assembled before examples carried the demand kept their numbers only. */
function withExamples(section: HotIssuesSection): HotIssuesSection {
  const items = (list: HotIssuesSection['terms']) =>
    list.map((i) => ({ ...i, examples: i.examples.map((e: HotExample | string) => (typeof e === 'string' ? { id: null, number: e } : e)) }));
  return { ...section, categories: items(section.categories), subcategories: items(section.subcategories), terms: items(section.terms) };
}

async function packOf(ctx: ServiceContext, meeting: repo.MeetingRow): Promise<MeetingPack> {
  const stored = JSON.parse(meeting.pack_json) as StoredPack;
  const scope = await ownerScope(ctx);
  const batches = (await Promise.all(stored.transferMonths.map((month) => listBatches(ctx, month)))).flat();
  const transfers = (await listTransferItems(ctx, {})).filter((i) => batches.some((b) => b.id === i.batchId));
  const problems = await repo.problemsForMeeting(ctx.db, meeting.held_on.slice(0, 7));
  return {
    hotIssues: withExamples(stored.hotIssues),
    evaluation: stored.evaluationId === null ? null : await getEvaluation(ctx, stored.evaluationId),
    actionItems: await presentItems(
      ctx,
      await repo.listActionItems(ctx.db, { openAt: { heldBefore: meeting.held_on, at: meeting.period_from }, ownerUnitIds: scope }),
    ),
    suggestions: (await repo.listSuggestions(ctx.db, { meetingId: meeting.id })).map(presentSuggestion),
    commonProblems: problems.map((p) => ({
      id: p.id,
      title: p.title,
      description: p.description,
      unitName: p.unit_name,
      filedByName: p.filed_by_name,
      status: p.status,
      consultations: Number(p.consultations ?? 0),
      meetingMonth: p.meeting_month,
    })),
    transfers,
  };
}

async function summaryOf(ctx: ServiceContext, m: repo.MeetingRow, decided: ActionItem[]): Promise<MeetingSummary> {
  return {
    id: m.id,
    title: m.title,
    heldOn: m.held_on,
    from: m.period_from,
    to: m.period_to,
    assembledAt: m.assembled_at,
    createdByName: m.created_by_name,
    decisions: decided.length,
    decisionsOpen: decided.filter((d) => d.status === 'open').length,
  };
}

export async function getMeeting(ctx: ServiceContext, id: number): Promise<Meeting> {
  authorize(ctx.actor, 'meeting.read');
  const meeting = await repo.findMeeting(ctx.db, id);
  if (!meeting) throw notFound('meeting');
  const decided = await presentItems(ctx, await repo.listActionItems(ctx.db, { meetingId: id }));
  return { ...(await summaryOf(ctx, meeting, decided)), pack: await packOf(ctx, meeting), decided };
}

export async function listMeetings(ctx: ServiceContext): Promise<MeetingSummary[]> {
  authorize(ctx.actor, 'meeting.read');
  const meetings = await repo.listMeetings(ctx.db);
  const items = await presentItems(ctx, await repo.listActionItems(ctx.db, {}));
  return Promise.all(
    meetings.map((m) =>
      summaryOf(
        ctx,
        m,
        items.filter((i) => i.meetingId === m.id),
      ),
    ),
  );
}

function periodOf(body: { from: string; to: string }, zone: string): { from: string; to: string } {
  const period = { from: instantOf(body.from, zone), to: instantOf(body.to, zone) };
  if (period.from >= period.to) throw invalid('to', 'must be after from');
  if (Date.parse(period.to) - Date.parse(period.from) > 366 * 86_400_000) throw invalid('to', 'a meeting’s period is at most a year');
  return period;
}

/** Opens a meeting and assembles its pack; the suggestions waiting for a meeting are taken to it. */
export async function openMeeting(ctx: ServiceContext, body: CreateMeetingBody): Promise<Meeting> {
  authorize(ctx.actor, 'meeting.manage');
  const period = periodOf(body, ctx.timeZone);
  if (period.to > ctx.now()) throw invalid('to', 'the period must be over: a meeting looks back on it');
  const pack = await assemble(ctx, period);
  const at = ctx.now();
  const id = await ctx.transact(async (trx) => {
    const id = await repo.insertMeeting(trx, { title: body.title, heldOn: body.heldOn, from: period.from, to: period.to, pack, at, by: ctx.actor.userId });
    await repo.linkPendingSuggestions(trx, id, at);
    await recordAudit(trx, ctx, {
      action: 'meeting.opened',
      entityType: 'meeting',
      entityId: id,
      after: { title: body.title, heldOn: body.heldOn, ...period },
    });
    return id;
  });
  return getMeeting(ctx, id);
}

/** Assembles the pack again (the figures as they are now); suggestions filed since are taken to it. */
export async function reassemble(ctx: ServiceContext, id: number): Promise<Meeting> {
  authorize(ctx.actor, 'meeting.manage');
  const meeting = await repo.findMeeting(ctx.db, id);
  if (!meeting) throw notFound('meeting');
  const pack = await assemble(ctx, { from: meeting.period_from, to: meeting.period_to });
  const at = ctx.now();
  await ctx.transact(async (trx) => {
    await repo.updatePack(trx, id, pack, at);
    await repo.linkPendingSuggestions(trx, id, at);
    await recordAudit(trx, ctx, { action: 'meeting.reassembled', entityType: 'meeting', entityId: id });
  });
  return getMeeting(ctx, id);
}

// ── action items ─────────────────────────────────────────────────────────
export async function addActionItem(ctx: ServiceContext, meetingId: number, body: CreateActionItemBody): Promise<ActionItem> {
  authorize(ctx.actor, 'meeting.manage');
  const meeting = await repo.findMeeting(ctx.db, meetingId);
  if (!meeting) throw notFound('meeting');
  const unit = await findUnit(ctx.db, body.ownerUnitId);
  if (!unit || unit.active !== 1) throw invalid('ownerUnitId', `no active unit with id ${body.ownerUnitId}`);
  if (body.ownerUserId !== undefined) {
    const user = await findUser(ctx.db, body.ownerUserId);
    if (!user || user.active !== 1) throw invalid('ownerUserId', `no active user with id ${body.ownerUserId}`);
    if (user.unit_id !== unit.id) throw invalid('ownerUserId', `${user.name} is not of ${unit.name}`);
  }
  if (body.dueOn < localDate(ctx.now(), ctx.timeZone)) throw invalid('dueOn', 'must not be in the past');
  const { calendar } = await deadlineRules(ctx.db, ctx.timeZone);
  const times = actionItemTimes(body.dueOn, calendar);
  const at = ctx.now();
  const id = await ctx.transact(async (trx) => {
    const id = await repo.insertActionItem(trx, {
      meetingId,
      text: body.text,
      ownerUnitId: unit.id,
      ownerUserId: body.ownerUserId ?? null,
      dueOn: body.dueOn,
      ...times,
      by: ctx.actor.userId,
      at,
    });
    await repo.addProgress(trx, { itemId: id, at, actorId: ctx.actor.userId, kind: 'created', note: null });
    await notify(trx, at, [
      body.ownerUserId !== undefined
        ? { userId: body.ownerUserId, kind: 'action_item', title: `会商会议整改事项：${body.text.slice(0, 40)}（${body.dueOn} 前完成）` }
        : { role: 'handler', unitId: unit.id, kind: 'action_item', title: `会商会议整改事项：${body.text.slice(0, 40)}（${body.dueOn} 前完成）` },
    ]);
    await recordAudit(trx, ctx, { action: 'action_item.created', entityType: 'action_item', entityId: id, unitId: unit.id, after: body });
    return id;
  });
  return (await presentItems(ctx, await repo.listActionItems(ctx.db, { id })))[0]!;
}

export async function listActionItems(
  ctx: ServiceContext,
  query: { status?: string | undefined; ownerUnitId?: number | undefined; meetingId?: number | undefined; late?: string | undefined },
): Promise<ActionItem[]> {
  authorize(ctx.actor, 'meeting.read');
  const scope = await ownerScope(ctx);
  let ownerUnitIds = scope;
  if (query.ownerUnitId !== undefined) ownerUnitIds = scope === undefined || scope.includes(query.ownerUnitId) ? [query.ownerUnitId] : [];
  const items = await presentItems(ctx, await repo.listActionItems(ctx.db, { status: query.status, meetingId: query.meetingId, ownerUnitIds }));
  return query.late === undefined ? items : items.filter((i) => i.late === (query.late === 'true'));
}

/** The owner unit records progress, and says when it is done (or that it is not, after all). */
export async function recordProgress(ctx: ServiceContext, id: number, body: ActionItemProgressBody, expectedVersion?: number): Promise<ActionItem> {
  authorize(ctx.actor, 'action_item.update');
  const [item] = await repo.listActionItems(ctx.db, { id });
  if (!item) throw notFound('action item');
  const centre = isCityWide(ctx.actor.roles);
  if (!centre && !(await visibleUnitIds(ctx)).has(item.owner_unit_id)) throw notFound('action item');
  if (expectedVersion !== undefined && expectedVersion !== item.version)
    throw conflict('the action item was changed by someone else since you read it; reload it and try again');
  const at = ctx.now();
  const status = body.done === true ? 'done' : body.done === false ? 'open' : item.status;
  await ctx.transact(async (trx) => {
    const changes = { status, done_at: status === 'done' ? (item.done_at ?? at) : null, updated_at: at };
    if (!(await repo.updateActionItem(trx, id, item.version, changes)))
      throw conflict('the action item was changed by someone else since you read it; reload it and try again');
    const kind = status !== item.status ? (status === 'done' ? 'done' : 'reopened') : 'progress';
    await repo.addProgress(trx, { itemId: id, at, actorId: ctx.actor.userId, kind, note: body.note });
    if (kind === 'done')
      await notify(trx, at, [{ role: 'analyst', kind: 'action_item_done', title: `整改事项已完成：${item.owner_unit_name} · ${item.text.slice(0, 40)}` }]);
    await recordAudit(trx, ctx, {
      action: `action_item.${kind}`,
      entityType: 'action_item',
      entityId: id,
      unitId: item.owner_unit_id,
      before: { status: item.status },
      after: { status, note: body.note },
    });
  });
  return (await presentItems(ctx, await repo.listActionItems(ctx.db, { id })))[0]!;
}

/** The scheduler's part: each open item reminded once three working days before its date, and escalated once when late. */
export async function runActionItemTimers(db: Kysely<DB>, now: Date): Promise<number> {
  const at = now.toISOString();
  const system = { actor: null, now: () => at };
  let fired = 0;
  for (const item of await repo.dueReminders(db, at)) {
    const done = await db.transaction().execute(async (trx) => {
      if (!(await repo.claim(trx, item.id, 'reminded_at', at))) return false;
      // An item set up already late is escalated, not reminded.
      if (item.late_at <= at) return true;
      const title = `会商整改事项将于 ${item.due_on} 到期：${item.text.slice(0, 40)}`;
      await notify(trx, at, [
        item.owner_user_id !== null
          ? { userId: item.owner_user_id, kind: 'action_item_due', title }
          : { role: 'handler', unitId: item.owner_unit_id, kind: 'action_item_due', title },
      ]);
      await repo.addProgress(trx, { itemId: item.id, at, actorId: null, kind: 'reminded', note: null });
      return true;
    });
    if (done) fired++;
  }
  for (const item of await repo.dueEscalations(db, at)) {
    const done = await db.transaction().execute(async (trx) => {
      if (!(await repo.claim(trx, item.id, 'escalated_at', at))) return false;
      const title = `会商整改事项已超期：${item.owner_unit_name} · ${item.text.slice(0, 40)}（应于 ${item.due_on} 完成）`;
      await notify(trx, at, [
        ...(item.owner_user_id !== null ? [{ userId: item.owner_user_id, kind: 'action_item_late', title }] : []),
        { role: 'handler', unitId: item.owner_unit_id, kind: 'action_item_late', title },
        { role: 'analyst', kind: 'action_item_late', title },
        { role: 'centre_manager', kind: 'action_item_late', title },
      ]);
      await repo.addProgress(trx, { itemId: item.id, at, actorId: null, kind: 'late', note: null });
      await recordAudit(trx, system, { action: 'action_item.late', entityType: 'action_item', entityId: item.id, unitId: item.owner_unit_id });
      return true;
    });
    if (done) fired++;
  }
  return fired;
}

// ── suggestions ──────────────────────────────────────────────────────────
/** 基层建议: an agent, handler or expert brings a suggestion to the next meeting, about a demand or in general. */
export async function fileSuggestion(ctx: ServiceContext, body: CreateSuggestionBody): Promise<Suggestion> {
  authorize(ctx.actor, 'suggestion.file');
  if (body.demandId !== undefined) {
    try {
      await visibleDemand(ctx, body.demandId);
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') throw invalid('demandId', `no demand with id ${body.demandId}`);
      throw err;
    }
  }
  const at = ctx.now();
  const id = await ctx.transact(async (trx) => {
    const id = await repo.insertSuggestion(trx, { text: body.text, demandId: body.demandId ?? null, unitId: ctx.actor.unitId, authorId: ctx.actor.userId, at });
    await recordAudit(trx, ctx, { action: 'suggestion.filed', entityType: 'suggestion', entityId: id, unitId: ctx.actor.unitId, after: body });
    return id;
  });
  return presentSuggestion((await repo.listSuggestions(ctx.db, { id }))[0]!);
}

export async function listSuggestions(ctx: ServiceContext, query: { pending?: string | undefined; meetingId?: number | undefined }): Promise<Suggestion[]> {
  if (!can(ctx.actor, 'meeting.read') && !can(ctx.actor, 'suggestion.file')) authorize(ctx.actor, 'meeting.read');
  const rows = await repo.listSuggestions(ctx.db, { meetingId: query.meetingId, pending: query.pending === undefined ? undefined : query.pending === 'true' });
  // The centre reads everyone's; the others read their own unit's.
  const mine = isCityWide(ctx.actor.roles) ? rows : rows.filter((r) => r.unit_id === ctx.actor.unitId);
  return mine.map(presentSuggestion);
}
