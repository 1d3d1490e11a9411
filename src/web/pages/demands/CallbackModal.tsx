import { Alert, Form, Input, Radio, Switch } from 'antd';
import { useEffect } from 'react';
import { CALLBACK_OUTCOMES } from './codes.js';
import { recordCallback, type CallbackBody } from '../../api/demands.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';
import type { ActionModalProps } from './actionModal.js';
import { useDemandLabels } from './labels.js';

interface Values {
  outcome: CallbackBody['outcome'];
  powerRestored: boolean;
  note: string;
}

/** The callback after the unit handed back: what the customer says decides whether the demand closes. */
export function CallbackModal({ demand, open, onClose, onDone, guard }: ActionModalProps) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const [form] = Form.useForm<Values>();
  const outcome = Form.useWatch('outcome', form);
  const repair = demand.type === 'fault_repair';

  useEffect(() => {
    if (!open) return;
    form.resetFields();
  }, [open, form]);

  const submit = async (values: Values) => {
    const note = values.note?.trim();
    const body: CallbackBody = {
      outcome: values.outcome,
      // Only a customer who was reached can confirm the power; for a repair it decides whether the demand may close.
      ...(repair && values.outcome !== 'unreachable' && { powerRestored: values.powerRestored }),
      ...(note && { note }),
    };
    const ok = await guard(() => recordCallback(demand.id, demand.version, body));
    onDone(ok, t('callback.done'));
  };

  return (
    <FormModal
      form={form}
      open={open}
      title={t('callback.title', { number: demand.number })}
      onCancel={onClose}
      onSubmit={submit}
      testId="callback-form"
      intro={repair && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('callback.repairHint')} />}
    >
      <Form.Item name="outcome" label={t('callback.outcome')} rules={[{ required: true, message: t('common.required') }]}>
        <Radio.Group
          data-testid="callback-outcome"
          optionType="button"
          buttonStyle="solid"
          options={CALLBACK_OUTCOMES.map((o) => ({ value: o, label: labels.outcome(o) }))}
        />
      </Form.Item>
      {repair && outcome !== 'unreachable' && (
        <Form.Item name="powerRestored" label={t('callback.powerRestored')} valuePropName="checked" initialValue={false}>
          <Switch checkedChildren={t('common.yes')} unCheckedChildren={t('common.no')} data-testid="callback-power" />
        </Form.Item>
      )}
      <Form.Item name="note" label={t('callback.note')} extra={t('callback.noteHint')}>
        <Input.TextArea rows={4} maxLength={4000} showCount data-testid="callback-note" />
      </Form.Item>
    </FormModal>
  );
}
