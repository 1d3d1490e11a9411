import { Form, Input, Typography } from 'antd';
import { useEffect } from 'react';
import { escalateDemand } from '../../api/demands.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';
import type { ActionModalProps } from './actionModal.js';
import { useDemandLabels } from './labels.js';

/** One level up the chain (agent → team lead → centre manager → head of the unit), with the reason on the timeline. */
export function EscalateModal({ demand, open, onClose, onDone, guard }: ActionModalProps) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const [form] = Form.useForm<{ reason: string }>();

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async ({ reason }: { reason: string }) => {
    const ok = await guard(() => escalateDemand(demand.id, demand.version, reason.trim()));
    onDone(ok, t('escalate.done'));
  };

  return (
    <FormModal
      form={form}
      open={open}
      title={t('escalate.title', { number: demand.number })}
      onCancel={onClose}
      onSubmit={submit}
      testId="escalate-form"
      intro={
        <Typography.Paragraph>
          {t('escalate.fromTo', { from: labels.level(demand.escalationLevel), to: labels.level(Math.min(3, demand.escalationLevel + 1)) })}
        </Typography.Paragraph>
      }
    >
      <Form.Item name="reason" label={t('escalate.reason')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.TextArea rows={3} maxLength={2000} showCount data-testid="escalate-reason" />
      </Form.Item>
    </FormModal>
  );
}
