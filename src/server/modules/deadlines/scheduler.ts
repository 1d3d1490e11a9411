import { sql, type Kysely } from 'kysely';
import type { Pool, PoolClient } from 'pg';
import { DEFAULT_TIME_ZONE } from '../../../shared/time.js';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import { notify } from '../notifications/repository.js';
import { tellLevels } from '../demands/cases.js';
import { STEP_WORDS } from './policies.js';
import { runConsultationTimers } from '../experts/timers.js';
import { runRevisionNotices } from '../knowledge/reminders.js';
import { runActionItemTimers } from '../meetings/service.js';
import { runMonthlyTransfer } from '../transfers/service.js';

// The scheduler: one pass raises the warnings (80 %) and the overdue
// escalations (100 %) that have come due. Each deadline row records that its
// warning and its escalation went out, and the pass claims a row with a
// guarded UPDATE inside the transaction that acts on it, so a restart, a
// second pass or a second process never fires one twice.

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
}

const BATCH = 200;

/** One pass as of `now`; the month's batch and the expert seat's duty hours go by the company's zone. */
export async function runSchedulerPass(db: Kysely<DB>, now: Date, timeZone: string = DEFAULT_TIME_ZONE): Promise<PassReport> {
  const at = now.toISOString();
  const report: PassReport = { warnings: 0, escalations: 0, handOvers: 0, reminders: 0, revisionNotices: 0, transferBatches: 0, actionItemNotices: 0 };
  const system = { actor: null, now: () => at };

  for (;;) {
    const overdue = await db
      .selectFrom('deadlines')
      .innerJoin('demands', 'demands.id', 'deadlines.demand_id')
      .select(['deadlines.id', 'deadlines.step', 'deadlines.demand_id', 'deadlines.due_at', 'demands.number', 'demands.unit_id'])
      .where('deadlines.escalated_at', 'is', null)
      .where('deadlines.due_at', '<=', at)
      .where('deadlines.met_at', 'is', null)
      .where('deadlines.cancelled_at', 'is', null)
      .orderBy('deadlines.due_at')
      .limit(BATCH)
      .execute();
    for (const d of overdue) {
      const fired = await db.transaction().execute(async (trx) => {
        const claimed = await trx
          .updateTable('deadlines')
          .set({ escalated_at: at, warned_at: sql`coalesce(warned_at, ${at})` })
          .where('id', '=', d.id)
          .where('escalated_at', 'is', null)
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) return false;
        const demand = await trx
          .selectFrom('demands')
          .select(['escalation_level', 'version', 'created_by'])
          .where('id', '=', d.demand_id)
          .executeTakeFirstOrThrow();
        // A step past its limit puts the case before the team lead (level 1 of the ladder); the levels above are reached by the calls or by hand.
        const level = Math.max(demand.escalation_level, 1);
        await trx
          .updateTable('demands')
          .set({ escalation_level: level, version: demand.version + 1, updated_at: at })
          .where('id', '=', d.demand_id)
          .execute();
        await trx
          .insertInto('timeline')
          .values({
            demand_id: d.demand_id,
            at,
            actor_id: null,
            kind: 'deadline.overdue',
            note: null,
            data_json: JSON.stringify({ step: d.step, dueAt: d.due_at, level }),
          })
          .execute();
        const words = `超时 ${d.number}：${STEP_WORDS[d.step] ?? d.step}`;
        await notify(trx, at, [
          ...(demand.escalation_level >= 1 ? [{ role: 'team_lead', kind: 'overdue', demandId: d.demand_id, title: words }] : []),
          { role: 'handler', unitId: d.unit_id, kind: 'overdue', demandId: d.demand_id, title: words },
        ]);
        // Newly at the team lead: told by name, once, as the ladder tells.
        if (demand.escalation_level === 0)
          await tellLevels(trx, { id: d.demand_id, number: d.number, unit_id: d.unit_id, created_by: demand.created_by }, [1], {
            at,
            actorId: null,
            reason: 'overdue',
            note: `${STEP_WORDS[d.step] ?? d.step}超时`,
          });
        await recordAudit(trx, system, {
          action: 'deadline.overdue',
          entityType: 'demand',
          entityId: d.demand_id,
          unitId: d.unit_id,
          after: { step: d.step, level },
        });
        return true;
      });
      if (fired) report.escalations++;
    }
    if (overdue.length < BATCH) break;
  }

  for (;;) {
    const warnings = await db
      .selectFrom('deadlines')
      .innerJoin('demands', 'demands.id', 'deadlines.demand_id')
      .select(['deadlines.id', 'deadlines.step', 'deadlines.demand_id', 'deadlines.due_at', 'demands.number', 'demands.unit_id', 'demands.created_by'])
      .where('deadlines.warned_at', 'is', null)
      .where('deadlines.warn_at', '<=', at)
      .where('deadlines.met_at', 'is', null)
      .where('deadlines.cancelled_at', 'is', null)
      .orderBy('deadlines.warn_at')
      .limit(BATCH)
      .execute();
    for (const d of warnings) {
      const fired = await db.transaction().execute(async (trx) => {
        const claimed = await trx.updateTable('deadlines').set({ warned_at: at }).where('id', '=', d.id).where('warned_at', 'is', null).executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) return false;
        await trx
          .insertInto('timeline')
          .values({
            demand_id: d.demand_id,
            at,
            actor_id: null,
            kind: 'deadline.warning',
            note: null,
            data_json: JSON.stringify({ step: d.step, dueAt: d.due_at }),
          })
          .execute();
        await notify(trx, at, [
          { role: 'handler', unitId: d.unit_id, kind: 'warning', demandId: d.demand_id, title: `即将超时 ${d.number}：${STEP_WORDS[d.step] ?? d.step}` },
          { userId: d.created_by, kind: 'warning', demandId: d.demand_id, title: `即将超时 ${d.number}：${STEP_WORDS[d.step] ?? d.step}` },
        ]);
        return true;
      });
      if (fired) report.warnings++;
    }
    if (warnings.length < BATCH) break;
  }

  const seat = await runConsultationTimers(db, now, timeZone);
  report.handOvers = seat.handOvers;
  report.reminders = seat.reminders;
  report.revisionNotices = await runRevisionNotices(db, now);
  report.transferBatches = await runMonthlyTransfer(db, now, timeZone);
  report.actionItemNotices = await runActionItemTimers(db, now);
  return report;
}

