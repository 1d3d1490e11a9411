import { Card, Empty, Flex, Spin, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, type ReactNode } from 'react';
import type { ComplaintsReport, RatesReport, Share, TimelinessReport } from '../../api/reports.js';
import { Chart, type ChartOption } from '../../components/Chart.js';
import { useI18n } from '../../i18n/index.js';
import { useDemandLabels } from '../demands/labels.js';

// 时限达标, 解决率与满意率, 万户投诉率: each a chart and a table with its totals.

const pct = (rate: number | null | undefined) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);
const rounded = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

/** A pane: the chart while loading shows a spinner, and says so when there is nothing. */
function Pane({ loading, empty, children, hint }: { loading: boolean; empty: boolean; children: ReactNode; hint: string }) {
  const { t } = useI18n();
  return (
    <Card size="small" data-testid="report-chart-card">
      {loading ? (
        <Spin style={{ display: 'block', margin: '48px auto' }} />
      ) : empty ? (
        <Empty description={t('report.empty')} data-testid="report-empty" />
      ) : (
        children
      )}
      <Typography.Text type="secondary">{hint}</Typography.Text>
    </Card>
  );
}

const emptyText = (text: string) => ({ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text} /> });

function TotalRow({ cells }: { cells: ReactNode[] }) {
  return (
    <Table.Summary fixed>
      <Table.Summary.Row data-testid="report-totals">
        {cells.map((c, i) => (
          <Table.Summary.Cell key={i} index={i} align={i === 0 ? 'left' : 'right'}>
            <Typography.Text strong>{c}</Typography.Text>
          </Table.Summary.Cell>
        ))}
      </Table.Summary.Row>
    </Table.Summary>
  );
}

// ── 时限达标 ────────────────────────────────────────────────────────────────
type TimeRow = TimelinessReport['rows'][number];

export function TimelinessView({ report, loading }: { report: TimelinessReport | undefined; loading: boolean }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const option = useMemo<ChartOption>(() => {
    const steps = report?.steps ?? [];
    const series = (['inTime', 'late', 'running'] as const).map((f) => ({
      name: t(`report.col.${f}`),
      type: 'bar' as const,
      stack: 'deadlines',
      data: steps.map((s) => s[f]),
      barMaxWidth: 56,
    }));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 24, top: 40, bottom: 40 },
      xAxis: { type: 'category', data: steps.map((s) => labels.step(s.step)) },
      yAxis: { type: 'value', minInterval: 1 },
      color: ['#52c41a', '#ff4d4f', '#1677ff'],
      series,
    };
  }, [report, labels, t]);
  const columns: ColumnsType<TimeRow> = [
    { key: 'unit', title: t('report.unit.label'), dataIndex: 'unitName' },
    { key: 'step', title: t('report.col.step'), render: (_, r) => labels.step(r.step) },
    ...(['total', 'inTime', 'late', 'running'] as const).map((f) => ({ key: f, dataIndex: f, title: t(`report.col.${f}`), align: 'right' as const })),
    { key: 'rate', title: t('report.col.inTimeRate'), align: 'right', render: (_, r) => pct(r.inTimeRate) },
  ];
  const total = report?.total;
  return (
    <Flex vertical gap={16}>
      <Pane loading={!report && loading} empty={!report || report.rows.length === 0} hint={t('report.hint.timeliness')}>
        <Chart option={option} height={340} label={t('report.chart.timeliness')} data-testid="report-chart" />
      </Pane>
      <Table<TimeRow>
        size="small"
        rowKey={(r) => `${r.unitId}|${r.step}`}
        columns={columns}
        dataSource={report?.rows ?? []}
        loading={loading}
        pagination={false}
        locale={emptyText(t('report.empty'))}
        data-testid="report-table"
        summary={() =>
          total && report.rows.length > 0 ? (
            <TotalRow cells={[t('report.total'), '', total.total, total.inTime, total.late, total.running, pct(total.inTimeRate)]} />
          ) : null
        }
      />
    </Flex>
  );
}

// ── 解决率与满意率 ─────────────────────────────────────────────────────────────
type RateRow = RatesReport['rows'][number];
const RATE_FIELDS = ['resolution', 'closure', 'repeat', 'satisfaction'] as const;

function ShareCell({ share }: { share: Share }) {
  const { t } = useI18n();
  return <span>{t('report.share', { rate: pct(share.rate), numerator: share.numerator, denominator: share.denominator })}</span>;
}

