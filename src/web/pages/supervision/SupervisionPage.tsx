import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Collapse, Empty, Flex, Segmented, Skeleton, Space, Tag, theme, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { listUnits } from '../../api/client.js';
import { getSupervision, type BulkResult, type SupervisedCase } from '../../api/supervision.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useLiveTick } from '../../notifications/NotificationsProvider.js';
import { LevelTag, useShortTime } from '../demands/labels.js';
import { TimelineDrawer } from '../demands/TimelineDrawer.js';
import { BulkModal, type BulkKind } from './BulkModals.js';
import { CaseTable } from './CaseTable.js';
import { SupervisionSummary } from './SupervisionSummary.js';
import { groupCases, type CaseGroup, type GroupBy } from './words.js';
import { usePoll } from '../../components/usePoll.js';

// 班长督办: the team lead's page of the open cases escalated or with a step past
// its limit, one row a case, grouped by the unit that holds it or by level.
// It follows the notifications that change the list, and reloads on a slow
// interval in case the live channel is down; the selection survives both.

/** What moves a case onto, within or off the list. */
const LIVE_KINDS = ['escalated', 'overdue', 'urged', 'over_level', 'reassigned', 'work_order', 'repeat', 'reopened', 'returned', 'handed_back', 'unreachable'];
const POLL_MS = 60_000;

function GroupLabel({ group }: { group: CaseGroup }) {
  const { t } = useI18n();
  if (group.unitName !== undefined) return <Typography.Text strong>{group.unitName}</Typography.Text>;
  return group.level === 0 ? <Typography.Text strong>{t('supervision.group.level0')}</Typography.Text> : <LevelTag level={group.level!} labelled />;
}

function GroupCounts({ group, by }: { group: CaseGroup; by: GroupBy }) {
  const { t } = useI18n();
  const overdue = group.items.filter((c) => c.overdueSteps.length > 0).length;
  const escalated = group.items.filter((c) => c.escalationLevel > 0).length;
  return (
    <Space size={4} onClick={(e) => e.stopPropagation()}>
      <Tag color="blue" data-testid="group-count" data-count={group.items.length}>
        {group.items.length === 1 ? t('supervision.group.count.one') : t('supervision.group.count', { count: group.items.length })}
      </Tag>
      {by === 'unit' && escalated > 0 && <Tag color="orange">{t('supervision.group.urgent', { count: escalated })}</Tag>}
      {overdue > 0 && <Tag color="red">{t('supervision.group.overdue', { count: overdue })}</Tag>}
    </Space>
  );
}

