import type { z } from 'zod';
import type { CustomerLookup, CustomerMessagingBody, Places } from '../../../shared/schemas/demands.js';
import { recordAudit } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import type { ServiceContext } from '../../platform/context.js';
import { authorize } from '../../platform/policy.js';
import { unitNames } from '../org/directory.js';
import { seesEveryUnit, visibleUnitIds } from '../org/service.js';
import { findMessaging, indexCustomerNames as indexNames, lookupCustomers, placesByName, recentCasesOf, setMessaging, stationOfPlace } from './repository.js';
import { nameGrams } from '../../platform/text.js';

const RECENT_DAYS = 90;

/** The screen pop: customers by phone, 户号 or any part of a name, with their open and recent cases. */
export async function lookup(
  ctx: ServiceContext,
  query: { phone?: string | undefined; accountNo?: string | undefined; q?: string | undefined },
): Promise<z.infer<typeof CustomerLookup>> {
  authorize(ctx.actor, 'customer.read');
  const unitIds = (await seesEveryUnit(ctx)) ? undefined : [...(await visibleUnitIds(ctx))];
  // A name is found by any part of two characters or more; digits (户号, phone) by their beginning.
  const grams = query.q !== undefined && !/^\d+$/.test(query.q) ? nameGrams(query.q) : undefined;
  const rows = await lookupCustomers(ctx.db, { ...query, unitIds, nameGrams: grams });
  const since = new Date(Date.parse(ctx.now()) - RECENT_DAYS * 86_400_000).toISOString();
  const cases = await recentCasesOf(
    ctx.db,
    rows.map((r) => ({ accountNo: r.account_no, phone: r.phone })),
    since,
    unitIds,
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      accountNo: r.account_no,
      name: r.name,
      phone: r.phone,
      address: r.address,
      customerClass: r.customer_class,
      important: r.important === 1,
      areaClass: r.area_class as 'urban' | 'rural' | 'remote',
      stationId: r.unit_id,
      stationName: r.station_name,
      districtId: r.district_id,
      districtName: r.district_name,
      feederId: r.feeder_id,
      feederName: r.feeder_name,
      messaging: { channel: r.message_channel === 'email' ? ('email' as const) : ('sms' as const), email: r.email, optOut: r.messages_opt_out === 1 },
      // The customer's cases, one entry each however many calls it has, the case with the newest call first.
      recentDemands: cases
        .filter(
          (c, i) =>
            (c.account_no === r.account_no || c.phone === r.phone) &&
            cases.findIndex((o) => o.id === c.id && (o.account_no === r.account_no || o.phone === r.phone)) === i,
        )
        .slice(0, 10)
        .map((c) => ({
          id: c.id,
          number: c.number,
          type: c.type,
          category: c.category,
          status: c.status,
          callCount: c.call_count,
          createdAt: c.created_at,
          lastCallAt: c.lastCallAt,
          closedAt: c.closed_at,
        })),
    })),
  };
}

/** A fault's place: 台区 and feeders by a part of their name, with the station a repair there goes to. */
export async function places(ctx: ServiceContext, q: string): Promise<Places> {
  authorize(ctx.actor, 'customer.read');
  const { districts, feeders } = await placesByName(ctx.db, q, 20);
  const stations = new Map(
    (
      await unitNames(
        ctx.db,
        feeders.flatMap((f) => (f.station_id === null ? [] : [f.station_id])),
      )
    ).map((u) => [u.id, u.name]),
  );
  return {
    items: [
      ...feeders.map((f) => ({
        kind: 'feeder' as const,
        id: f.id,
        name: f.name,
        stationId: f.station_id,
        stationName: f.station_id === null ? null : (stations.get(f.station_id) ?? null),
        feederName: f.name,
      })),
      ...districts.map((d) => ({
        kind: 'district' as const,
        id: d.id,
        name: d.name,
        stationId: d.station_id,
        stationName: d.station_name,
        feederName: d.feeder_name,
      })),
    ],
  };
}

/** The station a repair at this 台区 or feeder goes to, for the intake; undefined when there is no such place. */
export async function stationOfFaultPlace(db: ServiceContext['db'], place: { districtId?: number | undefined; feederId?: number | undefined }) {
  return stationOfPlace(db, place);
}

/** Keeps the index of customers' names (their two-character pieces) up with the customers added. */
export async function indexCustomerNames(db: ServiceContext['db']): Promise<number> {
  return indexNames(db, nameGrams);
}

/** What the customer asked about being told (the agent on the call records it): the channel, the e-mail, opting out of non-essential messages. */
export async function setCustomerMessaging(ctx: ServiceContext, id: number, body: CustomerMessagingBody) {
  authorize(ctx.actor, 'customer.messaging');
  const before = await findMessaging(ctx.db, id);
  if (!before || !(await visibleUnitIds(ctx)).has(before.unit_id)) throw notFound('customer');
  const after = {
    message_channel: body.channel,
    email: body.email ?? (body.channel === 'sms' ? before.email : null),
    messages_opt_out: body.optOut ? (1 as const) : (0 as const),
  };
  await ctx.transact(async (trx) => {
    await setMessaging(trx, id, after, ctx.now());
    await recordAudit(trx, ctx, {
      action: 'customer.messaging',
      entityType: 'customer',
      entityId: id,
      unitId: before.unit_id,
      before: { channel: before.message_channel, email: before.email, optOut: before.messages_opt_out === 1 },
      after: { channel: after.message_channel, email: after.email, optOut: body.optOut },
    });
  });
  return { id, channel: body.channel, email: after.email, optOut: body.optOut };
}
