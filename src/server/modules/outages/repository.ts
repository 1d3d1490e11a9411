import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { DB, OutageTable } from '../../db/types.js';
import type { Insertable, Selectable, Updateable, ExpressionBuilder } from 'kysely';
import { nextCounter } from '../../db/counters.js';

// The outages' SQL. The customers an outage cuts are those on its feeders, in
// its 台区 or named singly: customers_feeder_idx, customers_district_idx and the
// primary key answer each part, so counting a feeder's customers reads the
// index only.

export interface Scope {
  feederIds: readonly number[];
  districtIds: readonly number[];
  customerIds: readonly number[];
}

/** The customers in the scope, as a condition on `customers` (none when the scope is empty). */
export function inScope(eb: ExpressionBuilder<DB, 'customers'>, scope: Scope): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (scope.feederIds.length) parts.push(eb('customers.feeder_id', 'in', [...scope.feederIds]));
  if (scope.districtIds.length) parts.push(eb('customers.district_id', 'in', [...scope.districtIds]));
  if (scope.customerIds.length) parts.push(eb('customers.id', 'in', [...scope.customerIds]));
  return parts.length ? eb.or(parts) : sql<SqlBool>`1 = 0`;
}

/** The ids of the customers in the scope, as a query other statements select from. */
export function customerIdsInScope(db: Kysely<DB>, scope: Scope) {
  return db
    .selectFrom('customers')
    .select('customers.id')
    .where((eb) => inScope(eb, scope));
}

export async function customersPage(db: Kysely<DB>, scope: Scope, page: { limit: number; offset: number; districtId?: number | undefined }) {
  let q = db
    .selectFrom('customers')
    .innerJoin('transformer_districts as d', 'd.id', 'customers.district_id')
    .select(['customers.id', 'customers.account_no', 'customers.name', 'customers.phone', 'd.name as district_name'])
    .where((eb) => inScope(eb, scope));
  if (page.districtId !== undefined) q = q.where('customers.district_id', '=', page.districtId);
  return q.orderBy('customers.id').limit(page.limit).offset(page.offset).execute();
}

/** The 台区 the scope cuts, with their customers. */
export async function districtsInScope(db: Kysely<DB>, scope: Scope) {
  const rows = await db
    .selectFrom('customers')
    .innerJoin('transformer_districts as d', 'd.id', 'customers.district_id')
    .innerJoin('feeders as f', 'f.id', 'd.feeder_id')
    .select((eb) => ['d.id', 'd.name', 'f.name as feeder_name', eb.fn.countAll<number>().as('customers')])
    .where((eb) => inScope(eb, scope))
    .groupBy(['d.id', 'd.name', 'f.name'])
    .orderBy('d.id')
    .execute();
  return rows.map((r) => ({ ...r, customers: Number(r.customers) }));
}

export async function feedersByIds(db: Kysely<DB>, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('feeders')
    .select(['id', 'name', 'unit_id'])
    .where('id', 'in', [...ids])
    .execute();
}

export async function districtsByIds(db: Kysely<DB>, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('transformer_districts as d')
    .innerJoin('feeders as f', 'f.id', 'd.feeder_id')
    .select(['d.id', 'd.name', 'd.unit_id', 'd.feeder_id', 'f.name as feeder_name'])
    .where('d.id', 'in', [...ids])
    .execute();
}

export async function customersByIds(db: Kysely<DB>, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('customers')
    .select(['id', 'name', 'unit_id', 'district_id', 'feeder_id'])
    .where('id', 'in', [...ids])
    .execute();
}

export async function customersByPhone(db: Kysely<DB>, phone: string) {
  return db.selectFrom('customers').select(['id', 'district_id', 'feeder_id']).where('phone', '=', phone).limit(20).execute();
}

export async function customerPlace(db: Kysely<DB>, id: number) {
  return db.selectFrom('customers').select(['id', 'district_id', 'feeder_id']).where('id', '=', id).executeTakeFirst();
}

export async function feederOfDistrict(db: Kysely<DB>, districtId: number) {
  return db.selectFrom('transformer_districts').select(['id', 'feeder_id', 'unit_id', 'name']).where('id', '=', districtId).executeTakeFirst();
}

export async function insertOutage(db: Kysely<DB>, row: Insertable<OutageTable>): Promise<number> {
  const { id } = await db.insertInto('outages').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function insertScope(db: Kysely<DB>, outageId: number, scope: Scope): Promise<void> {
  const rows = [
    ...scope.feederIds.map((ref_id) => ({ outage_id: outageId, kind: 'feeder', ref_id })),
    ...scope.districtIds.map((ref_id) => ({ outage_id: outageId, kind: 'district', ref_id })),
    ...scope.customerIds.map((ref_id) => ({ outage_id: outageId, kind: 'customer', ref_id })),
  ];
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('outage_scopes')
      .values(rows.slice(i, i + 500))
      .execute();
}

export async function scopeOf(db: Kysely<DB>, outageId: number): Promise<Scope> {
  const rows = await db.selectFrom('outage_scopes').select(['kind', 'ref_id']).where('outage_id', '=', outageId).execute();
  const of = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.ref_id);
  return { feederIds: of('feeder'), districtIds: of('district'), customerIds: of('customer') };
}

