import { Card, Col, Empty, Row, Select, Space, Spin, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { getSatisfaction, type SatisfactionResponse, type SurveyPeriod } from '../../api/satisfaction.js';
import { Chart, type ChartOption } from '../../components/Chart.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useCan } from '../../session/SessionProvider.js';
import { useDemandLabels } from '../demands/labels.js';
import { SatisfactionImport } from './SatisfactionImport.js';
import { ElasticityCard, WhatIfCard } from './SatisfactionModel.js';

// 满意度 (issue 18; DESIGN.md, Satisfaction): the third party's surveys
// imported per period, the eight dimensions' trends for the city or a unit,
// the elasticity of satisfaction to the demand rates (the seed's until the
// city has its own periods, and it says which), the what-if, and the
// callbacks' satisfaction by channel and unit.

const DIMENSIONS = ['stability', 'safety', 'payment', 'business', 'hall', 'hotline', 'communication', 'handling'] as const;
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

export default function SatisfactionPage() {
  const { t } = useI18n();
  const can = useCan();
  const loaded = useLoad(() => getSatisfaction());
  const { data, loading, error, reload } = loaded;
  if (error) return <LoadError error={error} onRetry={reload} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="page-satisfaction">
      {can('report.manage') && <SatisfactionImport onImported={reload} />}
      {!data ? (
        <Card size="small">
          <Spin tip={t('satisfaction.loading')}>
            <div style={{ height: 200 }} />
          </Spin>
        </Card>
      ) : (
        <Spin spinning={loading}>
          <Body data={data} />
        </Spin>
      )}
    </Space>
  );
}

function Body({ data }: { data: SatisfactionResponse }) {
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Trends periods={data.periods} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <ElasticityCard elasticity={data.elasticity} />
        </Col>
        <Col xs={24} lg={12}>
          <WhatIfCard initial={data.whatIf} />
        </Col>
      </Row>
      <Callbacks callbacks={data.callbacks} />
      <Periods periods={data.periods} />
    </Space>
  );
}

/** A multi-line chart of the eight dimensions and the overall score, for the city or a chosen unit. */
function Trends({ periods }: { periods: SurveyPeriod[] }) {
  const { t } = useI18n();
  const units = useMemo(() => {
    const seen = new Map<number, string>();
    for (const p of periods) if (p.unitId !== null) seen.set(p.unitId, p.unitName ?? '');
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [periods]);
  const hasCity = periods.some((p) => p.unitId === null);
  const [unit, setUnit] = useState<number | 'city'>(hasCity || units.length === 0 ? 'city' : units[0]!.value);
  const rows = useMemo(
    () =>
      periods.filter((p) => (unit === 'city' ? p.unitId === null : p.unitId === unit)).sort((a, b) => a.from.localeCompare(b.from) || b.to.localeCompare(a.to)),
    [periods, unit],
  );
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: rows.map((r) => r.period) },
      yAxis: { type: 'value', scale: true, max: 100 },
      series: [
        ...DIMENSIONS.map((d) => ({ type: 'line' as const, name: t(`satisfaction.dim.${d}`), data: rows.map((r) => r.dimensions[d]), symbolSize: 5 })),
        { type: 'line' as const, name: t('satisfaction.dim.overall'), data: rows.map((r) => r.overall), lineStyle: { width: 4 }, symbolSize: 8 },
      ],
    }),
    [rows, t],
  );
  return (
    <Card
      size="small"
      title={t('satisfaction.trend')}
      extra={
        <Space>
          <span>{t('satisfaction.trend.of')}</span>
          <Select
            style={{ minWidth: 160 }}
            value={unit}
            onChange={setUnit}
            options={[{ value: 'city' as const, label: t('satisfaction.city') }, ...units]}
            aria-label={t('satisfaction.trend.of')}
            data-testid="satisfaction-trend-unit"
          />
        </Space>
      }
    >
      {rows.length === 0 ? (
        <Empty description={t('satisfaction.empty')} data-testid="satisfaction-empty" />
      ) : (
        <Chart option={option} height={340} label={t('satisfaction.trend')} data-testid="satisfaction-trend" />
      )}
    </Card>
  );
}

