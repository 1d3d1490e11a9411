import { ReloadOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { HTMLAttributes, KeyboardEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { listDemands, type Demand } from '../../api/demands.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useLiveTick } from '../../notifications/NotificationsProvider.js';
import { DueTime, nextDeadline, StatusTag, useDemandLabels, useShortTime } from './labels.js';

const PAGE_SIZE = 50;

/**
 * 我的诉求 (首问负责制): the open demands the user owns, the nearest deadline
 * first, as they are worked down; a switch shows the closed ones they owned too
 * (newest first). Each row opens its demand with Enter; a hand-over moves a
 * demand off this list live.
 */
export default function MyDemandsPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const labels = useDemandLabels();
  const shortTime = useShortTime();
  const [params, setParams] = useSearchParams();
  const withClosed = params.get('closed') === 'true';
  const page = Math.max(1, Number(params.get('page')) || 1);
  // A hand-over to the user, or any change they are told of, reloads the list.
  const tick = useLiveTick('all');
  const demands = useLoad(
    () => listDemands({ owner: 'me', ...(withClosed ? {} : { open: 'true' }), page, pageSize: PAGE_SIZE }),
    `${withClosed}:${page}#${tick}`,
  );

  const go = (next: { closed: boolean; page: number }) => {
    const search = new URLSearchParams();
    if (next.closed) search.set('closed', 'true');
    if (next.page > 1) search.set('page', String(next.page));
    setParams(search);
  };

  const columns: TableColumnsType<Demand> = [
    {
      title: t('demand.number'),
      key: 'number',
      render: (_, d) => (
        <Link to={`/demands/${d.id}`} data-testid="mine-link">
          {d.number}
        </Link>
      ),
    },
    {
      title: t('demand.type'),
      key: 'type',
      render: (_, d) => (
        <Space orientation="vertical" size={0}>
          <span>{labels.type(d.type)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {labels.category(d.category)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('demand.customer'),
      key: 'customer',
      render: (_, d) => (
        <Space orientation="vertical" size={0}>
          <Space size={4}>
            <span>{d.customer.name ?? t('common.none')}</span>
            {d.customer.important && <Tag color="red">{t('customer.important')}</Tag>}
          </Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {d.customer.accountNo ?? d.customer.phone}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('common.status'), key: 'status', render: (_, d) => <StatusTag status={d.status} /> },
    {
      title: t('ownership.nextDue'),
      key: 'due',
      render: (_, d) =>
        d.status === 'closed' ? <Typography.Text type="secondary">{t('common.none')}</Typography.Text> : <DueTime deadline={nextDeadline(d.deadlines)} />,
    },
    {
      title: t('ownership.since'),
      key: 'since',
      render: (_, d) => (
        <Space orientation="vertical" size={0} data-testid="mine-since">
          <span>{shortTime(d.ownerSince)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {d.ownerSince !== null && d.ownerSince !== d.createdAt ? t('ownership.sinceHandedOver') : t('ownership.sinceRegistered')}
          </Typography.Text>
        </Space>
      ),
    },
  ];

  const open = (d: Demand) => (e: KeyboardEvent<HTMLElement>) => {
    // Enter on the row (not on its link, which opens by itself) opens the demand.
    if (e.key === 'Enter' && e.target === e.currentTarget) navigate(`/demands/${d.id}`);
  };

  return (
    <Flex vertical gap={12} data-testid="my-demands">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text type="secondary">{t(withClosed ? 'ownership.introAll' : 'ownership.intro')}</Typography.Text>
        <Space>
          <Switch checked={withClosed} onChange={(closed) => go({ closed, page: 1 })} data-testid="mine-closed" aria-label={t('ownership.withClosed')} />
          <span>{t('ownership.withClosed')}</span>
          <Button icon={<ReloadOutlined />} onClick={demands.reload} loading={demands.loading} data-testid="mine-refresh">
            {t('common.refresh')}
          </Button>
        </Space>
      </Flex>
      {demands.error && !demands.data ? (
        <LoadError error={demands.error} onRetry={demands.reload} />
      ) : (
        <Table<Demand>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={demands.data?.items ?? []}
          loading={demands.loading}
          scroll={{ x: 'max-content' }}
          locale={{
            emptyText:
              demands.loading && !demands.data ? (
                ' '
              ) : (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={withClosed ? t('ownership.noneAtAll') : t('ownership.none')}
                  data-testid="mine-empty"
                />
              ),
          }}
          onRow={(d) =>
            ({
              'data-testid': 'mine-row',
              'data-number': d.number,
              tabIndex: 0,
              onKeyDown: open(d),
              style: { cursor: 'pointer' },
              onDoubleClick: () => navigate(`/demands/${d.id}`),
            }) as HTMLAttributes<HTMLElement>
          }
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: demands.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (count) => t(demands.data?.totalCapped ? 'demands.totalCapped' : 'demands.total', { count }),
            onChange: (next) => go({ closed: withClosed, page: next }),
            hideOnSinglePage: true,
          }}
          data-testid="mine-table"
        />
      )}
    </Flex>
  );
}
