import { NotificationOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Col, Flex, Row, Segmented, Select, Space, Statistic, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { OUTAGE_KINDS } from '../../../shared/schemas/outages.js';
import { getOutageRules, listOutages, type Outage, type OutageKind } from '../../api/outages.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useLiveTick } from '../../notifications/NotificationsProvider.js';
import { useCan } from '../../session/SessionProvider.js';
import { AnnounceModal } from './AnnounceModal.js';
import { useOutageLabels } from './labels.js';
import { OutageTable } from './OutageTable.js';
import { SuspectedPanel } from './SuspectedPanel.js';

// 停电: the suspected outages first (the team lead acts on them within
// minutes), the figures of the outages running now, then the list with its
// filters in the address (a link shows the same list), and 发布停电.

type View = 'active' | 'ended' | 'all';
const PAGE_SIZE = 20;
/** What changes the list: an outage announced or declared anywhere, a call linked to one. */
const LIVE_KINDS = ['outage', 'suspected_outage'];

/**
 * The running ones first (the soonest back first), then those to come (the
 * soonest first): the order they are dealt with in. The server pages by start;
 * the outages announced or running at once rarely fill a page.
 */
function activeOrder(a: Outage, b: Outage): number {
  const rank = (o: Outage) => (o.status === 'in_progress' ? 0 : 1);
  return rank(a) - rank(b) || (a.status === 'in_progress' ? a.expectedEndAt.localeCompare(b.expectedEndAt) : a.startsAt.localeCompare(b.startsAt));
}

/** Now: how many outages run and are announced, the customers they cut, the calls they drew. */
function NowFigures({ tick }: { tick: string }) {
  const { t } = useI18n();
  const active = useLoad(() => listOutages({ active: 'true', pageSize: 200 }), tick);
  const items = active.data?.items ?? [];
  const running = items.filter((o) => o.status === 'in_progress');
  const figures = [
    { key: 'running', title: t('outages.fig.running'), value: running.length, danger: running.length > 0 },
    { key: 'upcoming', title: t('outages.fig.upcoming'), value: items.length - running.length },
    { key: 'customers', title: t('outages.fig.customers'), value: running.reduce((n, o) => n + o.affectedCustomers, 0) },
    { key: 'calls', title: t('outages.fig.calls'), value: running.reduce((n, o) => n + o.openCalls, 0) },
  ];
  return (
    <Row gutter={[12, 12]} data-testid="outages-figures">
      {figures.map((f) => (
        <Col xs={12} lg={6} key={f.key}>
          <Card size="small" loading={!active.data && !active.error}>
            <Statistic
              title={f.title}
              value={active.error ? '—' : f.value}
              styles={{ content: { color: f.danger ? '#cf1322' : undefined } }}
              data-testid={`outages-fig-${f.key}`}
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

export default function OutagesPage() {
  const { t } = useI18n();
  const can = useCan();
  const labels = useOutageLabels();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const view: View = params.get('view') === 'ended' ? 'ended' : params.get('view') === 'all' ? 'all' : 'active';
  const kindParam = params.get('kind');
  const kind = OUTAGE_KINDS.includes(kindParam as OutageKind) ? (kindParam as OutageKind) : undefined;
  const late = params.get('late') === 'true';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [announcing, setAnnouncing] = useState(false);
  const [highlight, setHighlight] = useState<number>();
  const [changed, setChanged] = useState(0);
  const tick = `${useLiveTick(LIVE_KINDS)}:${changed}`;
  const list = useLoad(
    () =>
      listOutages({
        ...(view !== 'all' && { active: view === 'active' ? 'true' : 'false' }),
        ...(kind && { kind }),
        ...(late && { late: 'true' }),
        page,
        pageSize: PAGE_SIZE,
      }),
    `${view}|${kind ?? ''}|${late}|${page}|${tick}`,
  );
  const manage = can('outage.manage');
  const rules = useLoad(() => (manage ? getOutageRules() : Promise.resolve(undefined)), manage ? 'rules' : 'none');

  /** One filter changed: back to the first page. */
  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined) next.delete(key);
    else next.set(key, value);
    next.delete('page');
    setParams(next);
  };

  const filtered = view !== 'active' || kind !== undefined || late;
  const shown = view === 'active' && list.data ? { ...list.data, items: [...list.data.items].sort(activeOrder) } : list.data;
  return (
    <Flex vertical gap={16} data-testid="outages-page">
      <SuspectedPanel
        onDeclared={(outage) => {
          setHighlight(outage.id);
          setChanged((n) => n + 1);
          // The declared outage is running: it is on the first page of the running ones.
          if (view !== 'active' || page !== 1 || kind || late) setParams({});
        }}
      />
      <NowFigures tick={tick} />
      <Card
        size="small"
        title={t('outages.listTitle')}
        extra={
          manage && (
            <Button type="primary" icon={<NotificationOutlined />} onClick={() => setAnnouncing(true)} data-testid="announce-open">
              {t('announce.open')}
            </Button>
          )
        }
      >
        <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
          <Space wrap>
            <Segmented<View>
              value={view}
              onChange={(value) => setFilter('view', value === 'active' ? undefined : value)}
              options={[
                { value: 'active', label: t('outages.view.active') },
                { value: 'ended', label: t('outages.view.ended') },
                { value: 'all', label: t('outages.view.all') },
              ]}
              data-testid="outages-view"
            />
            <Select<OutageKind>
              allowClear
              value={kind}
              placeholder={t('outages.kindAll')}
              style={{ width: 150 }}
              onChange={(value) => setFilter('kind', value)}
              options={OUTAGE_KINDS.map((k) => ({ value: k, label: labels.kind(k) }))}
              data-testid="outages-kind"
            />
            <Checkbox checked={late} onChange={(e) => setFilter('late', e.target.checked ? 'true' : undefined)} data-testid="outages-late">
              {t('outages.lateOnly')}
            </Checkbox>
          </Space>
          <Space>
            {list.data && (
              <Typography.Text type="secondary" data-testid="outages-total">
                {t('outages.total', { count: list.data.total })}
              </Typography.Text>
            )}
            <Button icon={<ReloadOutlined />} loading={list.loading} onClick={list.reload} data-testid="outages-refresh">
              {t('common.refresh')}
            </Button>
          </Space>
        </Flex>
        {list.error && !list.data ? (
          <LoadError error={list.error} onRetry={list.reload} />
        ) : (
          <OutageTable
            list={shown}
            page={page}
            pageSize={PAGE_SIZE}
            loading={list.loading}
            highlightId={highlight}
            onPage={(p) => {
              const next = new URLSearchParams(params);
              next.set('page', String(p));
              setParams(next);
            }}
            empty={
              <Space orientation="vertical" size={2}>
                <Typography.Text strong>{filtered ? t('outages.emptyFiltered') : t('outages.empty')}</Typography.Text>
                {filtered ? (
                  <Link to="/outages">{t('outages.clearFilters')}</Link>
                ) : (
                  <Typography.Text type="secondary">{t('outages.emptyHint')}</Typography.Text>
                )}
              </Space>
            }
          />
        )}
      </Card>
      <AnnounceModal
        open={announcing}
        rules={rules.data}
        onClose={() => setAnnouncing(false)}
        onDone={(outage) => {
          setAnnouncing(false);
          navigate(`/outages/${outage.id}`);
        }}
      />
    </Flex>
  );
}
