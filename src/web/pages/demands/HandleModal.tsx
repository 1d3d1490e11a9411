import { Form, Input, Switch } from 'antd';
import { useEffect } from 'react';
import { handleOrder, type HandleBody, type Task } from '../../api/demands.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';

interface Values {
  findings: string;
  powerRestored: boolean;
  customerSideFault: boolean;
  paidServiceOffered: boolean;
  customerAccepted: boolean;
}

export interface OrderTarget {
  task: Task;
  number: string;
  repair: boolean;
}

interface Props {
  target: OrderTarget | null;
  onClose: () => void;
  onDone: (ok: boolean, message: string) => void;
  guard: (change: () => Promise<unknown>) => Promise<boolean>;
}

/** The unit's structured report: what the centre needs to call the customer back and to judge the case. */
export function HandleModal({ target, onClose, onDone, guard }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const paidOffered = Form.useWatch('paidServiceOffered', form);

  useEffect(() => {
    if (!target) return;
    form.resetFields();
  }, [target, form]);

  const submit = async (values: Values) => {
    if (!target) return;
    const body: HandleBody = {
      findings: values.findings.trim(),
      // Whether the power is back only means something for a repair.
      ...(target.repair && { powerRestored: values.powerRestored }),
      customerSideFault: values.customerSideFault,
      paidServiceOffered: values.paidServiceOffered,
      ...(values.paidServiceOffered && { customerAccepted: values.customerAccepted }),
    };
    const ok = await guard(() => handleOrder(target.task, body));
    onDone(ok, t('orders.handled'));
  };

  const yesNo = { checkedChildren: t('common.yes'), unCheckedChildren: t('common.no') };
  return (
    <FormModal
      form={form}
      open={target !== null}
      title={t('orders.handleTitle', { number: target?.number ?? '' })}
      onCancel={onClose}
      onSubmit={submit}
      testId="handle-form"
    >
      <Form.Item name="findings" label={t('task.findings')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.TextArea rows={4} maxLength={4000} showCount data-testid="handle-findings" />
      </Form.Item>
      {target?.repair && (
        <Form.Item name="powerRestored" label={t('report.powerRestored')} valuePropName="checked" initialValue={false}>
          <Switch {...yesNo} data-testid="handle-power" />
        </Form.Item>
      )}
      <Form.Item name="customerSideFault" label={t('report.customerSideFault')} valuePropName="checked" initialValue={false}>
        <Switch {...yesNo} data-testid="handle-customer-side" />
      </Form.Item>
      <Form.Item name="paidServiceOffered" label={t('report.paidServiceOffered')} valuePropName="checked" initialValue={false}>
        <Switch {...yesNo} data-testid="handle-paid-offered" />
      </Form.Item>
      {paidOffered && (
        <Form.Item name="customerAccepted" label={t('report.customerAccepted')} valuePropName="checked" initialValue={false}>
          <Switch {...yesNo} data-testid="handle-accepted" />
        </Form.Item>
      )}
    </FormModal>
  );
}
