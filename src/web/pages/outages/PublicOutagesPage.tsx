import { PhoneOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Flex, Skeleton, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { localDate } from '../../../shared/time.js';
import { publicOutages, type PublicOutages } from '../../api/outages.js';
import { LangSwitch } from '../../components/LangSwitch.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useShortTime } from '../demands/labels.js';
import { KindTag, OutageWhen } from './labels.js';

// 停电信息公告: the public notices, for the website and the WeChat account; no
// sign-in, nothing personal. Read on a phone: one column, the running
// outages first, each with its area, its time and when power is expected.

type PublicOutage = PublicOutages['areas'][number]['outages'][number];
const REFRESH_MS = 60_000;

/** 12月14日 周六 08:00 – 16:00: the day once when the outage ends the day it starts. */
function useWindowText(): (start: string, end: string) => string {
  const { lang, timeZone } = useI18n();
  return useMemo(() => {
    const day = new Intl.DateTimeFormat(lang, {
      month: 'long',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
    });
    const time = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
    return (start, end) => {
      const sameDay = localDate(start, timeZone) === localDate(end, timeZone);
      return `${day.format(new Date(start))} – ${sameDay ? time.format(new Date(end)) : day.format(new Date(end))}`;
    };
  }, [lang, timeZone]);
}

function Notice({ outage }: { outage: PublicOutage }) {
  const { t } = useI18n();
  const windowText = useWindowText();
  const running = outage.status === 'in_progress';
  return (
    <Card
      size="small"
      data-testid="public-outage"
      data-number={outage.number}
      style={{ borderInlineStart: `4px solid ${running ? '#ff4d4f' : '#faad14'}` }}
      styles={{ body: { padding: '12px 14px' } }}
    >
      <Flex vertical gap={6}>
        <Space size={4} wrap>
          <Tag color={running ? 'red' : 'gold'} style={{ marginInlineEnd: 0 }}>
            {running ? t('publicOutages.running') : t('publicOutages.upcoming')}
          </Tag>
          <KindTag kind={outage.kind} />
        </Space>
        <Typography.Text strong style={{ fontSize: 16, lineHeight: 1.5 }}>
          {outage.area}
        </Typography.Text>
        <Typography.Text>
          <ThunderboltOutlined /> {windowText(outage.startsAt, outage.expectedEndAt)}
        </Typography.Text>
        <OutageWhen outage={{ ...outage, restoredAt: null, cancelledAt: null }} />
        <Typography.Text type="secondary">{t('publicOutages.cause', { cause: outage.cause })}</Typography.Text>
        <Typography.Paragraph
          type="secondary"
          style={{ margin: 0, fontSize: 13, background: '#fafafa', padding: '6px 8px', borderRadius: 6 }}
          ellipsis={{ rows: 2, expandable: 'collapsible', symbol: (expanded: boolean) => (expanded ? t('publicOutages.less') : t('publicOutages.more')) }}
        >
          {outage.notice}
        </Typography.Paragraph>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('publicOutages.number', { number: outage.number })}
        </Typography.Text>
      </Flex>
    </Card>
  );
}

export default function PublicOutagesPage() {
  const { t } = useI18n();
  const shortTime = useShortTime();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    document.title = t('publicOutages.title');
  }, [t]);
  const feed = useLoad(() => publicOutages(), String(tick));
  const [unitId, setUnitId] = useState<number | null>(null);
  const areas = feed.data?.areas ?? [];
  // The areas with power off now first: most readers come because their power is off.
  const running = (area: (typeof areas)[number]) => area.outages.some((o) => o.status === 'in_progress');
  const shown = areas.filter((a) => unitId === null || a.unitId === unitId).sort((a, b) => Number(running(b)) - Number(running(a)));
  const all = areas.flatMap((a) => a.outages);
  const runningCount = all.filter((o) => o.status === 'in_progress').length;

  return (
    <Flex vertical style={{ minHeight: '100vh', background: '#f5f7fa' }} data-testid="public-outages">
      <Flex justify="space-between" align="center" style={{ background: '#0b5fa5', color: '#fff', padding: '12px 16px' }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0 }}>
          {t('publicOutages.title')}
        </Typography.Title>
        <LangSwitch />
      </Flex>
      <Flex vertical gap={12} style={{ width: '100%', maxWidth: 720, margin: '0 auto', padding: '12px 12px 32px', boxSizing: 'border-box' }}>
        {feed.data && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="public-summary">
            {t('publicOutages.summary', { running: runningCount, upcoming: all.length - runningCount })} ·{' '}
            {t('publicOutages.updatedAt', { time: shortTime(feed.data.generatedAt) })}
          </Typography.Text>
        )}
        {areas.length > 1 && (
          <Flex gap={6} wrap data-testid="public-areas">
            <Button size="small" shape="round" type={unitId === null ? 'primary' : 'default'} onClick={() => setUnitId(null)}>
              {t('publicOutages.allAreas')}
            </Button>
            {areas.map((a) => (
              <Button key={a.unitId} size="small" shape="round" type={unitId === a.unitId ? 'primary' : 'default'} onClick={() => setUnitId(a.unitId)}>
                {a.unitName} {a.outages.length}
              </Button>
            ))}
          </Flex>
        )}
        {feed.error && !feed.data ? (
          <Alert
            type="error"
            showIcon
            title={t('publicOutages.failed')}
            description={t('publicOutages.failedHint')}
            action={<Button onClick={feed.reload}>{t('page.retry')}</Button>}
          />
        ) : !feed.data ? (
          <Skeleton active paragraph={{ rows: 6 }} data-testid="public-loading" />
        ) : shown.length === 0 ? (
          <Card>
            <Empty description={t('publicOutages.none')} data-testid="public-none" />
          </Card>
        ) : (
          shown.map((area) => (
            <Flex vertical gap={8} key={area.unitId} data-testid="public-area">
              <Typography.Text strong style={{ fontSize: 15, marginTop: 4 }}>
                {area.unitName}
                <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                  {' '}
                  · {t('publicOutages.count', { count: area.outages.length })}
                </Typography.Text>
              </Typography.Text>
              {[...area.outages]
                .sort((a, b) => Number(b.status === 'in_progress') - Number(a.status === 'in_progress') || a.startsAt.localeCompare(b.startsAt))
                .map((o) => (
                  <Notice key={o.number} outage={o} />
                ))}
            </Flex>
          ))
        )}
        <Typography.Text type="secondary" style={{ textAlign: 'center', fontSize: 13, marginTop: 8 }}>
          <PhoneOutlined /> {t('publicOutages.hotline')}
        </Typography.Text>
      </Flex>
    </Flex>
  );
}
