import type { z } from 'zod';
import { recordAudit } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import type { ServiceContext } from '../../platform/context.js';
import { authorize } from '../../platform/policy.js';
import { visibleUnitIds } from '../org/service.js';
import * as repo from './repository.js';
import type { Contact, ContactsBody, CustomerRecord } from '../../../shared/schemas/customers.js';
import { type AccountManagers } from '../../../shared/schemas/customers.js';
import { invalid } from '../../platform/errors.js';
import { notify } from '../../platform/notify.js';
import { localDate } from '../../../shared/time.js';
import { monthsUpTo } from './rules.js';
import { segmentsOf } from '../relations/rules.js';
// The customer record (客户视图, issue 17): everything about a customer at once,
// their contacts and their account manager.

const RECORD_DEMANDS = 500;

/** The customer if the caller may see them (a handler: their units' customers), else 404. */
async function visibleCustomer(ctx: ServiceContext, id: number) {
  const row = await repo.findCustomerRecord(ctx.db, id);
  if (!row || !(await visibleUnitIds(ctx)).has(row.unit_id)) throw notFound('customer');
  return row;
}

const presentContact = (c: Awaited<ReturnType<typeof repo.contactsOf>>[number]): Contact => ({
  id: c.id,
  name: c.name,
  role: c.role as Contact['role'],
  phone: c.phone,
  email: c.email,
  note: c.note,
});

/** GET /api/customers/:id: everything about the customer at once. */
export async function customerRecord(ctx: ServiceContext, id: number): Promise<CustomerRecord> {
  authorize(ctx.actor, 'customer.read');
  const c = await visibleCustomer(ctx, id);
  const now = ctx.now();
  const thisMonth = localDate(new Date(now), ctx.timeZone).slice(0, 7);
  const [contacts, consumption, demands, outages, plans, activities, applications] = await Promise.all([
    repo.contactsOf(ctx.db, id),
    repo.consumptionOf(ctx.db, id, monthsUpTo(thisMonth, 25)[0]!),
    repo.demandsOfCustomer(ctx.db, c.account_no, c.phone, RECORD_DEMANDS),
    repo.outagesOfCustomer(ctx.db, c, 100),
    // The groups whose standing plans apply to the customer: the relations module's rule.
    repo.plansOfCustomer(ctx.db, id, segmentsOf({ keyAccount: c.key_account === 1, important: c.important === 1, customerClass: c.customer_class })),
    repo.activitiesOfCustomer(ctx.db, id),
    repo.applicationsOfCustomer(ctx.db, id),
  ]);
  const months = consumption.months.slice(-24);
  const calls = [
    ...demands.own.map((d) => ({ ...d, matchedBy: 'customer' as const })),
    ...demands.byPhone.map((d) => ({ ...d, matchedBy: 'phone' as const })),
  ].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id));
  return {
    id: c.id,
    accountNo: c.account_no,
    name: c.name,
    phone: c.phone,
    address: c.address,
    customerClass: c.customer_class as CustomerRecord['customerClass'],
    areaClass: c.area_class as CustomerRecord['areaClass'],
    important: c.important === 1,
    keyAccount: c.key_account === 1,
    keyAccountRank: c.key_account_rank,
    messaging: { channel: c.message_channel === 'email' ? 'email' : 'sms', email: c.email, optOut: c.messages_opt_out === 1 },
    network: {
      stationId: c.unit_id,
      stationName: c.station_name,
      countyId: c.county_id,
      countyName: c.county_name,
      feederId: c.feeder_id,
      feederName: c.feeder_name,
      districtId: c.district_id,
      districtName: c.district_name,
    },
    accountManagerId: c.account_manager_id,
    accountManager: c.account_manager_id === null ? null : { id: c.account_manager_id, name: c.manager_name ?? '', phone: c.manager_phone ?? null },
    contacts: contacts.map(presentContact),
    consumption: {
      months: months.map((m) => ({ month: m.month, kwh: Number(m.kwh) })),
      years: consumption.years.map((y) => ({ year: y.year, kwh: Number(y.kwh), months: y.months })),
    },
    demands: calls.map((d) => ({
      id: d.id,
      number: d.number,
      channel: d.channel,
      type: d.type,
      category: d.category,
      status: d.status,
      createdAt: d.created_at,
      closedAt: d.closed_at,
      caseId: d.case_id !== null && d.case_id !== d.id ? d.case_id : null,
      callCount: d.call_count,
      matchedBy: d.matchedBy,
      accountNo: d.account_no,
    })),
    outages: [...new Map(outages.map((o) => [o.id, o])).values()].map((o) => ({
      id: o.id,
      number: o.number,
      kind: o.kind,
      status: o.status,
      cause: o.cause,
      startsAt: o.starts_at,
      expectedEndAt: o.expected_end_at,
      restoredAt: o.restored_at,
      scope: o.scope as 'customer' | 'district' | 'feeder',
    })),
    plans: plans.plans.map((p) => ({
      id: p.id,
      kind: p.kind,
      segment: p.segment,
      title: p.title,
      status: p.status,
      reason: p.reason,
      createdAt: p.created_at,
      actions: plans.actions
        .filter((a) => a.plan_id === p.id)
        .slice(0, 20)
        .map((a) => ({ id: a.id, text: a.text, dueOn: a.due_on, status: a.status, ownerName: a.owner_name })),
    })),
    activities: activities.map((a) => ({ id: a.id, kind: a.kind, heldOn: a.held_on, topic: a.topic, outcome: a.outcome, place: a.place })),
    applications: applications.map((a) => ({
      id: a.id,
      number: a.number,
      kind: a.kind,
      capacityKva: Number(a.capacity_kva),
      voltage: a.voltage,
      status: a.status,
      stage: a.stage,
      stageDueAt: a.stage_due_at,
      late: a.status === 'open' && a.stage_due_at !== null && a.stage_due_at < now,
      createdAt: a.created_at,
    })),
  };
}

