import { Card, Descriptions, Empty, Flex, Space, Tag, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { Task } from '../../api/demands.js';
import { useI18n } from '../../i18n/index.js';
import { ReportFlags } from './ReportFlags.js';
import { TaskStatusTag, useShortTime } from './labels.js';

const findingsOf = (report: unknown) =>
  report && typeof report === 'object' && 'findings' in report ? String((report as { findings: unknown }).findings) : null;
const restoredAtOf = (report: unknown) =>
  report && typeof report === 'object' && typeof (report as { restoredAt?: unknown }).restoredAt === 'string'
    ? (report as { restoredAt: string }).restoredAt
    : null;

/** 催办 2 次: how often the order was urged (each further call of the customer, or the team lead), and when last. */
export function UrgeTag({ count, at }: { count: number; at?: string | null }) {
  const { t } = useI18n();
  const formatTime = useShortTime();
  if (count <= 0) return null;
  return (
    <Tooltip title={at ? t('task.urgedAt', { time: formatTime(at) }) : undefined}>
      <Tag color="volcano" data-testid="urge-count" data-count={count} style={{ marginInlineEnd: 0 }}>
        {t('task.urgeCount', { count })}
      </Tag>
    </Tooltip>
  );
}

/** One work order: where it went, how far the unit got, and what it reported. */
export function TaskCard({ task, extra }: { task: Task; extra?: ReactNode }) {
  const { t } = useI18n();
  const formatTime = useShortTime();
  const findings = findingsOf(task.report);
  const restoredAt = restoredAtOf(task.report);
  const times = [
    { key: 'created', label: t('task.createdAt'), children: formatTime(task.createdAt) },
    { key: 'accepted', label: t('task.acceptedAt'), children: formatTime(task.acceptedAt) },
    { key: 'arrived', label: t('task.arrivedAt'), children: formatTime(task.arrivedAt) },
    { key: 'handled', label: t('task.handledAt'), children: formatTime(task.handledAt) },
    ...(restoredAt ? [{ key: 'restored', label: t('task.restoredAt'), children: formatTime(restoredAt) }] : []),
  ];
  return (
    <Card size="small" type="inner" data-testid="task-card" data-task-id={task.id}>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 8 }}>
        <Space size={8}>
          <Typography.Text strong>{task.unitName}</Typography.Text>
          <TaskStatusTag status={task.status} />
          <UrgeTag count={task.urgeCount} at={task.urgedAt} />
        </Space>
        {extra}
      </Flex>
      {task.instructions && (
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 8 }}>
          <Typography.Text type="secondary">{t('common.labelled', { label: t('task.instructions') })}</Typography.Text>
          {task.instructions}
        </Typography.Paragraph>
      )}
      <Descriptions size="small" column={{ xs: 1, sm: 2, xxl: 4 }} items={times} />
      {findings && (
        <div style={{ marginTop: 8 }} data-testid="task-report">
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>
            <Typography.Text type="secondary">{t('common.labelled', { label: t('task.findings') })}</Typography.Text>
            {findings}
          </Typography.Paragraph>
          <ReportFlags report={task.report} />
        </div>
      )}
      {task.returnReason && (
        <Typography.Paragraph type="danger" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('common.labelled', { label: t('task.returnReason') })}
          {task.returnReason}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

export function TaskList({ tasks }: { tasks: readonly Task[] }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t('demand.tasks')} data-testid="demand-tasks">
      {tasks.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('task.none')} />
      ) : (
        <Flex vertical gap={8}>
          {tasks.map((task) => (
            <TaskCard key={task.id} task={task} />
          ))}
        </Flex>
      )}
    </Card>
  );
}
