import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Action } from '../../shared/schemas/auth.js';
import { ApiError, logout, me, onUnauthenticated, type MeResponse } from '../api/client.js';
import { useI18n } from '../i18n/index.js';

export type Session = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; me: MeResponse } | { status: 'error'; error: ApiError };

interface SessionApi {
  session: Session;
  /** Asks the server who is signed in; returns null when nobody is. */
  refresh: () => Promise<MeResponse | null>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({ status: 'loading' });
  const { setTimeZone } = useI18n();

  const refresh = useCallback(async () => {
    try {
      const result = await me();
      // The company's zone first: the pages behind the session show their times in it from their first render.
      setTimeZone(result.timeZone);
      setSession({ status: 'signed-in', me: result });
      return result;
    } catch (err) {
      const error = err instanceof ApiError ? err : new ApiError(0, 'network', String(err));
      setSession(error.status === 401 ? { status: 'signed-out' } : { status: 'error', error });
      return null;
    }
  }, [setTimeZone]);

  const signOut = useCallback(async () => {
    try {
      await logout();
    } finally {
      // Even if the server could not be reached, this browser forgets the user.
      setSession({ status: 'signed-out' });
    }
  }, []);

  useEffect(() => {
    void refresh();
    return onUnauthenticated(() => setSession({ status: 'signed-out' }));
  }, [refresh]);

  const value = useMemo(() => ({ session, refresh, signOut }), [session, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const context = useContext(SessionContext);
  if (!context) throw new Error('useSession outside SessionProvider');
  return context;
}

/** The signed-in user's data; only for components rendered behind RequireSession. */
export function useMe(): MeResponse {
  const { session } = useSession();
  if (session.status !== 'signed-in') throw new Error('useMe without a signed-in session');
  return session.me;
}

/**
 * Whether the server lets the signed-in user take an action: GET /api/me's
 * `can`, from the server's policy. The web decides what to offer from this
 * alone, never from role names; the API still checks every call.
 */
export function useCan(): (action: Action) => boolean {
  const { can } = useMe();
  return useMemo(() => {
    const granted = new Set(can);
    return (action: Action) => granted.has(action);
  }, [can]);
}
