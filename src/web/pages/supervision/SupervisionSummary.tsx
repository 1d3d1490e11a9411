import { Card, Col, Flex, Row, Statistic, Typography } from 'antd';
import { useCallback, useMemo } from 'react';
import type { SupervisedCase } from '../../api/supervision.js';
import { Chart, type ChartOption } from '../../components/Chart.js';
import { useI18n } from '../../i18n/index.js';
import { useDemandLabels } from '../demands/labels.js';
import { groupCases, LEVEL_COLORS } from './words.js';

const LEVELS = [3, 2, 1, 0] as const;
/** More units than this and the rest are summed in one bar: the chart is read, not scrolled. */
const TOP_UNITS = 12;

/** Counts per level, and the open cases by the unit that holds them, one colour per level. */
export function SupervisionSummary({ items }: { items: readonly SupervisedCase[] }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const counts = useMemo(() => LEVELS.map((level) => items.filter((c) => c.escalationLevel === level).length), [items]);
  const overdue = items.filter((c) => c.overdueSteps.length > 0).length;
  const levelName = (level: number) => (level === 0 ? t('supervision.stat.overdueOnly') : t('supervision.stat.level', { level: labels.level(level) }));

  // The legend names the level alone: the chart is narrower than the cards.
  const legendName = useCallback((level: number) => (level === 0 ? t('supervision.stat.overdueOnly') : labels.level(level)), [t, labels]);
  const groups = useMemo(() => groupCases(items, 'unit'), [items]);
  const option = useMemo<ChartOption>(() => {
    const top = groups.slice(0, TOP_UNITS);
    const rest = groups.slice(TOP_UNITS).flatMap((g) => g.items);
    const bars = [
      ...top.map((g) => ({ name: g.unitName!, items: g.items })),
      ...(rest.length > 0 ? [{ name: t('supervision.chart.others', { count: groups.length - TOP_UNITS }), items: rest }] : []),
    ];
    // Most cases at the top: the category axis of a horizontal bar chart runs upwards.
    bars.reverse();
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { type: 'scroll', top: 0, itemGap: 20, data: [...LEVELS].reverse().map(legendName) },
      grid: { left: 8, right: 32, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: bars.map((b) => b.name), axisLabel: { fontSize: 13 } },
      series: [0, 1, 2, 3].map((level) => ({
        name: legendName(level),
        type: 'bar' as const,
        stack: 'cases',
        barMaxWidth: 22,
        itemStyle: { color: LEVEL_COLORS[level] },
        data: bars.map((b) => b.items.filter((c) => c.escalationLevel === level).length || null),
      })),
    };
  }, [groups, t, legendName]);
  const unitCount = Math.min(groups.length, TOP_UNITS + 1);

  return (
    <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
      <Col xs={24} lg={9}>
        <Flex vertical gap={12} style={{ height: '100%' }}>
          <Card size="small">
            <Statistic title={t('supervision.total')} value={items.length} suffix={t('supervision.unitCount')} data-testid="supervision-total" />
            <Typography.Text type={overdue > 0 ? 'danger' : 'secondary'}>{t('supervision.totalOverdue', { count: overdue })}</Typography.Text>
          </Card>
          <Row gutter={[12, 12]}>
            {LEVELS.map((level, i) => (
              <Col span={12} key={level}>
                <Card size="small" style={{ borderInlineStart: `4px solid ${LEVEL_COLORS[level]}` }}>
                  <Statistic
                    title={levelName(level)}
                    value={counts[i]}
                    styles={{ content: { color: counts[i]! > 0 && level > 0 ? LEVEL_COLORS[level] : undefined } }}
                    data-testid="level-count"
                    data-level={level}
                    data-count={counts[i]}
                  />
                </Card>
              </Col>
            ))}
          </Row>
        </Flex>
      </Col>
      <Col xs={24} lg={15}>
        <Card size="small" title={t('supervision.chart.title')} style={{ height: '100%' }}>
          <Chart option={option} height={Math.max(200, 56 + unitCount * 28)} label={t('supervision.chart.label')} data-testid="supervision-chart" />
        </Card>
      </Col>
    </Row>
  );
}
