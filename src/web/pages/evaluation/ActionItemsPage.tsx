import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Flex, Segmented, Space } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { listUnits } from '../../api/client.js';
import { listActionItems, type ActionItem, type ActionItemsFilter } from '../../api/evaluation.js';
import { LoadError } from '../../components/StatusPages.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { ActionItemsTable } from './ActionItemsTable.js';
import { useLoopRights, useMyUnits } from './labels.js';
import { ProgressModal } from './ProgressModal.js';

const VIEWS = ['open', 'late', 'done', 'all'] as const;
type View = (typeof VIEWS)[number];

const QUERY: Record<View, ActionItemsFilter> = { open: { status: 'open' }, late: { status: 'open', late: 'true' }, done: { status: 'done' }, all: {} };

/** 整改事项: the meetings' decisions tracked to done; a unit's handlers see and report on their unit's. */
export default function ActionItemsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const rights = useLoopRights();
  const [params, setParams] = useSearchParams();
  const view: View = VIEWS.find((v) => v === params.get('view')) ?? 'open';
  const unitParam = Number(params.get('unit'));
  const ownerUnitId = Number.isInteger(unitParam) && unitParam > 0 ? unitParam : undefined;
  const units = useLoad(listUnits);
  const mine = useMyUnits(units.data);
  const items = useLoad(() => listActionItems({ ...QUERY[view], ...(ownerUnitId && { ownerUnitId }) }), `${view}:${ownerUnitId ?? ''}`);
  const [reporting, setReporting] = useState<ActionItem | null>(null);
  const go = (next: { view?: View; unit?: number | null }) => {
    const search = new URLSearchParams();
    const v = next.view ?? view;
    if (v !== 'open') search.set('view', v);
    const unit = next.unit === undefined ? ownerUnitId : next.unit;
    if (unit) search.set('unit', String(unit));
    setParams(search);
  };
  const empty = t(`loop.action.empty.${view}`);
  return (
    <Flex vertical gap={12} data-testid="actions-page">
      <Flex justify="space-between" wrap gap={8}>
        <Space wrap>
          <Segmented<View>
            value={view}
            onChange={(v) => go({ view: v })}
            options={VIEWS.map((v) => ({ value: v, label: <span data-testid={`action-view-${v}`}>{t(`loop.action.view.${v}`)}</span> }))}
          />
          <UnitTreeSelect
            units={units.data ?? []}
            value={ownerUnitId ?? null}
            onChange={(unit) => go({ unit })}
            allowClear
            // The centre filters by any unit; a unit's handlers within their own.
            selectable={(u) => u.active && (rights.cityWide || mine.has(u.id))}
            placeholder={t('loop.action.filterUnit')}
            style={{ width: 260 }}
            data-testid="action-filter-unit"
          />
        </Space>
        <Button icon={<ReloadOutlined />} onClick={items.reload} loading={items.loading}>
          {t('common.refresh')}
        </Button>
      </Flex>
      {items.error && !items.data ? (
        <LoadError error={items.error} onRetry={items.reload} />
      ) : (
        <ActionItemsTable
          items={items.data}
          loading={items.loading}
          showMeeting
          empty={empty}
          onProgress={rights.progress ? setReporting : undefined}
          canProgress={(i) => rights.progress && (rights.cityWide || mine.has(i.ownerUnitId))}
          testId="action-items"
        />
      )}
      <ProgressModal
        item={reporting}
        onClose={() => setReporting(null)}
        onDone={() => {
          setReporting(null);
          void message.success(t('loop.action.reported'));
          items.reload();
        }}
      />
    </Flex>
  );
}
