import { Button, Empty, Result, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { NavArea } from '../../shared/nav.js';
import type { ApiError } from '../api/client.js';
import { useI18n } from '../i18n/index.js';

export function Forbidden() {
  const { t } = useI18n();
  return (
    <Result
      status="403"
      title={`403 · ${t('page.forbidden.title')}`}
      subTitle={t('page.forbidden.sub')}
      extra={<Link to="/">{t('page.home')}</Link>}
      data-testid="forbidden"
    />
  );
}

export function NotFound() {
  const { t } = useI18n();
  return <Result status="404" title={`404 · ${t('page.notFound.title')}`} subTitle={t('page.notFound.sub')} extra={<Link to="/">{t('page.home')}</Link>} />;
}

export function LoadError({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <Result
      status="error"
      title={t('page.loadFailed')}
      subTitle={error.requestId ? `${error.message} (${t('common.requestId', { id: error.requestId })})` : error.message}
      extra={onRetry && <Button onClick={onRetry}>{t('page.retry')}</Button>}
    />
  );
}

/** The honest page of a module that later work will build: no sample data. */
export function ModulePlaceholder({ area }: { area: Exclude<NavArea, 'admin'> }) {
  const { t } = useI18n();
  return (
    <section data-testid={`page-${area}`}>
      <Typography.Title level={3}>{t(`nav.${area}`)}</Typography.Title>
      <Empty
        style={{ marginTop: 64 }}
        description={
          <>
            <Typography.Text strong>{t('module.notReady')}</Typography.Text>
            <br />
            <Typography.Text type="secondary">{t('module.notReadyHint')}</Typography.Text>
          </>
        }
      />
    </section>
  );
}
