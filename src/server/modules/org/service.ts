import type { Role } from '../../../shared/codes.js';
import { navAreasFor } from '../../../shared/nav.js';
import type { MeResponse } from '../../../shared/schemas/auth.js';
import type { CreateUnitBody, CreateUserBody, ListUsersQuery, Unit, UpdateUnitBody, UpdateUserBody, UserDetail } from '../../../shared/schemas/org.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { hashPassword } from '../../platform/passwords.js';
import { actionsOf, authorize, isCityWide } from '../../platform/policy.js';
import { checkNewPassword, endUserAccess } from '../auth/service.js';
import { ACCOUNT_LOGINS } from '../auth/rules.js';
import { forgiveUser, lockedUntilOf } from '../../platform/throttle.js';
import * as repo from './repository.js';
import { allowedParentKinds, ancestorsOf, parentKindAllowed, subtreeOf, visibleUnits, wouldCreateCycle, type OrgUnitKind } from './rules.js';

// ── scope ────────────────────────────────────────────────────────────────
interface Scope {
  visible: Set<number>;
  /** The caller sees every unit there is (the centre, in a one-bureau company). */
  everyUnit: boolean;
}
const scopes = new WeakMap<object, Promise<Scope>>();

/** The caller's scope, from one read of the tree per request. */
function scopeOf(ctx: ServiceContext): Promise<Scope> {
  let scope = scopes.get(ctx.actor);
  if (!scope) {
    scope = repo.unitTree(ctx.db).then((tree) => {
      const visible = visibleUnits(tree, ctx.actor);
      return { visible, everyUnit: visible.size === tree.length };
    });
    scopes.set(ctx.actor, scope);
  }
  return scope;
}

/**
 * GET /api/me: the signed-in user, their unit by name, the areas of the web
 * their roles open, and what the policy lets them do (the web offers that and
 * never works it out from role names itself).
 */
export async function me(ctx: ServiceContext): Promise<MeResponse> {
  const { actor } = ctx;
  const unitName = (await repo.findUnitName(ctx.db, actor.unitId)) ?? '';
  return {
    user: { id: actor.userId, username: actor.username, name: actor.name, roles: actor.roles, unitId: actor.unitId, unitName },
    navAreas: navAreasFor(actor.roles),
    can: actionsOf(actor),
    cityWide: isCityWide(actor.roles),
    via: actor.via,
    timeZone: ctx.timeZone,
  };
}

/** The units whose data the caller may see; computed once per request. */
export async function visibleUnitIds(ctx: ServiceContext): Promise<Set<number>> {
  return (await scopeOf(ctx)).visible;
}

export async function seesEveryUnit(ctx: ServiceContext): Promise<boolean> {
  return (await scopeOf(ctx)).everyUnit;
}

// ── presenters: allow-lists, so that columns never leak into the API ──────
type UnitRow = NonNullable<Awaited<ReturnType<typeof repo.findUnit>>>;
type UserRow = NonNullable<Awaited<ReturnType<typeof repo.findUser>>>;

export function presentUnit(row: UnitRow): Unit {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind as Unit['kind'],
    parentId: row.parent_id,
    areaClass: row.area_class as Unit['areaClass'],
    active: row.active === 1,
    headUserId: row.head_user_id,
  };
}

function presentUser(row: UserRow, roles: Role[], lockedUntil: string | null): UserDetail {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    roles,
    unitId: row.unit_id,
    unitName: row.unit_name,
    phone: row.phone,
    active: row.active === 1,
    // Locked out from some client address (auth/service.ts login): until the latest such lock ends.
    lockedUntil,
    createdAt: row.created_at,
  };
}

// ── units ──────────────────────────────────────────────────────────────────
/** The organisation chart is reference data: every signed-in user reads all of it. */
export async function listUnits(ctx: ServiceContext): Promise<Unit[]> {
  authorize(ctx.actor, 'org.read');
  return (await repo.listUnits(ctx.db)).map(presentUnit);
}

