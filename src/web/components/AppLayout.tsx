import {
  AlertOutlined,
  AppstoreOutlined,
  BookOutlined,
  IdcardOutlined,
  CustomerServiceOutlined,
  LineChartOutlined,
  DashboardOutlined,
  LogoutOutlined,
  SettingOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Button, Flex, Layout, Menu, Space, Tag, Typography, type MenuProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import type { NavArea } from '../../shared/nav.js';
import { useI18n } from '../i18n/index.js';
import { NotificationBell } from '../notifications/NotificationBell.js';
import { NotificationsProvider, useNotifications } from '../notifications/NotificationsProvider.js';
import { useMe, useSession } from '../session/SessionProvider.js';
import { areaPath } from './areas.js';
import { ChangePasswordModal } from './ChangePasswordModal.js';
import { LangSwitch } from './LangSwitch.js';

const AREA_ICONS: Record<NavArea, ReactNode> = {
  demands: <CustomerServiceOutlined />,
  experts: <TeamOutlined />,
  knowledge: <BookOutlined />,
  customers: <UserOutlined />,
  outages: <AlertOutlined />,
  reports: <DashboardOutlined />,
  evaluation: <LineChartOutlined />,
  admin: <SettingOutlined />,
};

type MenuItem = NonNullable<MenuProps['items']>[number];

/** The signed-in shell; the live channel lives as long as it, so every page below can listen. */
export function AppLayout() {
  return (
    <NotificationsProvider>
      <Shell />
    </NotificationsProvider>
  );
}

function Shell() {
  const { t } = useI18n();
  const { stop } = useNotifications();
  const me = useMe();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [changingPassword, setChangingPassword] = useState(false);

  const selected = me.navAreas.find((area) => location.pathname === `/${area}` || location.pathname.startsWith(`/${area}/`));
  // The menu is the server's navAreas, in its order: the web never decides who sees what.
  const items = me.navAreas.map((area) => ({ key: area, icon: AREA_ICONS[area], label: t(`nav.${area}`), 'data-nav': area }) as MenuItem);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={208} theme="light" style={{ borderRight: '1px solid rgba(5,5,5,0.06)' }}>
        <Flex align="center" gap={8} style={{ height: 64, padding: '0 24px' }}>
          <AppstoreOutlined style={{ fontSize: 20, color: '#1677ff' }} />
          <Typography.Text strong style={{ fontSize: 16 }}>
            {t('app.brand')}
          </Typography.Text>
        </Flex>
        <nav data-testid="main-nav">
          <Menu
            mode="inline"
            items={items}
            selectedKeys={selected ? [selected] : []}
            onClick={({ key }) => navigate(areaPath(key as NavArea))}
            style={{ borderInlineEnd: 'none' }}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 24px', borderBottom: '1px solid rgba(5,5,5,0.06)' }}>
          <Flex align="center" justify="space-between" style={{ height: '100%' }}>
            <Typography.Text type="secondary">{t('app.title')}</Typography.Text>
            <Space size="middle">
              <Space size="small" data-testid="current-user">
                <IdcardOutlined />
                <Typography.Text strong>{me.user.name}</Typography.Text>
                <Typography.Text type="secondary">{me.user.unitName}</Typography.Text>
                {me.user.roles.map((role) => (
                  <Tag key={role} color="blue" style={{ marginInlineEnd: 0 }}>
                    {t(`role.${role}`)}
                  </Tag>
                ))}
              </Space>
              <NotificationBell />
              <LangSwitch />
              <Button type="text" onClick={() => setChangingPassword(true)} data-testid="change-password">
                {t('header.changePassword')}
              </Button>
              <Button
                type="text"
                icon={<LogoutOutlined />}
                data-testid="logout"
                onClick={() => {
                  // The stream goes first: it must not outlive the session it was opened with.
                  stop();
                  void signOut().then(() => navigate('/login', { replace: true }));
                }}
              >
                {t('header.logout')}
              </Button>
            </Space>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
      <ChangePasswordModal open={changingPassword} onClose={() => setChangingPassword(false)} />
    </Layout>
  );
}
