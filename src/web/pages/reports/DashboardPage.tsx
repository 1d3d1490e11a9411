import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Flex, List, Row, Skeleton, Statistic, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { centreDashboard, type CentreDashboard, type PeriodFigures } from '../../api/dashboards.js';
import { Chart, type ChartOption } from '../../components/Chart.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { usePoll } from '../../components/usePoll.js';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { useDemandLabels } from '../demands/labels.js';
import { Change, Nothing, usePercent } from './DashboardParts.js';

// 中心看板: the centre manager's page. Today against yesterday and the same
// weekday last week, this month to date against last month to the same day;
// the cases by type over 30 days and 12 months; this month's worst units.
// Every figure opens the list or the report behind it.

type Figure = 'cases' | 'complaints' | 'overdue' | 'satisfaction';
const FIGURES: { key: Figure; link: string; higherIsBetter: boolean }[] = [
  { key: 'cases', link: '/reports/demands', higherIsBetter: false },
  { key: 'complaints', link: '/demands/list?type=complaint', higherIsBetter: false },
  { key: 'overdue', link: '/demands/list?overdue=true', higherIsBetter: false },
  { key: 'satisfaction', link: '/reports/demands', higherIsBetter: true },
];

function FigureCards({
  title,
  current,
  earlier,
  testId,
}: {
  title: string;
  current: PeriodFigures;
  earlier: { label: string; figures: PeriodFigures }[];
  testId: string;
}) {
  const { t } = useI18n();
  const percent = usePercent();
  const value = (f: PeriodFigures, key: Figure) => (key === 'satisfaction' ? f.satisfaction : f[key]);
  return (
    <Card size="small" title={title} data-testid={testId}>
      <Row gutter={[12, 12]}>
        {FIGURES.map(({ key, link, higherIsBetter }) => {
          const v = value(current, key);
          return (
            <Col xs={12} md={6} key={key}>
              <Link to={link} data-testid={`figure-${key}`} aria-label={t(`dashboard.figure.${key}` as MessageKey)}>
                <Statistic
                  title={t(`dashboard.figure.${key}` as MessageKey)}
                  value={key === 'satisfaction' ? percent(v) : (v ?? 0)}
                  styles={{ content: { color: key === 'overdue' && (v ?? 0) > 0 ? '#cf1322' : undefined } }}
                />
              </Link>
              <Flex vertical>
                {earlier.map((e) => (
                  <Change
                    key={e.label}
                    label={e.label}
                    now={v}
                    before={value(e.figures, key)}
                    higherIsBetter={higherIsBetter}
                    percent={key === 'satisfaction'}
                  />
                ))}
              </Flex>
            </Col>
          );
        })}
      </Row>
    </Card>
  );
}

function TrendChart({
  buckets,
  series,
  kind,
  label,
  testId,
}: {
  buckets: string[];
  series: CentreDashboard['daily']['series'];
  kind: 'line' | 'bar';
  label: string;
  testId: string;
}) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: buckets.map((b) => (b.length === 10 ? b.slice(5) : b)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: series.map((s) => ({
        name: labels.type(s.type),
        type: kind,
        data: s.counts,
        ...(kind === 'bar' ? { stack: 'cases', barMaxWidth: 28 } : { showSymbol: false, smooth: false }),
      })),
    }),
    [buckets, series, kind, labels],
  );
  if (series.length === 0) return <Nothing>{t('dashboard.trend.empty')}</Nothing>;
  return <Chart option={option} height={300} label={label} data-testid={testId} />;
}

function WorstUnits({
  title,
  units,
  format,
  empty,
  testId,
}: {
  title: string;
  units: CentreDashboard['worst']['overdue'];
  format: (value: number, of: number) => string;
  empty: string;
  testId: string;
}) {
  return (
    <Card size="small" title={title} data-testid={testId} style={{ height: '100%' }}>
      {units.length === 0 ? (
        <Nothing>{empty}</Nothing>
      ) : (
        <List
          size="small"
          dataSource={units}
          renderItem={(u, i) => (
            <List.Item extra={<Typography.Text strong>{format(u.value, u.of)}</Typography.Text>}>
              <Link to={`/reports/unit?unitId=${u.unitId}`}>
                {i + 1}. {u.unitName}
              </Link>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

export default function DashboardPage() {
  const { t, formatTime } = useI18n();
  const percent = usePercent();
  // The figures move all day: read again every five minutes while the page is open.
  const beat = usePoll(5 * 60_000);
  const { data, loading, error, reload } = useLoad(centreDashboard, String(beat));
  if (error && !data) return <LoadError error={error} onRetry={reload} />;
  if (!data) return <Skeleton active paragraph={{ rows: 12 }} data-testid="dashboard-loading" />;
  const p = data.periods;
  return (
    <Flex vertical gap={16} data-testid="centre-dashboard" data-now={data.now}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('dashboard.title')}
        </Typography.Title>
        <Flex gap={8} align="center">
          <Typography.Text type="secondary">{t('dashboard.asOf', { time: formatTime(data.now) })}</Typography.Text>
          <Button icon={<ReloadOutlined />} onClick={reload} loading={loading} aria-label={t('dashboard.reload')} />
        </Flex>
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <FigureCards
            title={t('dashboard.today', { date: data.today })}
            current={p.today}
            earlier={[
              { label: t('dashboard.vs.yesterday'), figures: p.yesterday },
              { label: t('dashboard.vs.lastWeek'), figures: p.lastWeek },
            ]}
            testId="figures-today"
          />
        </Col>
        <Col xs={24} xl={12}>
          <FigureCards
            title={t('dashboard.monthToDate', { month: data.month })}
            current={p.monthToDate}
            earlier={[{ label: t('dashboard.vs.lastMonth'), figures: p.lastMonthToDate }]}
            testId="figures-month"
          />
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('dashboard.trend.daily')}>
            <TrendChart buckets={data.daily.days} series={data.daily.series} kind="line" label={t('dashboard.trend.dailyLabel')} testId="chart-daily" />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('dashboard.trend.monthly')}>
            <TrendChart
              buckets={data.monthly.months}
              series={data.monthly.series}
              kind="bar"
              label={t('dashboard.trend.monthlyLabel')}
              testId="chart-monthly"
            />
          </Card>
        </Col>
      </Row>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('dashboard.worst.title', { month: data.month })}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={8}>
          <WorstUnits
            title={t('dashboard.worst.overdue')}
            units={data.worst.overdue}
            format={(v, of) => t('dashboard.worst.overdueValue', { count: v, of })}
            empty={t('dashboard.worst.noOverdue')}
            testId="worst-overdue"
          />
        </Col>
        <Col xs={24} md={8}>
          <WorstUnits
            title={t('dashboard.worst.timeliness')}
            units={data.worst.timeliness}
            format={(v, of) => t('dashboard.worst.shareValue', { share: percent(v), of })}
            empty={t('dashboard.worst.noSteps')}
            testId="worst-timeliness"
          />
        </Col>
        <Col xs={24} md={8}>
          <WorstUnits
            title={t('dashboard.worst.satisfaction')}
            units={data.worst.satisfaction}
            format={(v, of) => t('dashboard.worst.callbackValue', { share: percent(v), of })}
            empty={t('dashboard.worst.noCallbacks')}
            testId="worst-satisfaction"
          />
        </Col>
      </Row>
    </Flex>
  );
}
