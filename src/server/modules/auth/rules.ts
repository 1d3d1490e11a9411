import type { ThrottleRule } from '../../platform/throttle.js';

// Sign-in limits (platform/throttle.ts counts them), plain data tested beside.

/** Wrong passwords from one client address on one account: the fifth locks that address out of it for 15 minutes. */
export const ACCOUNT_LOGINS: ThrottleRule = { limit: 5, windowMinutes: 15 };
/**
 * Sign-in attempts from one client address on any account, before 429: a
 * centre's agents share the address of their floor's gateway, so this is
 * wide (thirty agents mistyping once at the start of a shift); a right
 * password gives its attempt back.
 */
export const ADDRESS_LOGINS: ThrottleRule = { limit: 30, windowMinutes: 15 };
/** Current-password checks of a password change, per user. */
export const PASSWORD_CHECKS: ThrottleRule = { limit: 5, windowMinutes: 15 };

/** Sessions slide: each use pushes expiry out, but we write at most once a minute. */
export function shouldRefreshSession(lastSeenAt: string, now: Date): boolean {
  return now.getTime() - Date.parse(lastSeenAt) >= 60_000;
}
