import { Empty, Space, Tag, Timeline, Typography } from 'antd';
import { REPEAT_WINDOW_DAYS } from '../../../shared/cases.js';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Task, TimelineEvent } from '../../api/demands.js';
import { useI18n, type Translate } from '../../i18n/index.js';
import { OutageEventFacts } from '../outages/DemandOutageEvents.js';
import { raisedFromName } from './raised.js';
import { ReportFlags } from './ReportFlags.js';
import { useDemandLabels, useShortTime } from './labels.js';

type Labels = ReturnType<typeof useDemandLabels>;
type Data = Record<string, unknown>;

const RED = new Set(['escalated', 'over_level', 'deadline.overdue', 'callback.reopened', 'work_order.returned', 'repeat_linked', 'case.reopened']);
const GREEN = new Set([
  'outage.restored',
  'answered',
  'callback.closed',
  'work_order.handled',
  'consultation.replied',
  'consultation.called_back',
  'transfer.answered',
]);
const ORANGE = new Set([
  'outage.linked',
  'deadline.warning',
  'callback.unreachable',
  'important_customer',
  'consultation.passed_over',
  'consultation.passed_to_leader',
  'consultation.unanswered',
  'work_order.unresolved',
  'transfer.raised',
  'call.joined',
  'joined_case',
  'urged',
]);

function colorOf(kind: string): string {
  if (kind === 'verdict' || kind === 'case.unlinked') return 'gray';
  if (RED.has(kind)) return 'red';
  if (GREEN.has(kind)) return 'green';
  if (ORANGE.has(kind)) return 'orange';
  return 'blue';
}

const str = (value: unknown) => (typeof value === 'string' ? value : value == null ? '' : String(value));
/** The people an event names (`[{userId, name}]`), as 张三、李四; null when the event names none. */
const names = (value: unknown): string | null =>
  Array.isArray(value)
    ? value
        .map((p) => str((p as { name?: unknown } | null)?.name))
        .filter(Boolean)
        .join('、')
    : null;
const num = (value: unknown) => (typeof value === 'number' ? value : Number(value ?? NaN));

/** A demand named by its number, linked where its id is known. */
function DemandRef({ id, number }: { id: unknown; number: string }) {
  const target = num(id);
  return Number.isInteger(target) && target > 0 ? <Link to={`/demands/${target}`}>{number}</Link> : <>{number}</>;
}

/** Who was told, by name; a level nobody holds is said, not left blank. */
function told(t: Translate, people: unknown, none: () => string): string | null {
  const list = names(people);
  if (list === null) return null;
  return list ? t('timeline.notified', { names: list }) : none();
}

