import { Space, Tag, Timeline, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Task, TimelineEvent } from '../../api/demands.js';
import { useI18n, type Translate } from '../../i18n/index.js';
import { raisedFromName } from './raised.js';
import { ReportFlags } from './ReportFlags.js';
import { useDemandLabels, useShortTime } from './labels.js';

type Labels = ReturnType<typeof useDemandLabels>;
type Data = Record<string, unknown>;

const RED = new Set(['escalated', 'over_level', 'deadline.overdue', 'callback.reopened', 'work_order.returned', 'repeat_linked']);
const GREEN = new Set(['answered', 'callback.closed', 'work_order.handled', 'consultation.replied', 'consultation.called_back', 'transfer.answered']);
const ORANGE = new Set([
  'deadline.warning',
  'callback.unreachable',
  'important_customer',
  'consultation.passed_over',
  'consultation.passed_to_leader',
  'consultation.unanswered',
  'work_order.unresolved',
  'transfer.raised',
]);

function colorOf(kind: string): string {
  if (kind === 'verdict') return 'gray';
  if (RED.has(kind)) return 'red';
  if (GREEN.has(kind)) return 'green';
  if (ORANGE.has(kind)) return 'orange';
  return 'blue';
}

const str = (value: unknown) => (typeof value === 'string' ? value : value == null ? '' : String(value));

/** The facts an event carries, in words: the timeline is read by people, not by the server. */
function details(event: TimelineEvent, t: Translate, labels: Labels, formatTime: (iso: string) => string, tasks: readonly Task[]): ReactNode[] {
  const data = (event.data ?? {}) as Data;
  const out: ReactNode[] = [];
  switch (event.kind) {
    case 'registered':
      out.push(t('timeline.registeredVia', { channel: labels.channel(str(data.channel)), priority: labels.priority(str(data.priority)) }));
      break;
    case 'repeat_linked':
      out.push(
        <span key="repeat">
          {t('timeline.repeatOf')} <Link to={`/demands/${str(data.repeatOf)}`}>#{str(data.repeatOf)}</Link> · {t('demand.callCount', { count: Number(data.repeatCount ?? 0) + 1 })}
        </span>,
      );
      break;
    case 'escalated':
    case 'deadline.overdue':
      if (data.level !== undefined) out.push(t('timeline.toLevel', { level: labels.level(Number(data.level)) }));
      if (str(data.reason) === 'repeat') out.push(t('timeline.byRepeat'));
      if (str(data.reason).startsWith('over_level:')) out.push(t('timeline.byOverLevel', { source: labels.source(str(data.reason).slice('over_level:'.length)) }));
      if (data.step) out.push(t('timeline.step', { step: labels.step(str(data.step)), due: formatTime(str(data.dueAt)) }));
      break;
    case 'deadline.warning':
      out.push(t('timeline.step', { step: labels.step(str(data.step)), due: formatTime(str(data.dueAt)) }));
      break;
    case 'over_level':
      out.push(t('timeline.overLevel', { source: labels.source(str(data.source)) }));
      break;
    case 'important_customer':
      out.push(t('timeline.importantCustomer'));
      break;
    case 'work_order.dispatched':
      out.push(t('timeline.dispatchedTo', { unit: str(data.unitName) }));
      break;
    case 'work_order.handled':
    case 'work_order.unresolved':
      // The unresolved report's reason is among its flags.
      out.push(<ReportFlags key="report" report={data} />);
      break;
    case 'verdict':
      out.push(t('timeline.verdict', { verdict: labels.verdict(str(data.verdict)) }));
      if (data.before) out.push(t('timeline.verdictBefore', { verdict: labels.verdict(str(data.before)) }));
      break;
    case 'transfer.raised':
      out.push(t('timeline.raised', { from: raisedFromName(data, tasks) || t('common.none'), to: str(data.toUnitName), month: str(data.month) }));
      if (data.dueAt) out.push(t('timeline.answerDue', { time: formatTime(str(data.dueAt)) }));
      break;
    case 'transfer.answered':
      if (data.unitName) out.push(t('timeline.answerBy', { unit: str(data.unitName) }));
      if (typeof data.resolved === 'boolean') out.push(t('timeline.answerResolved', { value: labels.yesNo(data.resolved) }));
      if (data.expectedBy) out.push(t('timeline.expectedBy', { date: str(data.expectedBy) }));
      if (data.owner) out.push(t('timeline.owner', { owner: str(data.owner) }));
      break;
    case 'consultation.forwarded':
    case 'consultation.replied':
    case 'consultation.called_back':
    case 'consultation.unanswered':
    case 'consultation.passed_over':
    case 'consultation.passed_to_leader':
    case 'consultation.withdrawn':
      if (event.kind === 'consultation.forwarded') out.push(t('timeline.consultationTo', { unit: str(data.unitName), expert: str(data.expertName) }));
      if (event.kind.startsWith('consultation.passed')) out.push(t('timeline.passedOver', { from: str(data.from), to: str(data.to) }));
      if (Array.isArray(data.jointUnits) && data.jointUnits.length > 0) out.push(t('timeline.jointly', { units: data.jointUnits.map(str).join('、') }));
      if (data.consultationId)
        out.push(
          <Link key="consultation" to={`/experts/consultations/${str(data.consultationId)}`}>
            {t('consultation.of')} #{str(data.consultationId)}
          </Link>,
        );
      break;
    case 'callback.closed':
    case 'callback.reopened':
    case 'callback.unreachable':
      out.push(t('timeline.outcome', { outcome: labels.outcome(str(data.outcome)) }));
      if (data.powerRestored !== null && data.powerRestored !== undefined) out.push(t('timeline.powerRestored', { value: labels.yesNo(data.powerRestored) }));
      if (data.level !== undefined) out.push(t('timeline.toLevel', { level: labels.level(Number(data.level)) }));
      if (data.attempts !== undefined) out.push(t('timeline.attempts', { count: Number(data.attempts) }));
      if (data.nextTryBy) out.push(t('timeline.nextTry', { time: formatTime(str(data.nextTryBy)) }));
      if (data.toTeamLead) out.push(t('timeline.toTeamLead'));
      break;
  }
  return out;
}

