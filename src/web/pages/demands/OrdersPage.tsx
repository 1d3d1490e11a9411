import { ReloadOutlined } from '@ant-design/icons';
import { nextOrderActions } from '../../../shared/work-orders.js';
import { Alert, App, Button, Empty, Flex, Segmented, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState, type CSSProperties, type HTMLAttributes } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { listUnits } from '../../api/client.js';
import { acceptOrder, listWorkOrders, type WorkOrder, type WorkOrderView } from '../../api/demands.js';
import { useReportError } from '../../components/errors.js';
import { LoadError } from '../../components/StatusPages.js';
import { subtreeIds } from '../../components/unitTree.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useLiveTick } from '../../notifications/NotificationsProvider.js';
import { useMe } from '../../session/SessionProvider.js';
import { ArriveModal } from './ArriveModal.js';
import { ConflictBanner, useConflictGuard } from './conflict.js';
import { HandleModal, type OrderTarget } from './HandleModal.js';
import { DueTime, LevelTag, PriorityTag, TaskStatusTag, useDemandLabels } from './labels.js';
import { ReturnModal } from './ReturnModal.js';
import { UrgeTag } from './TaskList.js';

const CLAMP_TWO_LINES: CSSProperties = { maxWidth: 320, display: '-webkit-box', WebkitLineClamp: 2, WebkitBoxOrient: 'vertical', overflow: 'hidden' };

const VIEWS = ['open', 'handled', 'returned', 'closed', 'all'] as const satisfies readonly WorkOrderView[];
/** The most orders the page loads; the server sorts them by deadline. */
const LIMIT = 200;
/** What a unit's queue changes on: a new order, a deadline warning or passing, an over-level case, the customer calling again, a reassignment. */
const LIVE_KINDS = ['work_order', 'over_level', 'overdue', 'warning', 'urged', 'reassigned', 'escalated'];

const dueOf = (o: WorkOrder) => (o.nextDueAt === null ? undefined : { dueAt: o.nextDueAt, step: o.nextStep, overdue: o.overdue });

