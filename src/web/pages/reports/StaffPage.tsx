import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Flex, Skeleton, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { staffFigures, staffWorkbookUrl, type StaffFigures, type StaffRow } from '../../api/dashboards.js';
import { Chart, type ChartOption } from '../../components/Chart.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { todayIn } from '../../i18n/time.js';
import { Nothing, usePercent } from './DashboardParts.js';

// 人员指标 (seed 001 §4): each agent's and handler's month — demands taken,
// timeliness, callback satisfaction and, for agents, first-call resolution.
// An agent sees their own; a team lead their team; the centre manager and
// the analysts everyone. A bar per person and the table, exported to xlsx.

/** The chart shows those who took or handled anything, the busiest this many; the table has everyone. */
const CHART_PEOPLE = 30;

function StaffChart({ figures }: { figures: StaffFigures }) {
  const { t } = useI18n();
  const people = useMemo(
    () =>
      figures.people
        .filter((p) => p.taken > 0)
        .sort((a, b) => b.taken - a.taken)
        .slice(0, CHART_PEOPLE),
    [figures],
  );
  const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 48, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: people.map((p) => p.name), axisLabel: { interval: 0, rotate: people.length > 10 ? 40 : 0 } },
      yAxis: [
        { type: 'value', minInterval: 1, name: t('staff.chart.count') },
        { type: 'value', min: 0, max: 100, name: '%' },
      ],
      series: [
        { name: t('staff.taken'), type: 'bar', data: people.map((p) => p.taken), barMaxWidth: 28 },
        { name: t('staff.timeliness'), type: 'line', yAxisIndex: 1, data: people.map((p) => pct(p.timeliness)), connectNulls: false },
        { name: t('staff.satisfaction'), type: 'line', yAxisIndex: 1, data: people.map((p) => pct(p.satisfaction)), connectNulls: false },
      ],
    }),
    [people, t],
  );
  if (people.length === 0) return <Nothing>{t('staff.chart.none')}</Nothing>;
  return <Chart option={option} height={320} label={t('staff.chart.label')} data-testid="staff-chart" />;
}

export default function StaffPage() {
  const { t, timeZone } = useI18n();
  const percent = usePercent();
  const thisMonth = todayIn(timeZone).slice(0, 7);
  const [params, setParams] = useSearchParams();
  const month = /^\d{4}-\d{2}$/.test(params.get('month') ?? '') ? params.get('month')! : thisMonth;
  const { data, error, reload, loading } = useLoad(() => staffFigures(month), month);
  const of = (part: number, whole: number, rate: number | null) => (whole > 0 ? `${percent(rate)} (${part}/${whole})` : t('common.none'));

  return (
    <Flex vertical gap={16} data-testid="staff-figures">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('staff.title')}
        </Typography.Title>
        <Flex gap={8}>
          <DatePicker
            picker="month"
            allowClear={false}
            value={dayjs(`${month}-01`)}
            disabledDate={(d) => d.format('YYYY-MM') > thisMonth}
            onChange={(d) => d && setParams({ month: d.format('YYYY-MM') })}
            aria-label={t('staff.month')}
            data-testid="staff-month"
          />
          <Button icon={<DownloadOutlined />} href={staffWorkbookUrl(month)} disabled={!data || data.people.length === 0}>
            {t('staff.export')}
          </Button>
        </Flex>
      </Flex>
      {error && !data ? (
        <LoadError error={error} onRetry={reload} />
      ) : !data || (loading && data.month !== month) ? (
        <Skeleton active paragraph={{ rows: 8 }} data-testid="staff-loading" />
      ) : (
        <>
          <Typography.Text type="secondary">{t(`staff.scope.${data.scope}` as MessageKey)}</Typography.Text>
          {data.people.length === 0 ? (
            <Nothing>{t('staff.none')}</Nothing>
          ) : (
            <>
              <Card size="small" title={t('staff.chart.title', { month: data.month })}>
                <StaffChart figures={data} />
              </Card>
              <Table<StaffRow>
                size="small"
                rowKey={(p) => `${p.userId}-${p.role}`}
                dataSource={data.people}
                pagination={{ pageSize: 50, hideOnSinglePage: true }}
                data-testid="staff-table"
                columns={[
                  { title: t('staff.name'), dataIndex: 'name', sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN') },
                  { title: t('staff.unit'), dataIndex: 'unitName' },
                  { title: t('staff.role'), dataIndex: 'role', render: (r: string) => t(`role.${r}` as MessageKey) },
                  { title: t('staff.taken'), dataIndex: 'taken', align: 'right', sorter: (a, b) => a.taken - b.taken },
                  {
                    title: t('staff.timeliness'),
                    key: 'timeliness',
                    align: 'right',
                    sorter: (a, b) => (a.timeliness ?? -1) - (b.timeliness ?? -1),
                    render: (_: unknown, p) => of(p.stepsInTime, p.stepsInTime + p.stepsLate, p.timeliness),
                  },
                  {
                    title: t('staff.satisfaction'),
                    key: 'satisfaction',
                    align: 'right',
                    sorter: (a, b) => (a.satisfaction ?? -1) - (b.satisfaction ?? -1),
                    render: (_: unknown, p) => of(p.satisfied, p.satisfied + p.unsatisfied, p.satisfaction),
                  },
                  {
                    title: t('staff.fcr'),
                    key: 'fcr',
                    align: 'right',
                    render: (_: unknown, p) =>
                      p.firstCallResolved === null ? t('staff.fcrNotApplicable') : of(p.firstCallResolved, p.cases, p.firstCallResolution),
                  },
                ]}
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('staff.note')}
              </Typography.Text>
            </>
          )}
        </>
      )}
    </Flex>
  );
}
