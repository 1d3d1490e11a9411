import { ReloadOutlined } from '@ant-design/icons';
import { Button, Flex, Segmented, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { listConsultations, type Consultation } from '../../api/experts.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useLiveTick } from '../../notifications/NotificationsProvider.js';
import { useShortTime } from '../demands/labels.js';
import { ConsultationStatusTag, StepSummary } from './labels.js';
import { EXPERT_LIVE_KINDS } from './MyConsultationsPage.js';

const PAGE_SIZE = 20;

/** The centre's view of its questions to experts: where each stands now, newest first. */
export default function ConsultationsPage() {
  const { t } = useI18n();
  const time = useShortTime();
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'all' ? 'all' : 'open';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const tick = useLiveTick(EXPERT_LIVE_KINDS);
  const list = useLoad(() => listConsultations({ ...(view === 'open' && { open: 'true' as const }), page, pageSize: PAGE_SIZE }), `${view}:${page}:${tick}`);
  const go = (next: { view?: string; page?: number }) => {
    const search = new URLSearchParams();
    const v = next.view ?? view;
    if (v === 'all') search.set('view', 'all');
    if ((next.page ?? 1) > 1) search.set('page', String(next.page));
    setParams(search);
  };
  const columns: TableColumnsType<Consultation> = [
    {
      title: t('demand.number'),
      key: 'number',
      render: (_, c) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/experts/consultations/${c.id}`}>{c.demandNumber}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {time(c.forwardedAt)} · {c.forwardedByName}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('consultation.question'),
      key: 'question',
      render: (_, c) => (
        <div style={{ maxWidth: 360, display: '-webkit-box', WebkitLineClamp: 2, WebkitBoxOrient: 'vertical', overflow: 'hidden' }}>{c.question}</div>
      ),
    },
    {
      title: t('consultation.expert'),
      key: 'expert',
      render: (_, c) => (
        <Space orientation="vertical" size={0}>
          <span>{c.expertName}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {c.unitName}
          </Typography.Text>
          {c.handOvers > 0 && <Tag color="orange">{t('common.pair', { label: t('consultation.handOvers'), value: c.handOvers })}</Tag>}
        </Space>
      ),
    },
    { title: t('common.status'), key: 'status', render: (_, c) => <ConsultationStatusTag status={c.status} /> },
    {
      title: t('consultation.steps'),
      key: 'steps',
      render: (_, c) => <StepSummary steps={c.steps} started />,
    },
  ];
  return (
    <Flex vertical gap={12} data-testid="consultations-page">
      <Flex justify="space-between" wrap gap={8}>
        <Segmented
          value={view}
          onChange={(v) => go({ view: String(v) })}
          options={[
            { value: 'open', label: t('consultation.open') },
            { value: 'all', label: t('consultation.all') },
          ]}
        />
        <Button icon={<ReloadOutlined />} onClick={list.reload} loading={list.loading}>
          {t('common.refresh')}
        </Button>
      </Flex>
      {list.error && !list.data && <LoadError error={list.error} onRetry={list.reload} />}
      <Table<Consultation>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.loading}
        onRow={(c) => ({ 'data-testid': 'consultation-row', 'data-id': c.id, 'data-status': c.status }) as never}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, showSizeChanger: false, onChange: (p) => go({ page: p }) }}
      />
    </Flex>
  );
}
