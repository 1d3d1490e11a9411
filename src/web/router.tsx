import { Result } from 'antd';
import type { ComponentType, ReactNode } from 'react';
import { createBrowserRouter, Navigate, useRouteError, type RouteObject } from 'react-router-dom';
import type { NavArea } from '../shared/nav.js';
import { AppLayout } from './components/AppLayout.js';
import { homePath } from './components/areas.js';
import { FullPageSpin, RequireArea, RequireSession } from './components/guards.js';
import { NotFound } from './components/StatusPages.js';
import { useI18n } from './i18n/index.js';
import AdminLayout from './pages/admin/AdminLayout.js';
import CustomersLayout, { CustomersHome } from './pages/customers/CustomersLayout.js';
import DemandsLayout, { DemandsHome } from './pages/demands/DemandsLayout.js';
import EvaluationLayout, { EvaluationHome } from './pages/evaluation/EvaluationPage.js';
import ExpertsLayout, { ExpertsHome } from './pages/experts/ExpertsPage.js';
import KnowledgeLayout from './pages/knowledge/KnowledgePage.js';
import LoginPage from './pages/login/LoginPage.js';
import OutagesLayout from './pages/outages/OutagesLayout.js';
import ReportsLayout, { ReportsHome } from './pages/reports/ReportsLayout.js';
import { useMe } from './session/SessionProvider.js';

function Home() {
  const { t } = useI18n();
  const me = useMe();
  if (me.navAreas.length === 0) return <Result status="info" title={t('page.noAreas')} />;
  return <Navigate to={homePath(me.navAreas)} replace />;
}

function RouteError() {
  const { t } = useI18n();
  const error = useRouteError();
  return <Result status="error" title={t('page.loadFailed')} subTitle={error instanceof Error ? error.message : String(error)} />;
}

const area = (name: NavArea, path: string, element: ReactNode, children?: RouteObject[]): RouteObject => ({
  path,
  element: <RequireArea area={name}>{element}</RequireArea>,
  ...(children && { children }),
});

// Pages are loaded on demand: most users never open the admin pages, and each role uses few of the demand pages.
const lazyPage = (load: () => Promise<{ default: ComponentType }>) => async () => ({ Component: (await load()).default });

