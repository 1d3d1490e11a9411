import { Form, Input } from 'antd';
import { useEffect } from 'react';
import type { Unit } from '../../api/client.js';
import { dispatchDemand } from '../../api/demands.js';
import { FormModal } from '../../components/FormModal.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { useI18n } from '../../i18n/index.js';
import type { ActionModalProps } from './actionModal.js';

interface Values {
  unitId: number | null;
  instructions: string;
}

// Orders go to the units that act: departments, county bureaus, stations; not the bureau's root nor the centre itself.
const dispatchable = (unit: Unit) => unit.active && unit.kind !== 'bureau' && unit.kind !== 'centre';

/** A work order to a unit; the demand's responsible unit is offered first, as routing chose it. */
export function DispatchModal({ demand, open, onClose, onDone, guard, units }: ActionModalProps & { units: readonly Unit[] }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ unitId: demand.unitId });
  }, [open, demand.unitId, form]);

  const submit = async (values: Values) => {
    const ok = await guard(() => dispatchDemand(demand.id, demand.version, { unitId: values.unitId!, instructions: values.instructions.trim() }));
    onDone(ok, t('dispatch.done'));
  };

  const required = { required: true, message: t('common.required') };
  return (
    <FormModal form={form} open={open} title={t('dispatch.title', { number: demand.number })} onCancel={onClose} onSubmit={submit} testId="dispatch-form">
      <Form.Item name="unitId" label={t('dispatch.unit')} rules={[required]}>
        <UnitTreeSelect units={units} selectable={dispatchable} style={{ width: '100%' }} data-testid="dispatch-unit" />
      </Form.Item>
      <Form.Item name="instructions" label={t('dispatch.instructions')} rules={[required]}>
        <Input.TextArea rows={4} maxLength={2000} showCount data-testid="dispatch-instructions" />
      </Form.Item>
    </FormModal>
  );
}
