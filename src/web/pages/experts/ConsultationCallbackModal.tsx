import { Checkbox, Form, Input, Typography } from 'antd';
import { useEffect } from 'react';
import { callBackConsultation } from '../../api/experts.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';
import type { ConsultationModalProps } from './labels.js';

interface Values {
  result: string;
  closeDemand: boolean;
}

/** The agent has called the customer back with the expert's answer; the demand closes with it when the customer has what they asked. */
export function ConsultationCallbackModal({ consultation, open, onClose, onDone, guard }: ConsultationModalProps) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    // Only an open demand closes with the answer: one with a work order closes through it, a closed one already has.
    form.setFieldsValue({ closeDemand: consultation.demandStatus === 'open' });
  }, [open, form, consultation.demandStatus]);
  const submit = async (v: Values) => {
    const ok = await guard(() => callBackConsultation(consultation, { result: v.result.trim(), closeDemand: v.closeDemand }));
    onDone(ok, t('consultation.calledBack'));
  };
  return (
    <FormModal
      form={form}
      open={open}
      title={t('consultation.callbackTitle', { number: consultation.demandNumber })}
      onCancel={onClose}
      onSubmit={submit}
      testId="consultation-callback-form"
      intro={
        <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap' }}>
          {t('common.pair', { label: t('consultation.answer'), value: consultation.answer ?? '' })}
        </Typography.Paragraph>
      }
    >
      <Form.Item name="result" label={t('consultation.callbackResult')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.TextArea rows={3} maxLength={2000} showCount data-testid="consultation-callback-result" />
      </Form.Item>
      <Form.Item name="closeDemand" valuePropName="checked" extra={consultation.demandStatus === 'open' ? undefined : t('consultation.demandNotOpen')}>
        <Checkbox disabled={consultation.demandStatus !== 'open'} data-testid="consultation-callback-close">
          {t('consultation.closeDemand')}
        </Checkbox>
      </Form.Item>
    </FormModal>
  );
}
