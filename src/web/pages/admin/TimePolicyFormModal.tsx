import { App, Col, Form, InputNumber, Row, Select } from 'antd';
import { useEffect } from 'react';
import { AREA_CLASSES, DEMAND_CATEGORIES, type AreaClass, type DemandCategory, type DemandType } from '../../../shared/codes.js';
import { DEMAND_TYPE_TAXONOMY, subcategoriesOf } from '../../../shared/taxonomy.js';
import { createTimePolicy, updateTimePolicy, type TimePolicy, type TimePolicyBody } from '../../api/settings.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';
import { PRIORITIES } from '../demands/codes.js';
import { useDemandLabels } from '../demands/labels.js';
import { DEADLINE_STEPS, LIMIT_UNITS } from './settingsCodes.js';

export type PolicyTarget = { mode: 'create' } | { mode: 'edit'; policy: TimePolicy };

// A cleared select is "any": the field's name is the body's, so the server's issues land on it.
interface Values {
  step: TimePolicy['step'];
  type?: DemandType | null;
  category?: DemandCategory | null;
  subcategory?: string | null;
  areaClass?: AreaClass | null;
  priority?: (typeof PRIORITIES)[number] | null;
  amount: number;
  unit: TimePolicy['unit'];
}

const bodyOf = (v: Values): TimePolicyBody => ({
  step: v.step,
  type: v.type ?? null,
  category: v.category ?? null,
  subcategory: v.subcategory ?? null,
  areaClass: v.areaClass ?? null,
  priority: v.priority ?? null,
  amount: v.amount,
  unit: v.unit,
});

export function TimePolicyFormModal({ target, onClose, onSaved }: { target: PolicyTarget | null; onClose: () => void; onSaved: () => void }) {
  const { t, lang } = useI18n();
  const labels = useDemandLabels();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const type = Form.useWatch('type', form);
  const subcategories = subcategoriesOf(type ?? undefined);
  const editing = target?.mode === 'edit' ? target.policy : undefined;

  useEffect(() => {
    if (!target) return;
    form.resetFields();
    if (target.mode === 'edit') {
      const { id: _id, ...policy } = target.policy;
      form.setFieldsValue(policy);
    } else form.setFieldsValue({ unit: 'minutes' });
  }, [target, form]);

  const submit = async (values: Values) => {
    if (editing) {
      await updateTimePolicy(editing.id, bodyOf(values));
      void message.success(t('policy.updated'));
    } else {
      await createTimePolicy(bodyOf(values));
      void message.success(t('policy.created'));
    }
    onSaved();
  };

  const required = { required: true, message: t('common.required') };
  const any = { allowClear: true, placeholder: t('policy.any') };
  return (
    <FormModal
      form={form}
      open={target !== null}
      title={editing ? t('policy.edit') : t('policy.create')}
      onCancel={onClose}
      onSubmit={submit}
      // A sub-category belongs to a type: another type's class is never saved with it.
      onValuesChange={(changed: Partial<Values>) => 'type' in changed && form.setFieldValue('subcategory', null)}
      testId="policy-form"
    >
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="step" label={t('policy.step')} rules={[required]}>
            <Select data-testid="policy-step" options={DEADLINE_STEPS.map((s) => ({ value: s, label: labels.step(s) }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="type" label={t('policy.type')}>
            <Select {...any} data-testid="policy-type" options={DEMAND_TYPE_TAXONOMY.map((e) => ({ value: e.code, label: e.label[lang] }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="category" label={t('policy.category')}>
            <Select {...any} data-testid="policy-category" options={DEMAND_CATEGORIES.map((c) => ({ value: c, label: labels.category(c) }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="subcategory" label={t('policy.subcategory')}>
            <Select
              {...any}
              disabled={subcategories.length === 0}
              data-testid="policy-subcategory"
              options={subcategories.map((s) => ({ value: s.code, label: s.label[lang] }))}
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="areaClass" label={t('policy.areaClass')}>
            <Select {...any} data-testid="policy-area" options={AREA_CLASSES.map((a) => ({ value: a, label: labels.areaClass(a) }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="priority" label={t('policy.priority')}>
            <Select {...any} data-testid="policy-priority" options={PRIORITIES.map((p) => ({ value: p, label: labels.priority(p) }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="amount" label={t('policy.amount')} rules={[required]}>
            <InputNumber min={1} max={100_000} precision={0} style={{ width: '100%' }} data-testid="policy-amount" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="unit" label={t('policy.unit')} rules={[required]}>
            <Select data-testid="policy-unit" options={LIMIT_UNITS.map((u) => ({ value: u, label: t(`policy.unit.${u}`) }))} />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  );
}
