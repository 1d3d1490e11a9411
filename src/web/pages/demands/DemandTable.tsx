import { Badge, Empty, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import type { HTMLAttributes, ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Demand, DemandList } from '../../api/demands.js';
import { useI18n } from '../../i18n/index.js';
import { DueTime, LevelTag, nextDeadline, StatusTag, useDemandLabels } from './labels.js';

interface Props {
  /** The page as the server answered it (undefined while it loads). */
  list: DemandList | undefined;
  page: number;
  pageSize: number;
  loading: boolean;
  onPage: (page: number, pageSize: number) => void;
  /** A last column of the caller's, e.g. the team lead's timeline button. */
  action?: { title: string; render: (demand: Demand) => ReactNode };
  testId?: string;
}

/** A page of demands as the server returns them (newest first), paged on the server. */
export function DemandTable({ list, page, pageSize, loading, onPage, action, testId = 'demands-table' }: Props) {
  const { t, lang, formatTime } = useI18n();
  const labels = useDemandLabels();
  const columns: TableColumnsType<Demand> = [
    {
      title: t('demand.number'),
      key: 'number',
      render: (_, d) => (
        <Link to={`/demands/${d.id}`} data-testid="demand-link">
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
            {d.subcategory && ` · ${labels.subcategory(d.subcategory)}`}
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
            {d.customer.phone}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('demand.unit'), dataIndex: 'unitName', key: 'unit' },
    {
      title: t('common.status'),
      key: 'status',
      // Beside the status, two light marks: the first handling found it beyond its level; verification found the complaint unfounded.
      render: (_, d) => (
        <Space size={4} wrap style={{ maxWidth: 200 }}>
          <StatusTag status={d.status} />
          {d.firstHandling?.resolved === false && (
            <Tooltip title={d.firstHandling.reason ? labels.unresolvedReason(d.firstHandling.reason) : undefined}>
              <Tag color="orange" variant="outlined" data-testid="mark-unresolved" style={{ fontSize: 11, marginInlineEnd: 0 }}>
                {t('list.unresolvedMark')}
              </Tag>
            </Tooltip>
          )}
          {d.verdict?.verdict === 'unfounded' && (
            <Tag variant="outlined" data-testid="mark-unfounded" style={{ fontSize: 11, marginInlineEnd: 0 }}>
              {t('list.unfoundedMark')}
            </Tag>
          )}
        </Space>
      ),
    },
    { title: t('demand.escalation'), key: 'level', render: (_, d) => <LevelTag level={d.escalationLevel} /> },
    {
      title: t('demand.repeatShort'),
      key: 'calls',
      align: 'center',
      // A case is listed once; its calls are counted on it.
      render: (_, d) =>
        d.callCount > 1 ? (
          <Tooltip title={t('demand.callTimes', { count: d.callCount })}>
            <Badge count={d.callCount} color="volcano" data-testid="repeat-badge" />
          </Tooltip>
        ) : null,
    },
    { title: t('demand.nextDue'), key: 'due', render: (_, d) => <DueTime deadline={nextDeadline(d.deadlines)} /> },
    { title: t('demand.createdAt'), dataIndex: 'createdAt', key: 'created', render: (at: string) => formatTime(at) },
  ];
  if (action) columns.push({ title: action.title, key: 'action', render: (_, d) => action.render(d) });

  return (
    <Table<Demand>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={list?.items ?? []}
      loading={loading}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: loading && !list ? ' ' : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('demands.none')} /> }}
      onRow={(d) => ({ 'data-testid': 'demand-row', 'data-number': d.number, 'data-call-count': d.callCount }) as HTMLAttributes<HTMLElement>}
      pagination={{
        current: page,
        pageSize,
        total: list?.total ?? 0,
        showSizeChanger: true,
        pageSizeOptions: [20, 50, 100],
        // Past the server's count limit the total is "more than"; else exact (beyond 1,000 too, from the rollups).
        showTotal: (count) => t(list?.totalCapped ? 'demands.total.capped' : 'demands.total.exact', { count: count.toLocaleString(lang) }),
        onChange: onPage,
      }}
      data-testid={testId}
    />
  );
}
