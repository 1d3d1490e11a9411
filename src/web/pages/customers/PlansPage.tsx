import { BulbOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Flex, Form, Input, List, Modal, Progress, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { localDate } from '../../../shared/time.js';
import { PLAN_KINDS, PLAN_STATUSES } from '../../../shared/schemas/relations.js';
import { request } from '../../api/client.js';
import { dismissPlan, listPlanActions, listPlans, type PlanAction, type PlanKind, type PlanStatus, type ServicePlan } from '../../api/relations.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useCan, useMe } from '../../session/SessionProvider.js';
import { PlanCreateModal } from './PlanCreateModal.js';
import { DueLeft, ProgressModal } from './PlanParts.js';

// 差异化服务计划: the caller's own actions first (overdue and due soon on top,
// with the time left), then the plans: the proposed dynamic ones highlighted
// with their reason and a dismiss button, the standing ones by group, each
// with its actions and their progress. ?customerId= filters by customer;
// ?new=1&customerId= opens the create dialog for that customer.

function ActionLine({ action, canProgress, onProgress }: { action: PlanAction; canProgress: boolean; onProgress: () => void }) {
  const { t } = useI18n();
  return (
    <Flex justify="space-between" align="center" gap={8} wrap data-testid="plan-action" data-status={action.status}>
      <Space size={6} wrap style={{ minWidth: 0 }}>
        <DueLeft action={action} />
        <Typography.Text delete={action.status === 'done'}>{action.text}</Typography.Text>
        <Typography.Text type="secondary">
          {t('relationAction.owner', { name: action.ownerName })} · {action.dueOn}
        </Typography.Text>
        {action.note && (
          <Typography.Text type="secondary" ellipsis={{ tooltip: <span style={{ whiteSpace: 'pre-wrap' }}>{action.note}</span> }} style={{ maxWidth: 320 }}>
            “{action.note.split('\n').at(-1)}”
          </Typography.Text>
        )}
      </Space>
      {canProgress && action.status === 'open' && (
        <Button size="small" onClick={onProgress} data-testid="plan-action-progress">
          {t('relationAction.progress')}
        </Button>
      )}
    </Flex>
  );
}

function PlanCard({
  plan,
  myId,
  manage,
  onProgress,
  onDismiss,
}: {
  plan: ServicePlan;
  myId: number;
  manage: boolean;
  onProgress: (a: PlanAction) => void;
  onDismiss: () => void;
}) {
  const { t, timeZone } = useI18n();
  const proposed = plan.kind === 'dynamic' && plan.status === 'open' && plan.ruleKey !== null;
  const done = plan.actions.filter((a) => a.status === 'done').length;
  const statusColor: Record<PlanStatus, string> = { open: 'processing', done: 'success', dismissed: 'default' };
  return (
    <Card
      size="small"
      data-testid="plan-card"
      data-kind={plan.kind}
      data-status={plan.status}
      style={proposed ? { borderColor: '#faad14', background: '#fffbe6' } : undefined}
      title={
        <Space size={6} wrap>
          {proposed && (
            <Tag icon={<BulbOutlined />} color="gold">
              {t('plans.proposed')}
            </Tag>
          )}
          <Tag color={plan.kind === 'dynamic' ? 'volcano' : 'blue'}>{t(`plan.kind.${plan.kind}`)}</Tag>
          <span>{plan.title}</span>
          {plan.customer ? (
            <Link to={`/customers/${plan.customer.id}`}>
              {plan.customer.name}（{plan.customer.accountNo}）
            </Link>
          ) : (
            plan.segment && <Tag color="purple">{t(`plan.segment.${plan.segment}`)}</Tag>
          )}
        </Space>
      }
      extra={
        <Space>
          <Tag color={statusColor[plan.status]}>{t(`plan.status.${plan.status}`)}</Tag>
          {proposed && manage && (
            <Button size="small" onClick={onDismiss} data-testid="plan-dismiss">
              {t('plans.dismiss')}
            </Button>
          )}
        </Space>
      }
    >
      {plan.reason && (
        <Typography.Paragraph type={proposed ? 'warning' : 'secondary'} style={{ marginBottom: 8 }} data-testid="plan-reason">
          {t('plans.reason', { reason: plan.reason })}
        </Typography.Paragraph>
      )}
      {plan.dismissReason && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('plans.dismissed')}：{plan.dismissReason}
        </Typography.Paragraph>
      )}
      <Flex vertical gap={6}>
        {plan.actions.map((a) => (
          <ActionLine key={a.id} action={a} canProgress={plan.status === 'open' && (manage || a.ownerUserId === myId)} onProgress={() => onProgress(a)} />
        ))}
      </Flex>
      <Flex justify="space-between" align="center" style={{ marginTop: 8 }} gap={12}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {plan.createdByName
            ? t('plans.createdBy', { name: plan.createdByName, date: localDate(plan.createdAt, timeZone) })
            : t('plans.createdBySystem', { date: localDate(plan.createdAt, timeZone) })}
        </Typography.Text>
        <Space size={6}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('plans.actions', { done, total: plan.actions.length })}
          </Typography.Text>
          <Progress
            percent={plan.actions.length ? Math.round((done / plan.actions.length) * 100) : 0}
            size="small"
            style={{ width: 100, margin: 0 }}
            showInfo={false}
          />
        </Space>
      </Flex>
    </Card>
  );
}

