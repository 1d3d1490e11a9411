import { Card, Empty, List, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { listConsultations } from '../../api/experts.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useLiveTick } from '../../notifications/NotificationsProvider.js';
import { ConsultationStatusTag, StepVerdict } from '../experts/labels.js';
import { EXPERT_LIVE_KINDS } from '../experts/MyConsultationsPage.js';

/** The demand's questions to experts: where each stands, with whom, and its steps' verdicts so far. */
/** `refreshKey` changes when the demand page reloads after a change (a new consultation is on its timeline). */
export function ConsultationsCard({ demandId, refreshKey }: { demandId: number; refreshKey: string }) {
  const { t } = useI18n();
  const tick = useLiveTick(EXPERT_LIVE_KINDS);
  const list = useLoad(() => listConsultations({ demandId, pageSize: 20 }), `${demandId}:${refreshKey}:${tick}`);
  const items = list.data?.items ?? [];
  if (list.data && items.length === 0) return null;
  return (
    <Card size="small" title={t('consultation.of')} loading={!list.data && list.loading} data-testid="demand-consultations">
      {items.length === 0 ? (
        <Empty description={t('consultation.none')} />
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(c) => (
            <List.Item key={c.id} data-testid="demand-consultation" data-status={c.status}>
              <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                <Space wrap>
                  <Link to={`/experts/consultations/${c.id}`}>{c.unitName}</Link>
                  <span data-testid="demand-consultation-expert">{c.expertName}</span>
                  <ConsultationStatusTag status={c.status} />
                  {c.handOvers > 0 && <Tag color="orange">{t('common.pair', { label: t('consultation.handOvers'), value: c.handOvers })}</Tag>}
                </Space>
                <Typography.Text type="secondary" ellipsis style={{ maxWidth: 560 }}>
                  {c.question}
                </Typography.Text>
                <Space wrap size={12}>
                  {c.steps.map((s) => (
                    <span key={s.step} style={{ fontSize: 12 }}>
                      {t(`consultation.step.${s.step}`)} <StepVerdict step={s} />
                    </span>
                  ))}
                </Space>
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
