import { Typography } from 'antd';
import { Outlet } from 'react-router-dom';
import { useI18n } from '../../i18n/index.js';

/** The 停电 area: the list (with the suspected outages) and each outage's own page, under one heading. */
export default function OutagesLayout() {
  const { t } = useI18n();
  return (
    <section data-testid="page-outages">
      <Typography.Title level={3}>{t('nav.outages')}</Typography.Title>
      <Outlet />
    </section>
  );
}
