import type { z } from 'zod';
import type { CommonProblem, CreateProblemBody, CreateTrainingBody, Training, UpdateProblemBody } from '../../../shared/schemas/experts.js';
import { localDate } from '../../../shared/time.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import { visibleUnitIds } from '../org/service.js';
import { consultationScope } from './consultations.js';
import * as meetingRepo from './meeting-repository.js';
import * as poolRepo from './pool-repository.js';
import * as repo from './repository.js';
import { localMonth } from './rules.js';

// What the experts bring to the monthly analysis meeting: the common problems
// (共性问题) they see across consultations, and the training sessions they give
// the agents.

type Problem = z.infer<typeof CommonProblem>;

function presentProblem(r: Awaited<ReturnType<typeof meetingRepo.problemsOf>>[number]): Problem {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    unitId: r.unit_id,
    unitName: r.unit_name,
    meetingMonth: r.meeting_month,
    status: r.status as Problem['status'],
    meetingNote: r.meeting_note,
    filedBy: r.filed_by,
    filedByName: r.filed_by_name,
    filedAt: r.filed_at,
    consultations: r.consultations.map((c) => ({ id: c.id, demandNumber: c.number, question: c.question })),
  };
}

/** The centre sees every unit's problems; an expert those of their units. */
async function problemScope(ctx: ServiceContext): Promise<number[] | undefined> {
  return (await consultationScope(ctx)).unitIds ? [...(await visibleUnitIds(ctx))] : undefined;
}

export async function listProblems(ctx: ServiceContext, month: string | undefined): Promise<Problem[]> {
  authorize(ctx.actor, 'consultation.read');
  return (await meetingRepo.problemsOf(ctx.db, { month }, await problemScope(ctx))).map(presentProblem);
}

async function problem(ctx: ServiceContext, id: number): Promise<Problem> {
  const [found] = await meetingRepo.problemsOf(ctx.db, { id }, await problemScope(ctx));
  if (!found) throw notFound('common problem');
  return presentProblem(found);
}

/** An expert files a common problem from consultations they can see; it goes to the meeting of the month named, or of this month. */
export async function fileProblem(ctx: ServiceContext, body: z.infer<typeof CreateProblemBody>): Promise<Problem> {
  authorize(ctx.actor, 'problem.file');
  const scope = await consultationScope(ctx);
  const ids = [...new Set(body.consultationIds)];
  for (const id of ids) {
    const c = await repo.findConsultation(ctx.db, id);
    const visible = c && (!scope.unitIds || scope.unitIds.includes(c.unit_id) || (JSON.parse(c.tried_json) as number[]).includes(ctx.actor.userId));
    if (!visible) throw invalid('consultationIds', `no consultation with id ${id}`);
  }
  const at = ctx.now();
  const month = body.meetingMonth ?? localMonth(at, ctx.timeZone);
  const id = await ctx.transact(async (trx) => {
    const row = {
      id: await meetingRepo.insertProblem(
        trx,
        {
          title: body.title,
          description: body.description,
          unit_id: ctx.actor.unitId,
          meeting_month: month,
          filed_by: ctx.actor.userId,
          filed_at: at,
          updated_at: at,
        },
        ids,
      ),
    };
    await recordAudit(trx, ctx, {
      action: 'problem.filed',
      entityType: 'common_problem',
      entityId: row.id,
      unitId: ctx.actor.unitId,
      after: { title: body.title, month, consultationIds: ids },
    });
    return row.id;
  });
  return problem(ctx, id);
}

/** After the meeting: discussed, with what was decided. */
export async function updateProblem(ctx: ServiceContext, id: number, body: z.infer<typeof UpdateProblemBody>): Promise<Problem> {
  authorize(ctx.actor, 'problem.manage');
  const before = await problem(ctx, id);
  const at = ctx.now();
  await ctx.transact(async (trx) => {
    await meetingRepo.updateProblem(trx, id, {
      status: body.status,
      ...(body.meetingNote !== undefined && { meeting_note: body.meetingNote }),
      updated_at: at,
    });
    await recordAudit(trx, ctx, {
      action: 'problem.updated',
      entityType: 'common_problem',
      entityId: id,
      unitId: before.unitId,
      before: { status: before.status },
      after: body,
    });
  });
  return problem(ctx, id);
}

// ── trainings ──────────────────────────────────────────────────────────────

type TrainingOut = z.infer<typeof Training>;

function presentTraining(r: Awaited<ReturnType<typeof meetingRepo.trainingsOf>>[number]): TrainingOut {
  return {
    id: r.id,
    heldOn: r.held_on,
    expertId: r.expert_id,
    expertName: r.expert_name,
    unitName: r.unit_name,
    topic: r.topic,
    attendees: JSON.parse(r.attendees_json) as string[],
    hours: r.hours,
    note: r.note,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

export async function listTrainings(ctx: ServiceContext, q: { month?: string | undefined; expertId?: number | undefined }): Promise<TrainingOut[]> {
  authorize(ctx.actor, 'consultation.read');
  // Trainings are kept by local date; every day of a month sorts between its day 01 and a day 32.
  const month = q.month ? { from: `${q.month}-01`, to: `${q.month}-32` } : {};
  return (await meetingRepo.trainingsOf(ctx.db, { ...month, ...(q.expertId !== undefined && { expertId: q.expertId }) })).map(presentTraining);
}

/** An expert logs a session they gave; the team lead logs anyone's. */
export async function logTraining(ctx: ServiceContext, body: z.infer<typeof CreateTrainingBody>): Promise<TrainingOut> {
  authorize(ctx.actor, 'training.log');
  const expertId = body.expertId ?? ctx.actor.userId;
  if (expertId !== ctx.actor.userId && !can(ctx.actor, 'expert.manage')) throw new AppError('forbidden', 'an expert logs the sessions they gave themselves');
  if (!(await poolRepo.isExpert(ctx.db, expertId)))
    throw invalid(
      'expertId',
      body.expertId === undefined ? 'you are not an expert: name the expert who gave the session' : `user ${expertId} is not an expert`,
    );
  const day = new Date(`${body.heldOn}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== body.heldOn) throw invalid('heldOn', 'must be a real date');
  if (body.heldOn > localDate(ctx.now(), ctx.timeZone)) throw invalid('heldOn', 'must not be in the future');
  const at = ctx.now();
  const id = await ctx.transact(async (trx) => {
    const row = {
      id: await meetingRepo.insertTraining(trx, {
        held_on: body.heldOn,
        expert_id: expertId,
        topic: body.topic,
        attendees_json: JSON.stringify(body.attendees),
        hours: body.hours ?? null,
        note: body.note ?? null,
        created_by: ctx.actor.userId,
        created_at: at,
      }),
    };
    await recordAudit(trx, ctx, {
      action: 'training.logged',
      entityType: 'expert_training',
      entityId: row.id,
      after: { heldOn: body.heldOn, expertId, topic: body.topic, attendees: body.attendees.length },
    });
    return row.id;
  });
  return presentTraining((await meetingRepo.trainingsOf(ctx.db, { id }))[0]!);
}
