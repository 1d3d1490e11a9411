import { DownloadOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Empty, Flex, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useMemo, type HTMLAttributes } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { APPLICATION_STAGES, APPLICATION_STATUSES } from '../../../shared/schemas/applications.js';
import {
  applicationsExportUrl,
  listApplications,
  type ApplicationList,
  type ApplicationStage,
  type ApplicationStatus,
  type ApplicationSummary,
} from '../../api/applications.js';
import { Chart, type ChartOption } from '../../components/Chart.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useLiveTick } from '../../notifications/NotificationsProvider.js';
import { useCan, useMe } from '../../session/SessionProvider.js';
import { ApplicationNewModal } from './ApplicationNewModal.js';
import { ApplicationStatusTag, StageTime, useApplicationLabels } from './ApplicationLabels.js';

// 绿色通道: the open applications by stage with the late ones stacked on top
// (the chart), the filters in the address (a link shows the same list), the
// table with each one's stage, owner unit and time left, the export, and the
// new application's form (also opened by ?new=1&customerId=…, the customer
// record's link).

const PAGE_SIZE = 20;
const LIVE_KINDS = ['application_stage', 'application_due', 'application_late', 'application_escalated', 'application_done'];

function StageChart({ list }: { list: ApplicationList | undefined }) {
  const { t } = useI18n();
  const labels = useApplicationLabels();
  const option = useMemo<ChartOption>(() => {
    const rows = list?.byStage ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: [t('applications.series.onTime'), t('applications.series.late')], top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: rows.map((r) => labels.stage(r.stage)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('applications.series.onTime'), type: 'bar', stack: 'open', barMaxWidth: 48, color: '#1677ff', data: rows.map((r) => r.open - r.late) },
        { name: t('applications.series.late'), type: 'bar', stack: 'open', barMaxWidth: 48, color: '#cf1322', data: rows.map((r) => r.late) },
      ],
    };
  }, [list, t, labels]);
  return (
    <Card size="small" title={t('applications.chartTitle')} loading={!list}>
      {list && list.byStage.every((r) => r.open === 0) ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('applications.chartEmpty')} data-testid="applications-chart-empty" />
      ) : (
        <Chart option={option} height={220} label={t('applications.chartLabel')} data-testid="applications-chart" />
      )}
    </Card>
  );
}

