import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Flex, Row, Space, Spin, Typography, type DescriptionsProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { getOutage, type OutageDetail } from '../../api/outages.js';
import { LoadError, NotFound } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useLiveTick } from '../../notifications/NotificationsProvider.js';
import { useCan } from '../../session/SessionProvider.js';
import { useShortTime } from '../demands/labels.js';
import { actionsFor, OutageActionModal, type OutageAction } from './OutageActions.js';
import { CallsCard, MessagesCard } from './OutageCalls.js';
import { CustomersCard, DistrictChart } from './OutageCustomers.js';
import { OutageTimeline } from './OutageTimeline.js';
import { isActive, KindTag, LateTag, OutageStatusTag, OutageWhen } from './labels.js';

// One outage: what it cuts and why, until when; its 台区 and customers, the
// calls it drew, its messages, its history; and, for whoever manages it, the
// expected end moved, power restored, or the outage called off.

function Header({ outage, actions }: { outage: OutageDetail; actions: ReactNode }) {
  const { t } = useI18n();
  const shortTime = useShortTime();
  const items: DescriptionsProps['items'] = [
    { key: 'cause', label: t('outage.cause'), children: <span data-testid="outage-cause">{outage.cause}</span> },
    { key: 'start', label: t('outage.start'), children: shortTime(outage.startsAt) },
    {
      key: 'end',
      label: t('outage.expectedEnd'),
      children: (
        <Space size={6} wrap>
          <span>{shortTime(outage.expectedEndAt)}</span>
          {isActive(outage) && <OutageWhen outage={outage} />}
        </Space>
      ),
    },
    { key: 'area', label: t('outage.area'), span: 2, children: <span data-testid="outage-area">{outage.area}</span> },
    { key: 'customers', label: t('outage.affected'), children: t('outage.households', { count: outage.affectedCustomers.toLocaleString() }) },
    { key: 'unit', label: t('outageDetail.unit'), children: outage.unitName },
    {
      key: 'noticeDue',
      label: t('outageDetail.noticeDue'),
      // Announced after it was due: the due time is what the late notice is measured against.
      children: <Typography.Text type={outage.lateNoticeReason ? 'danger' : undefined}>{shortTime(outage.noticeDueAt)}</Typography.Text>,
    },
    { key: 'by', label: t('outageDetail.announcedBy'), children: `${outage.createdByName ?? t('timeline.system')} · ${shortTime(outage.createdAt)}` },
  ];
  if (outage.startedAt) items.push({ key: 'started', label: t('outageDetail.startedAt'), children: shortTime(outage.startedAt) });
  if (outage.restoredAt) items.push({ key: 'restored', label: t('outageDetail.restoredAt'), children: shortTime(outage.restoredAt) });
  if (outage.cancelledAt)
    items.push({ key: 'cancelled', label: t('outageDetail.cancelledAt'), children: `${shortTime(outage.cancelledAt)} · ${outage.cancelReason ?? ''}` });
  return (
    <Card
      size="small"
      title={
        <Space size={8} wrap style={{ padding: '8px 0' }}>
          <Typography.Text strong style={{ fontSize: 18 }} copyable={{ text: outage.number }} data-testid="outage-number">
            {outage.number}
          </Typography.Text>
          <KindTag kind={outage.kind} />
          <OutageStatusTag status={outage.status} />
          <LateTag reason={outage.lateNoticeReason} />
        </Space>
      }
      extra={actions}
    >
      <Descriptions className="suqiu-desc-even" size="small" column={{ xs: 1, md: 2, xl: 3 }} items={items} />
      {/* Below the facts, across the card: the reason a notice came late, and the notice as the customers read it. */}
      {outage.lateNoticeReason && (
        <Typography.Paragraph style={{ margin: '4px 0 8px' }} data-testid="outage-late-reason">
          <Typography.Text type="secondary">{t('common.pair', { label: t('outage.lateReason'), value: '' })}</Typography.Text>
          {outage.lateNoticeReason}
        </Typography.Paragraph>
      )}
      <Typography.Text type="secondary">{t('common.pair', { label: t('outage.notice'), value: '' })}</Typography.Text>
      <Typography.Paragraph
        style={{ whiteSpace: 'pre-wrap', margin: '4px 0 0', background: '#fafafa', padding: '6px 10px', borderRadius: 6 }}
        data-testid="outage-notice"
      >
        {outage.notice}
      </Typography.Paragraph>
    </Card>
  );
}

export default function OutagePage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const can = useCan();
  const id = Number(useParams().id);
  const tick = useLiveTick(['outage']);
  const outage = useLoad(() => getOutage(id), `${id}:${tick}`);
  const [action, setAction] = useState<OutageAction | null>(null);

  if (!Number.isInteger(id) || id <= 0 || outage.error?.status === 404) return <NotFound />;
  if (outage.error && !outage.data) return <LoadError error={outage.error} onRetry={outage.reload} />;
  const data = outage.data;
  if (!data || data.id !== id) return <Spin style={{ display: 'block', marginTop: 64 }} data-testid="outage-loading" />;

  const offered = can('outage.manage') ? actionsFor(data) : [];
  const actions = (
    <Space wrap>
      {offered.includes('update') && (
        <Button onClick={() => setAction('update')} data-testid="outage-update-open">
          {t('outageAction.update')}
        </Button>
      )}
      {offered.includes('restore') && (
        <Button type="primary" onClick={() => setAction('restore')} data-testid="outage-restore-open">
          {t('outageAction.restore')}
        </Button>
      )}
      {offered.includes('cancel') && (
        <Button danger onClick={() => setAction('cancel')} data-testid="outage-cancel-open">
          {t('outageAction.cancel')}
        </Button>
      )}
      <Button icon={<ReloadOutlined />} loading={outage.loading} onClick={outage.reload}>
        {t('common.refresh')}
      </Button>
    </Space>
  );

  return (
    <Flex vertical gap={16} data-testid="outage-page" data-number={data.number} data-status={data.status}>
      <Link to="/outages">
        <ArrowLeftOutlined /> {t('outageDetail.back')}
      </Link>
      {data.status === 'in_progress' && Date.parse(data.expectedEndAt) < Date.now() && (
        <Alert
          type="error"
          showIcon
          title={t('outageDetail.pastExpected')}
          description={t('outageDetail.pastExpectedHint')}
          data-testid="outage-past-expected"
        />
      )}
      <Header outage={data} actions={actions} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={13}>
          <Flex vertical gap={16}>
            <DistrictChart outage={data} />
            <CustomersCard outage={data} />
          </Flex>
        </Col>
        <Col xs={24} xl={11}>
          <Flex vertical gap={16}>
            <CallsCard outage={data} />
            <MessagesCard outage={data} />
            <Card size="small" title={t('outageDetail.timelineTitle')}>
              <OutageTimeline events={data.timeline} />
            </Card>
          </Flex>
        </Col>
      </Row>
      <OutageActionModal
        outage={data}
        action={action}
        onClose={() => setAction(null)}
        onDone={(_, text) => {
          setAction(null);
          void message.success(text);
          outage.reload();
        }}
      />
    </Flex>
  );
}
