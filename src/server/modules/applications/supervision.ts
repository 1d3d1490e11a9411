import type { Kysely } from 'kysely';
import type { ApplicationStage } from '../../../shared/schemas/applications.js';
import { localDateTime } from '../../../shared/time.js';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import { notify, type NewNotification } from '../../platform/notify.js';
import { deadlineRules } from '../deadlines/service.js';
import * as repo from './repository.js';
import { secondEscalationAt, STAGE_WORDS } from './rules.js';

// 督办: the scheduler's part of the green channel. A stage under way at 80 %
// of its working time → one reminder to its owner unit's handlers and the
// account manager; past due → level 1, the account manager told; still not
// done a further half of its limit later (at least one working day) → level
// 2, the owner unit's head told. Each step is claimed by a conditional update
// in the transaction that tells, so two passes (two servers) never fire it
// twice and a restart loses nothing.

export interface SupervisionReport {
  reminders: number;
  escalations: number;
}

const BATCH = 200;

export async function runApplicationSupervision(db: Kysely<DB>, now: Date, timeZone: string): Promise<SupervisionReport> {
  const at = now.toISOString();
  const system = { actor: null, now: () => at };
  const report: SupervisionReport = { reminders: 0, escalations: 0 };
  const words = (stage: string) => STAGE_WORDS[stage as ApplicationStage] ?? stage;

  // Level 1 first: a stage found late before its reminder is escalated, not reminded.
  for (const s of await repo.lateAtLevel(db, at, 0, BATCH)) {
    const done = await db.transaction().execute(async (trx) => {
      if (!(await repo.claimEscalation(trx, s.id, 0, at))) return false;
      const title = `业扩 ${s.number}：${words(s.stage)}已超期（${s.owner_unit_name}，时限${s.limit_wd}个工作日）`;
      await notify(trx, at, [
        s.account_manager_id !== null
          ? { userId: s.account_manager_id, kind: 'application_late', title }
          : { role: 'account_manager', kind: 'application_late', title },
      ]);
      await repo.addEvent(trx, { applicationId: s.application_id, at, actorId: null, kind: 'escalated', stage: s.stage, note: '1' });
      await recordAudit(trx, system, {
        action: 'application.escalated',
        entityType: 'application',
        entityId: s.application_id,
        after: { stage: s.stage, level: 1 },
      });
      return true;
    });
    if (done) report.escalations++;
  }

  const waiting = await repo.lateAtLevel(db, at, 1, BATCH);
  if (waiting.length > 0) {
    const { calendar } = await deadlineRules(db, timeZone);
    for (const s of waiting) {
      if (secondEscalationAt(s.due_at!, s.limit_wd, calendar) > at) continue;
      const done = await db.transaction().execute(async (trx) => {
        if (!(await repo.claimEscalation(trx, s.id, 1, at))) return false;
        const head = await repo.headOf(trx, s.owner_unit_id);
        const title = `业扩 ${s.number}：${words(s.stage)}严重超期，请${s.owner_unit_name}负责人督办`;
        const told: NewNotification[] = head !== null ? [{ userId: head, kind: 'application_escalated', title }] : [];
        if (s.account_manager_id !== null && s.account_manager_id !== head) told.push({ userId: s.account_manager_id, kind: 'application_escalated', title });
        await notify(trx, at, told);
        await repo.addEvent(trx, { applicationId: s.application_id, at, actorId: null, kind: 'escalated', stage: s.stage, note: '2' });
        await recordAudit(trx, system, {
          action: 'application.escalated',
          entityType: 'application',
          entityId: s.application_id,
          after: { stage: s.stage, level: 2 },
        });
        return true;
      });
      if (done) report.escalations++;
    }
  }

  for (const s of await repo.dueReminders(db, at, BATCH)) {
    if (s.due_at !== null && s.due_at <= at) continue;
    const done = await db.transaction().execute(async (trx) => {
      if (!(await repo.claimReminder(trx, s.id, at))) return false;
      const title = `业扩 ${s.number}：${words(s.stage)}时限已过80%，请于 ${localDateTime(s.due_at!, timeZone)} 前办结`;
      await notify(trx, at, [
        { role: 'handler', unitId: s.owner_unit_id, kind: 'application_due', title },
        ...(s.account_manager_id !== null ? [{ userId: s.account_manager_id, kind: 'application_due', title }] : []),
      ]);
      await repo.addEvent(trx, { applicationId: s.application_id, at, actorId: null, kind: 'reminded', stage: s.stage });
      return true;
    });
    if (done) report.reminders++;
  }
  return report;
}