/** Every event of the demand, oldest first, with who did it and what they wrote. */
export function DemandTimeline({ events, tasks = [] }: { events: readonly TimelineEvent[]; tasks?: readonly Task[] }) {
  const { t, tMaybe } = useI18n();
  const formatTime = useShortTime();
  const labels = useDemandLabels();
  const unitOfTask = new Map(tasks.map((task) => [task.id, task.unitName]));
  const items = events.map((event) => {
    const facts = details(event, t, labels, formatTime, tasks);
    const unit = event.taskId !== null ? unitOfTask.get(event.taskId) : undefined;
    return {
      key: event.id,
      color: colorOf(event.kind),
      content: (
        <div data-testid="timeline-event" data-kind={event.kind}>
          <Space size={8} wrap>
            <Typography.Text strong>{tMaybe(`event.${event.kind}`) ?? t('event.other')}</Typography.Text>
            <Typography.Text type="secondary" data-testid="timeline-actor">
              {event.actorName ?? t('timeline.system')}
            </Typography.Text>
            {unit && <Tag>{unit}</Tag>}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatTime(event.at)}
            </Typography.Text>
          </Space>
          {facts.length > 0 && (
            <div>
              {facts.map((fact, i) => (
                <Typography.Text key={i} type="secondary" style={{ display: 'block', fontSize: 13 }}>
                  {fact}
                </Typography.Text>
              ))}
            </div>
          )}
          {event.note && (
            <Typography.Paragraph style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }} data-testid="timeline-note">
              {event.note}
            </Typography.Paragraph>
          )}
        </div>
      ),
    };
  });
  return (
    <div data-testid="demand-timeline">
      <Timeline items={items} />
    </div>
  );
}
