import { z } from 'zod';
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
});
export type ApiToken = z.infer<typeof ApiToken>;

/** The token's secret is shown once, at creation. */
export const CreatedApiToken = ApiToken.extend({ token: z.string() });
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;