export async function getUnit(ctx: ServiceContext, id: number): Promise<Unit> {
  authorize(ctx.actor, 'org.read');
  const row = await repo.findUnit(ctx.db, id);
  if (!row) throw notFound('unit');
  return presentUnit(row);
}

async function checkParent(ctx: ServiceContext, kind: OrgUnitKind, parentId: number | null, path = 'parentId') {
  const scope = await visibleUnitIds(ctx);
  if (parentId === null) {
    if (!parentKindAllowed(kind, null)) throw invalid(path, `a ${kind} must stand under a ${allowedParentKinds(kind).join(' or ')}`);
    throw new AppError('forbidden', 'a unit needs a parent within your bureau; a new root bureau is not created through the API');
  }
  const parent = await repo.findUnit(ctx.db, parentId);
  if (!parent || !scope.has(parent.id)) throw invalid(path, `no unit with id ${parentId}`);
  if (!parentKindAllowed(kind, parent.kind as OrgUnitKind)) {
    throw invalid(path, `a ${kind} cannot stand under a ${parent.kind}; it belongs under a ${allowedParentKinds(kind).join(' or ')}`);
  }
  if (parent.active !== 1) throw invalid(path, 'the parent unit is inactive');
}

export async function createUnit(ctx: ServiceContext, body: CreateUnitBody): Promise<Unit> {
  authorize(ctx.actor, 'unit.manage');
  await checkParent(ctx, body.kind, body.parentId);
  if (await repo.findUnitByCode(ctx.db, body.code)) throw conflict(`a unit with code ${body.code} already exists`);
  const id = await ctx.transact(async (trx) => {
    const id = await repo.insertUnit(trx, {
      code: body.code,
      name: body.name,
      kind: body.kind,
      parent_id: body.parentId,
      area_class: body.areaClass ?? null,
      created_at: ctx.now(),
      updated_at: ctx.now(),
    });
    await recordAudit(trx, ctx, { action: 'unit.created', entityType: 'unit', entityId: id, unitId: id, after: body });
    return id;
  });
  return getUnit(ctx, id);
}

export async function updateUnit(ctx: ServiceContext, id: number, body: UpdateUnitBody): Promise<Unit> {
  authorize(ctx.actor, 'unit.manage');
  const scope = await visibleUnitIds(ctx);
  const before = await repo.findUnit(ctx.db, id);
  if (!before || !scope.has(id)) throw notFound('unit');
  if (body.parentId !== undefined && body.parentId !== before.parent_id) {
    await checkParent(ctx, before.kind as OrgUnitKind, body.parentId);
    if (wouldCreateCycle(await repo.unitTree(ctx.db), id, body.parentId)) throw invalid('parentId', 'a unit cannot move under itself or one of its own units');
  }
  if (body.code !== undefined && body.code !== before.code && (await repo.findUnitByCode(ctx.db, body.code))) {
    throw conflict(`a unit with code ${body.code} already exists`);
  }
  if (body.headUserId !== undefined && body.headUserId !== null) {
    const head = await repo.findUser(ctx.db, body.headUserId);
    if (!head || head.active !== 1 || !scope.has(head.unit_id)) throw invalid('headUserId', `no active user with id ${body.headUserId}`);
  }
  if (body.active === false && before.active === 1) {
    const left = await repo.countActiveChildren(ctx.db, id);
    if (left.units > 0 || left.users > 0) {
      throw conflict(`the unit still has ${left.units} active units and ${left.users} active users; move or disable them first`);
    }
  }
  await ctx.transact(async (trx) => {
    await repo.updateUnit(trx, id, {
      ...(body.code !== undefined && { code: body.code }),
      ...(body.name !== undefined && { name: body.name }),
      ...(body.parentId !== undefined && { parent_id: body.parentId }),
      ...(body.areaClass !== undefined && { area_class: body.areaClass }),
      ...(body.active !== undefined && { active: body.active ? 1 : 0 }),
      ...(body.headUserId !== undefined && { head_user_id: body.headUserId }),
      updated_at: ctx.now(),
    });
    await recordAudit(trx, ctx, { action: 'unit.updated', entityType: 'unit', entityId: id, unitId: id, before: presentUnit(before), after: body });
  });
  return getUnit(ctx, id);
}