export function RatesView({ report, loading }: { report: RatesReport | undefined; loading: boolean }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const nameOf = useMemo(() => (r: RateRow) => (r.unitName !== undefined ? r.unitName : labels.channel(r.channel ?? '')), [labels]);
  const option = useMemo<ChartOption>(() => {
    const rows = report?.rows ?? [];
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '—' : `${String(v)}%`) },
      legend: { top: 0 },
      grid: { left: 48, right: 24, top: 40, bottom: rows.length > 8 ? 96 : 40 },
      xAxis: { type: 'category', data: rows.map(nameOf), axisLabel: { rotate: rows.length > 8 ? 40 : 0, interval: 0 } },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: RATE_FIELDS.map((f) => ({ name: t(`report.col.${f}`), type: 'bar' as const, data: rows.map((r) => rounded(r[f].rate)), barMaxWidth: 24 })),
    };
  }, [report, nameOf, t]);
  const columns: ColumnsType<RateRow> = [
    { key: 'name', title: report?.by === 'channel' ? t('report.group.channel') : t('report.unit.label'), render: (_, r) => nameOf(r) },
    { key: 'cases', dataIndex: 'cases', title: t('report.col.cases'), align: 'right' },
    ...RATE_FIELDS.map((f) => ({
      key: f,
      title: t(`report.col.${f}`),
      align: 'right' as const,
      render: (_: unknown, r: RateRow) => <ShareCell share={r[f]} />,
    })),
  ];
  const total = report?.total;
  return (
    <Flex vertical gap={16}>
      <Pane loading={!report && loading} empty={!report || report.rows.length === 0} hint={t('report.hint.rates')}>
        <Chart
          option={option}
          height={340}
          label={t('report.chart.rates', { by: t(report?.by === 'channel' ? 'report.group.channel' : 'report.group.unit') })}
          data-testid="report-chart"
        />
      </Pane>
      <Table<RateRow>
        size="small"
        rowKey={(r) => String(r.unitId ?? r.channel)}
        columns={columns}
        dataSource={report?.rows ?? []}
        loading={loading}
        pagination={false}
        locale={emptyText(t('report.empty'))}
        data-testid="report-table"
        summary={() =>
          total && report.rows.length > 0 ? (
            <TotalRow cells={[t('report.total'), total.cases, ...RATE_FIELDS.map((f) => <ShareCell key={f} share={total[f]} />)]} />
          ) : null
        }
      />
    </Flex>
  );
}

// ── 万户投诉率 ────────────────────────────────────────────────────────────────
type ComplaintRow = ComplaintsReport['rows'][number];

export function ComplaintsView({ report, loading }: { report: ComplaintsReport | undefined; loading: boolean }) {
  const { t } = useI18n();
  const option = useMemo<ChartOption>(() => {
    const rows = report?.rows ?? [];
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 24, top: 16, bottom: 96 },
      xAxis: { type: 'category', data: rows.map((r) => r.unitName), axisLabel: { rotate: 40, interval: 0 } },
      yAxis: { type: 'value' },
      series: [
        {
          name: t('report.col.per10k'),
          type: 'bar',
          barMaxWidth: 32,
          data: rows.map((r) => ({
            value: r.per10k === null ? null : Math.round(r.per10k * 100) / 100,
            itemStyle: { color: r.kind === 'county' ? '#1677ff' : '#91caff' },
          })),
        },
      ],
    } as ChartOption;
  }, [report, t]);
  const columns: ColumnsType<ComplaintRow> = [
    {
      key: 'unit',
      title: t('report.unit.label'),
      render: (_, r) => (r.kind === 'station' ? <span style={{ paddingLeft: 16 }}>{r.unitName}</span> : <strong>{r.unitName}</strong>),
    },
    { key: 'kind', title: t('report.col.kind'), render: (_, r) => t(`kind.${r.kind}`) },
    { key: 'complaints', dataIndex: 'complaints', title: t('report.col.complaints'), align: 'right' },
    { key: 'customers', dataIndex: 'customers', title: t('report.col.customers'), align: 'right' },
    { key: 'per10k', title: t('report.col.per10k'), align: 'right', render: (_, r) => (r.per10k === null ? '—' : r.per10k.toFixed(2)) },
  ];
  const total = report?.total;
  return (
    <Flex vertical gap={16}>
      <Pane loading={!report && loading} empty={!report || report.rows.length === 0} hint={t('report.hint.complaints')}>
        <Chart option={option} height={340} label={t('report.chart.complaints')} data-testid="report-chart" />
      </Pane>
      <Table<ComplaintRow>
        size="small"
        rowKey="unitId"
        columns={columns}
        dataSource={report?.rows ?? []}
        loading={loading}
        pagination={false}
        locale={emptyText(t('report.empty'))}
        data-testid="report-table"
        summary={() =>
          total && report.rows.length > 0 ? (
            <TotalRow cells={[t('report.total'), '', total.complaints, total.customers, total.per10k === null ? '—' : total.per10k.toFixed(2)]} />
          ) : null
        }
      />
    </Flex>
  );
}