function DismissModal({ plan, onClose, onDone }: { plan: ServicePlan | undefined; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  return (
    <Modal
      open={plan !== undefined}
      title={t('plans.dismiss.title')}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      okButtonProps={{ disabled: !reason.trim(), 'data-testid': 'plan-dismiss-ok' } as never}
      onCancel={onClose}
      afterOpenChange={(o) => o && setReason('')}
      onOk={async () => {
        setSaving(true);
        try {
          await dismissPlan(plan!.id, reason.trim());
          onDone();
        } catch (err) {
          message.error(err instanceof Error ? err.message : t('common.failed'));
        } finally {
          setSaving(false);
        }
      }}
    >
      <Typography.Paragraph>{plan?.title}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('plans.dismiss.reason')} required>
          <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="plan-dismiss-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function PlansPage() {
  const { t } = useI18n();
  const can = useCan();
  const manage = can('plan.manage');
  const [params, setParams] = useSearchParams();
  const customerId = params.get('customerId') ? Number(params.get('customerId')) : undefined;
  const creating = params.get('new') === '1' && manage;
  const [status, setStatus] = useState<PlanStatus | undefined>('open');
  const [kind, setKind] = useState<PlanKind | undefined>();
  const [progressing, setProgressing] = useState<PlanAction>();
  const [dismissing, setDismissing] = useState<ServicePlan>();
  const [tick, setTick] = useState(0);
  const reload = () => setTick((n) => n + 1);

  const myId = useMe().user.id;
  const mine = useLoad(() => listPlanActions({ mine: 'true', status: 'open', limit: 100 }), `mine-${tick}`);
  const plans = useLoad(
    () => listPlans({ ...(customerId !== undefined && { customerId }), ...(status && { status }), ...(kind && { kind }), pageSize: 100 }),
    `plans-${customerId}-${status}-${kind}-${tick}`,
  );
  // The customer filtered by (or the plan is made for), by name and 户号.
  const customer = useLoad(
    () =>
      customerId === undefined
        ? Promise.resolve(undefined)
        : request<{ id: number; name: string; accountNo: string }>('GET', `/customers/${customerId}`).catch(() => undefined),
    `customer-${customerId}`,
  );
  const customerName = customer.data ?? plans.data?.items.find((p) => p.customer?.id === customerId)?.customer;

  const closeCreate = () => {
    const next = new URLSearchParams(params);
    next.delete('new');
    setParams(next, { replace: true });
  };

  return (
    <Flex vertical gap={16} data-testid="plans-page">
      <Card
        title={t('plans.mine')}
        size="small"
        data-testid="my-actions"
        extra={
          manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setParams({ ...Object.fromEntries(params), new: '1' })} data-testid="plan-new">
              {t('plans.new')}
            </Button>
          )
        }
      >
        {mine.error ? (
          <LoadError error={mine.error} onRetry={mine.reload} />
        ) : mine.loading && !mine.data ? (
          <Skeleton active paragraph={{ rows: 2 }} />
        ) : !mine.data?.items.length ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('plans.mine.empty')} />
        ) : (
          <List
            size="small"
            dataSource={mine.data.items}
            renderItem={(a) => (
              <List.Item
                data-testid="my-action"
                actions={[
                  <Button key="p" size="small" onClick={() => setProgressing(a)}>
                    {t('relationAction.progress')}
                  </Button>,
                ]}
              >
                <Space size={6} wrap>
                  <DueLeft action={a} />
                  <Typography.Text strong>{a.text}</Typography.Text>
                  <Typography.Text type="secondary">
                    {a.customer ? `${a.customer.name}（${a.customer.accountNo}）· ` : ''}
                    {a.parentTitle} · {a.dueOn}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>

      <Card
        title={t('plans.all')}
        size="small"
        extra={
          <Space wrap>
            {customerId !== undefined && (
              <Tag closable onClose={() => setParams({})} color="blue" data-testid="plans-customer-filter">
                {customerName ? `${customerName.name}（${customerName.accountNo}）` : t('plans.filter.customer')}
              </Tag>
            )}
            <Select
              allowClear
              placeholder={t('plans.filter.kind')}
              value={kind}
              onChange={setKind}
              style={{ width: 120 }}
              options={PLAN_KINDS.map((k) => ({ value: k, label: t(`plan.kind.${k}`) }))}
            />
            <Select
              allowClear
              placeholder={t('plans.filter.status')}
              value={status}
              onChange={setStatus}
              style={{ width: 120 }}
              data-testid="plans-status"
              options={PLAN_STATUSES.map((s) => ({ value: s, label: t(`plan.status.${s}`) }))}
            />
          </Space>
        }
      >
        {plans.error ? (
          <LoadError error={plans.error} onRetry={plans.reload} />
        ) : plans.loading && !plans.data ? (
          <Skeleton active />
        ) : !plans.data?.items.length ? (
          <Empty description={t('plans.empty')} />
        ) : (
          <Flex vertical gap={12} data-testid="plans-list">
            {plans.data.items.map((p) => (
              <PlanCard key={p.id} plan={p} myId={myId} manage={manage} onProgress={setProgressing} onDismiss={() => setDismissing(p)} />
            ))}
          </Flex>
        )}
      </Card>

      <PlanCreateModal
        // For a customer: once its name and 户号 are known, so that the form shows them.
        open={creating && (customerId === undefined || !customer.loading)}
        customer={customer.data}
        onClose={closeCreate}
        onDone={() => {
          closeCreate();
          reload();
        }}
      />
      <ProgressModal
        action={progressing}
        onClose={() => setProgressing(undefined)}
        onDone={() => {
          setProgressing(undefined);
          reload();
        }}
      />
      <DismissModal
        plan={dismissing}
        onClose={() => setDismissing(undefined)}
        onDone={() => {
          setDismissing(undefined);
          reload();
        }}
      />
    </Flex>
  );
}
