import { Button, Empty, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import type { TransferItem } from '../../api/evaluation.js';
import { useI18n } from '../../i18n/index.js';
import { useDemandLabels } from '../demands/labels.js';
import { TimeLeft, useCompanyTime, useCodeWord } from './labels.js';

interface Props {
  items: readonly TransferItem[] | undefined;
  loading: boolean;
  /** What the empty table says will appear in it. */
  empty: string;
  /** Offered on the items the user may answer. */
  onAnswer?: ((item: TransferItem) => void) | undefined;
  canAnswer?: (item: TransferItem) => boolean;
  /** The meeting pack: no buttons, every row on paper. */
  forPrint?: boolean;
  testId?: string;
}

/** The department's answer, as the customer's callback will carry it. */
export function AnswerText({ item }: { item: TransferItem }) {
  const { t } = useI18n();
  const time = useCompanyTime();
  const a = item.answer;
  if (!a) return <Typography.Text type="secondary">{t('loop.transfer.notAnswered')}</Typography.Text>;
  return (
    <Space orientation="vertical" size={2} data-testid="transfer-answer">
      <span style={{ whiteSpace: 'pre-wrap' }}>{a.measures}</span>
      <Space size={4} wrap>
        {a.resolved ? <Tag color="green">{t('loop.transfer.resolved')}</Tag> : <Tag color="orange">{t('loop.transfer.unresolved')}</Tag>}
        {a.expectedBy && <Typography.Text style={{ fontSize: 12 }}>{t('loop.transfer.expectedByOn', { date: a.expectedBy })}</Typography.Text>}
        {a.owner && <Typography.Text style={{ fontSize: 12 }}>{t('common.pair', { label: t('loop.transfer.owner'), value: a.owner })}</Typography.Text>}
      </Space>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {a.answeredByName ?? t('common.none')} · {time.dateTime(a.answeredAt)}
      </Typography.Text>
    </Space>
  );
}

/** Transfer items (传递事项): the demand, why it was raised and to whom, the answer's deadline and the answer. */
export function TransferItemsTable({ items, loading, empty, onAnswer, canAnswer, forPrint, testId }: Props) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const word = useCodeWord();
  const time = useCompanyTime();
  const columns: TableColumnsType<TransferItem> = [
    {
      title: t('loop.transfer.demand'),
      key: 'number',
      width: 140,
      render: (_, i) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/demands/${i.demandId}`} data-testid="transfer-demand-link">
            {i.number}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {labels.type(i.type)} · {labels.category(i.category)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('loop.transfer.content'),
      key: 'content',
      onCell: () => ({ style: { minWidth: 200 } }),
      render: (_, i) => (
        <>
          <div
            title={i.content}
            style={forPrint ? { whiteSpace: 'pre-wrap' } : { display: '-webkit-box', WebkitLineClamp: 3, WebkitBoxOrient: 'vertical', overflow: 'hidden' }}
          >
            {i.content}
          </div>
          {i.firstFindings && (
            <Typography.Text
              type="secondary"
              style={{ fontSize: 12, display: 'block', marginTop: 4 }}
              title={i.firstFindings}
              data-testid="transfer-first-findings"
            >
              {t('loop.transfer.firstFindings')}：{i.firstFindings}
            </Typography.Text>
          )}
        </>
      ),
    },
    { title: t('loop.transfer.fromUnit'), dataIndex: 'fromUnitName', width: 110 },
    {
      title: t('loop.transfer.reason'),
      key: 'reason',
      width: 124,
      render: (_, i) => (
        <Space orientation="vertical" size={0}>
          <Tag color={i.reason === 'unresolved' ? 'volcano' : 'gold'}>{word('loop.transfer.reason', i.reason)}</Tag>
          {i.unresolvedReason && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {word('loop.transfer.unresolvedReason', i.unresolvedReason)}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { title: t('loop.transfer.toUnit'), dataIndex: 'toUnitName', width: 110 },
    {
      title: t('loop.transfer.dueAt'),
      key: 'due',
      width: 140,
      render: (_, i) => (
        <Space orientation="vertical" size={0}>
          <span style={{ whiteSpace: 'nowrap' }}>{time.due(i.dueAt)}</span>
          <TimeLeft dueAt={i.dueAt} metAt={i.answer?.answeredAt ?? null} testId="transfer-time-left" />
        </Space>
      ),
    },
    {
      title: t('common.status'),
      key: 'status',
      width: 80,
      render: (_, i) => (
        <Space orientation="vertical" size={2}>
          <Tag color={i.status === 'answered' ? 'green' : 'orange'} data-testid="transfer-status" data-status={i.status}>
            {word('loop.transfer.status', i.status)}
          </Tag>
          {i.overdue &&
            (i.status === 'open' ? <Tag color="red">{t('loop.transfer.overdue')}</Tag> : <Tag color="orange">{t('loop.transfer.answeredLate')}</Tag>)}
        </Space>
      ),
    },
    { title: t('loop.transfer.answer'), key: 'answer', onCell: () => ({ style: { minWidth: 220 } }), render: (_, i) => <AnswerText item={i} /> },
  ];
  if (onAnswer && !forPrint) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 96,
      className: 'suqiu-no-print',
      render: (_, i) =>
        canAnswer?.(i) && (
          <Button size="small" type={i.status === 'open' ? 'primary' : 'default'} onClick={() => onAnswer(i)} data-testid="transfer-answer-open">
            {i.status === 'open' ? t('loop.transfer.answerAction') : t('loop.transfer.correctAnswer')}
          </Button>
        ),
    });
  }
  return (
    <Table<TransferItem>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={items ? [...items] : []}
      loading={loading}
      pagination={forPrint ? false : { pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
      scroll={forPrint ? undefined : { x: 1100 }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      rowClassName={(i) => (i.overdue && i.status === 'open' ? 'suqiu-row-overdue' : '')}
      onRow={(i) => ({ 'data-testid': 'transfer-item', 'data-number': i.number, 'data-status': i.status }) as never}
      data-testid={testId}
    />
  );
}
