import { App, DatePicker, Form, Input, Radio } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { setCalendarDay, type CalendarDay } from '../../api/settings.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';

/** The day picked on the calendar (listed or not), or none when the admin types one in. */
export type DayTarget = { date: string | null; day?: CalendarDay | undefined };

interface Values {
  date: Dayjs;
  working: boolean;
  name?: string;
}

const isWeekend = (date: Dayjs) => date.day() === 0 || date.day() === 6;

export function CalendarDayModal({ target, onClose, onSaved }: { target: DayTarget | null; onClose: () => void; onSaved: (date: string) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    if (!target) return;
    form.resetFields();
    const date = target.date ? dayjs(target.date) : undefined;
    // Listing a day only makes sense against its week: a weekday is listed to rest, a weekend day to work (调休).
    const working = target.day?.working ?? (date ? isWeekend(date) : false);
    form.setFieldsValue({ ...(date && { date }), working, name: target.day?.name ?? '' });
  }, [target, form]);

  const submit = async (values: Values) => {
    const date = values.date.format('YYYY-MM-DD');
    await setCalendarDay(date, { working: values.working, name: values.name?.trim() || null });
    void message.success(t('calendar.saved'));
    onSaved(date);
  };

  const required = { required: true, message: t('common.required') };
  return (
    <FormModal
      form={form}
      open={target !== null}
      title={target?.date ? t('calendar.setTitle', { date: target.date }) : t('calendar.set')}
      onCancel={onClose}
      onSubmit={submit}
      testId="calendar-form"
      width={420}
    >
      <Form.Item name="date" label={t('calendar.date')} rules={[required]}>
        <DatePicker format="YYYY-MM-DD" disabled={Boolean(target?.date)} style={{ width: '100%' }} data-testid="calendar-date" />
      </Form.Item>
      <Form.Item name="working" label={t('calendar.kind')} rules={[required]}>
        <Radio.Group
          data-testid="calendar-working"
          options={[
            { value: false, label: <span data-testid="calendar-rest-option">{t('calendar.rest')}</span> },
            { value: true, label: <span data-testid="calendar-working-option">{t('calendar.working')}</span> },
          ]}
        />
      </Form.Item>
      <Form.Item name="name" label={t('calendar.name')}>
        <Input maxLength={64} placeholder={t('calendar.namePlaceholder')} data-testid="calendar-name" />
      </Form.Item>
    </FormModal>
  );
}
