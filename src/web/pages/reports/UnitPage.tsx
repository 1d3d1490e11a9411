import { Card, Col, Flex, Progress, Row, Skeleton, Statistic, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { listUnits } from '../../api/client.js';
import { unitDashboard, type UnitDashboard } from '../../api/dashboards.js';
import { Chart, type ChartOption } from '../../components/Chart.js';
import { LoadError, NotFound } from '../../components/StatusPages.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { useLoad } from '../../components/useLoad.js';
import { usePoll } from '../../components/usePoll.js';
import { useI18n } from '../../i18n/index.js';
import { useMe } from '../../session/SessionProvider.js';
import { useDemandLabels } from '../demands/labels.js';
import { Nothing, TimeLeft, usePercent } from './DashboardParts.js';

// 单位看板: a unit's own page — its open work orders with the time left,
// this month's timeliness by step, and its evaluation score this quarter so
// far. A unit's handlers open their own unit (and those below it, by link);
// the centre picks any unit.

function TimelinessChart({ data }: { data: UnitDashboard }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: data.timeliness.map((s) => labels.step(s.step)) },
      series: [
        {
          name: t('unitPage.inTime'),
          type: 'bar',
          stack: 's',
          itemStyle: { color: '#52c41a' },
          data: data.timeliness.map((s) => s.inTime || null),
          barMaxWidth: 24,
        },
        {
          name: t('unitPage.late'),
          type: 'bar',
          stack: 's',
          itemStyle: { color: '#ff4d4f' },
          data: data.timeliness.map((s) => s.late || null),
          barMaxWidth: 24,
        },
        {
          name: t('unitPage.running'),
          type: 'bar',
          stack: 's',
          itemStyle: { color: '#1677ff' },
          data: data.timeliness.map((s) => s.running || null),
          barMaxWidth: 24,
        },
      ],
    }),
    [data, labels, t],
  );
  return (
    <Chart
      option={option}
      height={Math.max(160, 60 + data.timeliness.length * 34)}
      label={t('unitPage.timeliness.label')}
      data-testid="unit-timeliness-chart"
    />
  );
}

function Score({ score }: { score: NonNullable<UnitDashboard['score']> }) {
  const { t } = useI18n();
  const percent = usePercent();
  return (
    <Flex vertical gap={8} data-testid="unit-score" data-score={score.score}>
      <Typography.Text type="secondary">{t('unitPage.score.of', { unit: score.unitName, year: score.year, quarter: score.quarter })}</Typography.Text>
      <Flex gap={24} align="end" wrap>
        <Statistic title={t('unitPage.score.value')} value={score.score.toFixed(2)} />
        <Statistic title={t('unitPage.score.rank')} value={score.rank} suffix={`/ ${score.of}`} />
      </Flex>
      <Typography.Text>
        {t('unitPage.score.terms', { demands: score.demands, unresolved: score.unresolved, rate: percent(score.unresolvedRate), repeated: score.repeated })}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('unitPage.score.note')}
      </Typography.Text>
    </Flex>
  );
}

export default function UnitPage() {
  const { t, formatTime } = useI18n();
  const me = useMe();
  const labels = useDemandLabels();
  const percent = usePercent();
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('unitId')) || undefined;
  const beat = usePoll(60_000);
  const { data, error, reload } = useLoad(() => unitDashboard(asked), `${asked ?? ''}:${beat}`);
  const units = useLoad(listUnits, me.cityWide ? 'units' : 'none');

  if (error?.status === 404) return <NotFound />;
  if (error && !data) return <LoadError error={error} onRetry={reload} />;
  return (
    <Flex vertical gap={16} data-testid="unit-dashboard">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {data ? t('unitPage.title', { unit: data.unitName }) : t('unitPage.loading')}
        </Typography.Title>
        {me.cityWide && units.data && (
          <UnitTreeSelect
            units={units.data}
            value={data?.unitId ?? asked ?? null}
            onChange={(id) => setParams(id ? { unitId: String(id) } : {})}
            placeholder={t('unitPage.pick')}
            style={{ minWidth: 280 }}
            data-testid="unit-pick"
          />
        )}
      </Flex>
      {!data ? (
        <Skeleton active paragraph={{ rows: 10 }} data-testid="unit-loading" />
      ) : (
        <>
          <Typography.Text type="secondary">{t('unitPage.asOf', { time: formatTime(data.now), count: data.unitCount })}</Typography.Text>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={8}>
              <Card size="small" title={t('unitPage.queue.title')} style={{ height: '100%' }}>
                <Flex gap={24}>
                  <Statistic title={t('unitPage.queue.total')} value={data.queue.total} data-testid="unit-queue-total" />
                  <Statistic
                    title={t('unitPage.queue.overdue')}
                    value={data.queue.overdue}
                    styles={{ content: { color: data.queue.overdue > 0 ? '#cf1322' : undefined } }}
                  />
                </Flex>
                <Flex wrap gap={4} style={{ marginTop: 8 }}>
                  {data.queue.byStatus.map((s) => (
                    <Tag key={s.status}>{t('unitPage.queue.status', { status: labels.taskStatus(s.status), count: s.count })}</Tag>
                  ))}
                </Flex>
              </Card>
            </Col>
            <Col xs={24} lg={8}>
              <Card size="small" title={t('unitPage.timeliness.title', { month: data.month })} style={{ height: '100%' }}>
                {data.timeliness.length === 0 ? (
                  <Nothing>{t('unitPage.timeliness.none')}</Nothing>
                ) : (
                  <>
                    <TimelinessChart data={data} />
                    <Flex vertical gap={2}>
                      {data.timeliness.map((s) => (
                        <Flex key={s.step} justify="space-between" gap={8}>
                          <span>{labels.step(s.step)}</span>
                          <Progress
                            percent={s.rate === null ? 0 : Math.round(s.rate * 1000) / 10}
                            size="small"
                            style={{ width: 160 }}
                            format={() => percent(s.rate)}
                          />
                        </Flex>
                      ))}
                    </Flex>
                  </>
                )}
              </Card>
            </Col>
            <Col xs={24} lg={8}>
              <Card size="small" title={t('unitPage.score.title')} style={{ height: '100%' }}>
                {data.score ? <Score score={data.score} /> : <Nothing>{t('unitPage.score.none')}</Nothing>}
              </Card>
            </Col>
          </Row>
          <Card size="small" title={t('unitPage.queue.list', { shown: data.queue.items.length, total: data.queue.total })}>
            <Table
              size="small"
              rowKey="taskId"
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              dataSource={data.queue.items}
              locale={{ emptyText: <Nothing>{t('unitPage.queue.none')}</Nothing> }}
              data-testid="unit-queue"
              columns={[
                { title: t('demand.number'), dataIndex: 'number', render: (n: string, q) => <Link to={`/demands/${q.demandId}`}>{n}</Link> },
                { title: t('demand.type'), dataIndex: 'type', render: (v: string) => labels.type(v) },
                { title: t('unitPage.queue.statusCol'), dataIndex: 'status', render: (v: string) => labels.taskStatus(v) },
                { title: t('demand.unit'), dataIndex: 'unitName' },
                { title: t('unitPage.queue.step'), dataIndex: 'step', render: (v: string | null) => labels.step(v) },
                { title: t('unitPage.queue.left'), dataIndex: 'dueAt', render: (v: string | null) => <TimeLeft dueAt={v} now={data.now} /> },
              ]}
            />
          </Card>
        </>
      )}
    </Flex>
  );
}
