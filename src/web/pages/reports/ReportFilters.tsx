import { DatePicker, Segmented, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { addMonths, localDate } from '../../../shared/time.js';
import type { Unit } from '../../api/client.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { useI18n } from '../../i18n/index.js';

// The filters every standard report takes: a period of local days (a month,
// or any span; `to` exclusive as the API takes it) and a unit (its subtree).

export interface ReportPeriod {
  from: string;
  to: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** This month so far, in the company's zone: its first day to the first of the next. */
export function thisMonth(timeZone: string): ReportPeriod {
  const month = localDate(new Date(), timeZone).slice(0, 7);
  return { from: `${month}-01`, to: `${addMonths(month, 1)}-01` };
}

/** The period in the address, when it is one; else this month. */
export function periodOf(from: string | null, to: string | null, timeZone: string): ReportPeriod {
  return from && to && DATE.test(from) && DATE.test(to) && from < to ? { from, to } : thisMonth(timeZone);
}

const isMonth = (p: ReportPeriod) => p.from.endsWith('-01') && p.to === `${addMonths(p.from.slice(0, 7), 1)}-01`;

export function ReportPeriodPicker({ period, onChange }: { period: ReportPeriod; onChange: (period: ReportPeriod) => void }) {
  const { t } = useI18n();
  const [mode, setMode] = useState<'month' | 'range'>(isMonth(period) ? 'month' : 'range');
  return (
    <Space wrap data-testid="report-period">
      <Typography.Text>{t('report.period.label')}</Typography.Text>
      <Segmented
        value={mode}
        onChange={(next) => {
          setMode(next);
          if (next === 'month' && !isMonth(period)) {
            const month = period.from.slice(0, 7);
            onChange({ from: `${month}-01`, to: `${addMonths(month, 1)}-01` });
          }
        }}
        options={[
          { value: 'month' as const, label: t('report.period.month') },
          { value: 'range' as const, label: t('report.period.range') },
        ]}
        data-testid="report-period-mode"
      />
      {mode === 'month' ? (
        <DatePicker
          picker="month"
          allowClear={false}
          value={dayjs(period.from)}
          onChange={(d) => {
            if (!d) return;
            const month = d.format('YYYY-MM');
            onChange({ from: `${month}-01`, to: `${addMonths(month, 1)}-01` });
          }}
          data-testid="report-month"
        />
      ) : (
        <DatePicker.RangePicker
          allowClear={false}
          format="YYYY-MM-DD"
          value={[dayjs(period.from), dayjs(period.to).subtract(1, 'day')]}
          onChange={(range) => {
            const [a, b] = range ?? [];
            if (a && b) onChange({ from: a.format('YYYY-MM-DD'), to: b.add(1, 'day').format('YYYY-MM-DD') });
          }}
          data-testid="report-range"
        />
      )}
    </Space>
  );
}

export function ReportUnitPicker({ units, value, onChange }: { units: readonly Unit[]; value: number | null; onChange: (id: number | null) => void }) {
  const { t } = useI18n();
  return (
    <Space wrap>
      <Typography.Text>{t('report.unit.label')}</Typography.Text>
      <UnitTreeSelect units={units} value={value} onChange={onChange} allowClear placeholder={t('report.unit.all')} data-testid="report-unit" />
    </Space>
  );
}
