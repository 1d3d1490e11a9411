import type { Kysely } from 'kysely';
import { DEFAULT_TIME_ZONE } from '../shared/time.js';
import type { DB } from './db/types.js';
import { runDeadlineTimers } from './modules/demands/timers.js';
import { runProgressMessages } from './modules/demands/progress.js';
import { runConsultationTimers } from './modules/experts/timers.js';
import { runRevisionNotices } from './modules/knowledge/reminders.js';
import { runActionItemTimers } from './modules/meetings/service.js';
import { runMonthlyTransfer } from './modules/transfers/service.js';
import { runOutageTimers } from './modules/outages/announcing.js';
import { runSuspectedOutageWatch } from './modules/outages/suspected.js';
import { runApplicationSupervision } from './modules/applications/supervision.js';
import { runRelationTimers } from './modules/relations/timers.js';
import { refreshDemandRollups } from './modules/reports/rollup.js';
import { refreshTermRollups } from './modules/hot-issues/rollup.js';

// One scheduler pass: each module hands in its part, which claims what has
// come due in the transaction that acts on it (so a pass never fires a thing
// twice). platform/scheduler.ts runs it every few seconds, in one process;
// `npm run suqiu -- scheduler --once` runs one from the command line.

export interface PassReport {
  warnings: number;
  escalations: number;
  /** Expert seat: questions passed over to the next expert after a silence. */
  handOvers: number;
  /** Expert seat: notices of late steps. */
  reminders: number;
  /** Knowledge base: notices of articles due (or overdue) for their yearly revision. */
  revisionNotices: number;
  /** 传递: the previous month's batch, made on the month's first working day (1 the pass that makes it). */
  transferBatches: number;
  /** 会商: action items reminded three working days before their date, or escalated when late. */
  actionItemNotices: number;
  /** Outages: announced ones whose start has come, now in progress. */
  outagesStarted: number;
  /** Outages: new suspected outages told to the team leads. */
  suspectedOutages: number;
  /** Long-running demands: progress messages queued to their customers. */
  progressMessages: number;
  /** 绿色通道: stages reminded at 80 % of their limit. */
  applicationReminders: number;
  /** 绿色通道: late stages escalated (level 1 the account manager, level 2 the owner unit's head). */
  applicationEscalations: number;
  /** Service plans: actions reminded 3 working days before their date, or told overdue. */
  planActionNotices: number;
  /** Service plans: dynamic plans proposed by the plan rules. */
  plansProposed: number;
  /** Reports: the local days whose demand and deadline rollups were rebuilt (every day, on the first pass). */
  rollupDays: number;
  /** Hot issues: the local days whose term rollups were rebuilt (jieba over their cases; every day, on the first pass). */
  termRollupDays: number;
}

/** One pass as of `now`; the month's batch and the expert seat's duty hours go by the company's zone. */
export async function runSchedulerPass(db: Kysely<DB>, now: Date, timeZone: string = DEFAULT_TIME_ZONE): Promise<PassReport> {
  const deadlines = await runDeadlineTimers(db, now);
  const seat = await runConsultationTimers(db, now, timeZone);
  const applications = await runApplicationSupervision(db, now, timeZone);
  return {
    ...deadlines,
    handOvers: seat.handOvers,
    reminders: seat.reminders,
    revisionNotices: await runRevisionNotices(db, now),
    transferBatches: await runMonthlyTransfer(db, now, timeZone),
    actionItemNotices: await runActionItemTimers(db, now),
    outagesStarted: await runOutageTimers(db, now),
    suspectedOutages: await runSuspectedOutageWatch(db, now),
    progressMessages: await runProgressMessages(db, now, timeZone),
    applicationReminders: applications.reminders,
    applicationEscalations: applications.escalations,
    ...(await runRelationTimers(db, now, timeZone)),
    // Last: the days the passes above changed are counted in this pass.
    rollupDays: await refreshDemandRollups(db, now, timeZone),
    termRollupDays: await refreshTermRollups(db, now, timeZone),
  };
}
