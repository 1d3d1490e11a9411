import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Select, Skeleton, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ACTIVITY_KINDS } from '../../../shared/schemas/relations.js';
import { request } from '../../api/client.js';
import { listActivities, listVisitCandidates, type Activity, type ActivityKind, type VisitCandidate } from '../../api/relations.js';
import { Chart, type ChartOption } from '../../components/Chart.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useCan } from '../../session/SessionProvider.js';
import { ActivityLogModal, type LogPreset } from './ActivityLogModal.js';
import { DueLeft } from './PlanParts.js';

// 客户沟通: the customers to visit on top (an unsatisfied callback, or a case
// not solvable yet, and no visit since), then the activities with a kind
// filter and a chart of activities per month by kind, and the log dialog
// (also opened by ?log=visit&customerId=ID from a customer's record).

const KIND_COLORS: Record<ActivityKind, string> = { visit: '#1677ff', forum: '#fa8c16', open_day: '#52c41a' };
const TAG_COLORS: Record<ActivityKind, string> = { visit: 'blue', forum: 'orange', open_day: 'green' };

function Candidates({ canLog, onLog, tick }: { canLog: boolean; onLog: (c: VisitCandidate) => void; tick: number }) {
  const { t } = useI18n();
  const candidates = useLoad(() => listVisitCandidates(), `candidates-${tick}`);
  const columns: TableColumnsType<VisitCandidate> = [
    {
      title: t('activity.candidate.customer'),
      key: 'customer',
      render: (_, c) => (
        <Link to={`/customers/${c.customerId}`}>
          {c.customerName}（{c.accountNo}）
        </Link>
      ),
    },
    {
      title: t('activity.candidate.reason'),
      key: 'reason',
      render: (_, c) => <Tag color={c.reason === 'unsatisfied_callback' ? 'magenta' : 'purple'}>{t(`activity.reason.${c.reason}`)}</Tag>,
    },
    { title: t('activity.candidate.demand'), key: 'demand', render: (_, c) => <Link to={`/demands/${c.demandId}`}>{c.demandNumber}</Link> },
    { title: t('activity.candidate.date'), dataIndex: 'date', key: 'date' },
    { title: t('activity.candidate.manager'), key: 'manager', render: (_, c) => c.accountManagerName ?? t('common.none') },
    ...(canLog
      ? [
          {
            title: '',
            key: 'log',
            align: 'right' as const,
            render: (_: unknown, c: VisitCandidate) => (
              <Button size="small" type="primary" ghost onClick={() => onLog(c)} data-testid="candidate-log">
                {t('activities.candidates.log')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <Card
      size="small"
      title={
        <Space>
          {t('activities.candidates')}
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
            {t('activities.candidates.hint')}
          </Typography.Text>
        </Space>
      }
      data-testid="visit-candidates"
    >
      {candidates.error ? (
        <LoadError error={candidates.error} onRetry={candidates.reload} />
      ) : (
        <Table
          size="small"
          rowKey="customerId"
          loading={candidates.loading}
          columns={columns}
          dataSource={candidates.data?.items ?? []}
          pagination={{ pageSize: 5, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('activities.candidates.empty')} /> }}
          onRow={() => ({ 'data-testid': 'candidate-row' }) as never}
        />
      )}
    </Card>
  );
}

function ActivityDetail({ a }: { a: Activity }) {
  const { t } = useI18n();
  return (
    <Flex vertical gap={6}>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{a.outcome}</Typography.Paragraph>
      {a.customers.length > 0 && (
        <Space size={4} wrap>
          {a.customers.map((c) => (
            <Link key={c.id} to={`/customers/${c.id}`}>
              <Tag>
                {c.name}（{c.accountNo}）
              </Tag>
            </Link>
          ))}
        </Space>
      )}
      {a.followUps.length > 0 && (
        <Flex vertical gap={4}>
          <Typography.Text type="secondary">{t('activities.followUps')}</Typography.Text>
          {a.followUps.map((f) => (
            <Space key={f.id} size={6}>
              <DueLeft action={f} />
              <span>{f.text}</span>
              <Typography.Text type="secondary">
                {t('relationAction.owner', { name: f.ownerName })} · {f.dueOn}
              </Typography.Text>
            </Space>
          ))}
        </Flex>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('activity.loggedBy', { name: a.createdByName, unit: a.unitName })}
      </Typography.Text>
    </Flex>
  );
}

export default function ActivitiesPage() {
  const { t } = useI18n();
  const can = useCan();
  const canLog = can('activity.log');
  const [params, setParams] = useSearchParams();
  const [kind, setKind] = useState<ActivityKind | undefined>();
  const [page, setPage] = useState(1);
  const [preset, setPreset] = useState<LogPreset>();
  const [tick, setTick] = useState(0);
  const activities = useLoad(() => listActivities({ ...(kind && { kind }), page, pageSize: 20 }), `${kind}-${page}-${tick}`);

  // Opened from a customer's record: ?log=visit&customerId=ID.
  const logKind = params.get('log');
  const logCustomer = params.get('customerId');
  useEffect(() => {
    if (!canLog || !logKind || !(ACTIVITY_KINDS as readonly string[]).includes(logKind)) return;
    const id = Number(logCustomer);
    if (!logCustomer || !Number.isInteger(id) || id <= 0) {
      setPreset({ kind: logKind as ActivityKind, customers: [] });
      return;
    }
    request<{ id: number; name: string; accountNo: string }>('GET', `/customers/${id}`).then(
      (c) => setPreset({ kind: logKind as ActivityKind, customers: [{ id: c.id, name: c.name, accountNo: c.accountNo }] }),
      () => setPreset({ kind: logKind as ActivityKind, customers: [] }),
    );
  }, [canLog, logKind, logCustomer]);

  const closeLog = () => {
    setPreset(undefined);
    if (params.has('log')) setParams({}, { replace: true });
  };

  const option = useMemo<ChartOption | undefined>(() => {
    const rows = activities.data?.byMonth ?? [];
    if (rows.length === 0) return undefined;
    const months = [...new Set(rows.map((r) => r.month))].sort();
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', minInterval: 1 },
      series: ACTIVITY_KINDS.map((k) => ({
        name: t(`activity.kind.${k}`),
        type: 'bar' as const,
        stack: 'kinds',
        barMaxWidth: 40,
        color: KIND_COLORS[k],
        data: months.map((m) => rows.find((r) => r.month === m && r.kind === k)?.count ?? 0),
      })),
    };
  }, [activities.data, t]);

  const columns: TableColumnsType<Activity> = [
    { title: t('activity.heldOn'), dataIndex: 'heldOn', key: 'heldOn', width: 110 },
    { title: t('activity.kind'), key: 'kind', width: 100, render: (_, a) => <Tag color={TAG_COLORS[a.kind]}>{t(`activity.kind.${a.kind}`)}</Tag> },
    { title: t('activity.topic'), dataIndex: 'topic', key: 'topic' },
    { title: t('activity.place'), key: 'place', render: (_, a) => a.place ?? t('common.none') },
    {
      title: t('activity.groups'),
      key: 'groups',
      render: (_, a) =>
        a.invitedGroups.length ? (
          <Space size={2} wrap>
            {a.invitedGroups.map((g) => (
              <Tag key={g}>{t(`activity.group.${g}`)}</Tag>
            ))}
          </Space>
        ) : (
          t('common.none')
        ),
    },
    {
      title: t('activity.customers'),
      key: 'customers',
      render: (_, a) =>
        a.customers.length === 1 ? (
          <Link to={`/customers/${a.customers[0]!.id}`}>{a.customers[0]!.name}</Link>
        ) : a.customers.length ? (
          t('activities.customers', { count: a.customers.length })
        ) : (
          t('common.none')
        ),
    },
  ];

  return (
    <Flex vertical gap={16} data-testid="activities-page">
      <Candidates
        tick={tick}
        canLog={canLog}
        onLog={(c) =>
          setPreset({
            kind: 'visit',
            customers: [{ id: c.customerId, name: c.customerName, accountNo: c.accountNo }],
            topic: `${t(`activity.reason.${c.reason}`)}客户走访（${c.demandNumber}）`,
          })
        }
      />
      <Card
        size="small"
        title={t('activities.list')}
        extra={
          <Space>
            <Select
              allowClear
              placeholder={t('activities.filter.all')}
              value={kind}
              onChange={(k) => {
                setKind(k);
                setPage(1);
              }}
              style={{ width: 140 }}
              data-testid="activities-kind"
              options={ACTIVITY_KINDS.map((k) => ({ value: k, label: t(`activity.kind.${k}`) }))}
            />
            {canLog && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setPreset({ kind: 'visit', customers: [] })} data-testid="activity-new">
                {t('activities.log')}
              </Button>
            )}
          </Space>
        }
      >
        {activities.error ? (
          <LoadError error={activities.error} onRetry={activities.reload} />
        ) : activities.loading && !activities.data ? (
          <Skeleton active />
        ) : (
          <Flex vertical gap={12}>
            {option && <Chart option={option} height={220} label={t('activities.chart')} data-testid="activities-chart" />}
            <Table
              size="small"
              rowKey="id"
              columns={columns}
              dataSource={activities.data?.items ?? []}
              loading={activities.loading}
              expandable={{ expandedRowRender: (a) => <ActivityDetail a={a} /> }}
              pagination={{
                current: page,
                pageSize: 20,
                total: activities.data?.total ?? 0,
                onChange: setPage,
                showSizeChanger: false,
                hideOnSinglePage: true,
              }}
              locale={{ emptyText: <Empty description={t('activities.empty')} /> }}
              onRow={() => ({ 'data-testid': 'activity-row' }) as never}
            />
          </Flex>
        )}
      </Card>
      <ActivityLogModal
        preset={preset}
        onClose={closeLog}
        onDone={() => {
          closeLog();
          setTick((n) => n + 1);
        }}
      />
    </Flex>
  );
}
