import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Empty, Flex, Space, Table, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { listUnits } from '../../api/client.js';
import { listTransferBatches, listTransferItems, makeTransferBatch, type TransferBatchSummary, type TransferItem } from '../../api/evaluation.js';
import { useReportError } from '../../components/errors.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { todayIn } from '../../i18n/time.js';
import { AnswerModal } from './AnswerModal.js';
import { OverdueCounts, useCompanyTime, useLoopRights, useMyUnits } from './labels.js';
import { TransferItemsTable } from './TransferItemsTable.js';

/** The analyst makes a month's batch by hand (the scheduler makes it on the first working day); only a month that is over. */
function MakeBatch({ onMade }: { onMade: (batch: { id: number }, created: boolean) => void }) {
  const { t, timeZone } = useI18n();
  const report = useReportError();
  const thisMonth = todayIn(timeZone).slice(0, 7);
  const [month, setMonth] = useState<Dayjs>(dayjs(`${thisMonth}-01`).subtract(1, 'month'));
  const [busy, setBusy] = useState(false);
  const make = async () => {
    setBusy(true);
    try {
      const before = await listTransferBatches(month.format('YYYY-MM'));
      const batch = await makeTransferBatch(month.format('YYYY-MM'));
      onMade(batch, before.length === 0);
    } catch (err) {
      report(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space wrap>
      <Typography.Text>{t('loop.transfer.month')}</Typography.Text>
      <DatePicker
        picker="month"
        allowClear={false}
        value={month}
        onChange={(d) => d && setMonth(d)}
        disabledDate={(d) => d.format('YYYY-MM') >= thisMonth}
        data-testid="batch-month"
      />
      <Button type="primary" loading={busy} onClick={make} data-testid="batch-make">
        {t('loop.transfer.makeBatch')}
      </Button>
    </Space>
  );
}

/** 传递: the monthly batches, and for a department's handlers the items waiting for their answer. */
export default function TransfersPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const time = useCompanyTime();
  const rights = useLoopRights();
  const batches = useLoad(() => listTransferBatches());
  const units = useLoad(listUnits);
  const mine = useMyUnits(units.data);
  const department = rights.answer && (units.data ?? []).some((u) => u.kind === 'department' && mine.has(u.id));
  const waiting = useLoad(() => (rights.answer ? listTransferItems({ status: 'open' }) : Promise.resolve([])));
  const [answering, setAnswering] = useState<TransferItem | null>(null);
  const toMe = (waiting.data ?? []).filter((i) => mine.has(i.toUnitId));

  const columns: TableColumnsType<TransferBatchSummary> = [
    {
      title: t('loop.transfer.month'),
      key: 'month',
      render: (_, b) => (
        <Link to={`/evaluation/transfers/${b.id}`} data-testid="batch-link">
          {t('loop.transfer.monthName', { year: b.month.slice(0, 4), month: Number(b.month.slice(5)) })}
        </Link>
      ),
    },
    { title: t('loop.transfer.period'), key: 'period', render: (_, b) => `${time.date(b.from)} ~ ${time.lastDay(b.to)}` },
    { title: t('loop.transfer.items'), dataIndex: 'items', align: 'right' },
    {
      title: t('loop.transfer.answered'),
      key: 'answered',
      align: 'right',
      render: (_, b) => (
        <Typography.Text type={b.items > 0 && b.answered === b.items ? 'success' : undefined}>
          {b.answered} / {b.items}
        </Typography.Text>
      ),
    },
    { title: t('loop.transfer.overdueCount'), key: 'overdue', align: 'right', render: (_, b) => <OverdueCounts batch={b} /> },
    {
      title: t('loop.transfer.madeBy'),
      key: 'made',
      render: (_, b) => `${b.createdByName ?? t('loop.transfer.madeBySystem')} · ${time.dateTime(b.createdAt)}`,
    },
  ];

  return (
    <Flex vertical gap={16} data-testid="transfers-page">
      {department && (
        <Card
          size="small"
          title={t('loop.transfer.waitingForMe')}
          extra={<Typography.Text type="secondary">{t('loop.transfer.waitingHint')}</Typography.Text>}
          data-testid="transfers-waiting"
        >
          {waiting.error && !waiting.data ? (
            <LoadError error={waiting.error} onRetry={waiting.reload} />
          ) : (
            <TransferItemsTable
              items={toMe}
              loading={waiting.loading || units.loading}
              empty={t('loop.transfer.noneWaiting')}
              onAnswer={setAnswering}
              canAnswer={() => true}
            />
          )}
        </Card>
      )}
      <Card
        size="small"
        title={t('loop.transfer.batches')}
        extra={
          <Space>
            {rights.manageTransfers && (
              <MakeBatch
                onMade={(batch, created) => {
                  void message.success(created ? t('loop.transfer.batchMade') : t('loop.transfer.batchExists'));
                  navigate(`/evaluation/transfers/${batch.id}`);
                }}
              />
            )}
            <Button icon={<ReloadOutlined />} onClick={batches.reload} aria-label={t('common.refresh')} />
          </Space>
        }
      >
        {batches.error && !batches.data ? (
          <LoadError error={batches.error} onRetry={batches.reload} />
        ) : (
          <Table<TransferBatchSummary>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={batches.data ?? []}
            loading={batches.loading}
            pagination={{ pageSize: 24, hideOnSinglePage: true }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('loop.transfer.noBatches')} /> }}
            onRow={(b) => ({ 'data-testid': 'batch-row', 'data-month': b.month }) as never}
          />
        )}
      </Card>
      <AnswerModal
        item={answering}
        onClose={() => setAnswering(null)}
        onDone={() => {
          setAnswering(null);
          void message.success(t('loop.transfer.answerSaved'));
          waiting.reload();
          batches.reload();
        }}
      />
    </Flex>
  );
}