export const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    hydrateFallbackElement: <FullPageSpin />,
    children: [
      { path: '/login', element: <LoginPage /> },
      // 停电信息公告: for the public (the website, the WeChat account), outside the session's guard.
      { path: '/public/outages', lazy: lazyPage(() => import('./pages/outages/PublicOutagesPage.js')) },
      {
        path: '/',
        element: (
          <RequireSession>
            <AppLayout />
          </RequireSession>
        ),
        children: [
          { index: true, element: <Home /> },
          area('demands', 'demands', <DemandsLayout />, [
            { index: true, element: <DemandsHome /> },
            { path: 'list', lazy: lazyPage(() => import('./pages/demands/DemandListPage.js')) },
            { path: 'mine', lazy: lazyPage(() => import('./pages/demands/MyDemandsPage.js')) },
            { path: 'new', lazy: lazyPage(() => import('./pages/demands/IntakePage.js')) },
            { path: 'orders', lazy: lazyPage(() => import('./pages/demands/OrdersPage.js')) },
            // 班长督办: the page kept the address of the escalations list it replaced.
            { path: 'escalations', lazy: lazyPage(() => import('./pages/supervision/SupervisionPage.js')) },
            { path: ':id', lazy: lazyPage(() => import('./pages/demands/DemandPage.js')) },
          ]),
          area('experts', 'experts', <ExpertsLayout />, [
            { index: true, element: <ExpertsHome /> },
            { path: 'mine', lazy: lazyPage(() => import('./pages/experts/MyConsultationsPage.js')) },
            { path: 'consultations', lazy: lazyPage(() => import('./pages/experts/ConsultationsPage.js')) },
            { path: 'consultations/:id', lazy: lazyPage(() => import('./pages/experts/ConsultationPage.js')) },
            { path: 'pool', lazy: lazyPage(() => import('./pages/experts/PoolPage.js')) },
            { path: 'record', lazy: lazyPage(() => import('./pages/experts/RecordPage.js')) },
            { path: 'figures', lazy: lazyPage(() => import('./pages/experts/FiguresPage.js')) },
            { path: 'meeting', lazy: lazyPage(() => import('./pages/experts/MeetingPage.js')) },
          ]),
          area('knowledge', 'knowledge', <KnowledgeLayout />, [
            { index: true, lazy: lazyPage(() => import('./pages/knowledge/SearchPage.js')) },
            { path: 'search', lazy: lazyPage(() => import('./pages/knowledge/SearchPage.js')) },
            { path: 'review', lazy: async () => ({ Component: (await import('./pages/knowledge/ListsPage.js')).ReviewPage }) },
            { path: 'maintenance', lazy: async () => ({ Component: (await import('./pages/knowledge/ListsPage.js')).MaintenancePage }) },
            { path: 'new', lazy: lazyPage(() => import('./pages/knowledge/ArticleFormPage.js')) },
            { path: 'articles/:id', lazy: lazyPage(() => import('./pages/knowledge/ArticlePage.js')) },
            { path: 'articles/:id/edit', lazy: lazyPage(() => import('./pages/knowledge/ArticleFormPage.js')) },
          ]),
          area('customers', 'customers', <CustomersLayout />, [
            { index: true, element: <CustomersHome /> },
            { path: 'search', lazy: lazyPage(() => import('./pages/customers/SearchPage.js')) },
            { path: 'desk', lazy: lazyPage(() => import('./pages/customers/DeskPage.js')) },
            { path: 'key-accounts', lazy: lazyPage(() => import('./pages/customers/KeyAccountsPage.js')) },
            { path: 'applications', lazy: lazyPage(() => import('./pages/customers/ApplicationsPage.js')) },
            { path: 'applications/:id', lazy: lazyPage(() => import('./pages/customers/ApplicationPage.js')) },
            { path: 'plans', lazy: lazyPage(() => import('./pages/customers/PlansPage.js')) },
            { path: 'activities', lazy: lazyPage(() => import('./pages/customers/ActivitiesPage.js')) },
            { path: ':id', lazy: lazyPage(() => import('./pages/customers/CustomerPage.js')) },
          ]),
          area('outages', 'outages', <OutagesLayout />, [
            { index: true, lazy: lazyPage(() => import('./pages/outages/OutagesPage.js')) },
            { path: ':id', lazy: lazyPage(() => import('./pages/outages/OutagePage.js')) },
          ]),
          area('reports', 'reports', <ReportsLayout />, [
            { index: true, element: <ReportsHome /> },
            { path: 'dashboard', lazy: lazyPage(() => import('./pages/reports/DashboardPage.js')) },
            { path: 'wallboard', lazy: lazyPage(() => import('./pages/reports/WallboardPage.js')) },
            { path: 'unit', lazy: lazyPage(() => import('./pages/reports/UnitPage.js')) },
            { path: 'demands', lazy: lazyPage(() => import('./pages/reports/DemandReportsPage.js')) },
            { path: 'hot', lazy: lazyPage(() => import('./pages/reports/HotIssuesPage.js')) },
            { path: 'satisfaction', lazy: lazyPage(() => import('./pages/reports/SatisfactionPage.js')) },
            { path: 'staff', lazy: lazyPage(() => import('./pages/reports/StaffPage.js')) },
          ]),
          area('evaluation', 'evaluation', <EvaluationLayout />, [
            { index: true, element: <EvaluationHome /> },
            { path: 'transfers', lazy: lazyPage(() => import('./pages/evaluation/TransfersPage.js')) },
            { path: 'transfers/:id', lazy: lazyPage(() => import('./pages/evaluation/TransferBatchPage.js')) },
            { path: 'meetings', lazy: lazyPage(() => import('./pages/evaluation/MeetingsPage.js')) },
            { path: 'meetings/:id', lazy: lazyPage(() => import('./pages/evaluation/MeetingPage.js')) },
            { path: 'actions', lazy: lazyPage(() => import('./pages/evaluation/ActionItemsPage.js')) },
            { path: 'scores', lazy: lazyPage(() => import('./pages/evaluation/ScoresPage.js')) },
            { path: 'quarters', lazy: lazyPage(() => import('./pages/evaluation/QuartersPage.js')) },
            { path: 'quarters/:id', lazy: lazyPage(() => import('./pages/evaluation/QuarterPage.js')) },
            { path: 'events', lazy: lazyPage(() => import('./pages/evaluation/EventsPage.js')) },
          ]),
          area('admin', 'admin', <AdminLayout />, [
            { index: true, element: <Navigate to="units" replace /> },
            { path: 'units', lazy: lazyPage(() => import('./pages/admin/UnitsPage.js')) },
            { path: 'users', lazy: lazyPage(() => import('./pages/admin/UsersPage.js')) },
            { path: 'passwords', lazy: lazyPage(() => import('./pages/admin/PasswordPolicyPage.js')) },
            { path: 'calendar', lazy: lazyPage(() => import('./pages/admin/CalendarPage.js')) },
            { path: 'policies', lazy: lazyPage(() => import('./pages/admin/TimePoliciesPage.js')) },
            { path: 'ladder', lazy: lazyPage(() => import('./pages/admin/EscalationLadderPage.js')) },
            { path: 'routes', lazy: lazyPage(() => import('./pages/admin/CategoryRoutesPage.js')) },
            { path: 'experts', lazy: lazyPage(() => import('./pages/experts/PoolPage.js')) },
            { path: 'tokens', lazy: lazyPage(() => import('./pages/admin/TokensPage.js')) },
            { path: 'audit', lazy: lazyPage(() => import('./pages/admin/AuditPage.js')) },
          ]),
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
]);