export async function addEvent(
  db: Kysely<DB>,
  event: { outageId: number; at: string; actorId: number | null; kind: string; note?: string | null; data?: unknown },
): Promise<void> {
  await db
    .insertInto('outage_events')
    .values({
      outage_id: event.outageId,
      at: event.at,
      actor_id: event.actorId,
      kind: event.kind,
      note: event.note ?? null,
      data_json: event.data === undefined ? null : JSON.stringify(event.data),
    })
    .execute();
}

export async function eventsOf(db: Kysely<DB>, outageId: number) {
  return db
    .selectFrom('outage_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.id', 'e.at', 'e.kind', 'e.note', 'e.data_json', 'u.name as actor_name'])
    .where('e.outage_id', '=', outageId)
    .orderBy('e.id')
    .execute();
}

const outageColumns = (db: Kysely<DB>) =>
  db
    .selectFrom('outages as o')
    .innerJoin('units as un', 'un.id', 'o.unit_id')
    .leftJoin('users as cu', 'cu.id', 'o.created_by')
    .selectAll('o')
    .select(['un.name as unit_name', 'cu.name as created_by_name']);

export type OutageRow = Selectable<OutageTable> & { unit_name: string; created_by_name: string | null };

export async function findOutage(db: Kysely<DB>, id: number): Promise<OutageRow | undefined> {
  return outageColumns(db).where('o.id', '=', id).executeTakeFirst();
}

export interface OutageFilter {
  statuses?: readonly string[];
  kind?: string | undefined;
  unitIds?: readonly number[] | undefined;
  late?: boolean | undefined;
}

