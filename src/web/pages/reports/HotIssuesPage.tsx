import { Button, Card, Col, DatePicker, Empty, Flex, Row, Segmented, Space, Spin, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { listUnits } from '../../api/client.js';
import { getHotIssues, type HotIssuesReport, type HotTermItem } from '../../api/hot-issues.js';
import { Chart, type ChartOption } from '../../components/Chart.js';
import { LoadError } from '../../components/StatusPages.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { todayIn } from '../../i18n/time.js';
import { useCan, useMe } from '../../session/SessionProvider.js';
import { useCompanyTime, useMyUnits } from '../evaluation/labels.js';
import { HotDemandsDrawer, pct, StopWordsEditor, TrendMark } from './HotParts.js';

// 热点问题 (issue 18, point 2): the period's most frequent terms against the
// period before, as a bar chart and a table with trend arrows; the terms that
// go together; by county (or below the unit chosen) and, above the volume
// threshold, by week. Any term opens its demands in a drawer. The period
// (a month or a week) and the unit live in the address.

type Mode = 'month' | 'week';

function periodOf(mode: Mode, anchor: string): { from: string; to: string } {
  const day = dayjs(anchor);
  if (mode === 'month') {
    const start = day.startOf('month');
    return { from: start.format('YYYY-MM-DD'), to: start.add(1, 'month').format('YYYY-MM-DD') };
  }
  // Monday to Monday.
  const start = day.subtract((day.day() + 6) % 7, 'day');
  return { from: start.format('YYYY-MM-DD'), to: start.add(7, 'day').format('YYYY-MM-DD') };
}

function TermTable({ items, onOpen, testId }: { items: readonly HotTermItem[]; onOpen: (term: string) => void; testId: string }) {
  const { t } = useI18n();
  const columns: TableColumnsType<HotTermItem> = [
    {
      title: t('hot.term'),
      key: 'term',
      render: (_, i) => (
        <Button type="link" size="small" style={{ padding: 0, fontSize: 15 }} onClick={() => onOpen(i.term)} data-testid="hot-term-open">
          {i.term}
        </Button>
      ),
    },
    { title: t('hot.count'), dataIndex: 'count', align: 'right', width: 72 },
    { title: t('hot.previous'), dataIndex: 'previousCount', align: 'right', width: 72 },
    { title: t('hot.trend'), key: 'trend', width: 120, render: (_, i) => <TrendMark trend={i.trend} change={i.change} /> },
    { title: t('hot.resolvedRate'), key: 'rate', align: 'right', width: 80, render: (_, i) => pct(i.resolvedRate) },
    {
      title: '',
      key: 'open',
      width: 96,
      render: (_, i) => (
        <Button size="small" onClick={() => onOpen(i.term)} aria-label={`${t('hot.open')}: ${i.term}`}>
          {t('hot.open')}
        </Button>
      ),
    },
  ];
  return (
    <Table<HotTermItem>
      rowKey="term"
      size="small"
      columns={columns}
      dataSource={[...items]}
      pagination={false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('hot.noTerms')} /> }}
      onRow={(i) => ({ 'data-testid': 'hot-term-row', 'data-term': i.term }) as never}
      data-testid={testId}
    />
  );
}

/** A few terms as small links, each opening its demands. */
function TermTags({ items, onOpen }: { items: readonly HotTermItem[]; onOpen: (term: string) => void }) {
  return (
    <Space size={[4, 4]} wrap>
      {items.map((i) => (
        <Button key={i.term} size="small" type="text" onClick={() => onOpen(i.term)} style={{ background: '#f5f5f5' }}>
          {i.term} <Typography.Text type="secondary">{i.count}</Typography.Text>
        </Button>
      ))}
    </Space>
  );
}