// ── users ──────────────────────────────────────────────────────────────────
export async function getUser(ctx: ServiceContext, id: number): Promise<UserDetail> {
  authorize(ctx.actor, 'user.read');
  const row = await repo.findUser(ctx.db, id);
  // Outside the caller's units, a user does not exist for them.
  if (!row || !(await visibleUnitIds(ctx)).has(row.unit_id)) throw notFound('user');
  const roles = (await repo.rolesByUser(ctx.db, [id])).get(id) ?? [];
  const locked = await lockedUntilOf(ctx.db, [id], ACCOUNT_LOGINS, new Date(ctx.now()));
  return presentUser(row, roles, locked.get(id) ?? null);
}

export async function listUsers(ctx: ServiceContext, query: ListUsersQuery): Promise<UserDetail[]> {
  authorize(ctx.actor, 'user.read');
  const scope = await visibleUnitIds(ctx);
  // A unit's users include those of the units below it (a county and its stations).
  const unitIds = query.unitId !== undefined ? [...subtreeOf(await repo.unitTree(ctx.db), query.unitId)].filter((id) => scope.has(id)) : [...scope];
  const rows = await repo.listUsers(ctx.db, { unitIds, role: query.role, q: query.q, includeInactive: query.includeInactive === 'true' });
  const roles = await repo.rolesByUser(
    ctx.db,
    rows.map((r) => r.id),
  );
  const locked = await lockedUntilOf(
    ctx.db,
    rows.map((r) => r.id),
    ACCOUNT_LOGINS,
    new Date(ctx.now()),
  );
  return rows.map((row) => presentUser(row, roles.get(row.id) ?? [], locked.get(row.id) ?? null));
}

async function checkUnitForUser(ctx: ServiceContext, unitId: number): Promise<void> {
  const unit = await repo.findUnit(ctx.db, unitId);
  if (!unit || !(await visibleUnitIds(ctx)).has(unitId)) throw invalid('unitId', `no unit with id ${unitId}`);
  if (unit.active !== 1) throw invalid('unitId', 'the unit is inactive');
}

export async function createUser(ctx: ServiceContext, body: CreateUserBody): Promise<UserDetail> {
  authorize(ctx.actor, 'user.manage');
  await checkUnitForUser(ctx, body.unitId);
  if (await repo.findUserByUsername(ctx.db, body.username)) throw conflict(`the user name ${body.username} is taken`);
  await checkNewPassword(ctx.db, 'password', body.password, [body.username, body.name]);
  const passwordHash = await hashPassword(body.password);
  const id = await ctx.transact(async (trx) => {
    const id = await repo.insertUser(trx, {
      username: body.username,
      name: body.name,
      passwordHash,
      unitId: body.unitId,
      phone: body.phone ?? null,
      now: ctx.now(),
    });
    await repo.setRoles(trx, id, body.roles);
    await recordAudit(trx, ctx, { action: 'user.created', entityType: 'user', entityId: id, unitId: body.unitId, after: { ...body, password: undefined } });
    return id;
  });
  return getUser(ctx, id);
}

