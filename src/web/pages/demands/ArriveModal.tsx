import { Form, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { arriveOrder } from '../../api/demands.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';
import { actualTimeOf, ActualTimeItem, wallClockNow } from './ActualTime.js';
import type { OrderTarget } from './HandleModal.js';
import { useShortTime } from './labels.js';

interface Props {
  target: OrderTarget | null;
  onClose: () => void;
  onDone: (ok: boolean, message: string) => void;
  guard: (change: () => Promise<unknown>) => Promise<boolean>;
}

/** 到达现场: the crew is on site, now or at the time it radioed in (the arrival's clock is kept on it). */
export function ArriveModal({ target, onClose, onDone, guard }: Props) {
  const { t, timeZone } = useI18n();
  const shortTime = useShortTime();
  const [form] = Form.useForm<{ arrivedAt: Dayjs }>();
  const [openedAt, setOpenedAt] = useState(() => wallClockNow(timeZone));

  useEffect(() => {
    if (!target) return;
    const now = wallClockNow(timeZone);
    setOpenedAt(now);
    form.resetFields();
    form.setFieldsValue({ arrivedAt: now });
  }, [target, form, timeZone]);

  const submit = async (values: { arrivedAt: Dayjs }) => {
    if (!target) return;
    const ok = await guard(() => arriveOrder(target.task, actualTimeOf(values.arrivedAt, openedAt, timeZone)));
    onDone(ok, t('orders.arrived'));
  };

  return (
    <FormModal
      form={form}
      open={target !== null}
      title={t('orders.arriveTitle', { number: target?.number ?? '' })}
      onCancel={onClose}
      onSubmit={submit}
      testId="arrive-form"
      intro={target && <Typography.Paragraph type="secondary">{t('orders.dispatchedAt', { time: shortTime(target.task.createdAt) })}</Typography.Paragraph>}
    >
      <ActualTimeItem name="arrivedAt" label={t('orders.arrivedAt')} notBefore={target?.task.createdAt} testId="arrive-time" />
    </FormModal>
  );
}