export default function SupervisionPage() {
  const { t } = useI18n();
  const { token } = theme.useToken();
  const shortTime = useShortTime();
  const [params, setParams] = useSearchParams();
  const by: GroupBy = params.get('group') === 'level' ? 'level' : 'unit';
  const tick = useLiveTick(LIVE_KINDS);
  const poll = usePoll(POLL_MS);
  const supervision = useLoad(getSupervision, `${tick}:${poll}`);
  const units = useLoad(listUnits);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  // The cases acted on are those selected when the dialog opened; they stay while it closes.
  const [bulk, setBulk] = useState<{ kind: BulkKind; cases: SupervisedCase[]; open: boolean } | null>(null);
  const [timelineOf, setTimelineOf] = useState<number | null>(null);

  const items = useMemo(() => supervision.data?.items ?? [], [supervision.data]);
  const groups = useMemo(() => groupCases(items, by), [items, by]);
  // A case that left the list (closed, or no longer late) leaves the selection; the others stay selected across reloads.
  useEffect(() => {
    if (!supervision.data) return;
    const present = new Set(supervision.data.items.map((c) => c.id));
    setSelected((prev) => ([...prev].every((id) => present.has(id)) ? prev : new Set([...prev].filter((id) => present.has(id)))));
  }, [supervision.data]);

  const chosen = items.filter((c) => selected.has(c.id));
  const select = (groupIds: number[], ids: number[]) =>
    setSelected((prev) => {
      const next = new Set(prev);
      groupIds.forEach((id) => next.delete(id));
      ids.forEach((id) => next.add(id));
      return next;
    });
  const done = (result: BulkResult) => {
    const finished = new Set(result.done.map((d) => d.id));
    setSelected((prev) => new Set([...prev].filter((id) => !finished.has(id))));
    supervision.reload();
  };

  if (supervision.error && !supervision.data) return <LoadError error={supervision.error} onRetry={supervision.reload} />;
  if (!supervision.data) return <Skeleton active paragraph={{ rows: 8 }} data-testid="supervision-loading" />;
  const { at, capped } = supervision.data;

  return (
    <Flex vertical gap={12} data-testid="supervision-page">
      <Typography.Text type="secondary">{t('supervision.intro')}</Typography.Text>
      {capped && <Alert type="warning" showIcon title={t('supervision.capped')} />}
      {items.length > 0 && <SupervisionSummary items={items} />}
      {/* The bulk actions stay in reach while the lead scrolls through the groups selecting cases. */}
      <Flex
        justify="space-between"
        align="center"
        wrap
        gap={8}
        style={{ position: 'sticky', top: 0, zIndex: 3, background: token.colorBgLayout, paddingBlock: 8 }}
        data-testid="supervision-toolbar"
      >
        <Space wrap style={{ visibility: items.length === 0 ? 'hidden' : undefined }}>
          <Segmented<GroupBy>
            value={by}
            onChange={(value) => setParams(value === 'level' ? { group: 'level' } : {})}
            options={[
              { value: 'unit', label: t('supervision.groupBy.unit') },
              { value: 'level', label: t('supervision.groupBy.level') },
            ]}
            data-testid="supervision-group-by"
          />
          <Button
            type="link"
            size="small"
            onClick={() => setCollapsed(collapsed.size > 0 ? new Set() : new Set(groups.map((g) => g.key)))}
            disabled={groups.length === 0}
          >
            {collapsed.size > 0 ? t('supervision.expandAll') : t('supervision.collapseAll')}
          </Button>
        </Space>
        <Space wrap>
          {items.length === 0 ? null : chosen.length > 0 ? (
            <>
              <Badge count={chosen.length} overflowCount={999} color="blue" />
              <Typography.Text data-testid="supervision-selected" data-count={chosen.length}>
                {t('supervision.selected', { count: chosen.length })}
              </Typography.Text>
              <Button type="link" size="small" onClick={() => setSelected(new Set())}>
                {t('supervision.clearSelection')}
              </Button>
            </>
          ) : (
            <Typography.Text type="secondary">{t('supervision.selectHint')}</Typography.Text>
          )}
          <Button
            type="primary"
            hidden={items.length === 0}
            disabled={chosen.length === 0}
            onClick={() => setBulk({ kind: 'urge', cases: chosen, open: true })}
            data-testid="supervision-urge"
          >
            {t('supervision.urge')}
          </Button>
          <Button
            hidden={items.length === 0}
            disabled={chosen.length === 0}
            onClick={() => setBulk({ kind: 'reassign', cases: chosen, open: true })}
            data-testid="supervision-reassign"
          >
            {t('supervision.reassign')}
          </Button>
          <Button icon={<ReloadOutlined />} loading={supervision.loading} onClick={supervision.reload} data-testid="supervision-refresh">
            {t('common.refresh')}
          </Button>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="supervision-at">
            {t('supervision.updatedAt', { time: shortTime(at) })}
          </Typography.Text>
        </Space>
      </Flex>
      <div data-testid="escalations-table">
        {groups.length === 0 ? (
          <Empty
            style={{ marginBlock: 48 }}
            description={
              <Space orientation="vertical" size={2}>
                <Typography.Text strong>{t('supervision.empty')}</Typography.Text>
                <Typography.Text type="secondary">{t('supervision.emptyHint')}</Typography.Text>
              </Space>
            }
            data-testid="supervision-empty"
          />
        ) : (
          <Collapse
            activeKey={groups.filter((g) => !collapsed.has(g.key)).map((g) => g.key)}
            onChange={(keys) => {
              const open = new Set(Array.isArray(keys) ? keys : [keys]);
              setCollapsed(new Set(groups.filter((g) => !open.has(g.key)).map((g) => g.key)));
            }}
            items={groups.map((group) => ({
              key: group.key,
              label: <GroupLabel group={group} />,
              extra: <GroupCounts group={group} by={by} />,
              styles: { body: { padding: 0 } },
              children: <CaseTable items={group.items} selected={selected} onSelect={select} onTimeline={setTimelineOf} />,
              ...({ 'data-testid': 'supervision-group', 'data-key': group.key } as object),
            }))}
          />
        )}
      </div>
      <BulkModal
        kind={bulk?.open ? bulk.kind : null}
        cases={bulk?.cases ?? []}
        units={units.data ?? []}
        onClose={() => setBulk((b) => b && { ...b, open: false })}
        onDone={done}
      />
      <TimelineDrawer demandId={timelineOf} onClose={() => setTimelineOf(null)} />
    </Flex>
  );
}
