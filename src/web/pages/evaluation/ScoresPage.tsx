import { Card, Col, Empty, Flex, Row, Spin, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { evaluationOfPeriod, evaluationTrend, type EvaluationTrend, type EvaluationUnitRow } from '../../api/evaluation.js';
import { Chart, type ChartOption } from '../../components/Chart.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { pts, useLoopRights, useQuarterName } from './labels.js';
import { PeriodPicker, usePeriod, type Period } from './period.js';
import { ScoreTables, ScoreTerms } from './ScoreTable.js';

/** Each unit's published score quarter by quarter, one line per unit. */
function TrendChart({ trend, kind }: { trend: EvaluationTrend; kind: 'department' | 'county' }) {
  const { t } = useI18n();
  const quarterName = useQuarterName();
  const units = useMemo(() => trend.units.filter((u) => u.kind === kind), [trend, kind]);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'plain' },
      grid: { left: 44, right: 24, top: units.length > 4 ? 64 : 40, bottom: 32 },
      xAxis: {
        type: 'category',
        data: trend.quarters.map((q) => {
          const [year, n] = q.split('-Q');
          return quarterName(Number(year), Number(n));
        }),
      },
      yAxis: {
        type: 'value',
        max: (v: { max: number }) => Math.max(100, Math.ceil(v.max)),
        min: (v: { min: number }) => Math.max(0, Math.floor(v.min / 10) * 10),
      },
      series: units.map((u) => ({
        name: u.unitName,
        type: 'line',
        data: u.scores,
        connectNulls: false,
        showSymbol: true,
        symbolSize: 8,
        label: { show: units.length === 1, position: 'top' },
      })),
    }),
    [trend, units, quarterName],
  );
  if (units.length === 0) return null;
  return (
    <Chart
      option={option}
      height={340}
      label={t(kind === 'department' ? 'loop.trend.departmentsLabel' : 'loop.trend.countiesLabel')}
      data-testid={`trend-chart-${kind}`}
    />
  );
}

/** A unit's own rows, each score worked out in words: what a county's handlers open this page for. */
function OwnScores({ rows, period }: { rows: readonly EvaluationUnitRow[]; period: Period }) {
  const { t } = useI18n();
  const quarterName = useQuarterName();
  const when = period.quarter
    ? quarterName(period.quarter.year, period.quarter.quarter)
    : t('loop.period.span', { from: period.from, to: dayjs(period.to).subtract(1, 'day').format('YYYY-MM-DD') });
  return (
    <Flex vertical gap={12}>
      {rows.map((row) => (
        <Card key={row.unitId} size="small" title={t('loop.score.ownTitle', { unit: row.unitName, when })} data-testid="own-score">
          <Flex gap={32} wrap align="start">
            <Flex vertical align="center" style={{ minWidth: 140 }}>
              <Typography.Text type="secondary">{t('loop.score.scoreCol')}</Typography.Text>
              <Typography.Text strong style={{ fontSize: 40, lineHeight: 1.2 }} data-testid="own-score-value">
                {pts(row.score)}
              </Typography.Text>
              <Typography.Text>{t('loop.score.rankIn', { kind: t(`kind.${row.kind}`), rank: row.rank })}</Typography.Text>
            </Flex>
            <div style={{ flex: 1, minWidth: 320 }}>
              <ScoreTerms row={row} />
            </div>
          </Flex>
        </Card>
      ))}
    </Flex>
  );
}

/** 评价: any period's scores by the published formula, every term a column; the published quarters' trend. */
export default function ScoresPage() {
  const { t } = useI18n();
  const rights = useLoopRights();
  const [period, setPeriod] = usePeriod();
  const scores = useLoad(() => evaluationOfPeriod(period.from, period.to), `${period.from}:${period.to}`);
  const trend = useLoad(evaluationTrend);
  const rows = scores.data?.units;
  const kinds = new Set((trend.data?.units ?? []).map((u) => u.kind));
  return (
    <Flex vertical gap={16} data-testid="scores-page">
      <Flex justify="space-between" wrap gap={8}>
        <PeriodPicker period={period} onChange={setPeriod} />
        {scores.data && (
          <Typography.Text type="secondary" data-testid="scores-total">
            {t('loop.score.total', { total: scores.data.total })}
          </Typography.Text>
        )}
      </Flex>
      <Typography.Text type="secondary">
        {t('loop.score.formula')}
        {(rights.cityWide || (rows?.length ?? 0) > 1) && t('loop.score.clickRow')}
      </Typography.Text>
      {scores.error && !scores.data && <LoadError error={scores.error} onRetry={scores.reload} />}
      {!rights.cityWide && (scores.loading && !rows ? <Spin /> : rows && rows.length > 0 && <OwnScores rows={rows} period={period} />)}
      {!rights.cityWide && rows && rows.length === 0 && <Empty description={t('loop.score.noOwnRow')} />}
      {(rights.cityWide || (rows?.length ?? 0) > 1) && <ScoreTables rows={rows} loading={scores.loading} />}
      <Card size="small" title={t('loop.trend.title')} data-testid="trend">
        {trend.error && !trend.data ? (
          <LoadError error={trend.error} onRetry={trend.reload} />
        ) : trend.loading && !trend.data ? (
          <Spin />
        ) : !trend.data || trend.data.quarters.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('loop.trend.none')} />
        ) : (
          <Row gutter={[16, 16]}>
            {(['department', 'county'] as const)
              .filter((k) => kinds.has(k))
              .map((k) => (
                <Col key={k} xs={24} xl={kinds.size > 1 ? 12 : 24}>
                  <Typography.Text strong>{t(k === 'department' ? 'loop.score.departments' : 'loop.score.counties')}</Typography.Text>
                  <TrendChart trend={trend.data!} kind={k} />
                </Col>
              ))}
          </Row>
        )}
      </Card>
    </Flex>
  );
}
