import { Empty, Space, Timeline, Typography } from 'antd';
import type { OutageDetail } from '../../api/outages.js';
import { useI18n, type Translate } from '../../i18n/index.js';
import { useShortTime } from '../demands/labels.js';
import { useOutageLabels } from './labels.js';

// An outage's history in words, oldest first: who announced it and how many it
// cut, when it started, the notices queued, the expected end moved, restored
// or called off. The server's event codes and their data never show as such.

type Event = OutageDetail['timeline'][number];
type Data = Record<string, unknown>;

const COLORS: Record<string, string> = {
  announced: 'blue',
  declared: 'red',
  started: 'red',
  restored: 'green',
  cancelled: 'gray',
  expected_end_moved: 'orange',
};
const num = (value: unknown) => (typeof value === 'number' ? value : Number(value ?? 0) || 0);
const str = (value: unknown) => (typeof value === 'string' ? value : '');

function facts(event: Event, t: Translate, time: (iso: string) => string, kind: (k: string) => string): string[] {
  const data = (event.data ?? {}) as Data;
  const out: string[] = [];
  switch (event.kind) {
    case 'announced':
      out.push(t('outageEvent.announcedFacts', { kind: kind(str(data.kind)), count: num(data.affected).toLocaleString() }));
      if (data.startsAt) out.push(t('outageEvent.window', { start: time(str(data.startsAt)), end: time(str(data.expectedEndAt)) }));
      if (data.late) out.push(t('outageEvent.late'));
      break;
    case 'declared':
      out.push(t(data.place === 'feeder' ? 'outageEvent.declaredFeeder' : 'outageEvent.declaredDistrict', { calls: num(data.calls) }));
      break;
    case 'started':
      if (data.startedAt) out.push(t('outageEvent.startedAt', { time: time(str(data.startedAt)) }));
      break;
    case 'notices_queued':
      out.push(t(data.update ? 'outageEvent.queuedUpdate' : 'outageEvent.queued', { count: num(data.queued).toLocaleString() }));
      if (num(data.noAddress) > 0) out.push(t('outageEvent.noAddress', { count: num(data.noAddress) }));
      break;
    case 'expected_end_moved':
      out.push(t('outageEvent.moved', { from: time(str(data.from)), to: time(str(data.to)) }));
      break;
    case 'restored':
      if (data.restoredAt) out.push(t('outageEvent.restoredAt', { time: time(str(data.restoredAt)) }));
      out.push(t('outageEvent.closedCalls', { count: num(data.closedCalls) }));
      if (num(data.leftOpen) > 0) out.push(t('outageEvent.leftOpen', { count: num(data.leftOpen) }));
      if (data.told !== undefined) out.push(t('outageEvent.told', { count: num(data.told) }));
      break;
    case 'cancelled':
      if (data.queued !== undefined) out.push(t('outageEvent.queuedCancel', { count: num(data.queued).toLocaleString() }));
      break;
  }
  return out;
}

export function OutageTimeline({ events }: { events: OutageDetail['timeline'] }) {
  const { t, tMaybe } = useI18n();
  const time = useShortTime();
  const labels = useOutageLabels();
  if (events.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('outageEvent.none')} />;
  return (
    <Timeline
      data-testid="outage-timeline"
      items={events.map((event) => ({
        key: event.id,
        color: COLORS[event.kind] ?? 'blue',
        content: (
          <div data-testid="outage-event" data-kind={event.kind}>
            <Space size={8} wrap>
              <Typography.Text strong>{tMaybe(`outageEvent.kind.${event.kind}`) ?? t('outageEvent.kind.other')}</Typography.Text>
              <Typography.Text type="secondary">{event.actorName ?? t('timeline.system')}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {time(event.at)}
              </Typography.Text>
            </Space>
            {facts(event, t, time, labels.kind).map((fact, i) => (
              <Typography.Text key={i} type="secondary" style={{ display: 'block', fontSize: 13 }}>
                {fact}
              </Typography.Text>
            ))}
            {event.note && <Typography.Paragraph style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}>{event.note}</Typography.Paragraph>}
          </div>
        ),
      }))}
    />
  );
}
