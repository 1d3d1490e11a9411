import { Card, Descriptions, Empty, Tag, Typography, type DescriptionsProps } from 'antd';
import type { DemandDetail } from '../../api/demands.js';
import { useI18n } from '../../i18n/index.js';
import { Countdown } from './countdown.js';
import { useDemandLabels, useShortTime } from './labels.js';
import { raisedOf } from './raised.js';

/**
 * 传递: the demand raised to the department that owns its category, and the
 * department's answer (measures, owner, expected date), which the agent reads
 * before calling the customer back. Nothing when the demand was never raised.
 */
export function RaisedCard({ demand }: { demand: DemandDetail }) {
  const { t, formatTime } = useI18n();
  const shortTime = useShortTime();
  const labels = useDemandLabels();
  const raised = raisedOf(demand);
  if (!raised) return null;
  const { answer } = raised;

  const items: DescriptionsProps['items'] = [
    { key: 'to', label: t('raised.to'), children: <span data-testid="raised-to">{raised.toUnitName}</span> },
    { key: 'from', label: t('raised.from'), children: raised.fromUnitName || t('common.none') },
    { key: 'month', label: t('raised.month'), children: raised.month || t('common.none') },
    {
      key: 'due',
      label: t('raised.dueAt'),
      children: (
        <span>
          <Typography.Text type={raised.overdue && !answer ? 'danger' : undefined} strong={raised.overdue && !answer}>
            {shortTime(raised.dueAt)}
          </Typography.Text>
          {/* Answered, the clock has stopped; waiting, it counts down. */}
          {!answer && raised.dueAt && (
            <>
              {' · '}
              <Countdown dueAt={raised.dueAt} overdue={raised.overdue} testId="raised-countdown" />
            </>
          )}
        </span>
      ),
    },
  ];
  const answerItems: DescriptionsProps['items'] = answer
    ? [
        {
          key: 'measures',
          label: t('raised.measures'),
          span: 'filled',
          children: (
            <Typography.Text style={{ whiteSpace: 'pre-wrap' }} data-testid="raised-measures">
              {answer.measures}
            </Typography.Text>
          ),
        },
        {
          key: 'resolved',
          label: t('raised.resolved'),
          children: answer.resolved === null ? t('common.none') : <Tag color={answer.resolved ? 'green' : 'orange'}>{labels.yesNo(answer.resolved)}</Tag>,
        },
        { key: 'expected', label: t('raised.expectedBy'), children: answer.expectedBy ?? t('common.none') },
        { key: 'owner', label: t('raised.owner'), children: answer.owner ?? t('common.none') },
        { key: 'by', label: t('raised.answeredBy'), children: [answer.unitName, answer.byName].filter(Boolean).join(' · ') || t('common.none') },
        { key: 'at', label: t('raised.answeredAt'), children: formatTime(answer.at) },
      ]
    : [];

  return (
    <Card size="small" title={t('raised.title')} data-testid="demand-raised-card" data-state={answer ? 'answered' : 'waiting'}>
      <Descriptions size="small" column={{ xs: 1, sm: 2 }} items={items} />
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        {t('raised.answer')}
      </Typography.Title>
      {answer ? (
        <Descriptions size="small" column={{ xs: 1, sm: 2 }} items={answerItems} data-testid="raised-answer" />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('raised.waiting')} style={{ margin: '8px 0' }} />
      )}
    </Card>
  );
}
