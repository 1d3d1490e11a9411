import { ArrowLeftOutlined, DownloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Flex, Segmented } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { listUnits } from '../../api/client.js';
import { getTransferBatch, transferBatchWorkbookUrl, type TransferItem } from '../../api/evaluation.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { AnswerModal } from './AnswerModal.js';
import { OverdueCounts, useCompanyTime, useLoopRights, useMyUnits } from './labels.js';
import { TransferItemsTable } from './TransferItemsTable.js';

type View = 'all' | 'open' | 'answered' | 'overdue';
const FILTERS: Record<View, (i: TransferItem) => boolean> = {
  all: () => true,
  open: (i) => i.status === 'open',
  answered: (i) => i.status === 'answered',
  overdue: (i) => i.overdue,
};

/** A month's batch as a document: its items, each with its answer or the time left for it; exported to xlsx. */
export default function TransferBatchPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const time = useCompanyTime();
  const id = Number(useParams().id);
  const rights = useLoopRights();
  const batch = useLoad(() => getTransferBatch(id), String(id));
  const units = useLoad(() => (rights.answer ? listUnits() : Promise.resolve([])));
  const mine = useMyUnits(units.data);
  const [view, setView] = useState<View>('all');
  const [answering, setAnswering] = useState<TransferItem | null>(null);
  const b = batch.data;
  const items = b?.items ?? [];
  const count = (v: View) => items.filter(FILTERS[v]).length;

  return (
    <Flex vertical gap={12} data-testid="transfer-batch-page">
      <Link to="/evaluation/transfers" className="suqiu-no-print">
        <ArrowLeftOutlined /> {t('loop.transfer.backToList')}
      </Link>
      {batch.error && !b && <LoadError error={batch.error} onRetry={batch.reload} />}
      <Card
        size="small"
        loading={batch.loading && !b}
        title={b ? t('loop.transfer.batchTitle', { year: b.month.slice(0, 4), month: Number(b.month.slice(5)) }) : t('loop.transfer.batches')}
        extra={
          b && (
            <Button icon={<DownloadOutlined />} href={transferBatchWorkbookUrl(b.id)} className="suqiu-no-print" data-testid="batch-export">
              {t('loop.exportXlsx')}
            </Button>
          )
        }
      >
        {b && (
          <Descriptions size="small" column={{ xs: 1, md: 4 }}>
            <Descriptions.Item label={t('loop.transfer.period')}>{`${time.date(b.from)} ~ ${time.lastDay(b.to)}`}</Descriptions.Item>
            <Descriptions.Item
              label={t('loop.transfer.madeBy')}
            >{`${b.createdByName ?? t('loop.transfer.madeBySystem')} · ${time.dateTime(b.createdAt)}`}</Descriptions.Item>
            <Descriptions.Item label={t('loop.transfer.answered')}>
              <span data-testid="batch-answered">
                {b.answered} / {items.length}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('loop.transfer.overdueCount')}>
              <OverdueCounts batch={b} />
            </Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      <Segmented<View>
        className="suqiu-no-print"
        value={view}
        onChange={setView}
        options={(['all', 'open', 'answered', 'overdue'] as const).map((v) => ({ value: v, label: `${t(`loop.transfer.view.${v}`)} ${b ? count(v) : ''}` }))}
      />
      <TransferItemsTable
        items={items.filter(FILTERS[view])}
        loading={batch.loading}
        empty={b && items.length === 0 ? t('loop.transfer.batchEmpty') : t('loop.transfer.viewEmpty')}
        // Only those who answer get the column of buttons.
        onAnswer={rights.answer && items.some((i) => mine.has(i.toUnitId)) ? setAnswering : undefined}
        canAnswer={(i) => rights.answer && mine.has(i.toUnitId)}
        testId="batch-items"
      />
      <AnswerModal
        item={answering}
        onClose={() => setAnswering(null)}
        onDone={() => {
          setAnswering(null);
          void message.success(t('loop.transfer.answerSaved'));
          batch.reload();
        }}
      />
    </Flex>
  );
}
