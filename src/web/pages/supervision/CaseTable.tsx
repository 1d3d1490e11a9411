import { Button, Flex, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import type { HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import type { SupervisedCase } from '../../api/supervision.js';
import { useI18n } from '../../i18n/index.js';
import { LevelTag, PriorityTag, StatusTag, TaskStatusTag, useDemandLabels, useShortTime } from '../demands/labels.js';
import { useSpan } from './words.js';

interface Props {
  items: SupervisedCase[];
  selected: ReadonlySet<number>;
  /** The group's selected ids after a click in its table: the page keeps one selection across groups. */
  onSelect: (groupIds: number[], selectedIds: number[]) => void;
  onTimeline: (id: number) => void;
}

const PAGE_SIZE = 10;

/** One group's cases, one row a case: who called how often, how high it went, what is late, and what is out with the units. */
export function CaseTable({ items, selected, onSelect, onTimeline }: Props) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const shortTime = useShortTime();
  const span = useSpan();

  const columns: TableColumnsType<SupervisedCase> = [
    {
      title: t('supervision.col.case'),
      key: 'case',
      width: 220,
      render: (_, c) => (
        <Space orientation="vertical" size={2}>
          <Space size={6} wrap>
            <Link to={`/demands/${c.id}`} data-testid="demand-link" style={{ fontWeight: 500 }}>
              {c.number}
            </Link>
            {c.priority !== 'normal' && <PriorityTag priority={c.priority} />}
          </Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {labels.type(c.type)} · {labels.category(c.category)}
          </Typography.Text>
          <Typography.Text style={{ fontSize: 12, maxWidth: 200 }} ellipsis={{ tooltip: c.content }}>
            {c.content}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('supervision.col.customer'),
      key: 'customer',
      width: 120,
      render: (_, c) => (
        <Space orientation="vertical" size={0}>
          <span>{c.customerName ?? t('common.none')}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {c.phone}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('supervision.col.calls'),
      key: 'calls',
      width: 90,
      render: (_, c) => (
        <Tag
          color={c.callCount >= 3 ? 'volcano' : c.callCount > 1 ? 'orange' : 'default'}
          data-testid="call-count"
          data-count={c.callCount}
          style={{ whiteSpace: 'nowrap' }}
        >
          {c.callCount === 1 ? t('supervision.calls.one') : t('supervision.calls', { count: c.callCount })}
        </Tag>
      ),
    },
    {
      title: t('supervision.col.level'),
      key: 'level',
      width: 110,
      render: (_, c) => (
        <Space orientation="vertical" size={4}>
          {c.escalationLevel > 0 ? (
            <LevelTag level={c.escalationLevel} />
          ) : (
            <Tag data-testid="escalation-level" data-level={0}>
              {t('supervision.notEscalated')}
            </Tag>
          )}
          <StatusTag status={c.status} />
        </Space>
      ),
    },
    {
      title: t('supervision.col.overdue'),
      key: 'overdue',
      width: 180,
      render: (_, c) =>
        c.overdueSteps.length === 0 ? (
          <Typography.Text type="secondary">{t('supervision.notOverdue')}</Typography.Text>
        ) : (
          <Flex vertical gap={2}>
            {c.overdueSteps.map((s) => (
              <Tooltip key={`${s.step}-${s.dueAt}`} title={t('supervision.dueAt', { time: shortTime(s.dueAt) })}>
                <Typography.Text type="danger" data-testid="overdue-step" data-step={s.step}>
                  <Typography.Text type="danger" strong>
                    {labels.step(s.step)}
                  </Typography.Text>{' '}
                  <span style={{ whiteSpace: 'nowrap' }}>{t('supervision.overdueFor', { span: span(s.overdueMinutes) })}</span>
                </Typography.Text>
              </Tooltip>
            ))}
          </Flex>
        ),
    },
    {
      title: t('supervision.col.orders'),
      key: 'orders',
      render: (_, c) =>
        c.orders.length === 0 ? (
          <Typography.Text type="secondary">{t('supervision.noOrders')}</Typography.Text>
        ) : (
          <Flex vertical gap={4}>
            {c.orders.map((o) => (
              <Space key={o.taskId} size={4} wrap data-testid="open-order" data-task-id={o.taskId} data-urge-count={o.urgeCount}>
                <span style={{ whiteSpace: 'nowrap' }}>{o.unitName}</span>
                <TaskStatusTag status={o.status} />
                <Tooltip title={o.urgedAt ? t('supervision.lastUrged', { time: shortTime(o.urgedAt) }) : undefined}>
                  <Tag color={o.urgeCount > 0 ? 'magenta' : 'default'} variant="outlined" data-testid="urge-count" style={{ whiteSpace: 'nowrap' }}>
                    {o.urgeCount > 0 ? t('supervision.urgeCount', { count: o.urgeCount }) : t('supervision.notUrged')}
                  </Tag>
                </Tooltip>
              </Space>
            ))}
          </Flex>
        ),
    },
    {
      title: t('supervision.col.opened'),
      key: 'opened',
      width: 136,
      render: (_, c) => (
        <Space orientation="vertical" size={0}>
          <span style={{ whiteSpace: 'nowrap' }}>{shortTime(c.createdAt)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
            {c.unitName}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: '',
      key: 'action',
      width: 88,
      render: (_, c) => (
        <Button size="small" onClick={() => onTimeline(c.id)} data-testid="timeline-open">
          {t('supervision.timeline')}
        </Button>
      ),
    },
  ];

  const ids = items.map((c) => c.id);
  return (
    <Table<SupervisedCase>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={items}
      // One width for each column in every group, so that the groups' columns line up.
      tableLayout="fixed"
      scroll={{ x: 1180 }}
      rowSelection={{
        selectedRowKeys: ids.filter((id) => selected.has(id)),
        onChange: (keys) => onSelect(ids, keys as number[]),
        getCheckboxProps: (c) => ({ 'aria-label': c.number }),
      }}
      onRow={(c) =>
        ({ 'data-testid': 'demand-row', 'data-number': c.number, 'data-level': c.escalationLevel, 'data-calls': c.callCount }) as HTMLAttributes<HTMLElement>
      }
      pagination={items.length > PAGE_SIZE ? { pageSize: PAGE_SIZE, size: 'small', showSizeChanger: false } : false}
    />
  );
}
