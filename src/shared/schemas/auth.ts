import { z } from 'zod';
import { ROLES } from '../codes.js';
import { NAV_AREAS } from '../nav.js';
import { Id, IsoTime, Text } from './common.js';
import { Password, UserView } from './org.js';

export const LoginBody = z.strictObject({
  username: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  password: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters'),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const LoginResponse = z.object({ user: UserView });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const MeResponse = z.object({
  user: UserView.extend({ unitName: z.string() }),
  navAreas: z.array(z.enum(NAV_AREAS)),
  via: z.enum(['session', 'token', 'cli']),
  /** The company's time zone (IANA, SUQIU_TIME_ZONE): the web shows every date and time in it, whatever the browser's. */
  timeZone: z.string(),
});
export type MeResponse = z.infer<typeof MeResponse>;

export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1, 'must not be empty').max(256),
  newPassword: Password,
});

export const CreateTokenBody = z.strictObject({
  userId: Id,
  name: Text(100),
  expiresAt: IsoTime.nullable().optional(),
  /** The roles the token acts with, some of its user's; absent: all of them. */
  roles: z
    .array(z.enum(ROLES))
    .min(1, 'must hold at least one role')
    .refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role')
    .optional(),
});
export type CreateTokenBody = z.infer<typeof CreateTokenBody>;

export const ApiToken = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  username: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** The roles it acts with; null: all of its user's. */
  roles: z.array(z.enum(ROLES)).nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

/** The token's secret is shown once, at creation. */
export const CreatedApiToken = ApiToken.extend({ token: z.string() });
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;

/**
 * GET|PUT /api/settings/password-policy: what a new password must be. Its
 * strength is zxcvbn's score (0 too guessable … 4 very unguessable), which
 * also refuses the common passwords of its lists and ones made of the user's
 * own name; 2 by default.
 */
export const PasswordPolicy = z.strictObject({
  minLength: z.number().int().min(8, 'must be at least 8').max(64, 'must be at most 64'),
  minStrength: z.number().int().min(0, 'must be 0 to 4').max(4, 'must be 0 to 4'),
});
export type PasswordPolicy = z.infer<typeof PasswordPolicy>;