/** The unit handler's queue: the unit's work orders, the nearest live deadline first, each with its next step. */
export default function OrdersPage() {
  const { t, formatTime } = useI18n();
  const labels = useDemandLabels();
  const { message } = App.useApp();
  const report = useReportError();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const view: WorkOrderView = VIEWS.find((v) => v === params.get('view')) ?? 'open';
  const unitId = Number(params.get('unit')) || undefined;
  const units = useLoad(listUnits);
  // The units below the handler's own, for a county or a department that follows its stations' orders.
  const ownUnits = useMemo(() => {
    const ids = units.data ? subtreeIds(units.data, me.user.unitId) : new Set<number>();
    return (units.data ?? []).filter((u) => ids.has(u.id));
  }, [units.data, me.user.unitId]);
  const tick = useLiveTick(LIVE_KINDS);
  const queue = useLoad(() => listWorkOrders({ status: view, unitId, limit: LIMIT }), `${view}:${unitId ?? ''}:${tick}`);
  const { conflict, guard, clear } = useConflictGuard();
  const [busy, setBusy] = useState<number | null>(null);
  const [handling, setHandling] = useState<OrderTarget | null>(null);
  const [arriving, setArriving] = useState<OrderTarget | null>(null);
  const [returning, setReturning] = useState<OrderTarget | null>(null);

  const go = (next: { view?: WorkOrderView; unit?: number | undefined }) => {
    const search = new URLSearchParams();
    const nextView = next.view ?? view;
    const nextUnit = 'unit' in next ? next.unit : unitId;
    if (nextView !== 'open') search.set('view', nextView);
    if (nextUnit) search.set('unit', String(nextUnit));
    setParams(search);
  };
  const reload = () => {
    clear();
    queue.reload();
  };
  const done = (ok: boolean, text: string) => {
    setHandling(null);
    setArriving(null);
    setReturning(null);
    if (!ok) return;
    void message.success(text);
    queue.reload();
  };
  const step = async (order: WorkOrder, action: typeof acceptOrder, text: string) => {
    setBusy(order.id);
    try {
      done(await guard(() => action(order)), text);
    } catch (err) {
      report(err);
    } finally {
      setBusy(null);
    }
  };
  const target = (o: WorkOrder): OrderTarget => ({ task: o, number: o.demand.number, repair: o.demand.type === 'fault_repair' });

  const columns: TableColumnsType<WorkOrder> = [
    { title: t('demand.nextDue'), key: 'due', render: (_, o) => <DueTime deadline={dueOf(o)} /> },
    {
      title: t('demand.number'),
      key: 'number',
      render: (_, o) => (
        <Space orientation="vertical" size={2}>
          <Link to={`/demands/${o.demandId}`}>{o.demand.number}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {labels.type(o.demand.type)} · {labels.category(o.demand.category)}
          </Typography.Text>
          {(o.demand.priority !== 'normal' || o.demand.escalationLevel > 0 || o.demand.callCount > 1 || o.urgeCount > 0) && (
            <Space size={4} wrap style={{ maxWidth: 260 }}>
              {o.demand.priority !== 'normal' && <PriorityTag priority={o.demand.priority} />}
              {o.demand.escalationLevel > 0 && <LevelTag level={o.demand.escalationLevel} />}
              {/* 客户第 n 次来电: the unit sees how often the customer called about the order it holds. */}
              {o.demand.callCount > 1 && (
                <Tag color="volcano" data-testid="order-call-count" style={{ marginInlineEnd: 0 }}>
                  {t('demand.callTimes', { count: o.demand.callCount })}
                </Tag>
              )}
              <UrgeTag count={o.urgeCount} at={o.urgedAt} />
            </Space>
          )}
        </Space>
      ),
    },
    {
      title: t('demand.customer'),
      key: 'customer',
      render: (_, o) => (
        <Space orientation="vertical" size={0}>
          <span>{o.demand.customerName ?? t('common.none')}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {o.demand.phone}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('task.instructions'),
      key: 'instructions',
      render: (_, o) => (
        <>
          {/* Clamped by CSS, not by antd's ellipsis, which measures every row's text as it draws it. */}
          <div style={CLAMP_TWO_LINES} title={o.demand.content}>
            {o.instructions ?? o.demand.content}
          </div>
          {o.returnReason && (
            <Typography.Text type="danger" style={{ fontSize: 12 }}>
              {t('common.pair', { label: t('task.returnReason'), value: o.returnReason })}
            </Typography.Text>
          )}
        </>
      ),
    },
    { title: t('orders.unit'), key: 'unit', render: (_, o) => o.unitName },
    { title: t('common.status'), key: 'status', render: (_, o) => <TaskStatusTag status={o.status} /> },
    { title: t('task.createdAt'), key: 'created', render: (_, o) => formatTime(o.createdAt) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, o) => {
        // The steps this order may take next, by the rule the server applies (src/shared/work-orders.ts).
        const next = new Set(nextOrderActions(o.status, o.demand.type));
        const loading = busy === o.id;
        return (
          <Space size={4} wrap>
            {next.has('accept') && (
              <Button size="small" type="primary" loading={loading} onClick={() => void step(o, acceptOrder, t('orders.accepted'))} data-testid="order-accept">
                {t('orders.accept')}
              </Button>
            )}
            {next.has('arrive') && (
              <Button size="small" type="primary" onClick={() => setArriving(target(o))} data-testid="order-arrive">
                {t('orders.arrive')}
              </Button>
            )}
            {next.has('handle') && (
              <Button size="small" type="primary" onClick={() => setHandling(target(o))} data-testid="order-handle">
                {t('orders.handle')}
              </Button>
            )}
            {next.has('return') && (
              <Button size="small" danger onClick={() => setReturning(target(o))} data-testid="order-return">
                {t('orders.return')}
              </Button>
            )}
          </Space>
        );
      },
    },
  ];

  if (queue.error && !queue.data) return <LoadError error={queue.error} onRetry={queue.reload} />;
  return (
    <Flex vertical gap={12}>
      <ConflictBanner message={conflict} onReload={reload} />
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space wrap>
          <Segmented<WorkOrderView>
            value={view}
            onChange={(next) => go({ view: next })}
            options={VIEWS.map((v) => ({ value: v, label: <span data-testid={`orders-view-${v}`}>{t(`orders.view.${v}`)}</span> }))}
          />
          {ownUnits.length > 1 && (
            <UnitTreeSelect
              units={ownUnits}
              value={unitId ?? null}
              onChange={(next) => go({ unit: next ?? undefined })}
              allowClear
              placeholder={t('orders.allUnits')}
              data-testid="orders-unit"
            />
          )}
          <Typography.Text type="secondary">{t('orders.hint')}</Typography.Text>
        </Space>
        <Button icon={<ReloadOutlined />} onClick={reload} loading={queue.loading} data-testid="orders-refresh">
          {t('common.refresh')}
        </Button>
      </Flex>
      {queue.data && queue.data.items.length >= LIMIT && <Alert type="warning" showIcon title={t('orders.limited', { limit: LIMIT })} />}
      <Table<WorkOrder>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={queue.data?.items ?? []}
        loading={queue.loading}
        scroll={{ x: 'max-content' }}
        // Paged in the browser, nearest deadline first: drawing a busy department's 200 orders at once held it 2.5 s.
        pagination={{
          defaultPageSize: 20,
          pageSizeOptions: [20, 50, 100],
          showSizeChanger: true,
          hideOnSinglePage: true,
          showTotal: (count) => t('demands.total', { count }),
        }}
        locale={{
          emptyText:
            queue.loading && !queue.data ? (
              ' '
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(view === 'open' ? 'orders.none' : 'orders.noneInView')} />
            ),
        }}
        rowClassName={(o) => (o.overdue && view === 'open' ? 'suqiu-row-overdue' : '')}
        onRow={(o) =>
          ({
            'data-testid': 'order-row',
            'data-order-id': o.id,
            'data-number': o.demand.number,
            'data-status': o.status,
            'data-overdue': o.overdue,
          }) as HTMLAttributes<HTMLElement>
        }
        data-testid="orders-table"
      />
      <ArriveModal target={arriving} onClose={() => setArriving(null)} onDone={done} guard={guard} />
      <HandleModal target={handling} onClose={() => setHandling(null)} onDone={done} guard={guard} />
      <ReturnModal target={returning} onClose={() => setReturning(null)} onDone={done} guard={guard} />
    </Flex>
  );
}
