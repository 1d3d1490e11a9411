import { Alert, Card, Descriptions, Divider, Space, Tag, Typography, type DescriptionsProps } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { DemandDetail } from '../../api/demands.js';
import { useI18n } from '../../i18n/index.js';
import { LevelTag, PriorityTag, StatusTag, useDemandLabels, useFirstHandlingText, useShortTime, VerdictTag } from './labels.js';
import { isJoinedCall } from './CaseCalls.js';
import { raisedOf, type Raised } from './raised.js';

/** 传递至 生产设备部 · 答复时限 …: raised to the owning department, and whether it answered. */
function RaisedTag({ raised }: { raised: Raised }) {
  const { t } = useI18n();
  const shortTime = useShortTime();
  const state = raised.answer ? 'answered' : raised.overdue ? 'overdue' : 'waiting';
  const tail = raised.answer
    ? t('raised.tagAnswered')
    : raised.overdue
      ? t('raised.tagOverdue')
      : raised.dueAt
        ? t('raised.tagDue', { time: shortTime(raised.dueAt) })
        : null;
  return (
    <Tag color={state === 'answered' ? 'green' : state === 'overdue' ? 'red' : 'geekblue'} data-testid="demand-raised" data-state={state}>
      {t('raised.tag', { unit: raised.toUnitName })}
      {tail && ` · ${tail}`}
    </Tag>
  );
}

/**
 * Who called, about what, and where the demand stands: the first thing read on the phone.
 * `firstUnitName` is the name of the unit that handled it first (the page resolves the id).
 */
export function DemandHeader({ demand, actions, firstUnitName }: { demand: DemandDetail; actions: ReactNode; firstUnitName?: string | null }) {
  const { t, formatTime } = useI18n();
  const labels = useDemandLabels();
  const firstHandling = useFirstHandlingText();
  const { customer } = demand;
  const raised = raisedOf(demand);
  const first = firstHandling(demand.firstHandling);
  const verdict = demand.verdict;
  const verdictBy = verdict ? ([...demand.timeline].reverse().find((e) => e.kind === 'verdict')?.actorName ?? null) : null;

  const items: DescriptionsProps['items'] = [
    {
      key: 'customer',
      label: t('demand.customer'),
      children: (
        <Space size={4} wrap data-testid="demand-customer">
          <span>{customer.name ?? t('common.none')}</span>
          {customer.important && <Tag color="red">{t('customer.important')}</Tag>}
        </Space>
      ),
    },
    { key: 'account', label: t('customer.accountNo'), children: customer.accountNo ?? t('demand.noAccount') },
    { key: 'phone', label: t('customer.phone'), children: customer.phone },
    { key: 'type', label: t('demand.type'), children: labels.type(demand.type) },
    { key: 'category', label: t('demand.category'), children: labels.category(demand.category) },
    { key: 'subcategory', label: t('demand.subcategory'), children: labels.subcategory(demand.subcategory) },
    { key: 'channel', label: t('demand.channel'), children: labels.channel(demand.channel) },
    { key: 'source', label: t('demand.source'), children: labels.source(demand.source) },
    { key: 'unit', label: t('demand.unit'), children: <span data-testid="demand-unit">{demand.unitName}</span> },
    { key: 'area', label: t('units.areaClass'), children: labels.areaClass(demand.areaClass) },
    { key: 'created', label: t('demand.createdAt'), children: <span data-testid="demand-created">{formatTime(demand.createdAt)}</span> },
    {
      key: 'owner',
      label: t('ownership.owner'),
      children: (
        <span data-testid="demand-owner">
          {demand.ownerName ?? t('common.none')}
          {demand.ownerSince && demand.ownerSince !== demand.createdAt && (
            <Typography.Text type="secondary"> · {t('ownership.ownerSince', { time: formatTime(demand.ownerSince) })}</Typography.Text>
          )}
        </span>
      ),
    },
    { key: 'closed', label: t('demand.closedAt'), children: formatTime(demand.closedAt) },
  ];
  if (first !== null) {
    items.push({
      key: 'first',
      label: t('demand.firstHandling'),
      children: (
        <Space size={4} wrap data-testid="demand-first-handling" data-resolved={String(demand.firstHandling.resolved)}>
          {firstUnitName && <span>{firstUnitName}</span>}
          <Tag color={demand.firstHandling.resolved ? 'green' : 'orange'} style={{ marginInlineEnd: 0 }}>
            {first}
          </Tag>
        </Space>
      ),
    });
  }
  // 多次诉求: a call of a case names its case, by number; the case says how often the customer called.
  const theCase = demand.case;
  const joined = isJoinedCall(demand);
  const ordinal = theCase?.calls.find((call) => call.id === demand.id)?.ordinal;
  if (joined) {
    items.push({
      key: 'case',
      label: t('demand.case'),
      children: (
        <span data-testid="demand-case">
          {theCase ? (
            <Link to={`/demands/${theCase.id}`} data-testid="demand-case-number">
              {theCase.number}
            </Link>
          ) : (
            t('common.none')
          )}
          {ordinal !== undefined && ` · ${t('demand.callOrdinal', { ordinal })}`}
        </span>
      ),
    });
  }
  if (demand.faultAddress) items.push({ key: 'faultAddress', label: t('demand.faultAddress'), children: demand.faultAddress });
  items.push({
    key: 'content',
    label: t('demand.content'),
    span: 'filled',
    children: <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{demand.content}</Typography.Text>,
  });
  if (demand.answer)
    items.push({
      key: 'answer',
      label: t('demand.answer'),
      span: 'filled',
      children: <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{demand.answer}</Typography.Text>,
    });

  return (
    <Card
      size="small"
      title={
        <Space size={8} wrap style={{ padding: '8px 0' }}>
          <Typography.Text strong style={{ fontSize: 18 }} copyable={{ text: demand.number }} data-testid="demand-number">
            {demand.number}
          </Typography.Text>
          <StatusTag status={demand.status} testId="demand-status" />
          <PriorityTag priority={demand.priority} labelled />
          {/* A joined call climbs no ladder of its own: the case's level is on its case card. */}
          {!joined && <LevelTag level={demand.escalationLevel} labelled />}
          {demand.sensitive && <Tag color="magenta">{t('demand.sensitive')}</Tag>}
          {joined && ordinal !== undefined && <Tag color="volcano">{t('demand.callOrdinal', { ordinal })}</Tag>}
          {!joined && demand.callCount > 1 && (
            <Tag color="volcano" data-testid="demand-calls-tag">
              {t('demand.callTimes', { count: demand.callCount })}
            </Tag>
          )}
          {raised && <RaisedTag raised={raised} />}
          {verdict && (
            <>
              <Divider orientation="vertical" />
              <VerdictTag verdict={verdict.verdict} testId="demand-verdict-tag" />
            </>
          )}
        </Space>
      }
      extra={actions}
    >
      {verdict && (
        // Apart from the status: a verdict says what the complaint was, not where its handling stands.
        <Alert
          type={verdict.verdict === 'unfounded' ? 'warning' : 'info'}
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="demand-verdict"
          data-verdict={verdict.verdict}
          title={verdict.verdict === 'unfounded' ? t('verdict.unfoundedTitle') : t('verdict.foundedTitle')}
          description={
            <>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }} data-testid="demand-verdict-reason">
                {verdict.reason}
              </Typography.Paragraph>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('verdict.by', { name: verdictBy ?? t('timeline.system'), time: formatTime(verdict.at) })}
              </Typography.Text>
            </>
          }
        />
      )}
      <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} items={items} />
    </Card>
  );
}