export default function ApplicationsPage() {
  const { t } = useI18n();
  const can = useCan();
  const me = useMe();
  const labels = useApplicationLabels();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  const status = APPLICATION_STATUSES.includes(statusParam as ApplicationStatus) ? (statusParam as ApplicationStatus) : undefined;
  const stageParam = params.get('stage');
  const stage = APPLICATION_STAGES.includes(stageParam as ApplicationStage) ? (stageParam as ApplicationStage) : undefined;
  const late = params.get('late') === 'true';
  const mine = params.get('mine') === 'true';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const creating = params.get('new') === '1';
  const newFor = Number(params.get('customerId')) || undefined;
  const tick = useLiveTick(LIVE_KINDS);

  const filters = {
    ...(status && { status }),
    ...(stage && { stage }),
    ...(late && { late: 'true' as const }),
    ...(mine && { accountManagerId: me.user.id }),
  };
  const list = useLoad(() => listApplications({ ...filters, page, pageSize: PAGE_SIZE }), `${JSON.stringify(filters)}|${page}|${tick}`);

  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined) next.delete(key);
    else next.set(key, value);
    next.delete('page');
    setParams(next);
  };
  const closeForm = () => {
    const next = new URLSearchParams(params);
    next.delete('new');
    next.delete('customerId');
    setParams(next);
  };

  const columns: TableColumnsType<ApplicationSummary> = [
    {
      title: t('applications.col.number'),
      key: 'number',
      render: (_, a) => (
        <Space orientation="vertical" size={2}>
          <Link to={`/customers/applications/${a.id}`} data-testid="application-link" style={{ fontWeight: 500, whiteSpace: 'nowrap' }}>
            {a.number}
          </Link>
          {a.status !== 'open' && <ApplicationStatusTag status={a.status} />}
        </Space>
      ),
    },
    {
      title: t('applications.col.customer'),
      key: 'customer',
      render: (_, a) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text ellipsis={{ tooltip: a.customerName }} style={{ maxWidth: 240 }}>
            {a.customerName}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {a.accountNo}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('applications.col.track'),
      key: 'track',
      render: (_, a) => (
        <Space orientation="vertical" size={0}>
          <span style={{ whiteSpace: 'nowrap' }}>{labels.track(a.track)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`application.kind.${a.kind}`)} · {a.voltage}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('applications.col.capacity'),
      key: 'capacity',
      align: 'right',
      render: (_, a) => <span style={{ whiteSpace: 'nowrap' }}>{t('applications.kva', { value: a.capacityKva.toLocaleString() })}</span>,
    },
    {
      title: t('applications.col.stage'),
      key: 'stage',
      render: (_, a) =>
        a.stage ? (
          <span data-testid="application-stage" data-stage={a.stage}>
            {labels.stage(a.stage)}
          </span>
        ) : (
          t('common.none')
        ),
    },
    { title: t('applications.col.owner'), key: 'owner', render: (_, a) => a.stageOwnerUnitName ?? t('common.none') },
    { title: t('applications.col.time'), key: 'time', render: (_, a) => <StageTime application={a} /> },
    { title: t('applications.col.manager'), key: 'manager', render: (_, a) => a.accountManagerName ?? t('application.noManager') },
  ];

  const filtered = status !== undefined || stage !== undefined || late || mine;
  return (
    <Flex vertical gap={16} data-testid="applications-page">
      <StageChart list={list.data} />
      <Card
        size="small"
        title={t('applications.listTitle')}
        extra={
          <Space>
            <Button icon={<DownloadOutlined />} href={applicationsExportUrl(filters)} data-testid="applications-export">
              {t('applications.export')}
            </Button>
            {can('application.manage') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setFilter('new', '1')} data-testid="application-new">
                {t('applications.new')}
              </Button>
            )}
          </Space>
        }
      >
        <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
          <Space wrap>
            <Select<ApplicationStatus>
              allowClear
              value={status}
              placeholder={t('applications.status.all')}
              style={{ width: 130 }}
              onChange={(value) => setFilter('status', value)}
              options={APPLICATION_STATUSES.map((s) => ({ value: s, label: labels.status(s) }))}
              data-testid="applications-status"
            />
            <Select<ApplicationStage>
              allowClear
              value={stage}
              placeholder={t('applications.stage.all')}
              style={{ width: 150 }}
              onChange={(value) => setFilter('stage', value)}
              options={APPLICATION_STAGES.map((s) => ({ value: s, label: labels.stage(s) }))}
              data-testid="applications-stage"
            />
            <Checkbox checked={late} onChange={(e) => setFilter('late', e.target.checked ? 'true' : undefined)} data-testid="applications-late">
              {t('applications.lateOnly')}
            </Checkbox>
            {/* An account manager's own (the desk's test: they manage customers and applications). */}
            {(mine || (can('customer.manage') && can('application.manage'))) && (
              <Checkbox checked={mine} onChange={(e) => setFilter('mine', e.target.checked ? 'true' : undefined)} data-testid="applications-mine">
                {t('applications.mine')}
              </Checkbox>
            )}
          </Space>
          <Space>
            {list.data && (
              <Typography.Text type="secondary" data-testid="applications-total">
                {t('applications.total', { count: list.data.total })}
              </Typography.Text>
            )}
            <Button icon={<ReloadOutlined />} loading={list.loading} onClick={list.reload}>
              {t('common.refresh')}
            </Button>
          </Space>
        </Flex>
        {list.error && !list.data ? (
          <LoadError error={list.error} onRetry={list.reload} />
        ) : (
          <Table<ApplicationSummary>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={list.data?.items ?? []}
            loading={list.loading}
            onRow={(a) => ({ 'data-testid': 'application-row', 'data-number': a.number, 'data-late': a.late }) as HTMLAttributes<HTMLElement>}
            scroll={{ x: 'max-content' }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: list.data?.total ?? 0,
              showSizeChanger: false,
              onChange: (p) => {
                const next = new URLSearchParams(params);
                next.set('page', String(p));
                setParams(next);
              },
            }}
            locale={{
              emptyText: (
                <Space orientation="vertical" size={2} style={{ padding: 24 }} data-testid="applications-empty">
                  <Typography.Text strong>{filtered ? t('applications.emptyFiltered') : t('applications.empty')}</Typography.Text>
                  {filtered ? (
                    <Link to="/customers/applications">{t('applications.clearFilters')}</Link>
                  ) : (
                    <Typography.Text type="secondary">{t('applications.emptyHint')}</Typography.Text>
                  )}
                </Space>
              ),
            }}
          />
        )}
      </Card>
      <ApplicationNewModal
        open={creating && can('application.manage')}
        customerId={newFor}
        onClose={closeForm}
        onDone={(application) => navigate(`/customers/applications/${application.id}`)}
      />
    </Flex>
  );
}
