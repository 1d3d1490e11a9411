import { CheckCircleFilled, ClockCircleOutlined, CloseCircleFilled, MinusCircleOutlined } from '@ant-design/icons';
import { Space, Steps, Tag, Typography } from 'antd';
import type { Consultation, StepTime } from '../../api/experts.js';
import { useI18n } from '../../i18n/index.js';
import { useCan } from '../../session/SessionProvider.js';
import { useShortTime } from '../demands/labels.js';

// What the expert seat's pages show of a consultation: its status and its 5-5-5 steps.

const STATUS_COLORS: Record<string, string> = {
  assigned: 'orange',
  acknowledged: 'blue',
  contacted: 'geekblue',
  replied: 'cyan',
  closed: 'green',
  cancelled: 'default',
};

export function ConsultationStatusTag({ status }: { status: string }) {
  const { t, tMaybe } = useI18n();
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} data-testid="consultation-status" data-status={status}>
      {tMaybe(`consultation.status.${status}`) ?? t('common.none')}
    </Tag>
  );
}

/** One step's verdict: in time, late, running or not started. */
export function StepVerdict({ step }: { step: StepTime }) {
  const { t } = useI18n();
  if (step.withinLimit === true)
    return (
      <Typography.Text type="success" data-verdict="within">
        <CheckCircleFilled /> {t('consultation.within')}
      </Typography.Text>
    );
  if (step.withinLimit === false)
    return (
      <Typography.Text type="danger" data-verdict="late">
        <CloseCircleFilled /> {t('consultation.late')}
      </Typography.Text>
    );
  if (step.startedAt)
    return (
      <Typography.Text type="warning" data-verdict="running">
        <ClockCircleOutlined /> {t('consultation.running')}
      </Typography.Text>
    );
  return (
    <Typography.Text type="secondary" data-verdict="none">
      <MinusCircleOutlined /> {t('consultation.notStarted')}
    </Typography.Text>
  );
}

/** The five steps in order, each with its time, its limit and its verdict. */
export function StepList({ consultation, direction = 'vertical' }: { consultation: Consultation; direction?: 'vertical' | 'horizontal' }) {
  const { t } = useI18n();
  const time = useShortTime();
  const current = consultation.steps.findIndex((s) => s.endedAt === null);
  return (
    <Steps
      size="small"
      orientation={direction}
      current={current === -1 ? consultation.steps.length : current}
      items={consultation.steps.map((s) => ({
        title: t(`consultation.step.${s.step}`),
        status: s.withinLimit === false ? 'error' : s.endedAt ? 'finish' : s.startedAt ? 'process' : 'wait',
        description: (
          <Space orientation="vertical" size={0} data-testid={`step-${s.step}`}>
            <span>
              {s.endedAt ? time(s.endedAt) : t('common.none')}
              {s.minutes !== null && ` · ${t('consultation.took', { minutes: s.minutes })}`}
            </span>
            <Space size={6}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('consultation.limit', { minutes: s.limit })}
              </Typography.Text>
              <StepVerdict step={s} />
            </Space>
          </Space>
        ),
      }))}
    />
  );
}

/** The steps in one column, each with its minutes and verdict (lists and the record form); `started` leaves out those not begun. */
export function StepSummary({ steps, started = false }: { steps: readonly StepTime[]; started?: boolean }) {
  const { t } = useI18n();
  return (
    <Space orientation="vertical" size={0}>
      {steps
        .filter((s) => !started || s.startedAt)
        .map((s) => (
          <span key={s.step} style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
            {t(`consultation.step.${s.step}`)} {s.minutes !== null && t('consultation.took', { minutes: s.minutes })} <StepVerdict step={s} />
          </span>
        ))}
    </Space>
  );
}

/** What the seat's dialogs get: the consultation as displayed, and the page's conflict guard. */
export interface ConsultationModalProps {
  consultation: Consultation;
  open: boolean;
  onClose: () => void;
  /** After the change: ok false when it met a conflict (the page shows it); the message is for success. */
  onDone: (ok: boolean, message: string) => void;
  guard: (change: () => Promise<unknown>) => Promise<boolean>;
}

/** Which of the seat's buttons the user is offered: each the action its request needs, from GET /api/me's `can`; the API checks every call again. */
export function useExpertRights() {
  const can = useCan();
  return {
    /** Acknowledge, call the customer, reply: the expert's steps. */
    answer: can('consultation.answer'),
    /** Forward questions and call the customer back: the centre. */
    forward: can('consultation.forward'),
    /** Anyone's topics, hours, availability and leadership in the pool. */
    manage: can('expert.manage'),
    /** One's own topics, hours and availability. */
    profile: can('expert.profile'),
    fileProblem: can('problem.file'),
    manageProblems: can('problem.manage'),
    logTraining: can('training.log'),
    readRecords: can('consultation.read'),
  };
}
