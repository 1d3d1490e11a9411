import { Tabs, Typography } from 'antd';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Forbidden } from '../../components/StatusPages.js';
import { useI18n } from '../../i18n/index.js';
import { useCan } from '../../session/SessionProvider.js';

// 客户 (issue 17): the customer record, the account manager's desk, key
// accounts, the green channel, service plans and communication activities.
const SECTIONS = ['search', 'desk', 'key-accounts', 'applications', 'plans', 'activities'] as const;
type Section = (typeof SECTIONS)[number];

function useOffered(): Section[] {
  const can = useCan();
  return SECTIONS.filter((section) => {
    switch (section) {
      case 'search':
        return can('customer.read');
      case 'desk':
        return can('customer.manage') && can('application.manage');
      case 'key-accounts':
        return can('customer.read');
      case 'applications':
        return can('application.read');
      case 'plans':
      case 'activities':
        return can('customer.read');
    }
  });
}

/** The area's landing page: the account manager starts at their desk, a unit's handler at the applications, everyone else at the search. */
export function CustomersHome() {
  const can = useCan();
  const to = can('customer.manage') && can('application.manage') ? 'desk' : can('customer.read') ? 'search' : 'applications';
  return <Navigate to={to} replace />;
}

/** The customers area: its pages as tabs; a customer's record and an application's page stand on their own under the same heading. */
export default function CustomersLayout() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const sections = useOffered();
  const active = sections.find((section) => pathname === `/customers/${section}`);
  const refused = !active && SECTIONS.some((section) => pathname === `/customers/${section}`);
  return (
    <section data-testid="page-customers">
      <Typography.Title level={3}>{t('nav.customers')}</Typography.Title>
      {active && (
        <Tabs
          activeKey={active}
          onChange={(key) => navigate(`/customers/${key}`)}
          items={sections.map((section) => ({ key: section, label: <span data-testid={`customers-tab-${section}`}>{t(`customers.tab.${section}`)}</span> }))}
        />
      )}
      {refused ? <Forbidden /> : <Outlet />}
    </section>
  );
}
