import { Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useMemo } from 'react';
import { localDateTime } from '../../../shared/time.js';
import type { Unit } from '../../api/client.js';
import { subtreeIds } from '../../components/unitTree.js';
import { useI18n } from '../../i18n/index.js';
import { todayIn } from '../../i18n/time.js';
import { useCan, useMe } from '../../session/SessionProvider.js';
import { useSpanText } from '../demands/countdown.js';

// What the management loop's pages share: who may do what, the centre's
// clock, time left to a deadline, and the words for the server's codes.
// The company's business day is its own zone's (useI18n().timeZone): a
// deadline falls at midnight there, whatever clock the reader's computer keeps.

/** Which buttons the user is offered: each the action its request needs, from GET /api/me's `can`; the API checks every call again. */
export function useLoopRights() {
  const me = useMe();
  const can = useCan();
  return {
    /** Make a month's transfer batch by hand. */
    manageTransfers: can('transfer.manage'),
    /** Open meetings, assemble their packs, record decisions and action items. */
    manageMeetings: can('meeting.manage'),
    /** Enter service events; compute and publish quarters. */
    manageEvaluation: can('evaluation.manage'),
    /** Answer the transfer items raised to one's department. */
    answer: can('transfer.answer'),
    /** Progress on the action items one's unit owns (the centre: any). */
    progress: can('action_item.update'),
    /** The centre sees every unit's rows; a unit's handlers their own (the server's scope, GET /api/me's `cityWide`). */
    cityWide: me.cityWide,
    /** Bring a suggestion to the next meeting. */
    suggest: can('suggestion.file'),
  };
}

/** The user's unit and those below it: what a handler answers and reports for. */
export function useMyUnits(units: readonly Unit[] | undefined): Set<number> {
  const { unitId } = useMe().user;
  return useMemo(() => (units ? subtreeIds(units, unitId) : new Set<number>([unitId])), [units, unitId]);
}

/** Dates and times in the company's zone, written the same way in both languages. */
export function useCompanyTime() {
  const { timeZone } = useI18n();
  return useMemo(() => {
    const parts = (iso: string) => {
      const text = localDateTime(iso, timeZone);
      return { date: text.slice(0, 10), time: text.slice(11, 16) };
    };
    return {
      dateTime: (iso: string | null | undefined) => (iso ? `${parts(iso).date} ${parts(iso).time}` : '—'),
      date: (iso: string | null | undefined) => (iso ? parts(iso).date : '—'),
      /** A deadline at midnight is the end of the day before: 24:00 of it, as the centre says. */
      due: (iso: string) => {
        const { date, time } = parts(iso);
        return time === '00:00' ? `${parts(new Date(Date.parse(iso) - 60_000).toISOString()).date} 24:00` : `${date} ${time}`;
      },
      /** An exclusive end, shown as the last day it includes. */
      lastDay: (iso: string) => parts(new Date(Date.parse(iso) - 1).toISOString()).date,
    };
  }, [timeZone]);
}

/** The first day of the last quarter that has ended in the company's zone, and of the one after it. */
export function lastEndedQuarter(zone: string): { year: number; quarter: number; from: string; to: string } {
  const today = dayjs(todayIn(zone));
  const thisQuarterStart = today.month(Math.floor(today.month() / 3) * 3).date(1);
  const start = thisQuarterStart.subtract(3, 'month');
  return { year: start.year(), quarter: Math.floor(start.month() / 3) + 1, from: start.format('YYYY-MM-DD'), to: thisQuarterStart.format('YYYY-MM-DD') };
}

export const quarterStart = (year: number, quarter: number) => dayjs(`${year}-${String((quarter - 1) * 3 + 1).padStart(2, '0')}-01`);

/** A fraction as a percentage, without trailing zeros: 0.6 → 60%, 1/3 → 33.33%. */
export const pct = (fraction: number) => `${Number((fraction * 100).toFixed(2))}%`;
/** Points, to two decimals without trailing zeros. */
export const pts = (n: number) => String(Number(n.toFixed(2)));

/** Time left to a deadline, or how far past it; a met deadline says whether it was met in time. */
export function TimeLeft({ dueAt, metAt, testId }: { dueAt: string; metAt?: string | null; testId?: string }) {
  const { t } = useI18n();
  const span = useSpanText();
  if (metAt) {
    const late = metAt > dueAt;
    return (
      <Typography.Text type={late ? 'warning' : 'success'} style={{ fontSize: 12 }} data-testid={testId} data-state={late ? 'met-late' : 'met'}>
        {late ? t('loop.metLate', { span: span(Date.parse(metAt) - Date.parse(dueAt)) }) : t('loop.metInTime')}
      </Typography.Text>
    );
  }
  const left = Date.parse(dueAt) - Date.now();
  if (left < 0)
    return (
      <Typography.Text type="danger" strong style={{ fontSize: 12 }} data-testid={testId} data-state="overdue">
        {t('loop.overdueBy', { span: span(left) })}
      </Typography.Text>
    );
  return (
    <Typography.Text type={left < 86_400_000 ? 'warning' : 'secondary'} style={{ fontSize: 12 }} data-testid={testId} data-state="running">
      {t('loop.timeLeft', { span: span(left) })}
    </Typography.Text>
  );
}

/** A word for a code of the server, or the code itself when it is newer than this dictionary. */
export function useCodeWord() {
  const { t, tMaybe } = useI18n();
  return (prefix: string, code: string | null | undefined) => (code == null ? t('common.none') : (tMaybe(`${prefix}.${code}`) ?? code));
}

const EVENT_COLORS: Record<string, string> = { service_event: 'red', criticism: 'orange', praise: 'green' };
export function EventKindTag({ kind }: { kind: string }) {
  const word = useCodeWord();
  return (
    <Tag color={EVENT_COLORS[kind] ?? 'default'} data-kind={kind}>
      {word('loop.evaluation.event.kind', kind)}
    </Tag>
  );
}

const EVALUATION_COLORS: Record<string, string> = { draft: 'gold', published: 'green', superseded: 'default' };
export function EvaluationStatusTag({ status }: { status: string }) {
  const word = useCodeWord();
  return (
    <Tag color={EVALUATION_COLORS[status] ?? 'default'} data-testid="evaluation-status" data-status={status}>
      {word('loop.evaluation.status', status)}
    </Tag>
  );
}

/** "2026年第3季度", or "2026 Q3". */
export function useQuarterName() {
  const { t } = useI18n();
  return useCallback(
    (year: number, quarter: number, revision?: number) =>
      revision && revision > 1
        ? `${t('loop.evaluation.quarterName', { year, quarter })} · ${t('loop.evaluation.revisionN', { revision })}`
        : t('loop.evaluation.quarterName', { year, quarter }),
    [t],
  );
}

/** A batch's overdue items: those still waiting (red, the ones to chase) apart from those answered late. */
export function OverdueCounts({ batch }: { batch: { overdue: number; overdueOpen: number } }) {
  const { t } = useI18n();
  const late = batch.overdue - batch.overdueOpen;
  if (batch.overdue === 0) return <Typography.Text type="secondary">0</Typography.Text>;
  return (
    <span data-testid="batch-overdue" data-open={batch.overdueOpen} data-late={late}>
      {batch.overdueOpen > 0 && <Tag color="red">{t('loop.transfer.overdueOpen', { n: batch.overdueOpen })}</Tag>}
      {late > 0 && <Typography.Text type="secondary">{t('loop.transfer.lateAnswers', { n: late })}</Typography.Text>}
    </span>
  );
}
