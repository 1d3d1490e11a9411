import { ArrowLeftOutlined, CheckOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Row,
  Space,
  Spin,
  Steps,
  Tag,
  Timeline,
  Typography,
  type ButtonProps,
  type DescriptionsProps,
} from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  cancelApplication,
  completeStage,
  getApplication,
  type ApplicationDetail,
  type ApplicationEvent,
  type ApplicationStage,
  type ApplicationStageRow,
} from '../../api/applications.js';
import { FormModal } from '../../components/FormModal.js';
import { LoadError, NotFound } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useLiveTick } from '../../notifications/NotificationsProvider.js';
import { useCan } from '../../session/SessionProvider.js';
import { Countdown } from '../demands/countdown.js';
import { useShortTime } from '../demands/labels.js';
import { ApplicationStatusTag, StageTime, useApplicationLabels, useDueTime } from './ApplicationLabels.js';

// One application (绿色通道): its customer (a link to the record), what is
// applied for, its stages as steps with each one's owner, limit and due / time
// left / done; the stage under way completed with a note (Ctrl+Enter), the
// application cancelled with a reason, and its history.

const LIVE_KINDS = ['application_stage', 'application_due', 'application_late', 'application_escalated', 'application_done'];

function StageDescription({ stage, application }: { stage: ApplicationStageRow; application: ApplicationDetail }) {
  const { t } = useI18n();
  const shortTime = useShortTime();
  const dueTime = useDueTime();
  const running = application.status === 'open' && application.stage === stage.stage;
  return (
    <Flex vertical gap={2} style={{ fontSize: 12 }} data-testid="application-step" data-stage={stage.stage} data-running={running}>
      <span>{stage.ownerUnitName}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('application.limit', { days: stage.limitWd })}
      </Typography.Text>
      {stage.completedAt && stage.completedByName ? (
        <Typography.Text type={stage.late ? 'danger' : 'success'} style={{ fontSize: 12 }}>
          {t('application.doneBy', { name: stage.completedByName, time: shortTime(stage.completedAt) })}
          {stage.late ? ` · ${t('application.doneLate')}` : ''}
        </Typography.Text>
      ) : running && stage.dueAt ? (
        <>
          <span>{t('application.dueAt', { time: dueTime(stage.dueAt) })}</span>
          <Countdown dueAt={stage.dueAt} overdue={stage.late} warnAt={stage.remindAt ?? undefined} testId="application-step-time" />
        </>
      ) : (
        !stage.completedAt && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('application.waiting')}
          </Typography.Text>
        )
      )}
      {stage.escalationLevel > 0 && (
        <Tag color={stage.escalationLevel > 1 ? 'red' : 'orange'} style={{ marginInlineEnd: 0, width: 'fit-content' }} data-testid="application-step-escalated">
          {stage.escalationLevel > 1 ? t('application.level2', { unit: stage.ownerUnitName }) : t('application.level1')}
        </Tag>
      )}
      {stage.note && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: 0, maxWidth: 200 }} ellipsis={{ rows: 2, tooltip: stage.note }}>
          {stage.note}
        </Typography.Paragraph>
      )}
    </Flex>
  );
}

/** The stage under way and its supervision (督办): owner, limit, started, due, the 80 % reminder, the escalation level. */
function CurrentStage({ application }: { application: ApplicationDetail }) {
  const { t } = useI18n();
  const shortTime = useShortTime();
  const dueTime = useDueTime();
  const labels = useApplicationLabels();
  const stage = application.stages.find((s) => s.stage === application.stage);
  return (
    <Card size="small" title={t('application.currentTitle')} data-testid="application-current">
      {!stage || application.status !== 'open' ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={application.status === 'completed' ? t('applications.done') : t('applications.cancelled')} />
      ) : (
        <Descriptions
          size="small"
          column={1}
          items={[
            { key: 'stage', label: t('applications.col.stage'), children: labels.stage(stage.stage) },
            { key: 'owner', label: t('application.owner'), children: stage.ownerUnitName },
            { key: 'limit', label: t('application.limitLabel'), children: t('application.wd', { days: stage.limitWd }) },
            { key: 'started', label: t('application.startedAt'), children: shortTime(stage.startedAt) },
            {
              key: 'due',
              label: t('application.dueLabel'),
              children: (
                <Space size={6} wrap>
                  <span>{dueTime(stage.dueAt)}</span>
                  <StageTime application={application} />
                </Space>
              ),
            },
            {
              key: 'remind',
              label: t('application.remindAt'),
              children: `${shortTime(stage.remindAt)}${stage.remindedAt ? ` · ${t('application.reminded')}` : ''}`,
            },
            {
              key: 'level',
              label: t('application.supervision'),
              children:
                stage.escalationLevel === 0 ? (
                  t('application.level0')
                ) : (
                  <Tag color={stage.escalationLevel > 1 ? 'red' : 'orange'}>
                    {stage.escalationLevel > 1 ? t('application.level2', { unit: stage.ownerUnitName }) : t('application.level1')}
                  </Tag>
                ),
            },
          ]}
        />
      )}
    </Card>
  );
}

