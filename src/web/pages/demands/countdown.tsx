import { Typography } from 'antd';
import { useSyncExternalStore } from 'react';
import { useI18n } from '../../i18n/index.js';

// A deadline read on the phone is "12 minutes left", not a clock time to
// subtract from: every deadline on screen counts down by itself. One timer
// serves every countdown of the page; time moves in steps of TICK_MS, which
// is finer than the minutes the countdowns show.

const TICK_MS = 15_000;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => listeners.forEach((l) => l()), TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The time, moving in steps of TICK_MS: the same value for every render within a step. */
const snapshot = () => Math.floor(Date.now() / TICK_MS) * TICK_MS;

export function useNow(): number {
  return useSyncExternalStore(subscribe, snapshot);
}

/** 3 小时 5 分 / 12 分钟 / 2 天 4 小时: a span as a person says it, never less than a minute. */
export function useSpanText(): (ms: number) => string {
  const { t } = useI18n();
  return (ms) => {
    const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
    const days = Math.floor(minutes / 1440);
    const hours = Math.floor((minutes % 1440) / 60);
    if (days > 0) return t('loop.span.daysHours', { days, hours });
    if (hours > 0) return t('loop.span.hours', { hours, minutes: minutes % 60 });
    return t('loop.span.minutes', { minutes });
  };
}

/** Minutes before a running deadline that its countdown turns orange (the server's own warning also does). */
const NEAR_MS = 30 * 60_000;

/**
 * 剩余 12 分钟 / 超时 8 分钟, live. `overdue` is the server's word: a deadline
 * it judged passed is shown passed even where this computer's clock is behind.
 */
export function Countdown({
  dueAt,
  overdue = false,
  warnAt,
  testId = 'countdown',
}: {
  dueAt: string;
  overdue?: boolean;
  warnAt?: string | undefined;
  testId?: string;
}) {
  const { t } = useI18n();
  const now = useNow();
  const span = useSpanText();
  const left = Date.parse(dueAt) - now;
  if (left <= 0 || overdue) {
    return (
      <Typography.Text type="danger" strong style={{ fontSize: 12 }} data-testid={testId} data-state="overdue">
        {left <= 0 ? t('deadline.overBy', { span: span(left) }) : t('deadline.overdue')}
      </Typography.Text>
    );
  }
  const near = left <= NEAR_MS || (warnAt !== undefined && Date.parse(warnAt) <= now);
  return (
    <Typography.Text type={near ? 'warning' : undefined} strong={near} style={{ fontSize: 12 }} data-testid={testId} data-state={near ? 'near' : 'running'}>
      {t('deadline.left', { span: span(left) })}
    </Typography.Text>
  );
}
