import { Typography } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/index.js';
import { useSpanText } from '../demands/countdown.js';

// Small pieces the dashboards share: a share as a percentage, a change
// against an earlier figure, and a limit's time left as of the server's clock.

/** 87.5 %, or — when there is nothing to divide by. */
export function usePercent(): (x: number | null | undefined, digits?: number) => string {
  const { t } = useI18n();
  return (x, digits = 1) => (x === null || x === undefined ? t('common.none') : `${(x * 100).toFixed(digits)}%`);
}

/**
 * The change of a figure against an earlier one, coloured by whether it is
 * better: `higherIsBetter` false for complaints and overdue cases.
 */
export function Change({
  now,
  before,
  label,
  higherIsBetter,
  percent,
}: {
  now: number | null;
  before: number | null;
  label: string;
  higherIsBetter: boolean;
  percent?: boolean;
}) {
  const { t } = useI18n();
  if (now === null || before === null) {
    return (
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('dashboard.change.none', { label })}
      </Typography.Text>
    );
  }
  const diff = now - before;
  const text = percent ? `${(Math.abs(diff) * 100).toFixed(1)}%` : String(Math.abs(diff));
  const arrow = diff > 0 ? '↑' : diff < 0 ? '↓' : '';
  const better = diff === 0 ? undefined : diff > 0 === higherIsBetter;
  return (
    <Typography.Text type={better === undefined ? 'secondary' : better ? 'success' : 'danger'} style={{ fontSize: 12 }} data-testid="figure-change">
      {diff === 0 ? t('dashboard.change.same', { label }) : t('dashboard.change.by', { label, change: `${arrow}${text}` })}
    </Typography.Text>
  );
}

/** 剩余 40 分钟 / 超时 15 分钟 as of the server's `now` (the answer's clock, not this computer's). */
export function TimeLeft({ dueAt, now }: { dueAt: string | null; now: string }) {
  const { t } = useI18n();
  const span = useSpanText();
  if (dueAt === null) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const left = Date.parse(dueAt) - Date.parse(now);
  if (left <= 0)
    return (
      <Typography.Text type="danger" strong data-testid="time-left" data-state="overdue">
        {t('deadline.overBy', { span: span(left) })}
      </Typography.Text>
    );
  return (
    <Typography.Text type={left <= 30 * 60_000 ? 'warning' : undefined} data-testid="time-left" data-state="running">
      {t('deadline.left', { span: span(left) })}
    </Typography.Text>
  );
}

/** A pane's empty state in the dashboards' words. */
export function Nothing({ children }: { children: ReactNode }) {
  return (
    <Typography.Text type="secondary" data-testid="pane-empty">
      {children}
    </Typography.Text>
  );
}
