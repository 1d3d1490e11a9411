import { Flex, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import type { NavArea } from '../../shared/nav.js';
import { useSession } from '../session/SessionProvider.js';
import { Forbidden, LoadError } from './StatusPages.js';

export function FullPageSpin() {
  return (
    <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>
      <Spin size="large" />
    </Flex>
  );
}

/** Renders its children for a signed-in user; anyone else goes to the login page, remembering where they wanted to go. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { session, refresh } = useSession();
  const location = useLocation();
  if (session.status === 'loading') return <FullPageSpin />;
  if (session.status === 'error') return <LoadError error={session.error} onRetry={() => void refresh()} />;
  if (session.status === 'signed-out') return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

/** The server's navAreas decide what a user may open; the API still checks every call. */
export function RequireArea({ area, children }: { area: NavArea; children: ReactNode }) {
  const { session } = useSession();
  if (session.status !== 'signed-in' || !session.me.navAreas.includes(area)) return <Forbidden />;
  return <>{children}</>;
}