function Events({ events }: { events: ApplicationEvent[] }) {
  const { t } = useI18n();
  const shortTime = useShortTime();
  const labels = useApplicationLabels();
  if (events.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('application.eventsEmpty')} />;
  const words = (e: ApplicationEvent) => {
    const stage = e.stage ? labels.stage(e.stage) : '';
    if (e.kind === 'escalated') return t(e.note === '2' ? 'application.event.escalated2' : 'application.event.escalated1', { stage });
    const key = `application.event.${e.kind}`;
    return ['created', 'stage_started', 'stage_completed', 'reminded', 'completed', 'cancelled'].includes(e.kind)
      ? t(key as 'application.event.created', { stage })
      : e.kind;
  };
  const color = (kind: string) =>
    kind === 'escalated'
      ? 'red'
      : kind === 'reminded'
        ? 'orange'
        : kind === 'stage_completed' || kind === 'completed'
          ? 'green'
          : kind === 'cancelled'
            ? 'gray'
            : 'blue';
  return (
    <Timeline
      data-testid="application-events"
      items={[...events].reverse().map((e) => ({
        key: e.id,
        color: color(e.kind),
        children: (
          <Flex vertical gap={0} data-testid="application-event" data-kind={e.kind}>
            <span>{words(e)}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {shortTime(e.at)} · {e.actorName ?? t('application.system')}
            </Typography.Text>
            {e.note && e.kind !== 'escalated' && <Typography.Text style={{ fontSize: 12, whiteSpace: 'pre-wrap' }}>{e.note}</Typography.Text>}
          </Flex>
        ),
      }))}
    />
  );
}

/** The stage under way completed with a note; Ctrl+Enter (or ⌘+Enter) submits from the note. */
function CompleteModal({
  application,
  open,
  onClose,
  onDone,
}: {
  application: ApplicationDetail;
  open: boolean;
  onClose: () => void;
  onDone: (next: ApplicationDetail) => void;
}) {
  const { t } = useI18n();
  const labels = useApplicationLabels();
  const [form] = Form.useForm<{ note: string }>();
  const stage = application.stage as ApplicationStage;
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  return (
    <FormModal<{ note: string }>
      open={open}
      form={form}
      title={t('application.completeTitle', { stage: stage ? labels.stage(stage) : '' })}
      okText={t('application.complete')}
      okButtonProps={{ 'data-testid': 'application-complete-ok' } as ButtonProps}
      onCancel={onClose}
      destroyOnHidden
      testId="application-complete-form"
      onSubmit={async ({ note }) => onDone(await completeStage(application.id, stage, note.trim(), application.version))}
    >
      <Form.Item
        name="note"
        label={t('application.completeNote')}
        extra={t('application.completeHint')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }]}
      >
        <Input.TextArea
          autoFocus
          rows={3}
          maxLength={1000}
          data-testid="application-complete-note"
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              form.submit();
            }
          }}
        />
      </Form.Item>
    </FormModal>
  );
}

