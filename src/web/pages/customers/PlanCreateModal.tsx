import { App, Form, Input, Radio, Select } from 'antd';
import dayjs from 'dayjs';
import { useEffect } from 'react';
import { SEGMENTS } from '../../../shared/schemas/relations.js';
import { createPlan, type PlanKind, type Segment, type ServicePlan } from '../../api/relations.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';
import { CustomerSelect } from './CustomerSelect.js';
import { ActionFields, actionsOut, dueIn, useOwnerOptions, useToday, type ActionValues } from './PlanParts.js';

// 新建服务计划: for one customer (picked by name, 户号 or phone) or a customer
// group, standing or dynamic, with its actions (owner by name, due date).

interface Values {
  target: 'customer' | 'segment';
  customerId?: number;
  segment?: Segment;
  kind: PlanKind;
  title?: string;
  actions: ActionValues[];
}

export function PlanCreateModal({
  open,
  customer,
  onClose,
  onDone,
}: {
  open: boolean;
  /** Opened for a customer (?new=1&customerId=ID). */
  customer?: { id: number; name: string; accountNo: string } | undefined;
  onClose: () => void;
  onDone: (p: ServicePlan) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const owners = useOwnerOptions(open);
  const today = useToday();
  const target = Form.useWatch('target', form) ?? 'customer';

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({
      target: 'customer',
      ...(customer && { customerId: customer.id }),
      kind: 'standing',
      actions: [{ text: '', dueOn: dayjs(dueIn(today, 14)) } as ActionValues],
    });
  }, [open, customer, form, today]);

  return (
    <FormModal<Values>
      open={open}
      title={t('plans.new')}
      width={760}
      form={form}
      testId="plan-form"
      onCancel={onClose}
      onSubmit={async (v) => {
        const plan = await createPlan({
          ...(v.target === 'customer' ? { customerId: v.customerId! } : { segment: v.segment! }),
          kind: v.kind,
          ...(v.title?.trim() && { title: v.title.trim() }),
          actions: actionsOut(v.actions),
        });
        message.success(t('plan.created'));
        onDone(plan);
      }}
    >
      <Form.Item name="target" label={t('plan.for')}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'customer', label: t('plan.for.customer') },
            { value: 'segment', label: t('plan.for.segment') },
          ]}
        />
      </Form.Item>
      {target === 'customer' ? (
        <Form.Item name="customerId" label={t('plan.customer')} rules={[{ required: true, message: t('common.required') }]}>
          <CustomerSelect key={customer?.id ?? 0} testId="plan-customer" known={customer ? [customer] : []} />
        </Form.Item>
      ) : (
        <Form.Item name="segment" label={t('plan.segment')} rules={[{ required: true, message: t('common.required') }]}>
          <Select data-testid="plan-segment" options={SEGMENTS.map((s) => ({ value: s, label: t(`plan.segment.${s}`) }))} />
        </Form.Item>
      )}
      <Form.Item name="kind" label={t('plan.kind')}>
        <Radio.Group
          options={[
            { value: 'standing', label: t('plan.kind.standing') },
            { value: 'dynamic', label: t('plan.kind.dynamic'), disabled: target === 'segment' },
          ]}
        />
      </Form.Item>
      <Form.Item name="title" label={t('plan.title')}>
        <Input placeholder={t('plan.title.placeholder')} maxLength={200} data-testid="plan-title" />
      </Form.Item>
      <Form.Item label={t('plan.actions')} required>
        <ActionFields name="actions" owners={owners} min={1} addLabel={t('plan.action.add')} />
      </Form.Item>
    </FormModal>
  );
}
