import { Tabs, Typography } from 'antd';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useI18n } from '../../i18n/index.js';

const SECTIONS = ['units', 'users', 'passwords', 'calendar', 'policies', 'ladder', 'routes', 'experts', 'tokens', 'audit'] as const;

/** Administration is one menu entry; its pages are tabs, each with its own address. */
export default function AdminLayout() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const active = SECTIONS.find((section) => pathname.startsWith(`/admin/${section}`)) ?? 'units';
  return (
    <section data-testid="page-admin">
      <Typography.Title level={3}>{t('nav.admin')}</Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(key) => navigate(`/admin/${key}`)}
        items={SECTIONS.map((section) => ({ key: section, label: <span data-testid={`admin-tab-${section}`}>{t(`admin.${section}`)}</span> }))}
      />
      <Outlet />
    </section>
  );
}
