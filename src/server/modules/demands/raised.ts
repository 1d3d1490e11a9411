import type { Kysely } from 'kysely';
import type { AreaClass, DemandType } from '../../../shared/codes.js';
import type { DB } from '../../db/types.js';
import { addWorkingDays } from '../deadlines/calendar.js';
import { type DeadlineRules, insertDeadlines, meetDeadlines, startDeadlines } from '../deadlines/service.js';
import { warnAtFor } from '../deadlines/policies.js';
import { notify } from '../../platform/notify.js';
import * as repo from './repository.js';
import type { Priority } from './rules.js';

// What the monthly transfer (传递) does to a demand, inside the transfer's
// transaction: raising it (提级) makes the owning department responsible with
// a clock for its answer; the answer goes onto the timeline and back to the
// agent who calls the customer.

/** DESIGN.md's default, used only where an admin removed every policy of the step. */
const DEFAULT_ANSWER_WORKING_DAYS = 10;

const factsOf = (d: repo.DemandRow) => ({
  type: d.type as DemandType,
  category: d.category,
  subcategory: d.subcategory,
  areaClass: d.area_class as AreaClass,
  priority: d.priority as Priority,
});

export async function raiseToDepartment(
  trx: Kysely<DB>,
  rules: DeadlineRules,
  input: { demandId: number; itemId: number; month: string; fromUnitId: number; fromUnitName: string; toUnitId: number; toUnitName: string; at: string },
): Promise<{ dueAt: string; number: string }> {
  const demand = (await repo.findDemand(trx, input.demandId))!;
  const at = input.at;
  // The first handling unit stays what it was: the county keeps the case in its evaluation.
  await repo.moveToUnit(trx, demand.id, { unitId: input.toUnitId, firstUnitId: demand.first_unit_id ?? demand.unit_id, version: demand.version, at });
  const [started] = await startDeadlines(
    trx,
    rules,
    { demandId: demand.id, taskId: null, facts: factsOf(demand), important: demand.important === 1 },
    ['transfer_answer'],
    new Date(at),
  );
  let dueAt = started?.due_at;
  if (!dueAt) {
    const due = addWorkingDays(new Date(at), DEFAULT_ANSWER_WORKING_DAYS, rules.calendar);
    dueAt = due.toISOString();
    await insertDeadlines(trx, [
      {
        demandId: demand.id,
        taskId: null,
        step: 'transfer_answer',
        startedAt: at,
        dueAt,
        warnAt: warnAtFor('working_days', new Date(at), due, rules.calendar).toISOString(),
      },
    ]);
  }
  await repo.addTimeline(trx, [
    {
      demandId: demand.id,
      at,
      actorId: null,
      kind: 'transfer.raised',
      data: {
        month: input.month,
        itemId: input.itemId,
        fromUnitId: input.fromUnitId,
        fromUnitName: input.fromUnitName,
        toUnitId: input.toUnitId,
        toUnitName: input.toUnitName,
        dueAt,
      },
    },
  ]);
  await notify(trx, at, [
    { role: 'handler', unitId: input.toUnitId, kind: 'transfer', demandId: demand.id, title: `传递诉求 ${demand.number}：请于期限内答复` },
  ]);
  return { dueAt, number: demand.number };
}

/**
 * The department's answer: on the timeline, the clock met, and back to the
 * agent who registered the demand (首问负责制) for the callback. A demand with
 * nothing else running waits for that callback.
 */
export async function recordDepartmentAnswer(
  trx: Kysely<DB>,
  rules: DeadlineRules,
  input: {
    demandId: number;
    itemId: number;
    unitName: string;
    measures: string;
    owner: string | null;
    resolved: boolean;
    expectedBy: string | null;
    actorId: number;
    at: string;
  },
): Promise<void> {
  const demand = (await repo.findDemand(trx, input.demandId))!;
  const at = input.at;
  await meetDeadlines(trx, demand.id, ['transfer_answer'], at);
  await repo.addTimeline(trx, [
    {
      demandId: demand.id,
      at,
      actorId: input.actorId,
      kind: 'transfer.answered',
      note: input.measures,
      data: { itemId: input.itemId, unitName: input.unitName, resolved: input.resolved, expectedBy: input.expectedBy, owner: input.owner },
    },
  ]);
  if (demand.status === 'open') {
    await repo.updateDemand(trx, demand.id, demand.version, { status: 'awaiting_callback', callback_attempts: 0, updated_at: at });
    await startDeadlines(
      trx,
      rules,
      { demandId: demand.id, taskId: null, facts: factsOf(demand), important: demand.important === 1 },
      ['callback'],
      new Date(at),
    );
  }
  // A demand closed meanwhile keeps the answer on its timeline; nobody is asked to call back.
  if (demand.status === 'closed') return;
  const title = `${input.unitName}已答复传递诉求，请回访客户 ${demand.number}`;
  await notify(trx, at, [
    { userId: demand.created_by, kind: 'transfer_answered', demandId: demand.id, title },
    { role: 'team_lead', kind: 'transfer_answered', demandId: demand.id, title },
  ]);
}
