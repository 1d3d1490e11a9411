import type { z } from 'zod';
import type { CustomerLookup } from '../../../shared/schemas/demands.js';
import type { ServiceContext } from '../../platform/context.js';
import { authorize } from '../../platform/policy.js';
import { seesEveryUnit, visibleUnitIds } from '../org/service.js';
import { lookupCustomers, recentDemandsOf } from './repository.js';

const RECENT_DAYS = 90;

/** The screen pop: customers by phone, 户号 or the start of a name, with their open and recent demands. */
export async function lookup(ctx: ServiceContext, query: { phone?: string | undefined; accountNo?: string | undefined; q?: string | undefined }): Promise<z.infer<typeof CustomerLookup>> {
  authorize(ctx.actor, 'customer.read');
  const unitIds = (await seesEveryUnit(ctx)) ? undefined : [...(await visibleUnitIds(ctx))];
  const rows = await lookupCustomers(ctx.db, { ...query, unitIds });
  const since = new Date(Date.parse(ctx.now()) - RECENT_DAYS * 86_400_000).toISOString();
  const demands = await recentDemandsOf(ctx.db, rows.map((r) => ({ accountNo: r.account_no, phone: r.phone })), since);
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
      districtName: r.district_name,
      feederName: r.feeder_name,
      recentDemands: demands
        .filter((d) => d.account_no === r.account_no || d.phone === r.phone)
        .slice(0, 10)
        .map((d) => ({ id: d.id, number: d.number, type: d.type, category: d.category, status: d.status, createdAt: d.created_at, closedAt: d.closed_at })),
    })),
  };
}
