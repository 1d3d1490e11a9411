import { Tabs, Typography } from 'antd';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Forbidden } from '../../components/StatusPages.js';
import { useI18n } from '../../i18n/index.js';
import { useCan, useMe } from '../../session/SessionProvider.js';

// 报表分析 (issue 18): the centre manager's dashboard, the team lead's
// wallboard, a unit's own page, the standard reports, hot issues,
// satisfaction and the staff figures. Which tabs a user sees follows the
// server's actions; the API checks every call again.
export const SECTIONS = ['dashboard', 'wallboard', 'unit', 'demands', 'hot', 'satisfaction', 'staff'] as const;
export type Section = (typeof SECTIONS)[number];

export function useOfferedSections(): Section[] {
  const can = useCan();
  const me = useMe();
  return SECTIONS.filter((section) => {
    switch (section) {
      case 'dashboard':
      case 'wallboard':
        return can('report.read') && me.cityWide;
      case 'unit':
      case 'demands':
      case 'hot':
      case 'satisfaction':
        return can('report.read');
      case 'staff':
        return can('staff.read');
    }
  });
}

/** Where each user starts: the managers at the dashboard, a team lead at the wallboard, a unit's handlers at their unit, an agent at their own figures. */
export function ReportsHome() {
  const sections = useOfferedSections();
  const can = useCan();
  const me = useMe();
  const to = me.user.roles.includes('team_lead') ? 'wallboard' : can('report.read') && !me.cityWide ? 'unit' : (sections[0] ?? 'staff');
  return <Navigate to={sections.includes(to as Section) ? to : (sections[0] ?? 'staff')} replace />;
}

export default function ReportsLayout() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const sections = useOfferedSections();
  const active = sections.find((section) => pathname === `/reports/${section}`);
  const refused = !active && SECTIONS.some((section) => pathname === `/reports/${section}`);
  return (
    <section data-testid="page-reports">
      <Typography.Title level={3} className="suqiu-no-print">
        {t('nav.reports')}
      </Typography.Title>
      {active && (
        <Tabs
          className="suqiu-no-print"
          activeKey={active}
          onChange={(key) => navigate(`/reports/${key}`)}
          items={sections.map((section) => ({ key: section, label: <span data-testid={`reports-tab-${section}`}>{t(`reports.tab.${section}`)}</span> }))}
        />
      )}
      {refused ? <Forbidden /> : <Outlet />}
    </section>
  );
}
