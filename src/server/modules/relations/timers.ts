import type { Kysely } from 'kysely';
import { addDays, DEFAULT_TIME_ZONE, localDate } from '../../../shared/time.js';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import { notify, type NewNotification } from '../../platform/notify.js';
import { calendarFrom, workingDaysBetween } from '../deadlines/calendar.js';
import * as repo from './repository.js';
import { actionNotice, dueOn, proposalReason, proposals, resolveOwner, windowStart } from './rules.js';
import { planRules } from './settings.js';

// The scheduler's part of service plans and activities (src/server/scheduler.ts):
// - each open action (a plan's, or an activity's follow-up) is reminded to its
//   owner once when 3 working days or fewer are left before its due date, and
//   told once when it is past due, to its owner and the customer's account
//   manager (or, without one, whoever created the plan or activity);
// - the plan rules (settings `relations.planRules`) are evaluated over recent
//   demands and callbacks, and each customer they pick gets a dynamic plan,
//   once per rule within the rule's window; the account manager is told.
// Both claim in the transaction that acts (a conditional update, or the
// re-checked absence of the plan), so two passes never fire a thing twice.

export interface RelationsReport {
  /** Actions reminded before their due date or told overdue. */
  planActionNotices: number;
  /** Dynamic plans proposed by the rules. */
  plansProposed: number;
}

const system = (at: string) => ({ actor: null, now: () => at });

async function noticeActions(db: Kysely<DB>, now: Date, timeZone: string): Promise<number> {
  const at = now.toISOString();
  const today = localDate(now, timeZone);
  // 3 working days are at most this many calendar days, even over the Spring Festival.
  const actions = await repo.actionsToNotice(db, addDays(today, 14));
  if (actions.length === 0) return 0;
  const calendar = calendarFrom(await repo.calendarDays(db), timeZone);
  const between = (from: string, to: string) => workingDaysBetween(from, to, calendar);
  let fired = 0;
  for (const a of actions) {
    const due = actionNotice({ dueOn: a.due_on, status: a.status, remindedAt: a.reminded_at, overdueNotifiedAt: a.overdue_notified_at }, today, between);
    if (!due) continue;
    const what = a.plan_title ?? a.activity_topic ?? '';
    const whose = a.customer_name ? `${a.customer_name} · ` : '';
    const done = await db.transaction().execute(async (trx) => {
      if (due === 'remind') {
        if (!(await repo.claimNotice(trx, a.id, 'reminded_at', at, false))) return false;
        await notify(trx, at, [
          { userId: a.owner_user_id, kind: 'plan_action_due', title: `服务事项将于 ${a.due_on} 到期：${whose}${a.text.slice(0, 40)}（${what.slice(0, 30)}）` },
        ]);
        return true;
      }
      if (!(await repo.claimNotice(trx, a.id, 'overdue_notified_at', at, true))) return false;
      const title = `服务事项已超期：${whose}${a.text.slice(0, 40)}（应于 ${a.due_on} 完成，${a.owner_name}负责）`;
      const overseer = a.account_manager_id ?? a.plan_created_by ?? a.activity_created_by;
      const told: NewNotification[] = [{ userId: a.owner_user_id, kind: 'plan_action_overdue', title }];
      if (overseer !== null && overseer !== a.owner_user_id) told.push({ userId: overseer, kind: 'plan_action_overdue', title });
      await notify(trx, at, told);
      await recordAudit(trx, system(at), { action: 'relation_action.overdue', entityType: 'relation_action', entityId: a.id });
      return true;
    });
    if (done) fired++;
  }
  return fired;
}

/** The plan rules evaluated as of `now`: each customer they pick gets its dynamic plan (once per rule within its window). */
export async function proposePlans(db: Kysely<DB>, now: Date, timeZone: string): Promise<number> {
  const at = now.toISOString();
  const today = localDate(now, timeZone);
  let proposed = 0;
  let teamLead: number | null | undefined;
  for (const rule of await planRules(db)) {
    const since = windowStart(at, rule.days);
    const events = await repo.ruleEvents(db, rule, since);
    if (events.length === 0) continue;
    const already = await repo.proposedSince(
      db,
      rule.key,
      since,
      events.map((e) => e.customerId),
    );
    for (const p of proposals(rule, events, at, already)) {
      const [customer] = await repo.customersByIds(db, [p.customerId]);
      if (!customer) continue;
      const [manager] = customer.account_manager_id !== null ? await repo.usersByIds(db, [customer.account_manager_id]) : [];
      teamLead ??= await repo.firstTeamLead(db);
      const facts = {
        accountManagerId: manager?.active === 1 ? manager.id : null,
        countyHeadId: await repo.countyHead(db, customer.unit_id),
        teamLeadId: teamLead,
      };
      const actions = rule.actions.map((a) => ({ ...a, ownerUserId: resolveOwner(a.owner, facts) }));
      // Nobody to own it (no manager, no county head, no team lead): nothing to propose.
      if (actions.some((a) => a.ownerUserId === null)) continue;
      const reason = proposalReason(rule, p);
      const made = await db.transaction().execute(async (trx) => {
        // The claim: no plan of the rule for the customer within the window, read again where the plan is written.
        if ((await repo.proposedSince(trx, rule.key, since, [customer.id])).size > 0) return false;
        const planId = await repo.insertPlan(trx, {
          customerId: customer.id,
          segment: null,
          kind: 'dynamic',
          title: rule.title,
          ruleKey: rule.key,
          reason,
          createdBy: null,
          at,
        });
        await repo.insertActions(
          trx,
          actions.map((a) => ({
            planId,
            activityId: null,
            customerId: customer.id,
            text: a.text,
            ownerUserId: a.ownerUserId!,
            dueOn: dueOn(today, a.dueInDays),
            at,
          })),
        );
        const told = new Set([facts.accountManagerId ?? actions[0]!.ownerUserId!]);
        await notify(
          trx,
          at,
          [...told].map((userId) => ({
            userId,
            kind: 'plan_proposed',
            title: `建议服务计划：${customer.name}（${customer.account_no}）· ${rule.title}，${reason}`,
          })),
        );
        await recordAudit(trx, system(at), {
          action: 'service_plan.proposed',
          entityType: 'service_plan',
          entityId: planId,
          unitId: customer.unit_id,
          after: { rule: rule.key, customerId: customer.id, demands: p.demandNumbers },
        });
        return true;
      });
      if (made) proposed++;
    }
  }
  return proposed;
}

/** One pass as of `now`: the actions' notices, then the rules' proposals. */
export async function runRelationTimers(db: Kysely<DB>, now: Date, timeZone: string = DEFAULT_TIME_ZONE): Promise<RelationsReport> {
  return {
    planActionNotices: await noticeActions(db, now, timeZone),
    plansProposed: await proposePlans(db, now, timeZone),
  };
}
