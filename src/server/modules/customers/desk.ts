import type { ServiceContext } from '../../platform/context.js';
import { authorize } from '../../platform/policy.js';
import * as repo from './repository.js';
import type { Desk } from '../../../shared/schemas/customers.js';
import { localDate } from '../../../shared/time.js';
import { defaultYear } from './rules.js';
// The account manager's desk (客户经理工作台) in one request.

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** GET /api/customers/desk: the account manager's accounts, their open demands and applications, their actions due. */
export async function desk(ctx: ServiceContext): Promise<Desk> {
  authorize(ctx.actor, 'customer.read');
  const now = ctx.now();
  const today = localDate(new Date(now), ctx.timeZone);
  const years = await repo.consumptionYears(ctx.db);
  const year = defaultYear(years) ?? Number(today.slice(0, 4));
  const userId = ctx.actor.userId;
  const accounts = await repo.accountsOf(ctx.db, userId, year);
  const byAccountNo = new Map(accounts.map((a) => [a.account_no, a]));
  const [demands, applications, actions] = await Promise.all([
    repo.openDemandsOf(
      ctx.db,
      accounts.map((a) => a.account_no),
    ),
    repo.openApplicationsOf(
      ctx.db,
      userId,
      accounts.map((a) => a.id),
    ),
    repo.actionsDueOf(ctx.db, userId, addDays(today, 7)),
  ]);
  const demandsOf = new Map<string, number>();
  for (const d of demands) demandsOf.set(d.account_no!, (demandsOf.get(d.account_no!) ?? 0) + 1);
  const applicationsOf = new Map<number, number>();
  for (const a of applications) applicationsOf.set(a.customer_id, (applicationsOf.get(a.customer_id) ?? 0) + 1);
  const late = (a: { stage_due_at: string | null }) => a.stage_due_at !== null && a.stage_due_at < now;
  return {
    user: { id: userId, name: ctx.actor.name },
    year,
    counts: {
      accounts: accounts.length,
      openDemands: demands.length,
      openApplications: applications.length,
      lateApplications: applications.filter(late).length,
      actionsDue: actions.length,
    },
    accounts: accounts.map((a) => ({
      customerId: a.id,
      accountNo: a.account_no,
      name: a.name,
      customerClass: a.customer_class,
      important: a.important === 1,
      keyAccount: a.key_account === 1,
      keyAccountRank: a.key_account_rank,
      yearKwh: Number(a.kwh ?? 0),
      openDemands: demandsOf.get(a.account_no) ?? 0,
      openApplications: applicationsOf.get(a.id) ?? 0,
    })),
    demands: demands.map((d) => {
      const a = byAccountNo.get(d.account_no!)!;
      return {
        id: d.id,
        number: d.number,
        type: d.type,
        category: d.category,
        status: d.status,
        customerId: a.id,
        customerName: a.name,
        accountNo: a.account_no,
        createdAt: d.created_at,
        dueAt: (d.due_at as string | null) ?? null,
      };
    }),
    applications: applications.map((a) => ({
      id: a.id,
      number: a.number,
      customerId: a.customer_id,
      customerName: a.customer_name,
      stage: a.stage,
      stageDueAt: a.stage_due_at,
      late: late(a),
    })),
    actions: actions.map((a) => ({
      id: a.id,
      text: a.text,
      dueOn: a.due_on,
      overdue: a.due_on < today,
      customerId: a.customer_id,
      customerName: a.customer_name,
      planId: a.plan_id,
      activityId: a.activity_id,
    })),
  };
}
