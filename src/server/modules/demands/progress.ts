import type { Kysely } from 'kysely';
import type { DemandDetail } from '../../../shared/schemas/demands.js';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { conflict } from '../../platform/errors.js';
import { addWorkingDays } from '../deadlines/calendar.js';
import { deadlineRules } from '../deadlines/service.js';
import { queueMessages } from '../messages/service.js';
import { changeDemand } from './actions.js';
import * as repo from './repository.js';
import { PROGRESS_EVERY_WD } from './rules.js';

// Progress messages (DESIGN.md: "customers of long-running matters (voltage
// quality needs months of grid work) get progress messages on a schedule and
// on each change"). A demand has them once a handler or team lead turns them
// on, or by itself when its first handling reports that it needs grid
// investment. The scheduler tells the customer of each change of the demand's
// status and, between changes, every so many working days, until it closes.
// They are non-essential: a customer who opted out is not sent them.

/** What the customer is told of a status. */
export function progressText(d: { number: string; status: string; unitName: string }): string {
  const state: Record<string, string> = {
    open: '已受理，正在处理中',
    dispatched: `已派${d.unitName}处理，工作正在推进`,
    awaiting_callback: '已处理完毕，稍后将回访您',
    closed: '已办结，感谢您的支持',
  };
  return `【诉求进展】您反映的问题（工单号${d.number}）${state[d.status] ?? '正在处理中'}。如有疑问请拨打95598。`;
}

/** The first message's due moment: `every` working days from `from`. */
export async function firstProgressDue(db: Kysely<DB>, timeZone: string, from: string, every: number): Promise<string> {
  const rules = await deadlineRules(db, timeZone);
  return addWorkingDays(new Date(from), every, rules.calendar).toISOString();
}

/** Turns a demand's progress messages on (every `everyWorkingDays`) or off (null). */
export async function setProgressMessages(ctx: ServiceContext, id: number, everyWorkingDays: number | null, expectedVersion?: number): Promise<DemandDetail> {
  return changeDemand(
    ctx,
    id,
    {
      action: 'demand.progress',
      expectedVersion,
      from: ['open', 'dispatched', 'awaiting_callback'],
      refused: 'a closed demand has no progress to tell',
    },
    async (trx, demand) => {
      const at = ctx.now();
      const due = everyWorkingDays === null ? null : await firstProgressDue(trx, ctx.timeZone, at, everyWorkingDays);
      if (
        !(await repo.updateDemand(trx, demand.id, demand.version, {
          progress_every_wd: everyWorkingDays,
          progress_due_at: due,
          progress_told: everyWorkingDays === null ? null : demand.status,
          updated_at: at,
        }))
      )
        throw conflict('the demand was changed by someone else meanwhile; reload it and try again');
      await repo.addTimeline(trx, [
        {
          demandId: demand.id,
          at,
          actorId: ctx.actor.userId,
          kind: everyWorkingDays === null ? 'progress.off' : 'progress.on',
          data: { everyWorkingDays, nextAt: due },
        },
      ]);
      await recordAudit(trx, ctx, {
        action: 'demand.progress_messages',
        entityType: 'demand',
        entityId: demand.id,
        unitId: demand.unit_id,
        before: { everyWorkingDays: demand.progress_every_wd },
        after: { everyWorkingDays },
      });
    },
  );
}

/** The scheduler's part: a message for each change of status, and one when the schedule comes due; each once (a guarded update). */
export async function runProgressMessages(db: Kysely<DB>, now: Date, timeZone: string): Promise<number> {
  const at = now.toISOString();
  let sent = 0;
  for (const d of await repo.progressDemands(db, at, 500)) {
    const changed = d.progress_told !== d.status;
    const due = d.progress_due_at !== null && d.progress_due_at <= at;
    if (!changed && !due) continue;
    const closed = d.status === 'closed';
    const every = d.progress_every_wd ?? PROGRESS_EVERY_WD;
    const next = closed ? null : due ? await firstProgressDue(db, timeZone, at, every) : d.progress_due_at;
    const done = await db.transaction().execute(async (trx) => {
      if (!(await repo.advanceProgress(trx, d.id, d, { progress_due_at: next, progress_told: d.status }))) return false;
      await queueMessages(trx, at, [
        {
          // One per state told: the demand's version (a change) and the schedule's moment (a reminder) name it.
          key: `demand:${d.id}:progress:v${d.version}:${d.progress_due_at}`,
          kind: 'demand_progress',
          essential: false,
          customerId: d.customer_id,
          demandId: d.id,
          ...(d.customer_id === null && { channel: 'sms' as const, address: d.phone }),
          subject: `诉求进展 ${d.number}`,
          body: progressText({ number: d.number, status: d.status, unitName: d.unit_name }),
        },
      ]);
      await repo.addTimeline(trx, [
        { demandId: d.id, at, actorId: null, kind: 'progress.told', data: { status: d.status, reason: changed ? 'change' : 'schedule' } },
      ]);
      return true;
    });
    if (done) sent++;
  }
  return sent;
}
