import { Tabs, Typography } from 'antd';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Forbidden } from '../../components/StatusPages.js';
import { useI18n } from '../../i18n/index.js';
import { useExpertRights } from './labels.js';

const SECTIONS = ['mine', 'consultations', 'pool', 'record', 'figures', 'meeting'] as const;
type Section = (typeof SECTIONS)[number];

function offered(rights: ReturnType<typeof useExpertRights>): Section[] {
  return SECTIONS.filter((s) =>
    s === 'mine' ? rights.answer : s === 'consultations' ? rights.forward || rights.manageProblems : s === 'pool' ? true : rights.readRecords,
  );
}

/** The area's landing page: an expert starts from the questions given to them, the centre from the consultations it follows. */
export function ExpertsHome() {
  const rights = useExpertRights();
  return <Navigate to={rights.answer ? 'mine' : rights.forward || rights.manageProblems ? 'consultations' : 'pool'} replace />;
}

/** The expert seat (专家坐席): its pages as tabs; a consultation's page stands on its own under the same heading. */
export default function ExpertsLayout() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const rights = useExpertRights();
  const sections = offered(rights);
  const active = sections.find((s) => pathname === `/experts/${s}`);
  const refused = !active && SECTIONS.some((s) => pathname === `/experts/${s}`);
  return (
    <section data-testid="page-experts">
      <Typography.Title level={3}>{t('nav.experts')}</Typography.Title>
      {active && (
        <Tabs
          activeKey={active}
          onChange={(key) => navigate(`/experts/${key}`)}
          items={sections.map((s) => ({ key: s, label: <span data-testid={`experts-tab-${s}`}>{t(`experts.tab.${s}`)}</span> }))}
        />
      )}
      {refused ? <Forbidden /> : <Outlet />}
    </section>
  );
}
