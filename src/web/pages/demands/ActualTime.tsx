import { DatePicker, Form } from 'antd';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../i18n/index.js';
import { instantOfWallClock, wallClockOf } from '../../i18n/time.js';

// When the crew arrived, when the power came back: the actual time, where the
// report is made after the fact. It defaults to now, is never in the future,
// and never before the step it follows (the dispatch, the arrival); the
// server checks the same and names the field if not. The picker shows and
// takes the company's time (its wall clock as the value's fields), whatever
// zone this computer keeps.

const FORMAT = 'YYYY-MM-DD HH:mm';

/** Within this of the moment the dialog opened, the time is "now": it is not sent, and the server's clock decides. */
const NOW_MS = 60_000;

/** Now on the company's wall clock, as the picker's value. */
export const wallClockNow = (zone: string): Dayjs => wallClockOf(Date.now(), zone);

/** The time to send: undefined when the user left it at now (this computer's clock may not be the server's). */
export function actualTimeOf(value: Dayjs | null | undefined, openedAt: Dayjs, zone: string): string | undefined {
  if (!value) return undefined;
  return Math.abs(value.diff(openedAt)) < NOW_MS ? undefined : instantOfWallClock(value, zone).toISOString();
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

interface Props {
  name: string;
  label: string;
  /** The time the step followed: the dispatch, or the arrival. */
  notBefore: string | null | undefined;
  testId: string;
}

export function ActualTimeItem({ name, label, notBefore, testId }: Props) {
  const { t, timeZone } = useI18n();
  const floor = notBefore ? wallClockOf(notBefore, timeZone) : null;
  // Future days, and the hours and minutes still to come today, cannot be picked; nor anything before the step it follows.
  const disabledDate = (d: Dayjs) => d.isAfter(wallClockNow(timeZone), 'day') || (floor !== null && d.isBefore(floor, 'day'));
  const disabledTime = (d: Dayjs | null) => {
    const now = wallClockNow(timeZone);
    const hours: number[] = [];
    const minutesOf: ((hour: number) => number[])[] = [];
    if (d?.isSame(now, 'day')) {
      hours.push(...range(now.hour() + 1, 24));
      minutesOf.push((hour) => (hour === now.hour() ? range(now.minute() + 1, 60) : []));
    }
    if (floor && d?.isSame(floor, 'day')) {
      hours.push(...range(0, floor.hour()));
      minutesOf.push((hour) => (hour === floor.hour() ? range(0, floor.minute()) : []));
    }
    return { disabledHours: () => hours, disabledMinutes: (hour: number) => minutesOf.flatMap((f) => f(hour)) };
  };
  return (
    <Form.Item
      name={name}
      label={label}
      extra={floor ? t('actualTime.hintAfter', { time: floor.format(FORMAT) }) : t('actualTime.hint')}
      rules={[
        {
          validator: async (_, value: Dayjs | null | undefined) => {
            if (!value) return;
            if (value.isAfter(wallClockNow(timeZone).add(1, 'minute'))) throw new Error(t('actualTime.future'));
            if (floor && value.isBefore(floor.second(0))) throw new Error(t('actualTime.beforeStep', { time: floor.format(FORMAT) }));
          },
        },
      ]}
    >
      <DatePicker
        showTime={{ format: 'HH:mm' }}
        format={FORMAT}
        allowClear={false}
        disabledDate={disabledDate}
        disabledTime={disabledTime}
        style={{ width: 220 }}
        data-testid={testId}
      />
    </Form.Item>
  );
}
