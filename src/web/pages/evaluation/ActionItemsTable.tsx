import { Button, Empty, Space, Table, Tag, Timeline, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import type { ActionItem } from '../../api/evaluation.js';
import { useI18n } from '../../i18n/index.js';
import { endOfLocalDay } from '../../i18n/time.js';
import { TimeLeft, useCompanyTime, useCodeWord } from './labels.js';

interface Props {
  items: readonly ActionItem[] | undefined;
  loading: boolean;
  empty: string;
  /** Which meeting decided it: for lists across meetings. */
  showMeeting?: boolean;
  onProgress?: ((item: ActionItem) => void) | undefined;
  canProgress?: (item: ActionItem) => boolean;
  forPrint?: boolean;
  testId?: string;
}

export function ActionStatusTag({ item }: { item: ActionItem }) {
  const { t } = useI18n();
  const word = useCodeWord();
  return (
    <Space size={2} wrap>
      <Tag color={item.status === 'done' ? 'green' : 'blue'} data-testid="action-status" data-status={item.status}>
        {word('loop.action.status', item.status)}
      </Tag>
      {item.late && (
        <Tag color="red" data-testid="action-late">
          {t('loop.action.late')}
        </Tag>
      )}
    </Space>
  );
}

/** Every step of an item: made, reminded, escalated, reported, done, reopened. */
function ProgressHistory({ item }: { item: ActionItem }) {
  const { t } = useI18n();
  const word = useCodeWord();
  const time = useCompanyTime();
  return (
    <Timeline
      style={{ marginTop: 8 }}
      items={item.progress.map((p) => ({
        color: p.kind === 'late' ? 'red' : p.kind === 'done' ? 'green' : p.kind === 'reminded' ? 'orange' : 'blue',
        content: (
          <Space orientation="vertical" size={0}>
            <Typography.Text>
              {word('loop.action.progress', p.kind)} · {time.dateTime(p.at)} · {p.actorName ?? t('loop.system')}
            </Typography.Text>
            {p.note && <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{p.note}</Typography.Text>}
          </Space>
        ),
      }))}
    />
  );
}

/** Action items (整改事项): the decision, who owns it, its date and where it stands. */
export function ActionItemsTable({ items, loading, empty, showMeeting, onProgress, canProgress, forPrint, testId }: Props) {
  const { t, timeZone } = useI18n();
  const word = useCodeWord();
  const time = useCompanyTime();
  const columns: TableColumnsType<ActionItem> = [
    {
      title: t('loop.action.text'),
      key: 'text',
      onCell: () => ({ style: { minWidth: 260 } }),
      render: (_, i) => <span style={{ whiteSpace: 'pre-wrap' }}>{i.text}</span>,
    },
    ...(showMeeting
      ? [
          {
            title: t('loop.action.meeting'),
            key: 'meeting',
            width: 180,
            render: (_: unknown, i: ActionItem) => (
              <Space orientation="vertical" size={0}>
                <Link to={`/evaluation/meetings/${i.meetingId}`}>{i.meetingTitle}</Link>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {i.meetingHeldOn}
                </Typography.Text>
              </Space>
            ),
          },
        ]
      : []),
    {
      title: t('loop.action.owner'),
      key: 'owner',
      width: 160,
      render: (_, i) => (
        <Space orientation="vertical" size={0}>
          <span>{i.ownerUnitName}</span>
          {i.ownerUserName && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {i.ownerUserName}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('loop.action.dueOn'),
      key: 'due',
      width: 140,
      render: (_, i) => (
        <Space orientation="vertical" size={0}>
          <span>{i.dueOn}</span>
          <TimeLeft dueAt={endOfLocalDay(i.dueOn, timeZone)} metAt={i.doneAt} testId="action-time-left" />
        </Space>
      ),
    },
    { title: t('common.status'), key: 'status', width: 120, render: (_, i) => <ActionStatusTag item={i} /> },
    {
      title: t('loop.action.latest'),
      key: 'latest',
      width: 240,
      render: (_, i) => {
        const last = [...i.progress].reverse().find((p) => p.note) ?? i.progress[i.progress.length - 1];
        if (!last) return t('common.none');
        return (
          <Space orientation="vertical" size={0}>
            {last.note && <span style={{ whiteSpace: 'pre-wrap' }}>{last.note}</span>}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {word('loop.action.progress', last.kind)} · {time.dateTime(last.at)}
              {last.actorName && ` · ${last.actorName}`}
            </Typography.Text>
          </Space>
        );
      },
    },
  ];
  if (onProgress && !forPrint) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 110,
      className: 'suqiu-no-print',
      render: (_, i) =>
        canProgress?.(i) && (
          <Button size="small" onClick={() => onProgress(i)} data-testid="action-progress-open">
            {t('loop.action.report')}
          </Button>
        ),
    });
  }
  return (
    <Table<ActionItem>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={items ? [...items] : []}
      loading={loading}
      pagination={forPrint ? false : { pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
      expandable={forPrint ? undefined : { expandedRowRender: (i) => <ProgressHistory item={i} />, rowExpandable: (i) => i.progress.length > 0 }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      rowClassName={(i) => (i.late && i.status === 'open' ? 'suqiu-row-overdue' : '')}
      onRow={(i) => ({ 'data-testid': 'action-item', 'data-status': i.status }) as never}
      data-testid={testId}
    />
  );
}
