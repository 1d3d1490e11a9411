import { Alert, Card, Empty, Flex, Skeleton, Space, Spin, Tag, Typography } from 'antd';
import { REPEAT_WINDOW_DAYS } from '../../../shared/cases.js';
import { isOpenOrder } from '../../../shared/work-orders.js';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { previewCase, type CasePreview } from '../../api/demands.js';
import { useReportError } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';
import { CaseCalls, type CallRow } from './CaseCalls.js';
import { LevelTag, StatusTag, TaskStatusTag, useDemandLabels, useShortTime } from './labels.js';
import { UrgeTag } from './TaskList.js';

const DEBOUNCE_MS = 250;

export interface PreviewQuery {
  phone: string;
  accountNo?: string | undefined;
  category?: string | undefined;
}

export interface PreviewState {
  /** The answer for the latest query; undefined before the first. */
  data: CasePreview | undefined;
  /** The query it answers: a panel shows nothing of another caller's. */
  forKey: string | undefined;
  loading: boolean;
}

const keyOf = (q: PreviewQuery) => `${q.phone}|${q.accountNo ?? ''}|${q.category ?? ''}`;

/** The server's preview for the caller on screen, asked again when the phone, the customer or the category changes. */
export function useCasePreview(query: PreviewQuery | null): PreviewState & { key: string | undefined } {
  const report = useReportError();
  const key = query ? keyOf(query) : undefined;
  const [state, setState] = useState<PreviewState>({ data: undefined, forKey: undefined, loading: false });
  const latest = useRef(0);
  const queryRef = useRef(query);
  queryRef.current = query;

  useEffect(() => {
    const mine = ++latest.current;
    const q = queryRef.current;
    if (!q || key === undefined) {
      setState({ data: undefined, forKey: undefined, loading: false });
      return;
    }
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      previewCase(q).then(
        (data) => mine === latest.current && setState({ data, forKey: key, loading: false }),
        (err: unknown) => {
          if (mine !== latest.current) return;
          setState((s) => ({ ...s, loading: false }));
          report(err);
        },
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key, report]);

  return { ...state, key };
}

/** Whether saving the call urges work orders: the case's orders still with their units. */
export const urgesOrders = (joins: NonNullable<CasePreview['joins']>) => joins.orders.some((order) => isOpenOrder(order.status));

/** The case the call joins, said before saving in the words the agent repeats to the customer. */
function Joins({ joins }: { joins: NonNullable<CasePreview['joins']> }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const shortTime = useShortTime();
  const recent = joins.reason === 'recent';
  // A case of one call lists no calls: its first call is the case itself.
  const calls: CallRow[] =
    joins.calls.length > 0
      ? joins.calls
      : [{ id: joins.caseId, number: joins.number, ordinal: 1, type: joins.type, content: joins.content, createdAt: joins.createdAt }];
  return (
    <Flex vertical gap={8} data-testid="case-preview-joins" data-case-number={joins.number} data-next-call={joins.nextCall}>
      <Alert
        // A call on an open case is the customer chasing it (amber); one that reopens a closed case says it was not settled (red).
        type={recent ? 'error' : 'warning'}
        showIcon
        title={
          <span data-testid="case-preview-title" style={{ fontSize: 15, fontWeight: 600 }}>
            {t('preview.joins', { number: joins.number, ordinal: joins.nextCall })}
          </span>
        }
        description={
          recent
            ? t('preview.joinsRecent', { time: shortTime(joins.closedAt), days: REPEAT_WINDOW_DAYS })
            : `${t('preview.joinsOpen')}${urgesOrders(joins) ? t('preview.willUrge') : ''}`
        }
      />
      <Flex gap={8} wrap align="center">
        <StatusTag status={joins.status} />
        {joins.escalationLevel > 0 && <LevelTag level={joins.escalationLevel} labelled />}
        <Link to={`/demands/${joins.caseId}`} target="_blank" data-testid="case-preview-link">
          {joins.number}
        </Link>
        <Typography.Text type="secondary">
          {labels.type(joins.type)} · {labels.category(joins.category)} · {t('preview.unit', { unit: joins.unitName })} · {shortTime(joins.createdAt)}
        </Typography.Text>
      </Flex>
      <div data-testid="case-preview-orders">
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('preview.orders')}
        </Typography.Text>
        {joins.orders.length === 0 ? (
          <Typography.Text style={{ display: 'block' }}>{t('preview.noOrders')}</Typography.Text>
        ) : (
          joins.orders.map((order, i) => (
            <Flex key={i} gap={6} align="center" wrap data-testid="case-preview-order">
              <span>{order.unitName}</span>
              <TaskStatusTag status={order.status} />
              <UrgeTag count={order.urgeCount} />
            </Flex>
          ))
        )}
      </div>
      <div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('preview.calls', { count: joins.callCount })}
        </Typography.Text>
        <CaseCalls calls={calls} newTab />
      </div>
    </Flex>
  );
}

