import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import { addTimeline } from '../demands/service.js';
import { notify, type NewNotification } from '../../platform/notify.js';
import { poolOfUnit, toPoolExpert } from './pool.js';
import * as poolRepo from './pool-repository.js';
import * as repo from './repository.js';
import { nextExpert, type ConsultationStep } from './rules.js';

// The expert seat's part of the scheduler pass. Each timer that has come due
// is claimed (a guarded UPDATE) in the transaction that acts on it, so a
// restart, a second pass or a second process never acts twice:
// - acknowledge: the silent expert is passed over to the next available expert
//   of the unit, then to its leader; with nobody left, the team lead is told;
// - contact: the agent and the team lead are told the customer was not called
//   in time; the expert keeps the question;
// - reply: some time after the call began (its end is not known until the
//   report), the expert and the agent are reminded;
// - callback: the agent and the team lead are told the customer still waits.

export interface ConsultationPassReport {
  handOvers: number;
  reminders: number;
}

const BATCH = 200;

/** The consultation changed between the read and the write (an expert acknowledged meanwhile): roll back, the next pass looks again. */
class ChangedMeanwhile extends Error {}
const minutesLater = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

const LATE_TITLE: Record<Exclude<ConsultationStep, 'acknowledge' | 'forward'>, string> = {
  contact: '专家未按时联系客户',
  reply: '专家尚未反馈答复',
  callback: '专家答复待回访',
};

