import { ArrowLeftOutlined, PhoneOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Flex, Row, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { listUnits } from '../../api/client.js';
import { getConsultation } from '../../api/experts.js';
import { LoadError, NotFound } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useLiveTick } from '../../notifications/NotificationsProvider.js';
import { ConflictBanner, useConflictGuard } from '../demands/conflict.js';
import { useShortTime } from '../demands/labels.js';
import { ConsultationActions } from './ConsultationActions.js';
import { ConsultationStatusTag, StepList } from './labels.js';
import { EXPERT_LIVE_KINDS } from './MyConsultationsPage.js';

const EVENT_COLORS: Record<string, string> = {
  passed_over: 'orange',
  passed_to_leader: 'orange',
  unanswered: 'red',
  late: 'red',
  reminded: 'orange',
  cancelled: 'gray',
  replied: 'green',
  called_back: 'green',
};

/** One consultation as the agent and the expert follow it: where it stands, each step against its limit, and what happened. */
export default function ConsultationPage() {
  const { t, tMaybe } = useI18n();
  const time = useShortTime();
  const id = Number(useParams().id);
  // The agent sees the hand-overs and the answer arrive without reloading.
  const tick = useLiveTick(EXPERT_LIVE_KINDS);
  const c = useLoad(() => getConsultation(id), `${id}:${tick}`);
  const units = useLoad(listUnits);
  const { conflict, guard, clear } = useConflictGuard();

  if (!Number.isInteger(id) || id <= 0) return <NotFound />;
  if (c.error?.status === 404) return <NotFound />;
  if (c.error && !c.data) return <LoadError error={c.error} onRetry={c.reload} />;
  const data = c.data;
  if (!data || data.id !== id) return <Spin style={{ display: 'block', marginTop: 64 }} />;
  const reload = () => {
    clear();
    c.reload();
  };

  return (
    <Flex vertical gap={16} data-testid="consultation-page" data-status={data.status} data-expert-id={data.expertId}>
      <Space>
        <Link to="/experts">
          <ArrowLeftOutlined /> {t('experts.backToList')}
        </Link>
        <Link to={`/demands/${data.demandId}`}>
          {t('consultation.demand')} {data.demandNumber}
        </Link>
      </Space>
      <ConflictBanner message={conflict} onReload={reload} />
      <Card
        title={
          <Space wrap>
            <span>
              {t('consultation.of')} · {data.demandNumber}
            </span>
            <ConsultationStatusTag status={data.status} />
          </Space>
        }
        extra={
          <Space wrap>
            <ConsultationActions consultation={data} units={units.data ?? []} guard={guard} onChanged={c.reload} />
            <Button icon={<ReloadOutlined />} onClick={reload} loading={c.loading}>
              {t('common.refresh')}
            </Button>
          </Space>
        }
      >
        {data.unansweredAt && data.status === 'assigned' && (
          <Alert type="error" showIcon title={t('consultation.unanswered')} style={{ marginBottom: 12 }} data-testid="consultation-unanswered" />
        )}
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('consultation.question')} span={2}>
            <span style={{ whiteSpace: 'pre-wrap' }}>{data.question}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('consultation.customer')}>
            <Space>
              {data.customerName ?? t('common.none')}
              <a href={`tel:${data.customerPhone}`}>
                <PhoneOutlined /> {data.customerPhone}
              </a>
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('consultation.calledAt')}>{time(data.calledAt)}</Descriptions.Item>
          <Descriptions.Item label={t('consultation.unit')}>
            {data.unitName}
            {data.topic && ` · ${data.topic}`}
          </Descriptions.Item>
          <Descriptions.Item label={t('consultation.expert')}>
            <Space>
              <span data-testid="consultation-expert">{data.expertName}</span>
              {data.expertPhone && <a href={`tel:${data.expertPhone}`}>{data.expertPhone}</a>}
              {data.handOvers > 0 && <Tag color="orange">{t('common.pair', { label: t('consultation.handOvers'), value: data.handOvers })}</Tag>}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('consultation.forwardedBy')}>
            {data.forwardedByName} · {time(data.forwardedAt)}
          </Descriptions.Item>
          {data.answer && (
            <Descriptions.Item label={t('consultation.answer')} span={2}>
              <span style={{ whiteSpace: 'pre-wrap' }} data-testid="consultation-answer">
                {data.answer}
              </span>
              {data.jointUnits.length > 0 && (
                <Typography.Text type="secondary"> {t('timeline.jointly', { units: data.jointUnits.map((u) => u.name).join('、') })}</Typography.Text>
              )}
            </Descriptions.Item>
          )}
          {data.callbackResult && (
            <Descriptions.Item label={t('consultation.callbackResult')} span={2}>
              {data.callbackResult} · {time(data.callbackAt)}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('consultation.steps')} data-testid="consultation-steps">
            <StepList consultation={data} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('consultation.timeline')}>
            <Timeline
              data-testid="consultation-timeline"
              items={data.timeline.map((e) => ({
                color: EVENT_COLORS[e.kind] ?? 'blue',
                content: (
                  <Space orientation="vertical" size={0} data-testid="consultation-event" data-kind={e.kind}>
                    <Space wrap>
                      <Typography.Text strong>{tMaybe(`cevent.${e.kind}`) ?? e.kind}</Typography.Text>
                      <Typography.Text type="secondary">{time(e.at)}</Typography.Text>
                    </Space>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {[e.actorName ?? t('timeline.system'), e.expertName && e.expertId !== e.actorId && `→ ${e.expertName}`].filter(Boolean).join(' ')}
                    </Typography.Text>
                    {e.note &&
                      (e.kind === 'late' || e.kind === 'reminded' ? (
                        <span>{tMaybe(`consultation.step.${e.note}`) ?? e.note}</span>
                      ) : (
                        <span style={{ whiteSpace: 'pre-wrap' }}>{e.note}</span>
                      ))}
                  </Space>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
    </Flex>
  );
}
