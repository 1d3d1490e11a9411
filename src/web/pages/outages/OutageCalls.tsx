import { Card, Col, Empty, Flex, Progress, Row, Statistic, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { listMessages, type OutageDetail } from '../../api/outages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useCan } from '../../session/SessionProvider.js';
import { StatusTag, useShortTime } from '../demands/labels.js';

// The calls an outage drew (its 主单 and 子单, by demand number) and how its
// messages to customers stand in the outbox: queued, sent, failed, and the
// failed ones with their reason for whoever may read the outbox.

type Call = OutageDetail['callList'][number];

export function RoleTag({ role }: { role: 'master' | 'child' }) {
  const { t } = useI18n();
  return (
    <Tag color={role === 'master' ? 'blue' : 'default'} data-testid="call-role" data-role={role} style={{ marginInlineEnd: 0 }}>
      {role === 'master' ? t('outage.master') : t('outage.child')}
    </Tag>
  );
}

export function CallsCard({ outage }: { outage: OutageDetail }) {
  const { t } = useI18n();
  const shortTime = useShortTime();
  return (
    <Card
      size="small"
      title={t('outageDetail.callsTitle', { count: outage.calls })}
      extra={outage.openCalls > 0 && <Typography.Text type="warning">{t('outage.callsOpen', { count: outage.openCalls })}</Typography.Text>}
      data-testid="outage-calls-card"
    >
      <Table<Call>
        rowKey="id"
        size="small"
        pagination={outage.callList.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
        dataSource={outage.callList}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('outageDetail.noCalls')} /> }}
        onRow={(call) => ({ 'data-testid': 'outage-call', 'data-number': call.number, 'data-role': call.role }) as object}
        columns={[
          {
            title: t('demand.number'),
            key: 'number',
            render: (_, call) => (
              <Flex gap={6} align="center" wrap>
                <Link to={`/demands/${call.id}`}>{call.number}</Link>
                <RoleTag role={call.role} />
              </Flex>
            ),
          },
          { title: t('demand.customer'), key: 'customer', render: (_, call) => call.customerName ?? t('common.none') },
          { title: t('outageDetail.calledAt'), key: 'at', render: (_, call) => <span style={{ whiteSpace: 'nowrap' }}>{shortTime(call.createdAt)}</span> },
          { title: t('common.status'), key: 'status', render: (_, call) => <StatusTag status={call.status} /> },
        ]}
      />
    </Card>
  );
}

function FailedMessages({ outageId, version }: { outageId: number; version: number }) {
  const { t } = useI18n();
  const shortTime = useShortTime();
  const failed = useLoad(() => listMessages({ outageId, status: 'failed', pageSize: 20 }), `${outageId}|${version}`);
  if (failed.error) return <Typography.Text type="secondary">{t('outageDetail.failedUnavailable')}</Typography.Text>;
  return (
    <Table
      rowKey="id"
      size="small"
      loading={failed.loading}
      dataSource={failed.data?.items ?? []}
      pagination={false}
      data-testid="outage-failed-messages"
      columns={[
        { title: t('outageDetail.address'), dataIndex: 'address', key: 'address' },
        {
          title: t('outageDetail.failReason'),
          key: 'error',
          render: (_, m) => <Typography.Text type="danger">{m.lastError ?? t('common.none')}</Typography.Text>,
        },
        { title: t('outageDetail.attempts'), dataIndex: 'attempts', key: 'attempts', align: 'right' },
        { title: t('outageDetail.queuedAt'), key: 'at', render: (_, m) => shortTime(m.createdAt) },
      ]}
    />
  );
}

export function MessagesCard({ outage }: { outage: OutageDetail }) {
  const { t } = useI18n();
  const can = useCan();
  const { queued, sending, sent, failed } = outage.messages;
  const total = queued + sending + sent + failed;
  const figures = [
    { key: 'waiting', title: t('outageDetail.msgWaiting'), value: queued + sending, color: undefined },
    { key: 'sent', title: t('outageDetail.msgSent'), value: sent, color: '#389e0d' },
    { key: 'failed', title: t('outageDetail.msgFailed'), value: failed, color: failed > 0 ? '#cf1322' : undefined },
  ];
  return (
    <Card size="small" title={t('outageDetail.messagesTitle', { count: total.toLocaleString() })} data-testid="outage-messages">
      {total === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('outageDetail.noMessages')} />
      ) : (
        <Flex vertical gap={12}>
          <Row gutter={12}>
            {figures.map((f) => (
              <Col span={8} key={f.key}>
                <Statistic title={f.title} value={f.value} styles={{ content: { color: f.color } }} data-testid={`outage-msg-${f.key}`} data-count={f.value} />
              </Col>
            ))}
          </Row>
          <Progress
            percent={Math.round(((sent + failed) / total) * 100)}
            success={{ percent: Math.round((sent / total) * 100) }}
            strokeColor="#ff4d4f"
            showInfo={false}
            aria-label={t('outageDetail.msgProgress')}
          />
          {failed > 0 && can('message.read') && <FailedMessages outageId={outage.id} version={outage.version} />}
        </Flex>
      )}
    </Card>
  );
}
