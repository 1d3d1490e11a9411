// Lock-out after repeated failed logins: plain arithmetic, tested beside.

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

export interface LoginState {
  failedLogins: number;
  lockedUntil: string | null;
}

export function isLocked(state: LoginState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil > now.toISOString();
}

/** The state after one more wrong password: locked on the fifth in a row. */
export function afterFailedLogin(state: LoginState, now: Date): LoginState {
  // A lock that has run out starts the count afresh.
  const previous = state.lockedUntil !== null && !isLocked(state, now) ? 0 : state.failedLogins;
  const failedLogins = previous + 1;
  if (failedLogins >= MAX_FAILED_LOGINS) {
    return { failedLogins, lockedUntil: new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString() };
  }
  return { failedLogins, lockedUntil: null };
}

export function afterSuccessfulLogin(): LoginState {
  return { failedLogins: 0, lockedUntil: null };
}

/** Sessions slide: each use pushes expiry out, but we write at most once a minute. */
export function shouldRefreshSession(lastSeenAt: string, now: Date): boolean {
  return now.getTime() - Date.parse(lastSeenAt) >= 60_000;
}