export async function runConsultationTimers(db: Kysely<DB>, now: Date, timeZone: string): Promise<ConsultationPassReport> {
  const at = now.toISOString();
  const report: ConsultationPassReport = { handOvers: 0, reminders: 0 };
  const system = { actor: null, now: () => at };
  for (;;) {
    const due = await repo.dueTimers(db, at, BATCH);
    for (const timer of due) {
      const save = async (trx: Kysely<DB>, c: repo.ConsultationRow, changes: Parameters<typeof repo.updateConsultation>[3]) => {
        if (!(await repo.updateConsultation(trx, c.id, c.version, changes))) throw new ChangedMeanwhile();
      };
      const outcome = await db
        .transaction()
        .execute(async (trx) => {
          if (!(await repo.claimTimer(trx, timer.id, at))) return 'none';
          const c = await repo.findConsultation(trx, timer.consultation_id);
          if (!c) return 'none';
          const step = timer.step as ConsultationStep;

          if (step === 'acknowledge') {
            // Stale when the expert acknowledged meanwhile or was already passed over.
            if (c.status !== 'assigned' || c.expert_id !== timer.expert_id) return 'none';
            const { limits } = await poolRepo.loadLimits(trx);
            const tried = new Set(JSON.parse(c.tried_json) as number[]);
            tried.add(c.expert_id);
            const pool = await poolOfUnit(trx, c.unit_id);
            const next = nextExpert(pool.map(toPoolExpert), c.topic, now, tried, timeZone);
            const silent = `${c.expert_name} 未在 ${limits.acknowledge} 分钟内确认`;
            await repo.cancelTimers(trx, c.id, ['contact'], at);
            if (!next) {
              if (c.unanswered_at) return 'none';
              await save(trx, c, { unanswered_at: at, updated_at: at });
              await repo.addEvents(trx, [
                { consultationId: c.id, at, actorId: null, kind: 'unanswered', expertId: c.expert_id, note: `${silent}; 本单位已无可转专家` },
              ]);
              await addTimeline(trx, [
                {
                  demandId: c.demand_id,
                  at,
                  actorId: null,
                  kind: 'consultation.unanswered',
                  note: silent,
                  data: { consultationId: c.id, unitName: c.unit_name },
                },
              ]);
              await notify(trx, at, [
                {
                  role: 'team_lead',
                  kind: 'consultation_unanswered',
                  demandId: c.demand_id,
                  consultationId: c.id,
                  title: `专家咨询无人响应 ${c.demand_number}: ${c.unit_name}`,
                },
                {
                  userId: c.forwarded_by,
                  kind: 'consultation_unanswered',
                  demandId: c.demand_id,
                  consultationId: c.id,
                  title: `专家咨询无人响应 ${c.demand_number}`,
                },
              ]);
              await recordAudit(trx, system, {
                action: 'consultation.unanswered',
                entityType: 'consultation',
                entityId: c.id,
                unitId: c.unit_id,
                after: { expertId: c.expert_id },
              });
              return 'reminder';
            }
            const nextRow = pool.find((e) => e.id === next.id)!;
            tried.add(next.id);
            await save(trx, c, { expert_id: next.id, assigned_at: at, hand_overs: c.hand_overs + 1, tried_json: JSON.stringify([...tried]), updated_at: at });
            await repo.startTimers(
              trx,
              (['acknowledge', 'contact'] as const).map((s) => ({
                consultationId: c.id,
                step: s,
                expertId: next.id,
                startedAt: at,
                dueAt: minutesLater(at, limits[s]),
              })),
            );
            const kind = next.leader ? 'passed_to_leader' : 'passed_over';
            await repo.addEvents(trx, [{ consultationId: c.id, at, actorId: null, kind, expertId: next.id, note: silent }]);
            await addTimeline(trx, [
              {
                demandId: c.demand_id,
                at,
                actorId: null,
                kind: `consultation.${kind}`,
                note: silent,
                data: { consultationId: c.id, from: c.expert_name, to: nextRow.name, toId: next.id },
              },
            ]);
            const notices: NewNotification[] = [
              {
                userId: next.id,
                kind: 'consultation',
                demandId: c.demand_id,
                consultationId: c.id,
                title: `专家咨询(转派) ${c.demand_number}: ${c.question.slice(0, 30)}`,
              },
              {
                userId: c.forwarded_by,
                kind: 'consultation_passed_over',
                demandId: c.demand_id,
                consultationId: c.id,
                title: `专家咨询已转 ${nextRow.name} ${c.demand_number}`,
              },
              // The silent expert learns it is no longer theirs (their page drops it).
              {
                userId: c.expert_id,
                kind: 'consultation_passed_over',
                demandId: c.demand_id,
                consultationId: c.id,
                title: `专家咨询已转 ${nextRow.name} ${c.demand_number}: ${silent}`,
              },
            ];
            await notify(trx, at, notices);
            await recordAudit(trx, system, {
              action: 'consultation.passed_over',
              entityType: 'consultation',
              entityId: c.id,
              unitId: c.unit_id,
              before: { expertId: c.expert_id },
              after: { expertId: next.id },
            });
            return 'handOver';
          }

          if (step === 'forward') return 'none';
          const stillWaiting =
            (step === 'contact' && (c.status === 'assigned' || c.status === 'acknowledged') && c.expert_id === timer.expert_id) ||
            (step === 'reply' && c.status === 'contacted') ||
            (step === 'callback' && c.status === 'replied');
          if (!stillWaiting) return 'none';
          const title = `${LATE_TITLE[step]} ${c.demand_number}`;
          const notices: NewNotification[] = [{ userId: c.forwarded_by, kind: 'consultation_late', demandId: c.demand_id, consultationId: c.id, title }];
          if (step !== 'reply') notices.push({ role: 'team_lead', kind: 'consultation_late', demandId: c.demand_id, consultationId: c.id, title });
          if (step === 'reply')
            notices.push({
              userId: c.expert_id,
              kind: 'consultation_late',
              demandId: c.demand_id,
              consultationId: c.id,
              title: `请反馈答复 ${c.demand_number}`,
            });
          await notify(trx, at, notices);
          // The report's verdict runs from the call's end, which is not known yet: a reminder, not a verdict.
          await repo.addEvents(trx, [
            {
              consultationId: c.id,
              at,
              actorId: null,
              kind: step === 'reply' ? 'reminded' : 'late',
              expertId: step === 'callback' ? null : c.expert_id,
              note: step,
            },
          ]);
          return 'reminder';
        })
        .catch((err: unknown) => {
          if (err instanceof ChangedMeanwhile) return 'none';
          throw err;
        });
      if (outcome === 'handOver') report.handOvers++;
      if (outcome === 'reminder') report.reminders++;
    }
    if (due.length < BATCH) break;
  }
  return report;
}
