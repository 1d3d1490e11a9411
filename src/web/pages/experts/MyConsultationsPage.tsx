import { PhoneOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Empty, Flex, Input, Segmented, Space, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { listUnits } from '../../api/client.js';
import { listConsultations, listExperts, updateExpert, type Consultation, type Expert } from '../../api/experts.js';
import { useReportError } from '../../components/errors.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useLiveTick } from '../../notifications/NotificationsProvider.js';
import { useMe } from '../../session/SessionProvider.js';
import { ConflictBanner, useConflictGuard } from '../demands/conflict.js';
import { useShortTime } from '../demands/labels.js';
import { ConsultationActions } from './ConsultationActions.js';
import { ConsultationStatusTag, StepList } from './labels.js';

/** What brings new work to an expert's page. */
export const EXPERT_LIVE_KINDS = [
  'consultation',
  'consultation_progress',
  'consultation_late',
  'consultation_passed_over',
  'consultation_replied',
  'consultation_unanswered',
  'consultation_withdrawn',
];

/** The expert's own availability, switched from their page (on a trip, phone broken). */
function MyAvailability() {
  const { t } = useI18n();
  const me = useMe();
  const report = useReportError();
  const { message } = App.useApp();
  const mine = useLoad(async () => (await listExperts({ unitId: me.user.unitId })).find((e) => e.id === me.user.id));
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  const expert: Expert | undefined = mine.data;
  if (!expert) return null;
  const save = async (available: boolean) => {
    setSaving(true);
    try {
      await updateExpert(expert.id, available ? { available: true } : { available: false, unavailableReason: reason.trim() || null });
      void message.success(t('common.saved'));
      mine.reload();
    } catch (err) {
      report(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card size="small" title={t('expert.me')} data-testid="my-availability">
      <Space wrap>
        <Switch
          checked={expert.available}
          loading={saving}
          checkedChildren={t('expert.available')}
          unCheckedChildren={t('expert.unavailable')}
          onChange={(on) => void save(on)}
          data-testid="my-available"
        />
        {expert.available ? (
          <Input
            placeholder={t('expert.reasonHint')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            style={{ width: 220 }}
            maxLength={200}
            data-testid="my-reason"
          />
        ) : (
          <Typography.Text type="warning">{expert.unavailableReason ?? t('expert.unavailable')}</Typography.Text>
        )}
        <Typography.Text type="secondary">
          {t('common.pair', { label: t('expert.topics'), value: expert.topics.join('、') || t('common.none') })} ·{' '}
          {t('common.pair', {
            label: t('expert.duty'),
            value:
              expert.dutyFrom === expert.dutyTo || (expert.dutyFrom === '00:00' && expert.dutyTo === '24:00')
                ? t('expert.allDay')
                : `${expert.dutyFrom}–${expert.dutyTo}`,
          })}
        </Typography.Text>
      </Space>
    </Card>
  );
}

function ConsultationCard({
  c,
  units,
  guard,
  onChanged,
}: {
  c: Consultation;
  units: Parameters<typeof ConsultationActions>[0]['units'];
  guard: Parameters<typeof ConsultationActions>[0]['guard'];
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const time = useShortTime();
  return (
    <Card
      size="small"
      data-testid="my-consultation"
      data-id={c.id}
      data-status={c.status}
      title={
        <Space wrap>
          <Link to={`/experts/consultations/${c.id}`}>{c.demandNumber}</Link>
          <ConsultationStatusTag status={c.status} />
          {c.handOvers > 0 && <Tag color="orange">{t('common.pair', { label: t('consultation.handOvers'), value: c.handOvers })}</Tag>}
        </Space>
      }
      extra={<ConsultationActions consultation={c} units={units} guard={guard} onChanged={onChanged} />}
    >
      <Flex gap={24} wrap>
        <Descriptions size="small" column={1} style={{ flex: '1 1 360px' }}>
          <Descriptions.Item label={t('consultation.question')}>
            <span style={{ whiteSpace: 'pre-wrap' }}>{c.question}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('consultation.customer')}>
            <Space>
              {c.customerName ?? t('common.none')}
              <a href={`tel:${c.customerPhone}`}>
                <PhoneOutlined /> {c.customerPhone}
              </a>
            </Space>
          </Descriptions.Item>
          {c.topic && <Descriptions.Item label={t('consultation.topic')}>{c.topic}</Descriptions.Item>}
          <Descriptions.Item label={t('consultation.forwardedAt')}>
            {time(c.forwardedAt)} · {c.forwardedByName}
          </Descriptions.Item>
          {c.answer && (
            <Descriptions.Item label={t('consultation.answer')}>
              <span style={{ whiteSpace: 'pre-wrap' }}>{c.answer}</span>
            </Descriptions.Item>
          )}
        </Descriptions>
        <div style={{ flex: '0 1 300px' }}>
          <StepList consultation={c} />
        </div>
      </Flex>
    </Card>
  );
}

/** The expert's page: the questions given to them, live, with the next step of each; and their own availability. */
export default function MyConsultationsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'all' ? 'all' : 'open';
  const tick = useLiveTick(EXPERT_LIVE_KINDS);
  const me = useMe();
  const list = useLoad(() => listConsultations({ expertId: me.user.id, ...(view === 'open' && { open: 'true' as const }), pageSize: 50 }), `${view}:${tick}`);
  const units = useLoad(listUnits);
  const { conflict, guard, clear } = useConflictGuard();
  const reload = () => {
    clear();
    list.reload();
  };
  return (
    <Flex vertical gap={16} data-testid="my-consultations">
      <MyAvailability />
      <ConflictBanner message={conflict} onReload={reload} />
      <Flex justify="space-between" wrap gap={8}>
        <Segmented
          value={view}
          onChange={(v) => setParams(v === 'all' ? { view: 'all' } : {})}
          options={[
            { value: 'open', label: t('consultation.open') },
            { value: 'all', label: t('consultation.all') },
          ]}
        />
        <Button icon={<ReloadOutlined />} onClick={reload} loading={list.loading}>
          {t('common.refresh')}
        </Button>
      </Flex>
      {list.error && !list.data && <LoadError error={list.error} onRetry={list.reload} />}
      {list.data && list.data.items.length === 0 && <Empty description={t('consultation.none')} />}
      {list.data?.items.map((c) => (
        <ConsultationCard key={`${c.id}:${c.version}`} c={c} units={units.data ?? []} guard={guard} onChanged={list.reload} />
      ))}
    </Flex>
  );
}
