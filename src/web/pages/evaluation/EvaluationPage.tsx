import { Flex, Spin, Tabs, Typography } from 'antd';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { listUnits } from '../../api/client.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useLoopRights, useMyUnits } from './labels.js';

// 评价分析 (the management loop): what the customers' demands teach the
// company, month by month — transferred to the departments, discussed at the
// meeting, put right, and scored by unit.

export const SECTIONS = ['transfers', 'meetings', 'actions', 'scores', 'quarters', 'events'] as const;
type Section = (typeof SECTIONS)[number];

/**
 * The area's landing page: a department's handlers start from the items
 * waiting for their answer; everyone else from the scores (a county's
 * handlers: their own row).
 */
export function EvaluationHome() {
  const rights = useLoopRights();
  const units = useLoad(() => (rights.answer && !rights.cityWide ? listUnits() : Promise.resolve([])));
  const mine = useMyUnits(units.data);
  if (units.loading) return <Spin style={{ display: 'block', marginTop: 48 }} />;
  const department = (units.data ?? []).some((u) => u.kind === 'department' && mine.has(u.id));
  return <Navigate to={department ? 'transfers' : 'scores'} replace />;
}

/** The area's pages as tabs; a batch's, a meeting's and a quarter's page stand on their own under the same heading. */
export default function EvaluationLayout() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const active = SECTIONS.find((s) => pathname === `/evaluation/${s}`);
  return (
    <section data-testid="page-evaluation">
      <Flex align="baseline" gap={12} wrap className="suqiu-no-print">
        <Typography.Title level={3}>{t('nav.evaluation')}</Typography.Title>
        <Typography.Text type="secondary">{t('loop.subtitle')}</Typography.Text>
      </Flex>
      {active && (
        <Tabs
          className="suqiu-no-print"
          activeKey={active}
          onChange={(key) => navigate(`/evaluation/${key}`)}
          items={SECTIONS.map((s: Section) => ({ key: s, label: <span data-testid={`loop-tab-${s}`}>{t(`loop.tab.${s}`)}</span> }))}
        />
      )}
      <Outlet />
    </section>
  );
}
