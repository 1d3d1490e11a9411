import { Col, Empty, Flex, Row, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import type { HotItem, Meeting } from '../../api/evaluation.js';
import { Chart, type ChartOption } from '../../components/Chart.js';
import { useI18n } from '../../i18n/index.js';
import { useDemandLabels } from '../demands/labels.js';
import { pct, useCompanyTime } from './labels.js';

type Section = Meeting['pack']['hotIssues'];

/** Up is more demands than the period before: red. Down: green. */
export function Change({ change }: { change: number }) {
  const { t } = useI18n();
  if (change === 0) return <Typography.Text type="secondary">{t('loop.hot.same')}</Typography.Text>;
  return (
    <Typography.Text strong style={{ color: change > 0 ? '#cf1322' : '#389e0d', whiteSpace: 'nowrap' }} data-testid="hot-change" data-change={change}>
      {change > 0 ? `↑ ${change}` : `↓ ${-change}`}
    </Typography.Text>
  );
}

function HotTable({
  title,
  items,
  name,
  testId,
  examples,
}: {
  title: string;
  items: readonly HotItem[];
  name: (key: string) => string;
  testId: string;
  examples?: boolean;
}) {
  const { t } = useI18n();
  const columns: TableColumnsType<HotItem> = [
    { title, key: 'key', render: (_, i) => <span style={{ whiteSpace: 'nowrap', fontSize: 15 }}>{name(i.key)}</span> },
    { title: t('loop.hot.count'), dataIndex: 'count', align: 'right', width: 64 },
    { title: t('loop.hot.previous'), dataIndex: 'previousCount', align: 'right', width: 64 },
    { title: t('loop.hot.change'), key: 'change', align: 'right', width: 72, render: (_, i) => <Change change={i.change} /> },
    { title: t('loop.hot.resolvedRate'), key: 'rate', align: 'right', width: 80, render: (_, i) => pct(i.resolvedRate) },
  ];
  if (examples)
    columns.push({
      title: t('loop.hot.examples'),
      key: 'examples',
      // On paper the numbers are noise; on screen they open the demands.
      className: 'suqiu-no-print',
      render: (_, i) => (
        <Space size={8} wrap>
          {i.examples.slice(0, 3).map((e) => (
            <Link key={e.number} to={e.id === null ? `/demands/list?number=${e.number}` : `/demands/${e.id}`} style={{ fontSize: 12 }}>
              {e.number}
            </Link>
          ))}
        </Space>
      ),
    });
  return (
    <Table<HotItem>
      rowKey="key"
      size="small"
      bordered
      columns={columns}
      dataSource={[...items]}
      pagination={false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('loop.hot.none')} /> }}
      onRow={(i) => ({ 'data-testid': 'hot-row', 'data-key': i.key }) as never}
      data-testid={testId}
    />
  );
}

/** （一）The period's hot issues and how far each is resolved: categories, sub-categories and the recurring words, against the period before. */
export function HotIssues({ section }: { section: Section }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const time = useCompanyTime();
  const words = useMemo(() => section.terms.slice(0, 15), [section.terms]);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: [t('loop.hot.count'), t('loop.hot.previous')], top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 56 },
      xAxis: { type: 'category', data: words.map((w) => w.key), axisLabel: { interval: 0, rotate: words.length > 8 ? 30 : 0, fontSize: 13 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('loop.hot.count'), type: 'bar', data: words.map((w) => w.count), itemStyle: { color: '#1677ff' }, label: { show: true, position: 'top' } },
        { name: t('loop.hot.previous'), type: 'bar', data: words.map((w) => w.previousCount), itemStyle: { color: '#bfbfbf' } },
      ],
    }),
    [words, t],
  );
  const delta = section.total - section.previousTotal;
  return (
    <Flex vertical gap={12} data-testid="pack-hot-issues">
      <Typography.Paragraph style={{ fontSize: 15, marginBottom: 0 }}>
        {t('loop.hot.summary', {
          from: time.date(section.from),
          to: time.lastDay(section.to),
          total: section.total,
          previousFrom: time.date(section.previousFrom),
          previousTo: time.lastDay(section.from),
          previousTotal: section.previousTotal,
        })}{' '}
        <Change change={delta} />
      </Typography.Paragraph>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <HotTable title={t('loop.hot.category')} items={section.categories} name={labels.category} testId="hot-categories" />
        </Col>
        <Col xs={24} lg={12}>
          <HotTable title={t('loop.hot.subcategory')} items={section.subcategories} name={labels.subcategory} testId="hot-subcategories" />
        </Col>
      </Row>
      <Typography.Text strong style={{ fontSize: 15 }}>
        {t('loop.hot.words')}
      </Typography.Text>
      {words.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('loop.hot.noWords')} />
      ) : (
        <>
          <Chart option={option} height={320} label={t('loop.hot.chartLabel')} data-testid="hot-chart" />
          <HotTable title={t('loop.hot.word')} items={section.terms} name={(k) => k} testId="hot-terms" examples />
          {section.groups && section.groups.length > 0 && (
            <Flex wrap gap={8} align="center" data-testid="pack-hot-groups">
              <Typography.Text strong>{t('hot.groups')}</Typography.Text>
              {section.groups.map((g) => (
                <Tag key={g.terms.map((x) => x.term).join('+')} style={{ fontSize: 14, padding: '2px 8px' }}>
                  {g.terms.map((x) => `${x.term} ${x.count}`).join(' + ')}
                </Tag>
              ))}
            </Flex>
          )}
        </>
      )}
    </Flex>
  );
}
