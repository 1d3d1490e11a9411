import { Badge, Button, Flex, Select, Tabs } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { DEMAND_STATUSES } from './codes.js';
import { listDemands, type DemandQuery } from '../../api/demands.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useLiveTick } from '../../notifications/NotificationsProvider.js';
import { DemandTable } from './DemandTable.js';
import { useDemandLabels } from './labels.js';
import { TimelineDrawer } from './TimelineDrawer.js';

// The team lead's watch list: the list's own filters, one per tab, so that what
// the lead sees here is exactly what the list shows with the same flag.

const VIEWS = ['escalated', 'overdue', 'repeated'] as const;
type View = (typeof VIEWS)[number];
const PAGE_SIZE = 20;
/** What moves a demand onto (or within) the lead's watch list. */
const LIVE_KINDS = ['repeat', 'over_level', 'escalated', 'overdue', 'reopened', 'returned', 'unreachable'];

function Count({ view, status, tick }: { view: View; status: string | undefined; tick: number }) {
  const total = useLoad(() => listDemands({ [view]: 'true', status, pageSize: 1 } as DemandQuery), `${view}:${status}:${tick}`);
  return <Badge count={total.data?.total ?? 0} overflowCount={999} showZero color={view === 'repeated' ? 'volcano' : 'red'} style={{ marginInlineStart: 6 }} />;
}

export default function EscalationsPage() {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const [params, setParams] = useSearchParams();
  const view: View = VIEWS.find((v) => v === params.get('view')) ?? 'escalated';
  const status = DEMAND_STATUSES.find((s) => s === params.get('status'));
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [pageSize, setPageSize] = useState(PAGE_SIZE);
  const [timelineOf, setTimelineOf] = useState<number | null>(null);
  const tick = useLiveTick(LIVE_KINDS);
  const demands = useLoad(() => listDemands({ [view]: 'true', status, page, pageSize } as DemandQuery), `${view}:${status}:${page}:${pageSize}:${tick}`);

  const go = (next: { view?: View; status?: string | undefined; page?: number }) => {
    const search = new URLSearchParams();
    search.set('view', next.view ?? view);
    const nextStatus = 'status' in next ? next.status : status;
    if (nextStatus) search.set('status', nextStatus);
    if (next.page && next.page > 1) search.set('page', String(next.page));
    setParams(search);
  };

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Tabs
          activeKey={view}
          onChange={(key) => go({ view: key as View, page: 1 })}
          items={VIEWS.map((v) => ({
            key: v,
            label: (
              <span data-testid={`escalations-tab-${v}`}>
                {t(`escalations.${v}`)}
                <Count view={v} status={status} tick={tick} />
              </span>
            ),
          }))}
        />
        <Select
          allowClear
          placeholder={t('escalations.anyStatus')}
          value={status}
          onChange={(value) => go({ status: value, page: 1 })}
          options={DEMAND_STATUSES.map((s) => ({ value: s, label: labels.status(s) }))}
          style={{ width: 160 }}
          data-testid="escalations-status"
        />
      </Flex>
      {demands.error && !demands.data ? (
        <LoadError error={demands.error} onRetry={demands.reload} />
      ) : (
        <DemandTable
          testId="escalations-table"
          list={demands.data}
          page={page}
          pageSize={pageSize}
          loading={demands.loading}
          onPage={(nextPage, nextSize) => {
            setPageSize(nextSize);
            go({ page: nextSize !== pageSize ? 1 : nextPage });
          }}
          action={{
            title: t('demand.timeline'),
            render: (d) => (
              <Button size="small" onClick={() => setTimelineOf(d.id)} data-testid="timeline-open">
                {t('escalations.openTimeline')}
              </Button>
            ),
          }}
        />
      )}
      <TimelineDrawer demandId={timelineOf} onClose={() => setTimelineOf(null)} />
    </>
  );
}
