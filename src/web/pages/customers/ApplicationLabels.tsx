import { Tag, Typography } from 'antd';
import type { ApplicationStage, ApplicationStatus, ApplicationSummary, ApplicationTrack } from '../../api/applications.js';
import { localTime } from '../../../shared/time.js';
import { useI18n } from '../../i18n/index.js';
import { Countdown } from '../demands/countdown.js';
import { useShortTime } from '../demands/labels.js';

// The green channel's words: stages, tracks, statuses, and the time a stage
// has left (or is over by), never the server's codes.

export function useApplicationLabels() {
  const { t } = useI18n();
  return {
    stage: (stage: ApplicationStage) => t(`stage.${stage}`),
    track: (track: ApplicationTrack) => t(`application.track.${track}`),
    status: (status: ApplicationStatus) => t(`application.status.${status}`),
  };
}

const STATUS_COLORS: Record<ApplicationStatus, string> = { open: 'processing', completed: 'success', cancelled: 'default' };

export function ApplicationStatusTag({ status }: { status: ApplicationStatus }) {
  const labels = useApplicationLabels();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="application-status" data-status={status}>
      {labels.status(status)}
    </Tag>
  );
}

/** The stage under way's time: left, or over by; done or cancelled otherwise. */
export function StageTime({ application }: { application: Pick<ApplicationSummary, 'status' | 'stageDueAt' | 'late'> }) {
  const { t } = useI18n();
  if (application.status !== 'open' || !application.stageDueAt)
    return <Typography.Text type="secondary">{application.status === 'completed' ? t('applications.done') : t('applications.cancelled')}</Typography.Text>;
  return <Countdown dueAt={application.stageDueAt} overdue={application.late} testId="application-time" />;
}

/** A due moment as people say it: a limit of working days ends at midnight, shown as 24:00 of its last day (12/08 24:00), not 00:00 of the next. */
export function useDueTime(): (iso: string | null | undefined) => string {
  const { timeZone } = useI18n();
  const shortTime = useShortTime();
  return (iso) => {
    if (!iso || localTime(iso, timeZone) !== '00:00') return shortTime(iso);
    return shortTime(new Date(Date.parse(iso) - 60_000).toISOString()).replace('23:59', '24:00');
  };
}
