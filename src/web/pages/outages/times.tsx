import { DatePicker, Form } from 'antd';
import type { Dayjs } from 'dayjs';
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/index.js';
import { instantOfWallClock, wallClockOf } from '../../i18n/time.js';

// An outage's times are the company's wall clock (i18n/time.ts), picked to the
// minute. An expected end is offered as "in 2 hours" first: on a fault, that
// is how the crew's foreman says it on the phone.

export const FORMAT = 'YYYY-MM-DD HH:mm';

/** Now on the company's wall clock, rounded up to the next `step` minutes. */
export function wallClockSoon(zone: string, addMinutes = 0, step = 10): Dayjs {
  const now = wallClockOf(Date.now(), zone).add(addMinutes, 'minute');
  const over = now.minute() % step;
  return now
    .second(0)
    .millisecond(0)
    .add(over === 0 ? 0 : step - over, 'minute');
}

export const isoOf = (value: Dayjs, zone: string): string => instantOfWallClock(value, zone).toISOString();

interface Props {
  name: string;
  label: ReactNode;
  testId: string;
  /** The picked time must be after this wall-clock time (the outage's start); now when absent. */
  after?: Dayjs | null | undefined;
  /** Whether the past may be picked (an outage's start may have come already, for a fault). */
  allowPast?: boolean;
  /** Offered as one click: "in 1 hour", "in 2 hours", … from now. */
  presets?: readonly number[];
  extra?: ReactNode;
  message?: string;
}

export function OutageTimeItem({ name, label, testId, after, allowPast = false, presets = [], extra, message }: Props) {
  const { t, timeZone } = useI18n();
  const floor = () => after ?? (allowPast ? null : wallClockOf(Date.now(), timeZone));
  return (
    <Form.Item
      name={name}
      label={label}
      extra={extra}
      rules={[
        { required: true, message: t('common.required') },
        {
          validator: async (_, value: Dayjs | null | undefined) => {
            const f = floor();
            if (value && f && !value.isAfter(f)) throw new Error(message ?? t('outage.time.future'));
          },
        },
      ]}
    >
      <DatePicker
        showTime={{ format: 'HH:mm', minuteStep: 5 }}
        format={FORMAT}
        allowClear={false}
        needConfirm={false}
        disabledDate={(d) => {
          const f = floor();
          return f !== null && d.isBefore(f, 'day');
        }}
        presets={presets.map((hours) => ({ label: t('outage.time.inHours', { hours }), value: () => wallClockSoon(timeZone, hours * 60) }))}
        style={{ width: 240 }}
        data-testid={testId}
      />
    </Form.Item>
  );
}
