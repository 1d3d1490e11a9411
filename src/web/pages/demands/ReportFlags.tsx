import { Space, Tag } from 'antd';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { useFirstHandlingText } from './labels.js';

// The structured part of a unit's report, as tags: what the centre reads before it calls the customer back.

const FLAGS: readonly [field: string, label: MessageKey][] = [
  ['powerRestored', 'report.powerRestored'],
  ['customerSideFault', 'report.customerSideFault'],
  ['paidServiceOffered', 'report.paidServiceOffered'],
  ['customerAccepted', 'report.customerAccepted'],
];

export function ReportFlags({ report }: { report: unknown }) {
  const { t } = useI18n();
  const handling = useFirstHandlingText();
  const data = (report ?? {}) as Record<string, unknown>;
  const shown = FLAGS.filter(([field]) => typeof data[field] === 'boolean');
  // A report the unit could not resolve at its level says so first, with its reason; a resolved one is the usual case and goes unmarked.
  const unresolved =
    data.resolved === false ? handling({ resolved: false, reason: typeof data.unresolvedReason === 'string' ? data.unresolvedReason : null }) : null;
  if (shown.length === 0 && !unresolved) return null;
  return (
    <Space size={4} wrap data-testid="report-flags">
      {unresolved && (
        <Tag color="orange" data-flag="resolved" data-value="false">
          {unresolved}
        </Tag>
      )}
      {shown.map(([field, label]) => (
        <Tag key={field} color={data[field] ? 'green' : 'default'} data-flag={field} data-value={String(data[field])}>
          {t('common.pair', { label: t(label), value: data[field] ? t('common.yes') : t('common.no') })}
        </Tag>
      ))}
    </Space>
  );
}