function CancelModal({
  application,
  open,
  onClose,
  onDone,
}: {
  application: ApplicationDetail;
  open: boolean;
  onClose: () => void;
  onDone: (next: ApplicationDetail) => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <FormModal<{ reason: string }>
      open={open}
      form={form}
      title={t('application.cancelTitle')}
      okText={t('application.cancel')}
      okButtonProps={{ danger: true }}
      onCancel={onClose}
      destroyOnHidden
      testId="application-cancel-form"
      onSubmit={async ({ reason }) => onDone(await cancelApplication(application.id, reason.trim(), application.version))}
    >
      <Form.Item name="reason" label={t('application.cancelReason')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input autoFocus maxLength={500} data-testid="application-cancel-reason" />
      </Form.Item>
    </FormModal>
  );
}

export default function ApplicationPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const can = useCan();
  const labels = useApplicationLabels();
  const shortTime = useShortTime();
  const id = Number(useParams().id);
  const tick = useLiveTick(LIVE_KINDS);
  const loaded = useLoad(() => getApplication(id), `${id}:${tick}`);
  const [shown, setShown] = useState<ApplicationDetail>();
  const [completing, setCompleting] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  // What the server answered to a change is shown at once; a later load replaces it.
  useEffect(() => setShown(loaded.data), [loaded.data]);

  if (!Number.isInteger(id) || id <= 0 || loaded.error?.status === 404) return <NotFound />;
  if (loaded.error && !loaded.data) return <LoadError error={loaded.error} onRetry={loaded.reload} />;
  const data = shown ?? loaded.data;
  if (!data || data.id !== id) return <Spin style={{ display: 'block', marginTop: 64 }} data-testid="application-loading" />;

  const manage = can('application.manage') && data.status === 'open';
  const current = data.stages.findIndex((s) => s.stage === data.stage);
  const items: DescriptionsProps['items'] = [
    {
      key: 'customer',
      label: t('application.customer'),
      children: (
        <Link to={`/customers/${data.customerId}`} data-testid="application-customer">
          {data.customerName}
        </Link>
      ),
    },
    { key: 'accountNo', label: t('application.accountNo'), children: data.accountNo },
    { key: 'unit', label: t('application.unit'), children: data.unitName },
    { key: 'kind', label: t('application.form.kind'), children: t(`application.kind.${data.kind}`) },
    { key: 'capacity', label: t('application.capacity'), children: t('applications.kva', { value: data.capacityKva.toLocaleString() }) },
    { key: 'voltage', label: t('application.voltage'), children: `${data.voltage} · ${t(`application.supply.${data.supply}`)}` },
    { key: 'track', label: t('application.track'), children: labels.track(data.track) },
    { key: 'total', label: t('application.total'), children: t('application.wd', { days: data.totalLimitWd }) },
    { key: 'manager', label: t('application.manager'), children: data.accountManagerName ?? t('application.noManager') },
    { key: 'created', label: t('application.createdAt'), children: `${shortTime(data.createdAt)} · ${data.createdByName ?? ''}` },
  ];
  if (data.completedAt) items.push({ key: 'completed', label: t('application.completedAt'), children: shortTime(data.completedAt) });
  if (data.cancelledAt)
    items.push({ key: 'cancelled', label: t('application.cancelledAt'), children: `${shortTime(data.cancelledAt)} · ${data.cancelReason ?? ''}` });
  if (data.note) items.push({ key: 'note', label: t('application.note'), span: 2, children: data.note });

  const changed = (next: ApplicationDetail, text: string) => {
    setShown(next);
    void message.success(text);
  };

  return (
    <Flex vertical gap={16} data-testid="application-page" data-number={data.number} data-status={data.status} data-stage={data.stage ?? ''}>
      <Link to="/customers/applications">
        <ArrowLeftOutlined /> {t('application.back')}
      </Link>
      <Card
        size="small"
        title={
          <Space size={8} wrap style={{ padding: '8px 0' }}>
            <Typography.Text strong style={{ fontSize: 18 }} copyable={{ text: data.number }} data-testid="application-number">
              {data.number}
            </Typography.Text>
            <ApplicationStatusTag status={data.status} />
            {data.late && <Tag color="red">{t('application.late')}</Tag>}
            {data.status === 'open' && data.stage && (
              <Space size={4}>
                <Typography.Text>{labels.stage(data.stage)}</Typography.Text>
                <StageTime application={data} />
              </Space>
            )}
          </Space>
        }
        extra={
          <Space wrap>
            {manage && (
              <Button type="primary" icon={<CheckOutlined />} onClick={() => setCompleting(true)} data-testid="application-complete">
                {t('application.complete')}
              </Button>
            )}
            {manage && (
              <Button danger onClick={() => setCancelling(true)} data-testid="application-cancel">
                {t('application.cancel')}
              </Button>
            )}
            <Button icon={<ReloadOutlined />} loading={loaded.loading} onClick={loaded.reload}>
              {t('common.refresh')}
            </Button>
          </Space>
        }
      >
        <Descriptions className="suqiu-desc-even" size="small" column={{ xs: 1, md: 2, xl: 3 }} items={items} />
      </Card>
      <Card size="small" title={t('application.stagesTitle')}>
        <div style={{ overflowX: 'auto', paddingBottom: 4 }}>
          <Steps
            size="small"
            current={current < 0 ? data.stages.length : current}
            status={data.status === 'cancelled' ? 'error' : data.late ? 'error' : data.status === 'completed' ? 'finish' : 'process'}
            style={{ minWidth: data.stages.length * 150 }}
            items={data.stages.map((s) => ({
              title: labels.stage(s.stage),
              description: <StageDescription stage={s} application={data} />,
            }))}
            data-testid="application-steps"
          />
        </div>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('application.eventsTitle')}>
            <Events events={data.events} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <CurrentStage application={data} />
        </Col>
      </Row>
      <CompleteModal
        application={data}
        open={completing}
        onClose={() => setCompleting(false)}
        onDone={(next) => {
          setCompleting(false);
          changed(next, t('application.completed', { stage: labels.stage(data.stage!) }));
        }}
      />
      <CancelModal
        application={data}
        open={cancelling}
        onClose={() => setCancelling(false)}
        onDone={(next) => {
          setCancelling(false);
          changed(next, t('application.cancelDone'));
        }}
      />
    </Flex>
  );
}
