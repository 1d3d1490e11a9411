import { z } from 'zod';
import { AREA_CLASSES, ORG_UNIT_KINDS, ROLES } from '../codes.js';
import { Id, IdParam, Text } from './common.js';

export const Unit = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(ORG_UNIT_KINDS),
  parentId: z.number().int().nullable(),
  areaClass: z.enum(AREA_CLASSES).nullable(),
  active: z.boolean(),
  /** 负责人: the head of the unit, whom level 3 of the escalation ladder reaches. */
  headUserId: z.number().int().nullable(),
});
export type Unit = z.infer<typeof Unit>;

const UnitCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, dot, dash or underscore');

export const CreateUnitBody = z.strictObject({
  code: UnitCode,
  name: Text(200),
  kind: z.enum(ORG_UNIT_KINDS),
  parentId: Id.nullable(),
  areaClass: z.enum(AREA_CLASSES).nullable().optional(),
});
export type CreateUnitBody = z.infer<typeof CreateUnitBody>;

export const UpdateUnitBody = z
  .strictObject({
    code: UnitCode.optional(),
    name: Text(200).optional(),
    parentId: Id.nullable().optional(),
    areaClass: z.enum(AREA_CLASSES).nullable().optional(),
    active: z.boolean().optional(),
    headUserId: Id.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');
export type UpdateUnitBody = z.infer<typeof UpdateUnitBody>;

export const UserView = z.object({
  id: z.number().int(),
  username: z.string(),
  name: z.string(),
  roles: z.array(z.enum(ROLES)),
  unitId: z.number().int(),
});
export type UserView = z.infer<typeof UserView>;

/** What an admin sees of a user, beyond the public view. */
export const UserDetail = UserView.extend({
  unitName: z.string(),
  phone: z.string().nullable(),
  active: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});
export type UserDetail = z.infer<typeof UserDetail>;

const Username = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_.-]{1,63}$/, 'must be 2-64 lower-case letters, digits, dot, dash or underscore, starting with a letter');
export const Password = z.string().min(8, 'must be at least 8 characters').max(256, 'must be at most 256 characters');
const Roles = z
  .array(z.enum(ROLES))
  .min(1, 'must hold at least one role')
  .refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role');
const Phone = z
  .string()
  .trim()
  .regex(/^[0-9+\-() ]{3,32}$/, 'must be a phone number');

export const CreateUserBody = z.strictObject({
  username: Username,
  name: Text(100),
  password: Password,
  roles: Roles,
  unitId: Id,
  phone: Phone.nullable().optional(),
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z
  .strictObject({
    name: Text(100).optional(),
    roles: Roles.optional(),
    unitId: Id.optional(),
    phone: Phone.nullable().optional(),
    active: z.boolean().optional(),
    password: Password.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const ListUsersQuery = z.strictObject({
  role: z.enum(ROLES).optional(),
  unitId: IdParam.optional().describe('the unit and the units below it'),
  q: z.string().trim().max(100).optional(),
  includeInactive: z.enum(['true', 'false']).optional(),
});
export type ListUsersQuery = z.infer<typeof ListUsersQuery>;
