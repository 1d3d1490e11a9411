import { Card, Col, Empty, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { getDesk, type Desk } from '../../api/customers.js';
import { Chart } from '../../components/Chart.js';
import { useReportError } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';
import { useLiveTick } from '../../notifications/NotificationsProvider.js';
import { Countdown } from '../demands/countdown.js';
import { StatusTag, useDemandLabels } from '../demands/labels.js';
import { kwhText } from './CustomerRecordView.js';

/** 客户经理工作台: the account manager's accounts, their open demands and applications, the actions and visits due. */
export default function DeskPage() {
  const { t } = useI18n();
  const report = useReportError();
  const [desk, setDesk] = useState<Desk | null>(null);
  // A notification about their accounts (a call, an assignment, an application's stage) brings the desk up to date.
  const tick = useLiveTick('all');
  useEffect(() => {
    getDesk().then(setDesk, report);
  }, [tick, report]);

  if (!desk) return <Card loading data-testid="desk-loading" />;
  const c = desk.counts;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="desk">
      <Row gutter={[16, 16]}>
        {(
          [
            ['accounts', c.accounts],
            ['openDemands', c.openDemands],
            ['openApplications', c.openApplications],
            ['lateApplications', c.lateApplications],
            ['actionsDue', c.actionsDue],
          ] as const
        ).map(([key, value]) => (
          <Col key={key} xs={12} md={8} lg={4}>
            <Card size="small">
              <Statistic
                title={t(`desk.counts.${key}`)}
                value={value}
                valueStyle={key === 'lateApplications' && value > 0 ? { color: '#cf1322' } : undefined}
                data-testid={`desk-count-${key}`}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <AccountsChart desk={desk} />
        </Col>
        <Col xs={24} lg={14}>
          <AccountsTable desk={desk} />
        </Col>
        <Col span={24}>
          <DemandsTable desk={desk} />
        </Col>
        <Col xs={24} lg={12}>
          <ApplicationsTable desk={desk} />
        </Col>
        <Col xs={24} lg={12}>
          <ActionsTable desk={desk} />
        </Col>
      </Row>
    </Space>
  );
}

function AccountsChart({ desk }: { desk: Desk }) {
  const { t } = useI18n();
  const shown = desk.accounts.filter((a) => a.yearKwh > 0).slice(0, 15);
  const option = useMemo(
    () => ({
      grid: { left: 150, right: 30, top: 10, bottom: 30 },
      tooltip: { trigger: 'axis' as const },
      xAxis: { type: 'value' as const, axisLabel: { formatter: (v: number) => (v >= 10_000 ? `${v / 10_000}万` : String(v)) } },
      yAxis: { type: 'category' as const, inverse: true, data: shown.map((a) => (a.name.length > 10 ? `${a.name.slice(0, 10)}…` : a.name)) },
      series: [{ type: 'bar' as const, name: 'kWh', data: shown.map((a) => Math.round(a.yearKwh)), itemStyle: { color: '#1677ff' } }],
    }),
    [shown],
  );
  return (
    <Card size="small" title={t('desk.chart', { year: desk.year })}>
      {shown.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('desk.accounts.none')} />
      ) : (
        <Chart option={option} height={Math.max(180, shown.length * 24 + 40)} label={t('desk.chart', { year: desk.year })} data-testid="desk-chart" />
      )}
    </Card>
  );
}

function AccountsTable({ desk }: { desk: Desk }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  return (
    <Card size="small" title={t('desk.accounts')}>
      <Table<Desk['accounts'][number]>
        rowKey="customerId"
        size="small"
        dataSource={desk.accounts}
        pagination={desk.accounts.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        data-testid="desk-accounts"
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('desk.accounts.none')} /> }}
        columns={[
          {
            title: t('customers.col.name'),
            dataIndex: 'name',
            render: (_: unknown, a) => (
              <Space size={4} wrap>
                <Link to={`/customers/${a.customerId}`}>{a.name}</Link>
                {a.keyAccount && (
                  <Tag color="gold">
                    {a.keyAccountRank !== null ? t('customer.record.keyAccount', { rank: a.keyAccountRank }) : t('customer.record.keyAccountTag')}
                  </Tag>
                )}
                {a.important && <Tag color="red">{t('customer.important')}</Tag>}
              </Space>
            ),
          },
          { title: t('customer.accountNo'), dataIndex: 'accountNo' },
          { title: t('customer.record.class'), dataIndex: 'customerClass', render: (v: string) => labels.customerClass(v) },
          { title: t('desk.col.yearKwh', { year: desk.year }), dataIndex: 'yearKwh', align: 'right', render: (v: number) => kwhText(v) },
          {
            title: t('desk.col.openDemands'),
            dataIndex: 'openDemands',
            align: 'right',
            render: (v: number) =>
              v > 0 ? (
                <Typography.Text type="warning" strong>
                  {v}
                </Typography.Text>
              ) : (
                v
              ),
          },
          { title: t('desk.col.openApplications'), dataIndex: 'openApplications', align: 'right' },
        ]}
      />
    </Card>
  );
}

