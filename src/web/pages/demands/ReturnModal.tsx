import { Form, Input, Typography } from 'antd';
import { useEffect } from 'react';
import { returnOrder } from '../../api/demands.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';
import type { OrderTarget } from './HandleModal.js';

interface Props {
  target: OrderTarget | null;
  onClose: () => void;
  onDone: (ok: boolean, message: string) => void;
  guard: (change: () => Promise<unknown>) => Promise<boolean>;
}

/** 退单: a misrouted order goes back to the centre, which dispatches it again; the reason is what lets it route better. */
export function ReturnModal({ target, onClose, onDone, guard }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();

  useEffect(() => {
    if (target) form.resetFields();
  }, [target, form]);

  const submit = async ({ reason }: { reason: string }) => {
    if (!target) return;
    const ok = await guard(() => returnOrder(target.task, reason.trim()));
    onDone(ok, t('orders.returned'));
  };

  return (
    <FormModal
      form={form}
      open={target !== null}
      title={t('orders.returnTitle', { number: target?.number ?? '' })}
      onCancel={onClose}
      onSubmit={submit}
      testId="return-form"
      intro={<Typography.Paragraph type="secondary">{t('orders.returnHint')}</Typography.Paragraph>}
    >
      <Form.Item name="reason" label={t('orders.returnReason')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.TextArea rows={3} maxLength={2000} showCount data-testid="return-reason" />
      </Form.Item>
    </FormModal>
  );
}
