import { Card, Empty, Flex, Spin, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import type { DemandReport, DemandReportRow } from '../../api/reports.js';
import { Chart, type ChartOption } from '../../components/Chart.js';
import { useI18n } from '../../i18n/index.js';
import { useDemandLabels } from '../demands/labels.js';

// 诉求统计: demands (cases) grouped as asked, as a chart — bars by the first
// grouping, stacked by the second; a line when the first is time alone — and
// as a table with its totals row.

export const GROUPS = ['unit', 'category', 'type', 'channel', 'month', 'week', 'day'] as const;
export type Group = (typeof GROUPS)[number];
export const TIME_GROUPS: readonly Group[] = ['month', 'week', 'day'];

/** A row's value of a grouping, in words. */
export function useGroupWords() {
  const { t } = useI18n();
  const labels = useDemandLabels();
  return useMemo(
    () =>
      (g: Group, row: DemandReportRow): string => {
        switch (g) {
          case 'unit':
            return row.unitName ?? '';
          case 'category':
            return row.category ? labels.category(row.category) : t('report.uncategorised');
          case 'type':
            return labels.type(row.type ?? '');
          case 'channel':
            return labels.channel(row.channel ?? '');
          default:
            return row[g] ?? '';
        }
      },
    [labels, t],
  );
}

const distinct = (values: string[]) => [...new Set(values)];

function DemandChart({ report, groups }: { report: DemandReport; groups: Group[] }) {
  const { t } = useI18n();
  const words = useGroupWords();
  const first = groups[0]!;
  const second = groups[1];
  const option = useMemo<ChartOption>(() => {
    const xs = distinct(report.rows.map((r) => words(first, r)));
    const index = new Map(xs.map((x, i) => [x, i]));
    const line = second === undefined && TIME_GROUPS.includes(first);
    const seriesNames = second ? distinct(report.rows.map((r) => words(second, r))) : [t('report.col.count')];
    const data = new Map(seriesNames.map((name) => [name, xs.map(() => 0)]));
    for (const r of report.rows) data.get(second ? words(second, r) : seriesNames[0]!)![index.get(words(first, r))!]! += r.count;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll', show: second !== undefined },
      grid: { left: 48, right: 24, top: second ? 40 : 16, bottom: xs.length > 8 ? 96 : 40 },
      xAxis: { type: 'category', data: xs, axisLabel: { rotate: xs.length > 8 ? 40 : 0, interval: 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: seriesNames.map((name) =>
        line
          ? { name, type: 'line' as const, data: data.get(name)!, showSymbol: true }
          : { name, type: 'bar' as const, stack: second ? 'count' : undefined, data: data.get(name)!, barMaxWidth: 48 },
      ),
    };
  }, [report, first, second, words, t]);
  const label = t('report.chart.demands', {
    first: t(`report.group.${first}`),
    second: second ? t('report.chart.stackedBy', { second: t(`report.group.${second}`) }) : '',
  });
  return <Chart option={option} height={360} label={label} data-testid="report-chart" />;
}

function DemandTable({ report, groups, loading }: { report: DemandReport | undefined; groups: Group[]; loading: boolean }) {
  const { t } = useI18n();
  const words = useGroupWords();
  const columns: ColumnsType<DemandReportRow> = [
    ...groups.map((g) => ({ key: g, title: t(`report.group.${g}`), render: (_: unknown, r: DemandReportRow) => words(g, r) })),
    ...(['count', 'closed', 'overdue', 'calls'] as const).map((f) => ({ key: f, dataIndex: f, title: t(`report.col.${f}`), align: 'right' as const })),
  ];
  const totals = report?.totals;
  return (
    <Table<DemandReportRow>
      size="small"
      rowKey={(r) => groups.map((g) => words(g, r)).join('|')}
      columns={columns}
      dataSource={report?.rows ?? []}
      loading={loading}
      pagination={(report?.rows.length ?? 0) > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('report.empty')} /> }}
      data-testid="report-table"
      summary={() =>
        totals && report.rows.length > 0 ? (
          <Table.Summary fixed>
            <Table.Summary.Row data-testid="report-totals">
              <Table.Summary.Cell index={0} colSpan={Math.max(1, groups.length)}>
                <Typography.Text strong>{t('report.total')}</Typography.Text>
              </Table.Summary.Cell>
              {(['count', 'closed', 'overdue', 'calls'] as const).map((f, i) => (
                <Table.Summary.Cell key={f} index={groups.length + i} align="right">
                  <Typography.Text strong>{totals[f]}</Typography.Text>
                </Table.Summary.Cell>
              ))}
            </Table.Summary.Row>
          </Table.Summary>
        ) : null
      }
    />
  );
}

export function DemandsView({ report, groups, loading }: { report: DemandReport | undefined; groups: Group[]; loading: boolean }) {
  const { t } = useI18n();
  const empty = report !== undefined && report.rows.length === 0;
  return (
    <Flex vertical gap={16}>
      <Card size="small" data-testid="report-chart-card">
        {!report && loading ? (
          <Spin style={{ display: 'block', margin: '48px auto' }} />
        ) : empty || !report ? (
          <Empty description={t('report.empty')} data-testid="report-empty" />
        ) : (
          <DemandChart report={report} groups={groups} />
        )}
      </Card>
      <DemandTable report={report} groups={groups} loading={loading} />
      <Typography.Text type="secondary">{t('report.hint.demands')}</Typography.Text>
    </Flex>
  );
}
