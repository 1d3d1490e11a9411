import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import { notify } from '../../platform/notify.js';
import { claimEscalation, claimWarning, dueEscalations, dueWarnings, STEP_WORDS } from '../deadlines/service.js';
import { tellLevels } from './cases.js';
import * as repo from './repository.js';

// The demands' part of the scheduler pass (src/server/scheduler.ts): the
// warnings (80 %) and the overdue escalations (100 %) of the steps' deadlines
// that have come due. Each deadline row records that its warning and its
// escalation went out, and the pass claims a row with a guarded UPDATE inside
// the transaction that acts on it, so a restart, a second pass or a second
// process never fires one twice.

const BATCH = 200;

export async function runDeadlineTimers(db: Kysely<DB>, now: Date): Promise<{ warnings: number; escalations: number }> {
  const at = now.toISOString();
  const report = { warnings: 0, escalations: 0 };
  const system = { actor: null, now: () => at };

  for (;;) {
    const overdue = await dueEscalations(db, at, BATCH);
    for (const d of overdue) {
      const fired = await db.transaction().execute(async (trx) => {
        if (!(await claimEscalation(trx, d.id, at))) return false;
        const demand = await repo.escalationFacts(trx, d.demand_id);
        // A step past its limit puts the case before the team lead (level 1 of the ladder); the levels above are reached by the calls or by hand.
        const level = Math.max(demand.escalation_level, 1);
        await repo.setEscalationLevel(trx, d.demand_id, level, demand.version, at);
        await repo.addTimeline(trx, [{ demandId: d.demand_id, at, actorId: null, kind: 'deadline.overdue', data: { step: d.step, dueAt: d.due_at, level } }]);
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
    const warnings = await dueWarnings(db, at, BATCH);
    for (const d of warnings) {
      const fired = await db.transaction().execute(async (trx) => {
        if (!(await claimWarning(trx, d.id, at))) return false;
        await repo.addTimeline(trx, [{ demandId: d.demand_id, at, actorId: null, kind: 'deadline.warning', data: { step: d.step, dueAt: d.due_at } }]);
        const title = `即将超时 ${d.number}：${STEP_WORDS[d.step] ?? d.step}`;
        await notify(trx, at, [
          { role: 'handler', unitId: d.unit_id, kind: 'warning', demandId: d.demand_id, title },
          { userId: d.created_by, kind: 'warning', demandId: d.demand_id, title },
        ]);
        return true;
      });
      if (fired) report.warnings++;
    }
    if (warnings.length < BATCH) break;
  }
  return report;
}
