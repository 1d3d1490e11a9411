import { Tabs, Typography } from 'antd';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Forbidden } from '../../components/StatusPages.js';
import { useI18n } from '../../i18n/index.js';
import { useCan } from '../../session/SessionProvider.js';

const SECTIONS = ['search', 'review', 'maintenance', 'new'] as const;
type Section = (typeof SECTIONS)[number];

/** Which of the knowledge base's pages the user is offered, from GET /api/me's `can`; the API checks every call again. */
export function useKnowledgeRights() {
  const can = useCan();
  const edit = can('article.edit');
  const review = can('article.review');
  /** The knowledge group: drafts, the review lists and the export (article.edit or article.review). */
  return { edit, review, group: edit || review };
}

/** The knowledge base (知识库): search for everyone; review, the yearly revision and new articles for the knowledge group. */
export default function KnowledgeLayout() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const rights = useKnowledgeRights();
  const sections: Section[] = SECTIONS.filter((s) => s === 'search' || (s === 'new' ? rights.edit : rights.group));
  const active = sections.find((s) => pathname === `/knowledge/${s}`) ?? (pathname === '/knowledge' || pathname === '/knowledge/' ? 'search' : undefined);
  const refused = !active && SECTIONS.some((s) => pathname === `/knowledge/${s}`);
  return (
    <section data-testid="page-knowledge">
      <Typography.Title level={3}>{t('nav.knowledge')}</Typography.Title>
      {active && (
        <Tabs
          activeKey={active}
          onChange={(key) => navigate(`/knowledge/${key}`)}
          items={sections.map((s) => ({ key: s, label: <span data-testid={`knowledge-tab-${s}`}>{t(`knowledge.tab.${s}`)}</span> }))}
        />
      )}
      {refused ? <Forbidden /> : <Outlet />}
    </section>
  );
}
