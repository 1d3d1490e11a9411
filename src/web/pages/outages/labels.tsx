import { Tag, Tooltip, Typography } from 'antd';
import { useMemo } from 'react';
import type { Outage, OutageKind, OutageStatus } from '../../api/outages.js';
import { useI18n } from '../../i18n/index.js';
import { useNow, useSpanText } from '../demands/countdown.js';
import { useShortTime } from '../demands/labels.js';

// The outages' words and tags. Kinds and statuses are codes from the server; a
// code newer than this web app shows as itself rather than breaking the page.

export function useOutageLabels() {
  const { tMaybe } = useI18n();
  return useMemo(
    () => ({
      kind: (kind: string) => tMaybe(`outage.kind.${kind}`) ?? kind,
      status: (status: string) => tMaybe(`outage.status.${status}`) ?? status,
    }),
    [tMaybe],
  );
}

const KIND_COLORS: Record<OutageKind, string> = { planned: 'blue', maintenance: 'cyan', load_shedding: 'purple', fault: 'volcano' };
const STATUS_COLORS: Record<OutageStatus, string> = { announced: 'gold', in_progress: 'red', restored: 'green', cancelled: 'default' };

export function KindTag({ kind }: { kind: string }) {
  const labels = useOutageLabels();
  return (
    <Tag color={KIND_COLORS[kind as OutageKind] ?? 'default'} data-testid="outage-kind" data-kind={kind}>
      {labels.kind(kind)}
    </Tag>
  );
}

export function OutageStatusTag({ status }: { status: string }) {
  const labels = useOutageLabels();
  return (
    <Tag color={STATUS_COLORS[status as OutageStatus] ?? 'default'} data-testid="outage-status" data-status={status}>
      {labels.status(status)}
    </Tag>
  );
}

/** 迟报: announced after its notice was due; the reason the announcer gave on hover. */
export function LateTag({ reason }: { reason: string | null }) {
  const { t } = useI18n();
  if (!reason) return null;
  return (
    <Tooltip title={t('outage.lateReasonIs', { reason })}>
      <Tag color="orange" data-testid="outage-late" style={{ cursor: 'help' }}>
        {t('outage.late')}
      </Tag>
    </Tooltip>
  );
}

export const isActive = (outage: { status: string }) => outage.status === 'announced' || outage.status === 'in_progress';

/**
 * What an agent tells a caller about when: an announced outage starts in 3 小时,
 * a running one is expected back in 2 小时 5 分 (or is past its expected time),
 * an ended one says when it ended.
 */
export function OutageWhen({
  outage,
  compact = false,
}: {
  outage: Pick<Outage, 'status' | 'startsAt' | 'expectedEndAt' | 'restoredAt' | 'cancelledAt'>;
  compact?: boolean;
}) {
  const { t } = useI18n();
  const now = useNow();
  const span = useSpanText();
  const shortTime = useShortTime();
  const line = (text: string, type?: 'danger' | 'warning' | 'secondary', state?: string) => (
    <Typography.Text type={type} strong={type === 'danger'} style={{ fontSize: compact ? 12 : undefined }} data-testid="outage-when" data-state={state}>
      {text}
    </Typography.Text>
  );
  if (outage.status === 'restored') return line(t('outage.when.restoredAt', { time: shortTime(outage.restoredAt) }), 'secondary', 'restored');
  if (outage.status === 'cancelled') return line(t('outage.when.cancelledAt', { time: shortTime(outage.cancelledAt) }), 'secondary', 'cancelled');
  const startsIn = Date.parse(outage.startsAt) - now;
  if (outage.status === 'announced' && startsIn > 0) return line(t('outage.when.startsIn', { span: span(startsIn) }), undefined, 'upcoming');
  const left = Date.parse(outage.expectedEndAt) - now;
  if (left <= 0) return line(t('outage.when.pastExpected', { span: span(left) }), 'danger', 'overdue');
  return line(t('outage.when.backIn', { span: span(left) }), left < 30 * 60_000 ? 'warning' : undefined, 'running');
}
