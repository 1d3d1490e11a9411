import { useCallback } from 'react';
import { useI18n } from '../i18n/index.js';

/** The kinds the server sends today; a newer kind shows under a generic label rather than as a raw code. */
export const NOTIFICATION_KINDS = [
  'work_order',
  'repeat',
  'urged',
  'over_level',
  'important_customer',
  'escalated',
  'reassigned',
  'overdue',
  'warning',
  'reopened',
  'returned',
  'handed_back',
  'unreachable',
  'handed_over',
] as const;

export function useNotificationLabel(): (kind: string) => string {
  const { t, tMaybe } = useI18n();
  return useCallback((kind: string) => tMaybe(`notify.kind.${kind}`) ?? t('notify.kind.other'), [t, tMaybe]);
}

const COLORS: Record<string, string> = {
  work_order: 'blue',
  repeat: 'volcano',
  urged: 'volcano',
  over_level: 'red',
  important_customer: 'magenta',
  escalated: 'orange',
  reassigned: 'geekblue',
  overdue: 'red',
  warning: 'gold',
  reopened: 'magenta',
  returned: 'purple',
  handed_back: 'green',
  unreachable: 'default',
  handed_over: 'cyan',
  consultation: 'cyan',
  consultation_replied: 'green',
  consultation_passed_over: 'orange',
  consultation_unanswered: 'red',
  consultation_late: 'gold',
  outage: 'volcano',
  suspected_outage: 'red',
  application_stage: 'blue',
  application_due: 'gold',
  application_late: 'orange',
  application_escalated: 'red',
  application_done: 'green',
  plan_action_due: 'gold',
  plan_action_overdue: 'red',
  plan_proposed: 'volcano',
};
export const notificationColor = (kind: string) => COLORS[kind] ?? 'default';
