import { Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { categoryLabel, subcategoryLabel, typeLabel } from '../../../shared/taxonomy.js';
import { localDate } from '../../../shared/time.js';
import type { Demand } from '../../api/demands.js';
import { Countdown } from './countdown.js';
import { useI18n } from '../../i18n/index.js';

// Labels and tags for the demand's codes. The taxonomy (types, categories,
// sub-categories) is data in src/shared/taxonomy.ts; the workflow's words
// (statuses, steps, levels) are the dictionary's. A code newer than this web
// app shows as itself rather than breaking the page.

export function useDemandLabels() {
  const { lang, t, tMaybe } = useI18n();
  return useMemo(() => {
    const code = (prefix: string, value: string | null | undefined) => (value == null ? t('common.none') : (tMaybe(`${prefix}.${value}`) ?? value));
    return {
      type: (value: string) => typeLabel(value, lang),
      category: (value: string | null) => (value ? categoryLabel(value, lang) : t('common.none')),
      subcategory: (value: string | null) => (value ? subcategoryLabel(value, lang) : t('common.none')),
      channel: (value: string) => code('channel', value),
      status: (value: string) => code('demandStatus', value),
      priority: (value: string) => code('priority', value),
      source: (value: string) => code('source', value),
      level: (value: number) => code('escalation', String(value)),
      step: (value: string | null) => code('step', value),
      taskStatus: (value: string) => code('taskStatus', value),
      customerClass: (value: string) => code('customerClass', value),
      outcome: (value: string | null | undefined) => code('outcome', value),
      areaClass: (value: string) => code('areaClass', value),
      unresolvedReason: (value: string | null | undefined) => code('unresolvedReason', value),
      verdict: (value: string | null | undefined) => code('verdict', value),
      yesNo: (value: unknown) => (value === true ? t('common.yes') : value === false ? t('common.no') : t('common.none')),
    };
  }, [lang, t, tMaybe]);
}

const STATUS_COLORS: Record<string, string> = { open: 'orange', dispatched: 'processing', awaiting_callback: 'purple', closed: 'success' };
const LEVEL_COLORS = ['default', 'gold', 'orange', 'red'];
const PRIORITY_COLORS: Record<string, string> = { normal: 'default', high: 'orange', urgent: 'red' };
const TASK_COLORS: Record<string, string> = { dispatched: 'blue', accepted: 'cyan', arrived: 'geekblue', handled: 'green', returned: 'red', closed: 'default' };

export function StatusTag({ status, testId }: { status: string; testId?: string }) {
  const labels = useDemandLabels();
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} data-testid={testId} data-status={status}>
      {labels.status(status)}
    </Tag>
  );
}

/** `labelled` where no column header says what the tag is, as in the demand's own header. */
export function LevelTag({ level, labelled }: { level: number; labelled?: boolean }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  return (
    <Tag color={LEVEL_COLORS[level] ?? 'red'} data-testid="escalation-level" data-level={level}>
      {labelled ? t('common.pair', { label: t('demand.escalation'), value: labels.level(level) }) : labels.level(level)}
    </Tag>
  );
}

export function PriorityTag({ priority, labelled }: { priority: string; labelled?: boolean }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  return (
    <Tag color={PRIORITY_COLORS[priority] ?? 'default'} data-testid="priority" data-priority={priority}>
      {labelled ? t('common.pair', { label: t('demand.priority'), value: labels.priority(priority) }) : labels.priority(priority)}
    </Tag>
  );
}

export function TaskStatusTag({ status }: { status: string }) {
  const labels = useDemandLabels();
  return (
    <Tag color={TASK_COLORS[status] ?? 'default'} data-testid="task-status" data-status={status}>
      {labels.taskStatus(status)}
    </Tag>
  );
}

type Deadline = Demand['deadlines'][number];

/** The deadline the demand waits on now: the earliest one not yet met. */
export function nextDeadline(deadlines: readonly Deadline[]): Deadline | undefined {
  return deadlines.filter((d) => d.metAt === null).sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
}

/**
 * A compact time for dense tables and the timeline, in the company's zone:
 * minutes are what deadlines are counted in, and the year only matters when
 * it is not this one.
 */
export function useShortTime(): (iso: string | null | undefined) => string {
  const { lang, t, timeZone } = useI18n();
  return useMemo(() => {
    const options: Intl.DateTimeFormatOptions = { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone };
    const thisYear = new Intl.DateTimeFormat(lang, options);
    const otherYear = new Intl.DateTimeFormat(lang, { ...options, year: 'numeric' });
    const year = localDate(Date.now(), timeZone).slice(0, 4);
    return (iso) => {
      if (!iso) return t('common.none');
      const date = new Date(iso);
      if (Number.isNaN(date.getTime())) return iso;
      return (localDate(date, timeZone).slice(0, 4) === year ? thisYear : otherYear).format(date);
    };
  }, [lang, t, timeZone]);
}

/** The next deadline of a row: its countdown first (剩余 12 分钟 / 超时 8 分钟), then its step and due time. */
export function DueTime({ deadline }: { deadline: { dueAt: string; step: string | null; overdue: boolean; warnAt?: string } | undefined }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const shortTime = useShortTime();
  if (!deadline) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  return (
    <span data-testid="next-due" data-overdue={deadline.overdue} style={{ whiteSpace: 'nowrap' }}>
      <Countdown dueAt={deadline.dueAt} overdue={deadline.overdue} warnAt={deadline.warnAt} />
      <br />
      <Typography.Text type={deadline.overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
        {labels.step(deadline.step)} · {shortTime(deadline.dueAt)}
      </Typography.Text>
    </span>
  );
}

/** 首次处理 in words: 已解决, or 本级无法解决（需电网投资）. Null while no report came back. */
export function useFirstHandlingText(): (first: { resolved: boolean | null; reason: string | null }) => string | null {
  const { t } = useI18n();
  const labels = useDemandLabels();
  return useMemo(
    () => (first) => {
      if (first.resolved === null) return null;
      if (first.resolved) return t('firstHandling.resolved');
      return first.reason ? t('firstHandling.unresolvedWhy', { reason: labels.unresolvedReason(first.reason) }) : t('firstHandling.unresolved');
    },
    [t, labels],
  );
}

/** 不属实 stands out (it takes the complaint out of the evaluation); 属实 is only confirmed. */
export function VerdictTag({ verdict, testId }: { verdict: string; testId?: string }) {
  const labels = useDemandLabels();
  return (
    <Tag
      color={verdict === 'unfounded' ? '#8c8c8c' : 'blue'}
      variant={verdict === 'unfounded' ? 'solid' : 'outlined'}
      data-testid={testId}
      data-verdict={verdict}
    >
      {labels.verdict(verdict)}
    </Tag>
  );
}
