import { Card, Empty, Flex, Table, Typography, type TableColumnsType } from 'antd';
import type { EvaluationUnitRow } from '../../api/evaluation.js';
import { useI18n } from '../../i18n/index.js';
import { pct, pts } from './labels.js';

// The evaluation's tables (the seed's tables 5 and 6): every term of every
// unit's score, and each score worked out in words.

/** A score's terms in words, each with the points it adds or takes: what a unit reads to see why it scored so. */
export function ScoreTerms({ row }: { row: EvaluationUnitRow }) {
  const { t } = useI18n();
  // Each term takes (−1) or adds (+1) its points, whatever they come to: a deduction of nothing is still a deduction.
  const lines: { key: string; text: string; sign: -1 | 1; points: number; note?: string }[] = [
    { key: 'share', text: t('loop.score.share', { demands: row.demands, share: pct(row.share) }), sign: -1, points: row.share * 30 },
    {
      key: 'unresolved',
      text: t('loop.score.unresolved', { unresolved: row.unresolved, rate: pct(row.unresolvedRate) }),
      sign: -1,
      points: row.unresolvedRate * 70,
      note: t(row.kind === 'county' ? 'loop.score.unresolvedCounty' : 'loop.score.unresolvedDepartment'),
    },
    { key: 'serviceEvents', text: t('loop.score.serviceEvents', { count: row.serviceEvents }), sign: -1, points: 2 * row.serviceEvents },
    { key: 'repeated', text: t('loop.score.repeated', { count: row.repeated }), sign: -1, points: row.repeated },
    { key: 'criticisms', text: t('loop.score.criticisms', { count: row.criticisms }), sign: -1, points: row.criticisms },
    { key: 'praises', text: t('loop.score.praises', { count: row.praises }), sign: 1, points: row.praises },
  ];
  return (
    <Flex vertical gap={4} data-testid="score-terms" data-unit={row.unitName} style={{ maxWidth: 760 }}>
      <Flex justify="space-between">
        <Typography.Text>{t('loop.score.base')}</Typography.Text>
        <Typography.Text strong>100</Typography.Text>
      </Flex>
      {lines.map((l) => (
        <Flex key={l.key} justify="space-between" gap={16} data-testid={`score-term-${l.key}`}>
          <span>
            <Typography.Text>
              {l.text} = {t(l.sign < 0 ? 'loop.score.minus' : 'loop.score.plus', { points: pts(l.points) })}
            </Typography.Text>
            {l.note && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {l.note}
              </Typography.Text>
            )}
          </span>
          <Typography.Text type={l.points === 0 ? 'secondary' : l.sign < 0 ? 'danger' : 'success'} strong style={{ whiteSpace: 'nowrap' }}>
            {l.points === 0 ? '0' : `${l.sign < 0 ? '−' : '+'}${pts(l.points)}`}
          </Typography.Text>
        </Flex>
      ))}
      <Flex justify="space-between" style={{ borderTop: '1px solid rgba(5,5,5,0.12)', paddingTop: 4 }}>
        <Typography.Text strong>{t('loop.score.result', { kind: t(`kind.${row.kind}`), rank: row.rank })}</Typography.Text>
        <Typography.Text strong style={{ fontSize: 16 }} data-testid="score-value">
          {pts(row.score)}
        </Typography.Text>
      </Flex>
    </Flex>
  );
}

/** One kind's table: the departments' (表5) or the county bureaus' (表6), by rank. */
export function ScoreTable({ rows, loading, testId, forPrint }: { rows: readonly EvaluationUnitRow[]; loading: boolean; testId?: string; forPrint?: boolean }) {
  const { t } = useI18n();
  const columns: TableColumnsType<EvaluationUnitRow> = [
    { title: t('loop.score.rank'), dataIndex: 'rank', width: 64, align: 'center' },
    { title: t('loop.score.unit'), dataIndex: 'unitName', width: 150 },
    { title: t('loop.score.demands'), dataIndex: 'demands', align: 'right' },
    { title: t('loop.score.shareCol'), key: 'share', align: 'right', render: (_, r) => pct(r.share) },
    { title: t('loop.score.unresolvedCol'), dataIndex: 'unresolved', align: 'right' },
    { title: t('loop.score.rateCol'), key: 'rate', align: 'right', render: (_, r) => pct(r.unresolvedRate) },
    { title: t('loop.score.serviceEventsCol'), dataIndex: 'serviceEvents', align: 'right' },
    { title: t('loop.score.repeatedCol'), dataIndex: 'repeated', align: 'right' },
    { title: t('loop.score.criticismsCol'), dataIndex: 'criticisms', align: 'right' },
    { title: t('loop.score.praisesCol'), dataIndex: 'praises', align: 'right' },
    // Two decimals always, so that a column of scores lines up.
    { title: t('loop.score.scoreCol'), key: 'score', align: 'right', render: (_, r) => <Typography.Text strong>{r.score.toFixed(2)}</Typography.Text> },
  ];
  return (
    <Table<EvaluationUnitRow>
      rowKey="unitId"
      size="small"
      bordered
      columns={columns}
      dataSource={[...rows].sort((a, b) => a.rank - b.rank || a.unitName.localeCompare(b.unitName, 'zh-CN'))}
      loading={loading}
      pagination={false}
      scroll={forPrint ? undefined : { x: 960 }}
      expandable={forPrint ? undefined : { expandedRowRender: (r) => <ScoreTerms row={r} />, expandRowByClick: true }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('loop.score.noRows')} /> }}
      onRow={(r) => ({ 'data-testid': 'score-row', 'data-unit': r.unitName, 'data-score': r.score }) as never}
      data-testid={testId}
    />
  );
}

/** Both tables, each under its heading; a kind the reader has no row of is left out. */
export function ScoreTables({ rows, loading, forPrint }: { rows: readonly EvaluationUnitRow[] | undefined; loading: boolean; forPrint?: boolean }) {
  const { t } = useI18n();
  const departments = (rows ?? []).filter((r) => r.kind === 'department');
  const counties = (rows ?? []).filter((r) => r.kind === 'county');
  const both = !rows || (departments.length > 0 && counties.length > 0);
  return (
    <Flex vertical gap={12}>
      {(both || departments.length > 0) && (
        <Card size="small" title={t('loop.score.departments')} data-testid="score-departments">
          <ScoreTable rows={departments} loading={loading} forPrint={forPrint} testId="score-table-department" />
        </Card>
      )}
      {(both || counties.length > 0) && (
        <Card size="small" title={t('loop.score.counties')} data-testid="score-counties">
          <ScoreTable rows={counties} loading={loading} forPrint={forPrint} testId="score-table-county" />
        </Card>
      )}
    </Flex>
  );
}
