import { DatePicker, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect } from 'react';
import type { Unit } from '../../api/client.js';
import { replyConsultation } from '../../api/experts.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';
import type { ConsultationModalProps } from './labels.js';

interface Values {
  answer: string;
  callEndedAt: Dayjs | null;
  jointUnitIds: number[];
}

/** The expert reports the answer: when the call with the customer ended, and the departments it was agreed with. */
export function ReplyModal({ consultation, units, open, onClose, onDone, guard }: ConsultationModalProps & { units: readonly Unit[] }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async (v: Values) => {
    const ok = await guard(() =>
      replyConsultation(consultation, {
        answer: v.answer.trim(),
        ...(v.callEndedAt && { callEndedAt: v.callEndedAt.toISOString() }),
        ...(v.jointUnitIds?.length && { jointUnitIds: v.jointUnitIds }),
      }),
    );
    onDone(ok, t('consultation.replied'));
  };
  const departments = units.filter((u) => u.active && (u.kind === 'department' || u.kind === 'county') && u.id !== consultation.unitId);
  return (
    <FormModal
      form={form}
      open={open}
      title={t('consultation.replyTitle', { number: consultation.demandNumber })}
      onCancel={onClose}
      onSubmit={submit}
      testId="reply-form"
    >
      <Form.Item name="answer" label={t('consultation.answer')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.TextArea rows={5} maxLength={4000} showCount data-testid="reply-answer" />
      </Form.Item>
      <Form.Item name="callEndedAt" label={t('consultation.callEndedAt')} extra={t('consultation.callEndedHint')}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="reply-call-ended" />
      </Form.Item>
      <Form.Item name="jointUnitIds" label={t('consultation.jointUnits')}>
        <Select
          mode="multiple"
          allowClear
          options={departments.map((u) => ({ value: u.id, label: u.name }))}
          optionFilterProp="label"
          data-testid="reply-joint"
        />
      </Form.Item>
    </FormModal>
  );
}