export async function updateUser(ctx: ServiceContext, id: number, body: UpdateUserBody): Promise<UserDetail> {
  authorize(ctx.actor, 'user.manage');
  const before = await getUser(ctx, id);
  if (body.unitId !== undefined && body.unitId !== before.unitId) await checkUnitForUser(ctx, body.unitId);
  if (id === ctx.actor.userId) {
    // An admin must not lock themselves (and perhaps everyone) out.
    if (body.active === false) throw conflict('you cannot disable your own account');
    if (body.roles && !body.roles.includes('admin') && before.roles.includes('admin')) throw conflict('you cannot take the admin role from yourself');
  }
  if (body.password) await checkNewPassword(ctx.db, 'password', body.password, [before.username, body.name ?? before.name]);
  const passwordHash = body.password ? await hashPassword(body.password) : undefined;
  await ctx.transact(async (trx) => {
    await repo.updateUser(
      trx,
      id,
      {
        ...(body.name !== undefined && { name: body.name }),
        ...(body.unitId !== undefined && { unit_id: body.unitId }),
        ...(body.phone !== undefined && { phone: body.phone }),
        ...(body.active !== undefined && { active: body.active ? 1 : 0 }),
        ...(passwordHash && { password_hash: passwordHash }),
      },
      ctx.now(),
    );
    if (body.roles) await repo.setRoles(trx, id, body.roles);
    // A disabled user or a reset password ends the user's sessions and API tokens for good (enabling the user again revives none);
    // a move to another unit ends the sessions. A reset password lifts the locks of wrong guesses.
    const ended =
      body.active === false || passwordHash
        ? await endUserAccess(trx, id, ctx.now(), { tokens: true })
        : body.unitId !== undefined && body.unitId !== before.unitId
          ? await endUserAccess(trx, id, ctx.now(), { tokens: false })
          : undefined;
    if (passwordHash) await forgiveUser(trx, id);
    await recordAudit(trx, ctx, {
      action: 'user.updated',
      entityType: 'user',
      entityId: id,
      unitId: body.unitId ?? before.unitId,
      before,
      after: { ...body, password: body.password ? '[reset]' : undefined, ...(ended && { sessionsEnded: ended.sessions, tokensRevoked: ended.tokens }) },
    });
  });
  return getUser(ctx, id);
}

export async function unlockUser(ctx: ServiceContext, id: number): Promise<UserDetail> {
  authorize(ctx.actor, 'user.manage');
  const before = await getUser(ctx, id);
  await ctx.transact(async (trx) => {
    await forgiveUser(trx, id);
    await recordAudit(trx, ctx, {
      action: 'user.unlocked',
      entityType: 'user',
      entityId: id,
      unitId: before.unitId,
      before: { lockedUntil: before.lockedUntil },
    });
  });
  return getUser(ctx, id);
}

// ── the escalation ladder's people ─────────────────────────────────────────
export interface Person {
  userId: number;
  name: string;
}

/**
 * Who a level of the escalation ladder reaches (API.md: 1 team lead, 2 centre
 * manager, 3 head of the responsible unit), by name: the team leads of the
 * centre that registered the case (any team lead when it has none), the centre
 * managers, and the head named for the responsible unit or, failing that, for
 * the nearest unit above it. Empty when nobody holds the place.
 */
export async function peopleOfLevel(db: ServiceContext['db'], level: number, where: { unitId: number; centreUnitId: number }): Promise<Person[]> {
  const named = (rows: { id: number; name: string }[]) => rows.map((r) => ({ userId: r.id, name: r.name }));
  if (level === 1) {
    const own = await repo.usersWithRole(db, 'team_lead', [where.centreUnitId]);
    return named(own.length > 0 ? own : await repo.usersWithRole(db, 'team_lead'));
  }
  if (level === 2) return named(await repo.usersWithRole(db, 'centre_manager'));
  if (level === 3) {
    const tree = await repo.unitTree(db);
    for (const unitId of ancestorsOf(tree, where.unitId)) {
      const unit = await repo.findUnit(db, unitId);
      if (unit?.head_user_id == null) continue;
      const head = await repo.findUser(db, unit.head_user_id);
      if (head && head.active === 1) return [{ userId: head.id, name: head.name }];
    }
  }
  return [];
}