function Callbacks({ callbacks }: { callbacks: SatisfactionResponse['callbacks'] }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 30 },
      xAxis: { type: 'category', data: callbacks.byChannel.map((r) => labels.channel(r.channel)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', stack: 'n', name: t('satisfaction.callbacks.satisfied'), data: callbacks.byChannel.map((r) => r.satisfied), color: '#52c41a' },
        { type: 'bar', stack: 'n', name: t('satisfaction.callbacks.unsatisfied'), data: callbacks.byChannel.map((r) => r.unsatisfied), color: '#ff4d4f' },
      ],
    }),
    [callbacks, labels, t],
  );
  const counts = [
    { title: t('satisfaction.callbacks.satisfied'), dataIndex: 'satisfied', width: 90, align: 'right' as const },
    { title: t('satisfaction.callbacks.unsatisfied'), dataIndex: 'unsatisfied', width: 90, align: 'right' as const },
    { title: t('satisfaction.callbacks.rate'), dataIndex: 'rate', width: 90, align: 'right' as const, render: pct },
  ];
  return (
    <Card size="small" title={t('satisfaction.callbacks', { from: callbacks.from, to: callbacks.to })} data-testid="satisfaction-callbacks">
      {callbacks.byChannel.length === 0 ? (
        <Empty description={t('satisfaction.callbacks.empty')} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <Typography.Text strong>{t('satisfaction.callbacks.byChannel')}</Typography.Text>
            <Chart option={option} height={240} label={t('satisfaction.callbacks.byChannel')} />
            <Table
              size="small"
              rowKey="channel"
              pagination={false}
              dataSource={callbacks.byChannel}
              columns={[{ title: t('satisfaction.callbacks.channel'), dataIndex: 'channel', render: (c: string) => labels.channel(c) }, ...counts]}
            />
          </Col>
          <Col xs={24} lg={12}>
            <Typography.Text strong>{t('satisfaction.callbacks.byUnit')}</Typography.Text>
            <Table
              size="small"
              rowKey="unitId"
              pagination={callbacks.byUnit.length > 12 ? { pageSize: 12 } : false}
              dataSource={callbacks.byUnit}
              columns={[{ title: t('satisfaction.callbacks.unit'), dataIndex: 'unitName' }, ...counts]}
            />
          </Col>
        </Row>
      )}
    </Card>
  );
}

/** Every survey row beside its period's demand rates. */
function Periods({ periods }: { periods: SurveyPeriod[] }) {
  const { t } = useI18n();
  if (periods.length === 0) return null;
  const rate = (x: number | null) => (x === null ? '—' : x.toFixed(2));
  return (
    <Card size="small" title={t('satisfaction.periods')}>
      <Table
        size="small"
        rowKey={(r) => `${r.period}|${r.unitId ?? 0}`}
        dataSource={periods}
        pagination={periods.length > 20 ? { pageSize: 20 } : false}
        scroll={{ x: true }}
        columns={[
          { title: t('satisfaction.period'), dataIndex: 'period', fixed: 'left' },
          { title: t('satisfaction.unit'), key: 'unit', render: (_: unknown, r: SurveyPeriod) => r.unitName ?? t('satisfaction.city') },
          ...DIMENSIONS.map((d) => ({
            title: t(`satisfaction.dim.${d}`),
            key: d,
            align: 'right' as const,
            render: (_: unknown, r: SurveyPeriod) => r.dimensions[d],
          })),
          { title: t('satisfaction.dim.overall'), dataIndex: 'overall', align: 'right' as const, render: (v: number) => <strong>{v}</strong> },
          {
            title: t('satisfaction.rates'),
            key: 'rates',
            align: 'right' as const,
            render: (_: unknown, r: SurveyPeriod) => `${rate(r.rates.outage_voltage)} / ${rate(r.rates.supply_service)}`,
          },
        ]}
      />
    </Card>
  );
}
