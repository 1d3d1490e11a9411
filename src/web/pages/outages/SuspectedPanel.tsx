import { CheckCircleOutlined, ThunderboltFilled } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Skeleton, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { listSuspected, type OutageDetail, type SuspectedOutage } from '../../api/outages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useLiveTick } from '../../notifications/NotificationsProvider.js';
import { useCan } from '../../session/SessionProvider.js';
import { useNow, useSpanText } from '../demands/countdown.js';
import { useShortTime } from '../demands/labels.js';
import { DeclareModal, DismissModal } from './SuspectedModals.js';
import { usePoll } from '../../components/usePoll.js';

// 疑似停电: fault calls from one 台区 or feeder within minutes, before anyone
// has declared an outage. The team lead keeps the 停电 page open: the panel
// asks again every 10 s, and at once when the scheduler tells the leads of a
// new one (the `suspected_outage` notification).

const POLL_MS = 10_000;

function Suspect({ item, manage, onDeclare, onDismiss }: { item: SuspectedOutage; manage: boolean; onDeclare: () => void; onDismiss: () => void }) {
  const { t } = useI18n();
  const shortTime = useShortTime();
  const now = useNow();
  const span = useSpanText();
  return (
    <div
      data-testid="suspected-item"
      data-place={item.place}
      data-place-id={item.placeId}
      data-calls={item.calls.length}
      style={{ border: '1px solid #ffccc7', borderRadius: 8, padding: '12px 16px', background: '#fff' }}
    >
      <Flex justify="space-between" align="start" gap={12} wrap>
        <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
          <Space size={6} wrap>
            <Tag color={item.place === 'district' ? 'blue' : 'purple'} style={{ marginInlineEnd: 0 }}>
              {item.place === 'district' ? t('place.district') : t('place.feeder')}
            </Tag>
            <Typography.Text strong style={{ fontSize: 16 }} data-testid="suspected-place">
              {item.placeName}
            </Typography.Text>
            {item.feederName && <Typography.Text type="secondary">{item.feederName}</Typography.Text>}
            <Typography.Text type="secondary">· {item.unitName}</Typography.Text>
          </Space>
          <Typography.Text>
            <Typography.Text type="danger" strong>
              {t('suspected.calls', { count: item.calls.length })}
            </Typography.Text>
            {' · '}
            {t('suspected.customers', { count: item.customers.toLocaleString() })}
            {' · '}
            {t('suspected.span', { first: shortTime(item.firstAt), ago: span(now - Date.parse(item.lastAt)) })}
          </Typography.Text>
        </Space>
        {manage && (
          <Space>
            <Button type="primary" danger icon={<ThunderboltFilled />} onClick={onDeclare} data-testid="suspected-declare">
              {t('suspected.declare')}
            </Button>
            <Button onClick={onDismiss} data-testid="suspected-dismiss">
              {t('suspected.dismiss')}
            </Button>
          </Space>
        )}
      </Flex>
      <Flex vertical gap={2} style={{ marginTop: 8 }} data-testid="suspected-calls">
        {item.calls.map((call) => (
          <Flex key={call.id} gap={8} align="baseline" style={{ fontSize: 13 }} data-testid="suspected-call">
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              {shortTime(call.createdAt)}
            </Typography.Text>
            <Link to={`/demands/${call.id}`} style={{ whiteSpace: 'nowrap' }}>
              {call.number}
            </Link>
            <span style={{ whiteSpace: 'nowrap' }}>{call.customerName ?? t('suspected.unknownCaller')}</span>
            <Typography.Text type="secondary" ellipsis={{ tooltip: call.content }} style={{ minWidth: 0, flex: 1 }}>
              “{call.content}”
            </Typography.Text>
          </Flex>
        ))}
      </Flex>
    </div>
  );
}

/** The suspected outages, at the top of the 停电 page: loud when there are any, one quiet line when none. */
export function SuspectedPanel({ onDeclared }: { onDeclared: (outage: OutageDetail) => void }) {
  const { t } = useI18n();
  const can = useCan();
  const manage = can('outage.manage');
  const tick = useLiveTick(['suspected_outage']);
  const poll = usePoll(POLL_MS);
  const [done, setDone] = useState(0);
  const suspected = useLoad(listSuspected, `${tick}:${poll}:${done}`);
  const [declaring, setDeclaring] = useState<SuspectedOutage | null>(null);
  const [dismissing, setDismissing] = useState<SuspectedOutage | null>(null);

  const data = suspected.data;
  const items = data?.items ?? [];
  const rules = data?.rules;
  const rulesText = rules ? t('suspected.rules', { minutes: rules.windowMinutes, district: rules.districtCalls, feeder: rules.feederCalls }) : '';

  let body;
  if (!data && suspected.error) body = <Alert type="error" showIcon title={t('suspected.loadFailed')} description={suspected.error.message} />;
  else if (!data) body = <Skeleton active title={false} paragraph={{ rows: 1 }} data-testid="suspected-loading" />;
  else if (items.length === 0)
    body = (
      <Flex align="center" gap={8} wrap data-testid="suspected-none">
        <CheckCircleOutlined style={{ color: '#52c41a' }} />
        <Typography.Text>{t('suspected.none')}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {rulesText}
        </Typography.Text>
      </Flex>
    );
  else
    body = (
      <Flex vertical gap={12}>
        {items.map((item) => (
          <Suspect
            key={`${item.place}:${item.placeId}`}
            item={item}
            manage={manage}
            onDeclare={() => setDeclaring(item)}
            onDismiss={() => setDismissing(item)}
          />
        ))}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {rulesText}
        </Typography.Text>
      </Flex>
    );

  const loud = items.length > 0;
  return (
    <Card
      size="small"
      data-testid="suspected-panel"
      data-count={data ? items.length : undefined}
      title={
        <Space>
          <ThunderboltFilled style={{ color: loud ? '#cf1322' : '#bfbfbf' }} />
          <span style={{ color: loud ? '#cf1322' : undefined }}>{loud ? t('suspected.titleCount', { count: items.length }) : t('suspected.title')}</span>
        </Space>
      }
      extra={
        <Space size={6}>
          {suspected.loading && <Spin size="small" />}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('suspected.live')}
          </Typography.Text>
        </Space>
      }
      style={loud ? { borderColor: '#ff7875', background: '#fff1f0', boxShadow: '0 0 0 2px rgba(255,77,79,0.12)' } : undefined}
    >
      {body}
      <DeclareModal
        target={declaring}
        onClose={() => setDeclaring(null)}
        onDone={(outage) => {
          setDeclaring(null);
          setDone((n) => n + 1);
          onDeclared(outage);
        }}
      />
      <DismissModal
        target={dismissing}
        onClose={() => setDismissing(null)}
        onDone={() => {
          setDismissing(null);
          setDone((n) => n + 1);
        }}
      />
    </Card>
  );
}