/** Where several app servers share one PostgreSQL, only the holder of this lock runs the scheduler. */
const SCHEDULER_LOCK = 95_598;

export interface SchedulerHandle {
  /** Whether this process runs the passes (always on SQLite; the lock holder on PostgreSQL). */
  isLeader(): boolean;
  stop(): Promise<void>;
}

/** Runs a pass every `intervalMs`; on PostgreSQL only while holding the advisory lock. */
export function startScheduler(
  database: Database,
  options: { intervalMs: number; clock: () => Date; timeZone?: string; log: (msg: string, err?: unknown) => void },
): SchedulerHandle {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let leader = database.dialect === 'sqlite';
  let lockConnection: PoolClient | undefined;
  // The lock belongs to the connection's session: closing the connection (not returning it to the pool) lets it go.
  const dropLock = () => {
    lockConnection?.release(true);
    lockConnection = undefined;
    leader = database.dialect === 'sqlite';
  };
  const connect = async (pool: Pool) => {
    const connection = await pool.connect();
    // The server may end this idle connection (a restart, a failover, pg_terminate_backend): pg reports it as an
    // 'error' event, which would end the process without a listener. The lock went with it: step down, try again.
    connection.on('error', (err) => {
      if (connection !== lockConnection) return;
      options.log('scheduler lock connection lost', err);
      dropLock();
    });
    return connection;
  };

  const tick = async () => {
    try {
      if (!leader && database.pool) {
        lockConnection ??= await connect(database.pool);
        const { rows } = await lockConnection.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [SCHEDULER_LOCK]);
        leader = rows[0]?.locked === true;
      }
      if (leader) await runSchedulerPass(database.db, options.clock(), options.timeZone);
    } catch (err) {
      options.log('scheduler pass failed', err);
      // A broken lock connection loses the lock with it: try again from scratch.
      if (database.dialect === 'postgres') dropLock();
    }
  };
  const loop = () => {
    if (stopped) return;
    running = tick().finally(() => {
      if (!stopped) timer = setTimeout(loop, options.intervalMs);
    });
  };
  loop();
  return {
    isLeader: () => leader,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      dropLock();
    },
  };
}