function Groups({ report, onOpen }: { report: HotIssuesReport; onOpen: (term: string) => void }) {
  const { t } = useI18n();
  if (report.groups.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('hot.noGroups')} />;
  return (
    <Flex vertical gap={10} data-testid="hot-groups">
      {report.groups.map((g) => (
        <Flex key={g.terms.map((x) => x.term).join('+')} wrap align="center" gap={6} data-testid="hot-group">
          {g.terms.map((x, k) => (
            <Space key={x.term} size={4}>
              {k > 0 && <Typography.Text type="secondary">+</Typography.Text>}
              <Button size="small" onClick={() => onOpen(x.term)}>
                {x.term} <Typography.Text strong>{x.count}</Typography.Text>
              </Button>
              <TrendMark trend={x.trend} change={0} />
            </Space>
          ))}
          <Tag color="blue" style={{ marginLeft: 8 }}>
            {t('hot.cohesion', { rate: pct(g.cohesion) })}
          </Tag>
        </Flex>
      ))}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('hot.groupsHelp', { sampled: report.sampled })}
      </Typography.Text>
    </Flex>
  );
}

export default function HotIssuesPage() {
  const { t, timeZone } = useI18n();
  const me = useMe();
  const can = useCan();
  const time = useCompanyTime();
  const [params, setParams] = useSearchParams();
  const mode: Mode = params.get('period') === 'week' ? 'week' : 'month';
  const anchor = /^\d{4}-\d{2}-\d{2}$/.test(params.get('at') ?? '') ? params.get('at')! : todayIn(timeZone);
  const unitParam = Number(params.get('unit'));
  const unitId = Number.isInteger(unitParam) && unitParam > 0 ? unitParam : undefined;
  const period = periodOf(mode, anchor);
  const query = useMemo(() => ({ from: period.from, to: period.to, unitId }), [period.from, period.to, unitId]);
  const set = (next: { period?: Mode; at?: string; unit?: number | null }) => {
    const merged = { period: next.period ?? mode, at: next.at ?? anchor, unit: next.unit === undefined ? unitId : next.unit };
    setParams({ period: merged.period, at: merged.at, ...(merged.unit ? { unit: String(merged.unit) } : {}) });
  };

  const units = useLoad(listUnits, 'units');
  const mine = useMyUnits(units.data);
  const loaded = useLoad(() => getHotIssues(query), `${query.from}|${query.to}|${query.unitId}`);
  const [term, setTerm] = useState<{ term: string; unitId?: number | undefined } | null>(null);
  const [editing, setEditing] = useState(false);
  const report = loaded.data;

  const top = useMemo(() => (report?.items ?? []).slice(0, 15), [report]);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: [t('hot.count'), t('hot.previous')], top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 56 },
      xAxis: { type: 'category', data: top.map((w) => w.term), axisLabel: { interval: 0, rotate: top.length > 8 ? 30 : 0, fontSize: 13 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('hot.count'), type: 'bar', data: top.map((w) => w.count), itemStyle: { color: '#1677ff' }, label: { show: true, position: 'top' } },
        { name: t('hot.previous'), type: 'bar', data: top.map((w) => w.previousCount), itemStyle: { color: '#bfbfbf' } },
      ],
    }),
    [top, t],
  );
  const open = (text: string, unit?: number) => setTerm({ term: text, unitId: unit ?? unitId });

  const unitColumns: TableColumnsType<HotIssuesReport['units'][number]> = [
    { title: t('hot.unitName'), dataIndex: 'unitName', width: 160 },
    { title: t('hot.total'), dataIndex: 'total', align: 'right', width: 72 },
    { title: t('hot.previous'), dataIndex: 'previousTotal', align: 'right', width: 72 },
    { title: t('hot.topTerms'), key: 'terms', render: (_, u) => <TermTags items={u.items} onOpen={(x) => open(x, u.unitId)} /> },
  ];
  const weekColumns: TableColumnsType<HotIssuesReport['weeks'][number]> = [
    {
      title: t('hot.period'),
      key: 'week',
      width: 200,
      render: (_, w) => t('hot.weekOf', { from: w.from, to: dayjs(w.to).subtract(1, 'day').format('YYYY-MM-DD') }),
    },
    { title: t('hot.total'), dataIndex: 'total', align: 'right', width: 72 },
    { title: t('hot.previous'), dataIndex: 'previousTotal', align: 'right', width: 72 },
    { title: t('hot.topTerms'), key: 'terms', render: (_, w) => <TermTags items={w.items} onOpen={(x) => setTerm({ term: x, unitId })} /> },
  ];
  const drawerQuery = { ...period, unitId: term?.unitId };

  return (
    <Flex vertical gap={16} data-testid="hot-issues-page">
      <Flex wrap gap={12} align="center" justify="space-between">
        <Space wrap>
          <Typography.Text>{t('hot.period')}</Typography.Text>
          <Segmented<Mode>
            value={mode}
            onChange={(next) => set({ period: next })}
            options={[
              { value: 'month', label: t('hot.month') },
              { value: 'week', label: t('hot.week') },
            ]}
            data-testid="hot-mode"
          />
          <DatePicker
            picker={mode}
            allowClear={false}
            value={dayjs(period.from)}
            onChange={(d: Dayjs | null) => d && set({ at: d.format('YYYY-MM-DD') })}
            aria-label={t('hot.period')}
            data-testid="hot-date"
          />
          <Typography.Text>{t('hot.unit')}</Typography.Text>
          <UnitTreeSelect
            units={units.data ?? []}
            value={unitId ?? null}
            onChange={(next) => set({ unit: next })}
            selectable={(u) => me.cityWide || mine.has(u.id)}
            placeholder={me.cityWide ? t('hot.city') : me.user.unitName}
            allowClear
            data-testid="hot-unit"
          />
        </Space>
        {can('report.manage') && (
          <Button onClick={() => setEditing(true)} data-testid="hot-edit-stop-words">
            {t('hot.settings')}
          </Button>
        )}
      </Flex>

      {loaded.error ? (
        <LoadError error={loaded.error} onRetry={loaded.reload} />
      ) : !report ? (
        <Flex justify="center" style={{ padding: 48 }}>
          <Spin size="large" />
        </Flex>
      ) : (
        <Spin spinning={loaded.loading}>
          <Flex vertical gap={16}>
            <Typography.Paragraph style={{ fontSize: 15, marginBottom: 0 }} data-testid="hot-summary">
              {t('hot.summary', {
                from: time.date(report.from),
                to: time.lastDay(report.to),
                total: report.total,
                previousFrom: time.date(report.previousFrom),
                previousTo: time.lastDay(report.previousTo),
                previousTotal: report.previousTotal,
              })}
            </Typography.Paragraph>
            {report.total === 0 ? (
              <Empty description={t('hot.none')} data-testid="hot-empty" />
            ) : (
              <>
                <Row gutter={[16, 16]}>
                  <Col xs={24} xl={14}>
                    <Card size="small" title={t('hot.chart')}>
                      {top.length === 0 ? (
                        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('hot.noTerms')} />
                      ) : (
                        <Chart option={option} height={340} label={t('hot.chartLabel')} data-testid="hot-chart" />
                      )}
                    </Card>
                  </Col>
                  <Col xs={24} xl={10}>
                    <Card size="small" title={t('hot.groups')}>
                      <Groups report={report} onOpen={(x) => open(x)} />
                    </Card>
                  </Col>
                </Row>
                <Card size="small" title={t('hot.table')} extra={<Typography.Text type="secondary">{t('hot.trendRule')}</Typography.Text>}>
                  <TermTable items={report.items} onOpen={(x) => open(x)} testId="hot-terms" />
                </Card>
                {report.weeks.length > 0 && (
                  <Card
                    size="small"
                    title={t('hot.weeks')}
                    extra={<Typography.Text type="secondary">{t('hot.weeksHelp', { threshold: report.weeklyAbove })}</Typography.Text>}
                  >
                    <Table rowKey="from" size="small" columns={weekColumns} dataSource={report.weeks} pagination={false} data-testid="hot-weeks" />
                  </Card>
                )}
                <Card size="small" title={t('hot.units')} extra={<Typography.Text type="secondary">{t('hot.unitsHelp')}</Typography.Text>}>
                  <Table
                    rowKey="unitId"
                    size="small"
                    columns={unitColumns}
                    dataSource={report.units.filter((u) => u.total > 0 || u.previousTotal > 0)}
                    pagination={false}
                    locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('hot.noUnits')} /> }}
                    data-testid="hot-units"
                  />
                </Card>
              </>
            )}
          </Flex>
        </Spin>
      )}
      <HotDemandsDrawer query={drawerQuery} term={term?.term ?? null} onClose={() => setTerm(null)} />
      <StopWordsEditor open={editing} onClose={() => setEditing(false)} onSaved={loaded.reload} />
    </Flex>
  );
}
