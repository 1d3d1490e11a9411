import { DatePicker, Segmented, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useI18n } from '../../i18n/index.js';
import { lastEndedQuarter, quarterStart } from './labels.js';

// The period a page shows, kept in the address (?from=&to=, dates; `to` is
// exclusive as the API takes it): a quarter by default, the last one ended.

export interface Period {
  from: string;
  /** Exclusive: the day after the last day. */
  to: string;
  /** When the period is exactly a quarter. */
  quarter: { year: number; quarter: number } | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function quarterOf(from: string, to: string): Period['quarter'] {
  const start = dayjs(from);
  if (start.date() !== 1 || start.month() % 3 !== 0) return null;
  return start.add(3, 'month').format('YYYY-MM-DD') === to ? { year: start.year(), quarter: start.month() / 3 + 1 } : null;
}

export function usePeriod(): [Period, (from: string, to: string) => void] {
  const [params, setParams] = useSearchParams();
  const from = params.get('from');
  const to = params.get('to');
  const { timeZone } = useI18n();
  const given = from && to && DATE.test(from) && DATE.test(to) && from < to ? { from, to } : null;
  const period = given ?? lastEndedQuarter(timeZone);
  return [{ from: period.from, to: period.to, quarter: quarterOf(period.from, period.to) }, (f, t) => setParams({ from: f, to: t })];
}

/** A quarter picker, or any span of days. */
export function PeriodPicker({ period, onChange }: { period: Period; onChange: (from: string, to: string) => void }) {
  const { t, timeZone } = useI18n();
  const [mode, setMode] = useState<'quarter' | 'range'>(period.quarter ? 'quarter' : 'range');
  const fallback = lastEndedQuarter(timeZone);
  const quarter = period.quarter ?? fallback;
  return (
    <Space wrap data-testid="period-picker">
      <Typography.Text>{t('loop.period.label')}</Typography.Text>
      <Segmented
        value={mode}
        onChange={(next) => {
          setMode(next);
          if (next === 'quarter' && !period.quarter) onChange(fallback.from, fallback.to);
        }}
        options={[
          { value: 'quarter' as const, label: t('loop.period.quarter') },
          { value: 'range' as const, label: t('loop.period.range') },
        ]}
      />
      {mode === 'quarter' ? (
        <DatePicker
          picker="quarter"
          allowClear={false}
          value={quarterStart(quarter.year, quarter.quarter)}
          onChange={(d) => {
            if (!d) return;
            const start = d.month(Math.floor(d.month() / 3) * 3).date(1);
            onChange(start.format('YYYY-MM-DD'), start.add(3, 'month').format('YYYY-MM-DD'));
          }}
          data-testid="period-quarter"
        />
      ) : (
        <DatePicker.RangePicker
          allowClear={false}
          format="YYYY-MM-DD"
          value={[dayjs(period.from), dayjs(period.to).subtract(1, 'day')]}
          onChange={(range) => {
            const [a, b] = range ?? [];
            if (a && b) onChange(a.format('YYYY-MM-DD'), b.add(1, 'day').format('YYYY-MM-DD'));
          }}
          data-testid="period-range"
        />
      )}
    </Space>
  );
}