/** The caller's other recent cases: the history of a number, also one no customer record is tied to. */
function Recent({ items }: { items: CasePreview['recent'] }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const shortTime = useShortTime();
  return (
    <Flex vertical gap={4} data-testid="case-preview-recent">
      {items.map((r) => (
        <Flex
          key={r.id}
          vertical
          gap={0}
          data-testid="case-preview-recent-item"
          data-number={r.number}
          style={{ padding: '4px 0', borderBottom: '1px solid rgba(5,5,5,0.06)' }}
        >
          <Flex gap={6} wrap align="center">
            <Link to={`/demands/${r.id}`} target="_blank">
              {r.number}
            </Link>
            <StatusTag status={r.status} />
            <span>
              {labels.type(r.type)} · {labels.category(r.category)}
            </span>
            {r.callCount > 1 && <Tag color="volcano">{t('demand.callTimes', { count: r.callCount })}</Tag>}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {shortTime(r.createdAt)}
              {r.closedAt && ` · ${t('preview.closedAt', { time: shortTime(r.closedAt) })}`}
            </Typography.Text>
          </Flex>
          <Typography.Text type="secondary" ellipsis style={{ maxWidth: '100%' }}>
            {r.content}
          </Typography.Text>
        </Flex>
      ))}
    </Flex>
  );
}

/**
 * 来电历史, before anything is saved: the case this call would join (将并入诉求
 * N，客户第 n 次来电) with its calls, unit and orders, and the caller's other
 * recent cases; said also for a number no customer record is tied to.
 */
export function CasePreviewPanel({
  preview,
  phone,
  categoryChosen,
}: {
  preview: PreviewState & { key: string | undefined };
  phone: string | null;
  categoryChosen: boolean;
}) {
  const { t } = useI18n();
  if (!phone) return null;
  // An answer for another number (the agent typed on) is never shown as this one's; the same caller's stays while a new category is asked.
  const data = preview.forKey !== undefined && preview.forKey.split('|')[0] === phone ? preview.data : undefined;
  const settled = preview.forKey === preview.key && !preview.loading;
  const others = data ? data.recent.filter((r) => r.id !== data.joins?.caseId) : [];
  return (
    <Card
      size="small"
      title={t('preview.title', { phone })}
      data-testid="case-preview"
      data-state={!data || !settled ? 'loading' : data.joins ? 'joins' : others.length > 0 ? 'recent' : 'none'}
      extra={preview.loading && <Spin size="small" />}
    >
      {!data ? (
        <Skeleton active title={false} paragraph={{ rows: 2 }} />
      ) : (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          {data.joins && <Joins joins={data.joins} />}
          {others.length > 0 && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {data.joins ? t('preview.otherRecent') : t('preview.recent')}
              </Typography.Text>
              <Recent items={others} />
            </div>
          )}
          {!data.joins && others.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('preview.none')} data-testid="case-preview-none" />}
          {!data.joins && (
            <Typography.Text type="secondary">
              {t('preview.newCase')}
              {!categoryChosen && ` ${t('preview.noCategory', { days: REPEAT_WINDOW_DAYS })}`}
            </Typography.Text>
          )}
        </Space>
      )}
    </Card>
  );
}
