import { App, Form, Input, InputNumber, Radio, Select } from 'antd';
import { useEffect, useState } from 'react';
import { APPLICATION_KINDS, APPLICATION_SUPPLIES, APPLICATION_VOLTAGES } from '../../../shared/schemas/applications.js';
import { createApplication, type ApplicationDetail, type ApplicationKind, type ApplicationSupply, type ApplicationVoltage } from '../../api/applications.js';
import { request } from '../../api/client.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';
import { CustomerSelect } from './CustomerSelect.js';

// 新建业扩申请: the customer (by name, 户号 or phone), new or increase, the
// capacity, the voltage and the supply. A double supply is offered at 10 kV
// and above only (the server refuses it below, naming `supply`).

interface Values {
  customerId: number;
  kind: ApplicationKind;
  capacityKva: number;
  voltage: ApplicationVoltage;
  supply: ApplicationSupply;
  note?: string;
}

const LOW: readonly string[] = ['0.22kV', '0.4kV'];

export function ApplicationNewModal({
  open,
  customerId,
  onClose,
  onDone,
}: {
  open: boolean;
  /** Opened for a customer (the customer record's link): chosen already, shown by name and 户号. */
  customerId?: number | undefined;
  onClose: () => void;
  onDone: (application: ApplicationDetail) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const voltage = Form.useWatch('voltage', form);
  const [known, setKnown] = useState<{ id: number; name: string; accountNo: string }[]>([]);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ kind: 'new', voltage: '10kV', supply: 'single', ...(customerId !== undefined && { customerId }) });
    if (customerId === undefined) return;
    let current = true;
    // The customer's name and 户号, so that the picker shows them rather than an id.
    request<{ id: number; name: string; accountNo: string }>('GET', `/customers/${customerId}`)
      .then((c) => current && setKnown([{ id: c.id, name: c.name, accountNo: c.accountNo }]))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [open, customerId, form]);

  useEffect(() => {
    if (voltage && LOW.includes(voltage) && form.getFieldValue('supply') === 'double') form.setFieldValue('supply', 'single');
  }, [voltage, form]);

  return (
    <FormModal<Values>
      open={open}
      form={form}
      title={t('application.form.title')}
      okText={t('application.form.submit')}
      onCancel={onClose}
      testId="application-form"
      onSubmit={async (values) => {
        const { note, ...rest } = values;
        const created = await createApplication({ ...rest, ...(note?.trim() && { note: note.trim() }) });
        void message.success(t('application.created', { number: created.number }));
        onDone(created);
      }}
    >
      <Form.Item name="customerId" label={t('application.form.customer')} rules={[{ required: true, message: t('common.required') }]}>
        <CustomerSelect key={known.map((k) => k.id).join(',')} known={known} testId="application-form-customer" />
      </Form.Item>
      <Form.Item name="kind" label={t('application.form.kind')} rules={[{ required: true }]}>
        <Radio.Group
          optionType="button"
          options={APPLICATION_KINDS.map((k) => ({ value: k, label: t(`application.kind.${k}`) }))}
          data-testid="application-form-kind"
        />
      </Form.Item>
      <Form.Item name="capacityKva" label={t('application.form.capacity')} rules={[{ required: true, message: t('common.required') }]}>
        <InputNumber autoFocus={customerId !== undefined} min={1} max={1_000_000} step={50} style={{ width: '100%' }} data-testid="application-form-capacity" />
      </Form.Item>
      <Form.Item name="voltage" label={t('application.form.voltage')} rules={[{ required: true }]}>
        <Select options={APPLICATION_VOLTAGES.map((v) => ({ value: v, label: v }))} data-testid="application-form-voltage" />
      </Form.Item>
      <Form.Item
        name="supply"
        label={t('application.form.supply')}
        rules={[{ required: true }]}
        extra={voltage && LOW.includes(voltage) ? t('application.form.doubleLow') : undefined}
      >
        <Radio.Group
          optionType="button"
          options={APPLICATION_SUPPLIES.map((s) => ({
            value: s,
            label: t(`application.supply.${s}`),
            disabled: s === 'double' && voltage !== undefined && LOW.includes(voltage),
          }))}
          data-testid="application-form-supply"
        />
      </Form.Item>
      <Form.Item name="note" label={t('application.form.note')}>
        <Input.TextArea rows={2} maxLength={1000} data-testid="application-form-note" />
      </Form.Item>
    </FormModal>
  );
}
