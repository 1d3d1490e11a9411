import { Tabs, Typography } from 'antd';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Forbidden } from '../../components/StatusPages.js';
import { useI18n } from '../../i18n/index.js';
import { useDemandRights, type DemandRights } from './rights.js';

const SECTIONS = ['list', 'mine', 'new', 'orders', 'escalations'] as const;
type Section = (typeof SECTIONS)[number];

const offered = (rights: DemandRights): Section[] =>
  SECTIONS.filter((section) =>
    section === 'new'
      ? rights.register
      : section === 'orders'
        ? rights.handleOrders
        : section === 'escalations'
          ? rights.supervise
          : section === 'mine'
            ? rights.handOver
            : true,
  );

/** The area's landing page: a unit's handler starts from the orders waiting for the unit, everyone else from the list. */
export function DemandsHome() {
  const rights = useDemandRights();
  return <Navigate to={rights.handleOrders && !rights.register ? 'orders' : 'list'} replace />;
}

/** The demands area: its pages as tabs; a single demand's page stands on its own, under the same heading. */
export default function DemandsLayout() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const rights = useDemandRights();
  const sections = offered(rights);
  const active = sections.find((section) => pathname === `/demands/${section}`);
  // A section the role is not offered (typed in, or an old bookmark) is refused here; the API would refuse its calls anyway.
  const refused = !active && SECTIONS.some((section) => pathname === `/demands/${section}`);
  return (
    <section data-testid="page-demands">
      <Typography.Title level={3}>{t('nav.demands')}</Typography.Title>
      {active && (
        <Tabs
          activeKey={active}
          onChange={(key) => navigate(`/demands/${key}`)}
          items={sections.map((section) => ({ key: section, label: <span data-testid={`demands-tab-${section}`}>{t(`demands.tab.${section}`)}</span> }))}
        />
      )}
      {refused ? <Forbidden /> : <Outlet />}
    </section>
  );
}
