import { Card, Empty, Table, Tag, type TableColumnsType } from 'antd';
import type { HTMLAttributes } from 'react';
import type { DemandDetail } from '../../api/demands.js';
import { useI18n } from '../../i18n/index.js';
import { Countdown } from './countdown.js';
import { useDemandLabels, useShortTime } from './labels.js';

type Deadline = DemandDetail['deadlines'][number];

function State({ deadline }: { deadline: Deadline }) {
  const { t } = useI18n();
  const formatTime = useShortTime();
  if (deadline.metAt !== null) {
    // Met, but late, is still late: the evaluation counts it.
    return (
      <Tag color={deadline.overdue ? 'red' : 'green'} data-state={deadline.overdue ? 'met_late' : 'met'}>
        {deadline.overdue ? t('deadline.metLate', { time: formatTime(deadline.metAt) }) : t('deadline.met', { time: formatTime(deadline.metAt) })}
      </Tag>
    );
  }
  // Not met yet: how long is left, or how far past it is, counting by itself.
  return <Countdown dueAt={deadline.dueAt} overdue={deadline.overdue} warnAt={deadline.warnAt} testId="deadline-countdown" />;
}

/** The demand's clocks: each step, when it is due and whether it was kept, and the time left to those running. */
export function DeadlineList({ demand }: { demand: DemandDetail }) {
  const { t } = useI18n();
  const formatTime = useShortTime();
  const labels = useDemandLabels();
  const tasks = new Map(demand.tasks.map((task) => [task.id, task.unitName]));
  const columns: TableColumnsType<Deadline> = [
    {
      title: t('deadline.step'),
      key: 'step',
      render: (_, d) => (d.taskId !== null && tasks.has(d.taskId) ? `${labels.step(d.step)} · ${tasks.get(d.taskId)}` : labels.step(d.step)),
    },
    { title: t('deadline.startedAt'), dataIndex: 'startedAt', key: 'startedAt', render: (at: string) => formatTime(at) },
    {
      title: t('deadline.dueAt'),
      dataIndex: 'dueAt',
      key: 'dueAt',
      render: (at: string, d) => <span style={{ color: d.overdue && d.metAt === null ? '#cf1322' : undefined }}>{formatTime(at)}</span>,
    },
    { title: t('common.status'), key: 'state', render: (_, d) => <State deadline={d} /> },
  ];
  return (
    <Card size="small" title={t('demand.deadlines')}>
      <Table<Deadline>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={[...demand.deadlines].sort((a, b) => a.dueAt.localeCompare(b.dueAt))}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('deadline.none')} /> }}
        onRow={(d) => ({ 'data-step': d.step }) as HTMLAttributes<HTMLElement>}
        data-testid="demand-deadlines"
      />
    </Card>
  );
}
