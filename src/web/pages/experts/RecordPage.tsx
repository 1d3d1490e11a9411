import { DownloadOutlined } from '@ant-design/icons';
import { Button, DatePicker, Flex, Space, Table, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import { recordForm, recordWorkbookUrl, type RecordForm } from '../../api/experts.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useShortTime } from '../demands/labels.js';
import { StepSummary } from './labels.js';
import { useMonth } from './month.js';

type Row = RecordForm['items'][number];

/** The seed's record form (专家坐席记录表) of a month, with every step's time and verdict, and its Excel export for the monthly report. */
export default function RecordPage() {
  const { t } = useI18n();
  const time = useShortTime();
  const [month, setMonth] = useMonth();
  const form = useLoad(() => recordForm(month), month);
  const columns: TableColumnsType<Row> = [
    { title: t('demand.number'), key: 'number', render: (_, r) => <Link to={`/experts/consultations/${r.consultationId}`}>{r.demandNumber}</Link> },
    { title: t('consultation.calledAt'), key: 'called', render: (_, r) => time(r.calledAt) },
    { title: t('consultation.customer'), key: 'customer', render: (_, r) => `${r.customerName ?? ''} ${r.customerPhone}` },
    { title: t('consultation.question'), key: 'q', render: (_, r) => <div style={{ maxWidth: 280 }}>{r.question}</div> },
    { title: t('consultation.forwardedAt'), key: 'fwd', render: (_, r) => time(r.forwardedAt) },
    { title: t('consultation.expert'), key: 'expert', render: (_, r) => `${r.expertName} · ${r.unitName}` },
    { title: t('consultation.answer'), key: 'answer', render: (_, r) => <div style={{ maxWidth: 280 }}>{r.answer ?? t('common.none')}</div> },
    {
      title: t('consultation.callbackResult'),
      key: 'cb',
      render: (_, r) => (r.callbackResult ? `${time(r.callbackAt)} ${r.callbackResult}` : t('common.none')),
    },
    {
      title: t('consultation.steps'),
      key: 'steps',
      render: (_, r) => <StepSummary steps={r.steps} />,
    },
  ];
  return (
    <Flex vertical gap={12} data-testid="record-page">
      <Flex justify="space-between" wrap gap={8}>
        <Space>
          <Typography.Text>{t('record.month')}</Typography.Text>
          <DatePicker
            picker="month"
            allowClear={false}
            value={dayjs(`${month}-01`)}
            onChange={(d) => d && setMonth(d.format('YYYY-MM'))}
            data-testid="record-month"
          />
          {form.data && <Typography.Text type="secondary">{t('record.rows', { count: form.data.items.length })}</Typography.Text>}
        </Space>
        <Button icon={<DownloadOutlined />} href={recordWorkbookUrl(month)} data-testid="record-export">
          {t('record.export')}
        </Button>
      </Flex>
      {form.error && !form.data && <LoadError error={form.error} onRetry={form.reload} />}
      <Table<Row>
        rowKey="consultationId"
        size="small"
        columns={columns}
        dataSource={form.data?.items ?? []}
        loading={form.loading}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        scroll={{ x: 1400 }}
      />
    </Flex>
  );
}