/** PUT /api/customers/:id/contacts: the set replaces the old. */
export async function setContacts(ctx: ServiceContext, id: number, body: ContactsBody): Promise<{ items: Contact[] }> {
  authorize(ctx.actor, 'customer.manage');
  const c = await visibleCustomer(ctx, id);
  const before = await repo.contactsOf(ctx.db, id);
  await ctx.transact(async (trx) => {
    await repo.replaceContacts(trx, id, body.contacts, ctx.now());
    await recordAudit(trx, ctx, {
      action: 'customer.contacts',
      entityType: 'customer',
      entityId: id,
      unitId: c.unit_id,
      before: before.map(presentContact),
      after: body.contacts,
    });
  });
  return { items: (await repo.contactsOf(ctx.db, id)).map(presentContact) };
}

/** PUT /api/customers/:id/account-manager: an account manager (role account_manager) owns the customer; null: nobody. */
export async function assignAccountManager(ctx: ServiceContext, id: number, userId: number | null) {
  authorize(ctx.actor, 'customer.manage');
  const c = await visibleCustomer(ctx, id);
  let manager: { id: number; name: string; phone: string | null } | null = null;
  if (userId !== null) {
    const u = await repo.userWithRole(ctx.db, userId, 'account_manager');
    if (!u || u.active !== 1) throw invalid('userId', `no active user with id ${userId}`);
    if (u.role === null) throw invalid('userId', `${u.name} (user ${userId}) does not have the role account_manager`);
    manager = { id: u.id, name: u.name, phone: u.phone };
  }
  const at = ctx.now();
  await ctx.transact(async (trx) => {
    await repo.setAccountManager(trx, id, userId, at);
    if (manager && manager.id !== c.account_manager_id)
      await notify(trx, at, [{ userId: manager.id, kind: 'account_assigned', title: `客户经理：${c.name}（${c.account_no}）由您负责` }]);
    if (c.account_manager_id !== null && c.account_manager_id !== userId)
      await notify(trx, at, [{ userId: c.account_manager_id, kind: 'account_unassigned', title: `客户经理：${c.name}（${c.account_no}）不再由您负责` }]);
    await recordAudit(trx, ctx, {
      action: 'customer.account_manager',
      entityType: 'customer',
      entityId: id,
      unitId: c.unit_id,
      before: { accountManagerId: c.account_manager_id },
      after: { accountManagerId: userId },
    });
  });
  return { customerId: id, accountManagerId: userId, accountManager: manager };
}

/** GET /api/account-managers: whom a customer can be given to. */
export async function listAccountManagers(ctx: ServiceContext): Promise<z.infer<typeof AccountManagers>> {
  authorize(ctx.actor, 'customer.read');
  const rows = await repo.accountManagers(ctx.db);
  return { items: rows.map((r) => ({ id: r.id, name: r.name, phone: r.phone, unitName: r.unit_name, accounts: Number(r.accounts ?? 0) })) };
}

// ── consumption ────────────────────────────────────────────────────────────
