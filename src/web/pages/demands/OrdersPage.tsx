import { ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { listUnits } from '../../api/client.js';
import { acceptOrder, arriveOrder } from '../../api/demands.js';
import { useReportError } from '../../components/errors.js';
import { LoadError } from '../../components/StatusPages.js';
import { subtreeIds } from '../../components/unitTree.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useMe } from '../../session/SessionProvider.js';
import { ConflictBanner, useConflictGuard } from './conflict.js';
import { HandleModal, type OrderTarget } from './HandleModal.js';
import { DueTime, TaskStatusTag, useDemandLabels } from './labels.js';
import { loadOrders, QUEUE_LIMIT, type Order } from './orders.js';
import { ReturnModal } from './ReturnModal.js';

/** The unit handler's queue: the unit's open work orders, the nearest deadline first, each with its next step. */
export default function OrdersPage() {
  const { t, formatTime } = useI18n();
  const labels = useDemandLabels();
  const { message } = App.useApp();
  const report = useReportError();
  const me = useMe();
  const units = useLoad(listUnits);
  // A unit handles its own orders and those of the units below it, as the server allows.
  const unitIds = useMemo(() => (units.data ? subtreeIds(units.data, me.user.unitId) : null), [units.data, me.user.unitId]);
  const queue = useLoad(() => (unitIds ? loadOrders(unitIds) : new Promise<never>(() => {})), unitIds ? [...unitIds].join(',') : 'waiting');
  const { conflict, guard, clear } = useConflictGuard();
  const [busy, setBusy] = useState<number | null>(null);
  const [handling, setHandling] = useState<OrderTarget | null>(null);
  const [returning, setReturning] = useState<OrderTarget | null>(null);

  const reload = () => {
    clear();
    queue.reload();
  };
  const done = (ok: boolean, text: string) => {
    setHandling(null);
    setReturning(null);
    if (!ok) return;
    void message.success(text);
    queue.reload();
  };
  const step = async (order: Order, action: typeof acceptOrder, text: string) => {
    setBusy(order.task.id);
    try {
      done(await guard(() => action(order.task)), text);
    } catch (err) {
      report(err);
    } finally {
      setBusy(null);
    }
  };
  const target = (order: Order): OrderTarget => ({ task: order.task, number: order.demand.number, repair: order.demand.type === 'fault_repair' });

  const columns: TableColumnsType<Order> = [
    { title: t('demand.nextDue'), key: 'due', render: (_, o) => <DueTime deadline={o.due} /> },
    {
      title: t('demand.number'),
      key: 'number',
      render: (_, o) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/demands/${o.demand.id}`}>{o.demand.number}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {labels.type(o.demand.type)} · {labels.category(o.demand.category)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('demand.customer'),
      key: 'customer',
      render: (_, o) => (
        <Space orientation="vertical" size={0}>
          <span>{o.demand.customer.name ?? t('common.none')}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {o.demand.customer.phone}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('task.instructions'),
      key: 'instructions',
      render: (_, o) => (
        <Typography.Paragraph style={{ maxWidth: 320, marginBottom: 0 }} ellipsis={{ rows: 2, tooltip: o.demand.content }}>
          {o.task.instructions ?? o.demand.content}
        </Typography.Paragraph>
      ),
    },
    { title: t('orders.unit'), key: 'unit', render: (_, o) => o.task.unitName },
    { title: t('common.status'), key: 'status', render: (_, o) => <TaskStatusTag status={o.task.status} /> },
    { title: t('task.createdAt'), key: 'created', render: (_, o) => formatTime(o.task.createdAt) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, o) => {
        const repair = o.demand.type === 'fault_repair';
        const s = o.task.status;
        const loading = busy === o.task.id;
        return (
          <Space size={4} wrap>
            {s === 'dispatched' && (
              <Button size="small" type="primary" loading={loading} onClick={() => void step(o, acceptOrder, t('orders.accepted'))} data-testid="order-accept">
                {t('orders.accept')}
              </Button>
            )}
            {s === 'accepted' && repair && (
              <Button size="small" type="primary" loading={loading} onClick={() => void step(o, arriveOrder, t('orders.arrived'))} data-testid="order-arrive">
                {t('orders.arrive')}
              </Button>
            )}
            {(s === 'arrived' || (s === 'accepted' && !repair)) && (
              <Button size="small" type="primary" onClick={() => setHandling(target(o))} data-testid="order-handle">
                {t('orders.handle')}
              </Button>
            )}
            {(s === 'dispatched' || s === 'accepted') && (
              <Button size="small" danger onClick={() => setReturning(target(o))} data-testid="order-return">
                {t('orders.return')}
              </Button>
            )}
          </Space>
        );
      },
    },
  ];

  const error = units.error ?? queue.error;
  if (error && !queue.data) return <LoadError error={error} onRetry={() => (units.error ? units.reload() : queue.reload())} />;
  return (
    <Flex vertical gap={12}>
      <ConflictBanner message={conflict} onReload={reload} />
      <Flex justify="space-between" align="center">
        <Typography.Text type="secondary">{t('orders.hint')}</Typography.Text>
        <Button icon={<ReloadOutlined />} onClick={reload} loading={queue.loading} data-testid="orders-refresh">
          {t('common.refresh')}
        </Button>
      </Flex>
      {queue.data && queue.data.total > QUEUE_LIMIT && <Alert type="warning" showIcon title={t('orders.truncated', { limit: QUEUE_LIMIT, total: queue.data.total })} />}
      <Table<Order>
        rowKey={(o) => o.task.id}
        size="middle"
        columns={columns}
        dataSource={queue.data?.orders ?? []}
        loading={queue.loading}
        scroll={{ x: 'max-content' }}
        pagination={false}
        locale={{ emptyText: t('orders.none') }}
        onRow={(o) => ({ 'data-testid': 'order-row', 'data-order-id': o.task.id, 'data-number': o.demand.number, 'data-status': o.task.status }) as HTMLAttributes<HTMLElement>}
        data-testid="orders-table"
      />
      <HandleModal target={handling} onClose={() => setHandling(null)} onDone={done} guard={guard} />
      <ReturnModal target={returning} onClose={() => setReturning(null)} onDone={done} guard={guard} />
    </Flex>
  );
}