export async function listOutages(db: Kysely<DB>, f: OutageFilter, page: { limit: number; offset: number }) {
  let q = outageColumns(db);
  let c = db.selectFrom('outages as o').select((eb) => eb.fn.countAll<number>().as('n'));
  if (f.statuses?.length) {
    q = q.where('o.status', 'in', [...f.statuses]);
    c = c.where('o.status', 'in', [...f.statuses]);
  }
  if (f.kind) {
    q = q.where('o.kind', '=', f.kind);
    c = c.where('o.kind', '=', f.kind);
  }
  if (f.unitIds) {
    q = q.where('o.unit_id', 'in', [...f.unitIds, -1]);
    c = c.where('o.unit_id', 'in', [...f.unitIds, -1]);
  }
  if (f.late) {
    q = q.where('o.late_notice_reason', 'is not', null);
    c = c.where('o.late_notice_reason', 'is not', null);
  }
  const [items, count] = await Promise.all([
    q.orderBy('o.starts_at', 'desc').orderBy('o.id', 'desc').limit(page.limit).offset(page.offset).execute(),
    c.executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/** The outages over a customer or place that are announced or running (not restored, not cancelled), whatever their start. */
export async function liveOutagesOver(db: Kysely<DB>, place: { customerIds: readonly number[]; districtIds: readonly number[]; feederIds: readonly number[] }) {
  const ids = await db
    .selectFrom('outage_scopes as s')
    .innerJoin('outages as o', 'o.id', 's.outage_id')
    .select('o.id')
    .distinct()
    .where((eb) =>
      eb.or([
        ...(place.customerIds.length ? [eb.and([eb('s.kind', '=', 'customer'), eb('s.ref_id', 'in', [...place.customerIds])])] : []),
        ...(place.districtIds.length ? [eb.and([eb('s.kind', '=', 'district'), eb('s.ref_id', 'in', [...place.districtIds])])] : []),
        ...(place.feederIds.length ? [eb.and([eb('s.kind', '=', 'feeder'), eb('s.ref_id', 'in', [...place.feederIds])])] : []),
        sql<SqlBool>`1 = 0`,
      ]),
    )
    .where('o.status', 'in', ['announced', 'in_progress'])
    .execute();
  if (ids.length === 0) return [];
  return outageColumns(db)
    .where(
      'o.id',
      'in',
      ids.map((r) => r.id),
    )
    .orderBy('o.starts_at', 'desc')
    .execute();
}

export async function updateOutage(db: Kysely<DB>, id: number, version: number, changes: Updateable<OutageTable>): Promise<boolean> {
  const result = await db
    .updateTable('outages')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Sets the 主单 if the outage has none; answers the 主单's id either way. */
export async function claimMaster(db: Kysely<DB>, outageId: number, demandId: number): Promise<number> {
  await db.updateTable('outages').set({ master_demand_id: demandId }).where('id', '=', outageId).where('master_demand_id', 'is', null).execute();
  const row = await db.selectFrom('outages').select('master_demand_id').where('id', '=', outageId).executeTakeFirstOrThrow();
  return row.master_demand_id!;
}

export async function masterNumber(db: Kysely<DB>, demandId: number | null): Promise<string | null> {
  if (demandId === null) return null;
  const row = await db.selectFrom('demands').select('number').where('id', '=', demandId).executeTakeFirst();
  return row?.number ?? null;
}

/** Announced outages whose start has come, oldest first: the scheduler starts them. */
export async function dueToStart(db: Kysely<DB>, now: string, limit: number) {
  return db
    .selectFrom('outages')
    .select(['id', 'version', 'starts_at'])
    .where('status', '=', 'announced')
    .where('starts_at', '<=', now)
    .orderBy('starts_at')
    .limit(limit)
    .execute();
}

export async function nextOutageSequence(db: Kysely<DB>, day: string): Promise<number> {
  return nextCounter(db, `outage:${day}`);
}

/** The feeders (with their unit and customers) for the outage form. */
export async function feeders(db: Kysely<DB>, unitIds: readonly number[] | undefined) {
  let q = db
    .selectFrom('feeders as f')
    .innerJoin('units as u', 'u.id', 'f.unit_id')
    .select((eb) => [
      'f.id',
      'f.name',
      'f.unit_id',
      'u.name as unit_name',
      eb.selectFrom('customers').select(eb.fn.countAll<number>().as('n')).whereRef('customers.feeder_id', '=', 'f.id').as('customers'),
    ]);
  if (unitIds) q = q.where('f.unit_id', 'in', [...unitIds, -1]);
  return q.orderBy('f.id').execute();
}

export async function districts(db: Kysely<DB>, where: { feederId?: number | undefined; unitIds?: readonly number[] | undefined }) {
  let q = db
    .selectFrom('transformer_districts as d')
    .select((eb) => [
      'd.id',
      'd.name',
      'd.feeder_id',
      'd.unit_id',
      eb.selectFrom('customers').select(eb.fn.countAll<number>().as('n')).whereRef('customers.district_id', '=', 'd.id').as('customers'),
    ]);
  if (where.feederId !== undefined) q = q.where('d.feeder_id', '=', where.feederId);
  if (where.unitIds) q = q.where('d.unit_id', 'in', [...where.unitIds, -1]);
  return q.orderBy('d.id').limit(2000).execute();
}

export async function placeNames(db: Kysely<DB>, districtIds: readonly number[], feederIds: readonly number[]) {
  const [ds, fs] = await Promise.all([districtsByIds(db, districtIds), feedersByIds(db, feederIds)]);
  return { districts: ds, feeders: fs };
}

/** How many customers are behind each place. */
export async function customersBehind(db: Kysely<DB>, place: 'district' | 'feeder', id: number): Promise<number> {
  const row = await db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(place === 'district' ? 'district_id' : 'feeder_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Records a suspicion the first time it is seen; true when this call recorded it (the team lead is to be told). */
export async function recordSuspicion(db: Kysely<DB>, s: { place: string; placeId: number; firstCallId: number; calls: number; at: string }): Promise<boolean> {
  const rows = await db
    .insertInto('outage_suspicions')
    .values({ place: s.place, place_id: s.placeId, first_call_id: s.firstCallId, calls: s.calls, notified_at: s.at })
    .onConflict((oc) => oc.columns(['place', 'place_id', 'first_call_id']).doNothing())
    .returning('id')
    .execute();
  return rows.length > 0;
}

/** The suspicions dismissed or declared, by place and first call: those groups are not shown again. */
export async function settledSuspicions(db: Kysely<DB>, firstCallIds: readonly number[]) {
  if (firstCallIds.length === 0) return [];
  return db
    .selectFrom('outage_suspicions')
    .select(['place', 'place_id', 'first_call_id'])
    .where('first_call_id', 'in', [...firstCallIds])
    .where((eb) => eb.or([eb('dismissed_at', 'is not', null), eb('outage_id', 'is not', null)]))
    .execute();
}

export async function settleSuspicion(
  db: Kysely<DB>,
  s: { place: string; placeId: number; firstCallId: number; calls: number; at: string },
  outcome: { dismissed_at?: string; dismissed_by?: number; dismiss_reason?: string; outage_id?: number },
): Promise<void> {
  await db
    .insertInto('outage_suspicions')
    .values({ place: s.place, place_id: s.placeId, first_call_id: s.firstCallId, calls: s.calls, notified_at: s.at, ...outcome })
    .onConflict((oc) => oc.columns(['place', 'place_id', 'first_call_id']).doUpdateSet(outcome))
    .execute();
}