function DemandsTable({ desk }: { desk: Desk }) {
  const { t, formatTime } = useI18n();
  const labels = useDemandLabels();
  return (
    <Card size="small" title={t('desk.demands')}>
      <Table<Desk['demands'][number]>
        rowKey="id"
        size="small"
        dataSource={desk.demands}
        pagination={desk.demands.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        data-testid="desk-demands"
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('desk.demands.none')} /> }}
        columns={[
          { title: t('customer.record.demand.number'), dataIndex: 'number', render: (_: unknown, d) => <Link to={`/demands/${d.id}`}>{d.number}</Link> },
          {
            title: t('desk.col.customer'),
            dataIndex: 'customerName',
            render: (_: unknown, d) => <Link to={`/customers/${d.customerId}`}>{d.customerName}</Link>,
          },
          {
            title: t('customer.record.demand.type'),
            dataIndex: 'type',
            render: (v: string) => (v === 'complaint' ? <Tag color="red">{labels.type(v)}</Tag> : labels.type(v)),
          },
          { title: t('customer.record.demand.status'), dataIndex: 'status', render: (v: string) => <StatusTag status={v} /> },
          { title: t('customer.record.demand.date'), dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
          { title: t('desk.col.timeLeft'), dataIndex: 'dueAt', render: (v: string | null) => (v ? <Countdown dueAt={v} /> : t('common.none')) },
        ]}
      />
    </Card>
  );
}

function ApplicationsTable({ desk }: { desk: Desk }) {
  const { t, tMaybe, formatTime } = useI18n();
  return (
    <Card size="small" title={t('desk.applications')}>
      <Table<Desk['applications'][number]>
        rowKey="id"
        size="small"
        dataSource={desk.applications}
        pagination={desk.applications.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        data-testid="desk-applications"
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('desk.applications.none')} /> }}
        columns={[
          {
            title: t('customer.record.demand.number'),
            dataIndex: 'number',
            render: (_: unknown, a) => <Link to={`/customers/applications/${a.id}`}>{a.number}</Link>,
          },
          {
            title: t('desk.col.customer'),
            dataIndex: 'customerName',
            render: (_: unknown, a) => <Link to={`/customers/${a.customerId}`}>{a.customerName}</Link>,
          },
          { title: t('desk.col.stage'), dataIndex: 'stage', render: (v: string | null) => (v ? (tMaybe(`stage.${v}`) ?? v) : t('common.none')) },
          {
            title: t('desk.col.due'),
            dataIndex: 'stageDueAt',
            render: (v: string | null, a) => (
              <Space size={4}>
                {formatTime(v)}
                {a.late && <Tag color="red">{t('customer.record.application.late')}</Tag>}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

function ActionsTable({ desk }: { desk: Desk }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t('desk.actions')}>
      <Table<Desk['actions'][number]>
        rowKey="id"
        size="small"
        dataSource={desk.actions}
        pagination={desk.actions.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        data-testid="desk-actions"
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('desk.actions.none')} /> }}
        columns={[
          { title: t('desk.col.action'), dataIndex: 'text' },
          {
            title: t('desk.col.customer'),
            dataIndex: 'customerName',
            render: (v: string | null, a) => (v && a.customerId ? <Link to={`/customers/${a.customerId}`}>{v}</Link> : t('common.none')),
          },
          {
            title: t('desk.col.due'),
            dataIndex: 'dueOn',
            render: (v: string, a) => (
              <Space size={4}>
                {v}
                {a.overdue && <Tag color="red">{t('desk.overdue')}</Tag>}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
