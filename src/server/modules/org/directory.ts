import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import * as repo from './repository.js';

// The organisation as other modules read it: a unit or a user by id, the
// tree's shape, every unit. No authorisation here: the module asking
// authorises its own action, and bounds it by the caller's units with
// org/service.ts visibleUnitIds. The units and users tables are this
// module's; other modules read them through these functions only.

export type DirectoryUnit = NonNullable<Awaited<ReturnType<typeof repo.findUnit>>>;
export type DirectoryUser = NonNullable<Awaited<ReturnType<typeof repo.findUser>>>;

/** A unit by id, or undefined. */
export function findUnit(db: Kysely<DB>, id: number): Promise<DirectoryUnit | undefined> {
  return repo.findUnit(db, id);
}

/** A user by id with their unit's name, or undefined. */
export function findUser(db: Kysely<DB>, id: number): Promise<DirectoryUser | undefined> {
  return repo.findUser(db, id);
}

/** The tree's shape (id, parent, kind): what the scope rules of org/rules.ts take. */
export function unitTree(db: Kysely<DB>) {
  return repo.unitTree(db);
}

/** Every unit, active or not, by id. */
export function allUnits(db: Kysely<DB>) {
  return repo.listUnits(db);
}

/** These units' names (those that exist), by id. */
export function unitNames(db: Kysely<DB>, ids: readonly number[]) {
  return repo.unitNames(db, ids);
}
