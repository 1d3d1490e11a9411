import { Divider, Drawer, Empty, Flex, InputNumber, Modal, Select, Space, Table, Tag, Typography, App as AntApp, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { getHotIssueDemands, getStopWords, getWeeklyAbove, saveStopWords, saveWeeklyAbove, type HotIssueDemands, type HotQuery } from '../../api/hot-issues.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { StatusTag } from '../demands/labels.js';
import { useCompanyTime } from '../evaluation/labels.js';

// The hot-issues page's parts: the trend arrow, the drill-down drawer of a
// term's demands, the settings (stop words, the weekly threshold).

type Trend = 'rising' | 'falling' | 'steady';

/** Rising: red up; falling: green down; steady: grey. Words beside the arrow, for readers and screen readers. */
export function TrendMark({ trend, change }: { trend: Trend; change: number }) {
  const { t } = useI18n();
  const color = trend === 'rising' ? '#cf1322' : trend === 'falling' ? '#389e0d' : '#8c8c8c';
  const arrow = trend === 'rising' ? '↑' : trend === 'falling' ? '↓' : '→';
  return (
    <Typography.Text style={{ color, whiteSpace: 'nowrap' }} data-testid="hot-trend" data-trend={trend} title={t('hot.trendRule')}>
      {arrow} {t(`hot.trend.${trend}`)}
      {change !== 0 && <span style={{ marginLeft: 4 }}>{change > 0 ? `+${change}` : change}</span>}
    </Typography.Text>
  );
}

export const pct = (fraction: number) => `${Math.round(fraction * 1000) / 10}%`;

const PAGE = 20;

/** A term's demands over the period: number (opens the demand), date, unit, status, the words around the term. */
export function HotDemandsDrawer({ query, term, onClose }: { query: HotQuery; term: string | null; onClose: () => void }) {
  const { t } = useI18n();
  const time = useCompanyTime();
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [term, query.from, query.to, query.unitId]);
  const loaded = useLoad<HotIssueDemands | null>(
    () => (term === null ? Promise.resolve(null) : getHotIssueDemands({ ...query, term, page })),
    `${term}|${query.from}|${query.to}|${query.unitId}|${page}`,
  );
  const columns: TableColumnsType<HotIssueDemands['items'][number]> = [
    {
      title: t('hot.number'),
      key: 'number',
      width: 150,
      render: (_, d) => (
        <Link to={`/demands/${d.id}`} data-testid="hot-demand-link">
          {d.number}
        </Link>
      ),
    },
    { title: t('hot.date'), key: 'date', width: 110, render: (_, d) => time.date(d.createdAt) },
    { title: t('hot.unitName'), dataIndex: 'unitName', width: 140 },
    { title: t('hot.status'), key: 'status', width: 100, render: (_, d) => <StatusTag status={d.status} /> },
    { title: t('hot.content'), dataIndex: 'excerpt' },
  ];
  const data = loaded.data;
  return (
    <Drawer
      open={term !== null}
      onClose={onClose}
      size="large"
      width={900}
      title={term === null ? '' : t('hot.drawer', { term })}
      extra={data ? <Typography.Text type="secondary">{t('hot.drawerCount', { total: data.total })}</Typography.Text> : null}
      data-testid="hot-drawer"
    >
      {loaded.error ? (
        <LoadError error={loaded.error} onRetry={loaded.reload} />
      ) : (
        <Table
          rowKey="id"
          size="small"
          loading={loaded.loading}
          columns={columns}
          dataSource={data?.items ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('hot.noDemands')} /> }}
          pagination={data && data.total > PAGE ? { current: page, pageSize: PAGE, total: data.total, showSizeChanger: false, onChange: setPage } : false}
          onRow={() => ({ 'data-testid': 'hot-demand-row' }) as never}
          data-testid="hot-demands"
        />
      )}
    </Drawer>
  );
}

/**
 * The hot issues' settings (report.manage), applied at once: the stop words,
 * edited as tags and saved whole; the volume above which a period is also
 * read week by week.
 */
export function StopWordsEditor({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const loaded = useLoad(() => (open ? Promise.all([getStopWords(), getWeeklyAbove()]) : Promise.resolve(null)), String(open));
  const [words, setWords] = useState<string[]>([]);
  const [threshold, setThreshold] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  const [stored, storedThreshold] = loaded.data ?? [];
  useEffect(() => {
    if (stored) setWords(stored.words);
    if (storedThreshold) setThreshold(storedThreshold.cases);
  }, [stored, storedThreshold]);
  const save = async () => {
    setSaving(true);
    try {
      if (!stored || words.length !== stored.words.length || words.some((w, i) => w !== stored.words[i])) await saveStopWords(words);
      if (threshold !== null && threshold !== storedThreshold?.cases) await saveWeeklyAbove(threshold);
      message.success(t('hot.saved'));
      onSaved();
      onClose();
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t('hot.stopWordsTitle')}
      onCancel={onClose}
      onOk={save}
      okText={t('hot.save')}
      cancelText={t('hot.cancel')}
      confirmLoading={saving}
      width={720}
      destroyOnHidden
      data-testid="hot-stop-words"
    >
      <Flex vertical gap={8}>
        <Typography.Text strong>{t('hot.stopWords')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('hot.stopWordsHelp')}
        </Typography.Paragraph>
        {loaded.error ? (
          <LoadError error={loaded.error} onRetry={loaded.reload} />
        ) : (
          <>
            <Select
              mode="tags"
              value={words}
              onChange={(next: string[]) => setWords(next)}
              loading={loaded.loading}
              style={{ width: '100%' }}
              open={false}
              tokenSeparators={[',', '，', ' ', '、']}
              aria-label={t('hot.stopWords')}
              data-testid="hot-stop-words-input"
            />
            <Space>
              <Typography.Text type="secondary">{t('hot.stopWordsCount', { count: words.length })}</Typography.Text>
              {stored?.defaults && <Tag>{t('hot.stopWordsDefaults')}</Tag>}
            </Space>
            <Divider style={{ margin: '8px 0' }} />
            <Typography.Text strong>{t('hot.weeklyAbove')}</Typography.Text>
            <Space wrap>
              <Typography.Text>{t('hot.weeklyAboveBefore')}</Typography.Text>
              <InputNumber
                min={0}
                max={10_000_000}
                step={500}
                precision={0}
                value={threshold}
                onChange={(v) => setThreshold(v)}
                disabled={loaded.loading}
                aria-label={t('hot.weeklyAbove')}
                data-testid="hot-weekly-above"
              />
              <Typography.Text>{t('hot.weeklyAboveAfter')}</Typography.Text>
              {storedThreshold?.defaults && <Tag>{t('hot.weeklyDefaults')}</Tag>}
            </Space>
          </>
        )}
      </Flex>
    </Modal>
  );
}

export type { Trend };