/** The facts an event carries, in words: the timeline is read by people, not by the server. */
function details(
  event: TimelineEvent,
  t: Translate,
  labels: Labels,
  formatTime: (iso: string) => string,
  tasks: readonly Task[],
  numbers: ReadonlyMap<number, string>,
): ReactNode[] {
  const data = (event.data ?? {}) as Data;
  const out: ReactNode[] = [];
  switch (event.kind) {
    case 'registered':
      out.push(t('timeline.registeredVia', { channel: labels.channel(str(data.channel)), priority: labels.priority(str(data.priority)) }));
      break;
    case 'repeat_linked': {
      // Written before cases had numbers on their events: the number is found among the case's calls, never shown as an id.
      const number = numbers.get(num(data.repeatOf));
      out.push(
        <span key="repeat">
          {number ? (
            <>
              {t('timeline.repeatOf')} <DemandRef id={data.repeatOf} number={number} /> ·{' '}
            </>
          ) : null}
          {t('demand.callOrdinal', { ordinal: num(data.repeatCount ?? 0) + 1 })}
        </span>,
      );
      break;
    }
    case 'call.joined':
      out.push(
        <span key="call">
          {t('timeline.callJoined', { ordinal: num(data.ordinal) })} <DemandRef id={data.callId} number={str(data.callNumber)} /> ·{' '}
          {labels.channel(str(data.channel))} · {labels.type(str(data.type))}
          {data.source && data.source !== 'direct' ? ` · ${labels.source(str(data.source))}` : ''}
        </span>,
      );
      out.push(str(data.reason) === 'recent' ? t('timeline.joinedRecent', { days: REPEAT_WINDOW_DAYS }) : t('timeline.joinedOpen'));
      break;
    case 'joined_case':
      out.push(
        <span key="case">
          {t('timeline.joinedCase')} <DemandRef id={data.caseId} number={str(data.caseNumber)} /> · {t('demand.callOrdinal', { ordinal: num(data.ordinal) })}
        </span>,
      );
      out.push(str(data.reason) === 'recent' ? t('timeline.joinedRecent', { days: REPEAT_WINDOW_DAYS }) : t('timeline.joinedOpen'));
      break;
    case 'urged':
      out.push(t('timeline.urged', { unit: str(data.unitName), count: num(data.urgeCount) }));
      out.push(data.callNumber != null ? t('timeline.urgedByCall', { ordinal: num(data.callNumber) }) : t('timeline.urgedByLead'));
      break;
    case 'case.reopened':
      out.push(
        <span key="reopened">
          {t('timeline.reopenedByCall', { ordinal: num(data.ordinal) })} <DemandRef id={null} number={str(data.callNumber)} />
        </span>,
      );
      break;
    case 'outage.linked':
    case 'outage.restored':
      out.push(<OutageEventFacts key="outage" kind={event.kind} data={data} />);
      break;
    case 'case.unlinked':
      out.push(
        <span key="unlinked">
          {t('timeline.unlinkedCall')} <DemandRef id={data.callId} number={str(data.callNumber)} /> {t('timeline.unlinkedFrom')}{' '}
          <DemandRef id={data.caseId} number={str(data.caseNumber)} />
        </span>,
      );
      break;
    case 'work_order.reassigned': {
      const from = Array.isArray(data.from)
        ? data.from
            .map((f) => str((f as { unitName?: unknown } | null)?.unitName))
            .filter(Boolean)
            .join('、')
        : '';
      out.push(from ? t('timeline.reassignedFromTo', { from, to: str(data.unitName) }) : t('timeline.reassignedTo', { to: str(data.unitName) }));
      break;
    }
    case 'work_order.arrived':
      if (data.arrivedAt) out.push(t('timeline.arrivedAt', { time: formatTime(str(data.arrivedAt)) }));
      break;
    case 'escalated':
    case 'deadline.overdue': {
      if (data.level !== undefined) out.push(t('timeline.toLevel', { level: labels.level(num(data.level)) }));
      const reason = str(data.reason);
      if (reason === 'repeat') out.push(data.callNumber != null ? t('timeline.byCall', { ordinal: num(data.callNumber) }) : t('timeline.byRepeat'));
      if (reason === 'manual') out.push(t('timeline.byHand'));
      if (reason.startsWith('over_level:')) out.push(t('timeline.byOverLevel', { source: labels.source(reason.slice('over_level:'.length)) }));
      if (data.step) out.push(t('timeline.step', { step: labels.step(str(data.step)), due: formatTime(str(data.dueAt)) }));
      const whom = told(t, data.notified, () => t('timeline.nobodyAtLevel', { level: labels.level(num(data.level)) }));
      if (whom) out.push(whom);
      break;
    }
    case 'deadline.warning':
      out.push(t('timeline.step', { step: labels.step(str(data.step)), due: formatTime(str(data.dueAt)) }));
      break;
    case 'over_level':
    case 'important_customer': {
      out.push(event.kind === 'over_level' ? t('timeline.overLevelFrom', { source: labels.source(str(data.source)) }) : t('timeline.importantHalved'));
      const leads = names(data.teamLeads);
      const head = names(data.unitHead);
      if (leads) out.push(t('timeline.toldLeads', { names: leads }));
      if (head) out.push(t('timeline.toldUnitHead', { names: head }));
      // Old entries carry no names; new ones with nobody named say so.
      if (leads === null && head === null)
        out.push(event.kind === 'over_level' ? t('timeline.overLevel', { source: labels.source(str(data.source)) }) : t('timeline.importantCustomer'));
      else if (!leads && !head) out.push(t('timeline.toldNobody'));
      break;
    }
    case 'work_order.dispatched':
      out.push(t('timeline.dispatchedTo', { unit: str(data.unitName) }));
      break;
    case 'work_order.handled':
    case 'work_order.unresolved':
      // The unresolved report's reason is among its flags.
      out.push(<ReportFlags key="report" report={data} />);
      if (data.restoredAt) out.push(t('timeline.restoredAt', { time: formatTime(str(data.restoredAt)) }));
      break;
    case 'ownership.handed_over':
      out.push(t('ownership.timeline', { from: str(data.fromName) || t('common.none'), to: str(data.toName) }));
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

/**
 * Every event of the demand, oldest first, with who did it and what they wrote.
 * `calls`: the case's calls, whose numbers name the demands an older event knows only by id.
 */
export function DemandTimeline({
  events,
  tasks = [],
  calls = [],
}: {
  events: readonly TimelineEvent[];
  tasks?: readonly Task[];
  calls?: readonly { id: number; number: string }[] | undefined;
}) {
  const { t, tMaybe } = useI18n();
  const formatTime = useShortTime();
  const labels = useDemandLabels();
  const unitOfTask = new Map(tasks.map((task) => [task.id, task.unitName]));
  const numbers = new Map(calls.map((call) => [call.id, call.number]));
  const items = events.map((event) => {
    const facts = details(event, t, labels, formatTime, tasks, numbers);
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
      {items.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('timeline.none')} /> : <Timeline items={items} />}
    </div>
  );
}
