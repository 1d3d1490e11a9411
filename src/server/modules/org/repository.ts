import { likeContains } from '../../platform/text.js';
import type { Kysely } from 'kysely';
import type { Role } from '../../../shared/codes.js';
import type { DB, NewUnitRow, UnitUpdate } from '../../db/types.js';

// Units and users: the only place of this module that builds SQL.

const unitColumns = ['id', 'code', 'name', 'kind', 'parent_id', 'area_class', 'active', 'head_user_id'] as const;

export async function listUnits(db: Kysely<DB>) {
  return db.selectFrom('units').select(unitColumns).orderBy('id').execute();
}

export async function findUnit(db: Kysely<DB>, id: number) {
  return db.selectFrom('units').select(unitColumns).where('id', '=', id).executeTakeFirst();
}

export async function findUnitByCode(db: Kysely<DB>, code: string) {
  return db.selectFrom('units').select(unitColumns).where('code', '=', code).executeTakeFirst();
}

export async function findUnitName(db: Kysely<DB>, id: number): Promise<string | undefined> {
  return (await db.selectFrom('units').select('name').where('id', '=', id).executeTakeFirst())?.name;
}

/** The active users holding a role, in these units when given, by name. */
export async function usersWithRole(db: Kysely<DB>, role: Role, unitIds?: readonly number[]) {
  return db
    .selectFrom('users')
    .select(['users.id', 'users.name', 'users.unit_id'])
    .where('users.active', '=', 1)
    .where('users.id', 'in', (eb) => eb.selectFrom('user_roles').select('user_roles.user_id').where('user_roles.role', '=', role))
    .$if(unitIds !== undefined, (q) => q.where('users.unit_id', 'in', unitIds!.length > 0 ? unitIds! : [-1]))
    .orderBy('users.id')
    .limit(50)
    .execute();
}

/** The tree's shape only: what the scope rules need. */
export async function unitTree(db: Kysely<DB>) {
  const rows = await db.selectFrom('units').select(['id', 'parent_id', 'kind']).execute();
  return rows.map((r) => ({ id: r.id, parentId: r.parent_id, kind: r.kind }));
}

export async function insertUnit(db: Kysely<DB>, unit: NewUnitRow): Promise<number> {
  return (await db.insertInto('units').values(unit).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateUnit(db: Kysely<DB>, id: number, changes: UnitUpdate): Promise<void> {
  await db.updateTable('units').set(changes).where('id', '=', id).execute();
}

export async function countActiveChildren(db: Kysely<DB>, unitId: number): Promise<{ units: number; users: number }> {
  const units = await db
    .selectFrom('units')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_id', '=', unitId)
    .where('active', '=', 1)
    .executeTakeFirstOrThrow();
  const users = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('unit_id', '=', unitId)
    .where('active', '=', 1)
    .executeTakeFirstOrThrow();
  return { units: Number(units.n), users: Number(users.n) };
}

const userColumns = [
  'users.id',
  'users.username',
  'users.name',
  'users.unit_id',
  'users.phone',
  'users.active',
  'users.locked_until',
  'users.created_at',
  'units.name as unit_name',
] as const;

export async function findUser(db: Kysely<DB>, id: number) {
  return db.selectFrom('users').innerJoin('units', 'units.id', 'users.unit_id').select(userColumns).where('users.id', '=', id).executeTakeFirst();
}

export async function findUserByUsername(db: Kysely<DB>, username: string) {
  return db.selectFrom('users').select(['id']).where('username', '=', username).executeTakeFirst();
}

export interface UserFilter {
  unitIds: number[];
  role?: Role | undefined;
  q?: string | undefined;
  includeInactive: boolean;
}

export async function listUsers(db: Kysely<DB>, filter: UserFilter) {
  return db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select(userColumns)
    .where('users.unit_id', 'in', filter.unitIds.length > 0 ? filter.unitIds : [-1])
    .$if(filter.role !== undefined, (qb) =>
      qb.where('users.id', 'in', (eb) => eb.selectFrom('user_roles').select('user_roles.user_id').where('user_roles.role', '=', filter.role!)),
    )
    .$if(Boolean(filter.q), (qb) => qb.where((eb) => eb.or([likeContains('users.username', filter.q!), likeContains('users.name', filter.q!)])))
    .$if(!filter.includeInactive, (qb) => qb.where('users.active', '=', 1))
    .orderBy('users.unit_id')
    .orderBy('users.username')
    .limit(1000)
    .execute();
}

export async function rolesByUser(db: Kysely<DB>, userIds: number[]): Promise<Map<number, Role[]>> {
  const map = new Map<number, Role[]>();
  if (userIds.length === 0) return map;
  const rows = await db.selectFrom('user_roles').select(['user_id', 'role']).where('user_id', 'in', userIds).orderBy('role').execute();
  for (const row of rows) {
    const list = map.get(row.user_id) ?? [];
    list.push(row.role as Role);
    map.set(row.user_id, list);
  }
  return map;
}

export async function insertUser(
  db: Kysely<DB>,
  user: { username: string; name: string; passwordHash: string; unitId: number; phone: string | null; now: string },
): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      username: user.username,
      name: user.name,
      password_hash: user.passwordHash,
      unit_id: user.unitId,
      phone: user.phone,
      created_at: user.now,
      updated_at: user.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setRoles(db: Kysely<DB>, userId: number, roles: readonly Role[]): Promise<void> {
  await db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
  if (roles.length > 0)
    await db
      .insertInto('user_roles')
      .values(roles.map((role) => ({ user_id: userId, role })))
      .execute();
}

export async function updateUser(
  db: Kysely<DB>,
  id: number,
  changes: Partial<{
    name: string;
    unit_id: number;
    phone: string | null;
    active: number;
    password_hash: string;
    failed_logins: number;
    locked_until: string | null;
  }>,
  now: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ ...changes, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function unitNames(db: Kysely<DB>, ids: readonly number[]) {
  return db
    .selectFrom('units')
    .select(['id', 'name'])
    .where('id', 'in', [-1, ...ids])
    .execute();
}
