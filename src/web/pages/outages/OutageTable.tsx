import { Empty, Flex, Space, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import type { HTMLAttributes, ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Outage, OutageList } from '../../api/outages.js';
import { useI18n } from '../../i18n/index.js';
import { useShortTime } from '../demands/labels.js';
import { KindTag, LateTag, OutageStatusTag, OutageWhen } from './labels.js';

interface Props {
  list: OutageList | undefined;
  page: number;
  pageSize: number;
  loading: boolean;
  onPage: (page: number) => void;
  /** The outage just announced or declared: marked until the page is left. */
  highlightId?: number | undefined;
  empty: ReactNode;
}

/** A page of outages, the latest start first (the server sorts), one row an outage. */
export function OutageTable({ list, page, pageSize, loading, onPage, highlightId, empty }: Props) {
  const { t } = useI18n();
  const shortTime = useShortTime();
  const columns: TableColumnsType<Outage> = [
    {
      title: t('outage.col.number'),
      key: 'number',
      render: (_, o) => (
        <Space orientation="vertical" size={2}>
          <Link to={`/outages/${o.id}`} data-testid="outage-link" style={{ fontWeight: 500, whiteSpace: 'nowrap' }}>
            {o.number}
          </Link>
          <Space size={0} wrap>
            <KindTag kind={o.kind} />
            <LateTag reason={o.lateNoticeReason} />
          </Space>
        </Space>
      ),
    },
    { title: t('outage.col.status'), key: 'status', render: (_, o) => <OutageStatusTag status={o.status} /> },
    {
      title: t('outage.col.area'),
      key: 'area',
      render: (_, o) => (
        <Space orientation="vertical" size={0} style={{ maxWidth: 360 }}>
          <Typography.Text ellipsis={{ tooltip: o.area }} style={{ maxWidth: 360 }}>
            {o.area}
          </Typography.Text>
          <Typography.Text type="secondary" ellipsis={{ tooltip: o.cause }} style={{ fontSize: 12, maxWidth: 360 }}>
            {o.unitName} · {o.cause}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('outage.col.start'),
      key: 'start',
      render: (_, o) => <span style={{ whiteSpace: 'nowrap' }}>{shortTime(o.startsAt)}</span>,
    },
    {
      title: t('outage.col.end'),
      key: 'end',
      render: (_, o) => (
        <Flex vertical style={{ whiteSpace: 'nowrap' }}>
          <span>{shortTime(o.expectedEndAt)}</span>
          <OutageWhen outage={o} compact />
        </Flex>
      ),
    },
    {
      title: t('outage.col.customers'),
      key: 'customers',
      align: 'right',
      render: (_, o) => <span data-testid="outage-customers">{t('outage.households', { count: o.affectedCustomers.toLocaleString() })}</span>,
    },
    {
      title: t('outage.col.calls'),
      key: 'calls',
      align: 'right',
      render: (_, o) => (
        <Tooltip title={o.calls > 0 ? t('outage.callsOpen', { count: o.openCalls }) : undefined}>
          <span data-testid="outage-calls" data-count={o.calls} style={{ whiteSpace: 'nowrap' }}>
            {t('outage.callsCount', { count: o.calls })}
            {o.openCalls > 0 && (
              <Typography.Text type="warning" style={{ fontSize: 12 }}>
                {' '}
                {t('outage.openShort', { count: o.openCalls })}
              </Typography.Text>
            )}
          </span>
        </Tooltip>
      ),
    },
  ];
  return (
    <Table<Outage>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={list?.items ?? []}
      loading={loading}
      locale={{ emptyText: loading ? <div style={{ height: 96 }} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      onRow={(o) =>
        ({
          'data-testid': 'outage-row',
          'data-number': o.number,
          style: o.id === highlightId ? { background: '#fffbe6' } : undefined,
        }) as HTMLAttributes<HTMLElement>
      }
      pagination={{ current: page, pageSize, total: list?.total ?? 0, showSizeChanger: false, hideOnSinglePage: true, onChange: onPage }}
      data-testid="outages-table"
    />
  );
}
