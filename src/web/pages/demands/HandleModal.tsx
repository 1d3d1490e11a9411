import { Alert, Form, Input, Radio, Switch } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { handleOrder, type HandleBody, type Task } from '../../api/demands.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';
import { actualTimeOf, ActualTimeItem, wallClockNow } from './ActualTime.js';
import { UNRESOLVED_REASONS, type UnresolvedReason } from './codes.js';
import { useDemandLabels } from './labels.js';

interface Values {
  /** 本级处理结果: 'resolved' (the default) or 'unresolved' at this unit's level. */
  result: 'resolved' | 'unresolved';
  unresolvedReason?: UnresolvedReason;
  findings: string;
  powerRestored: boolean;
  /** When the power came back (a repair's report made later); now by default. */
  restoredAt?: Dayjs;
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
  const { t, timeZone } = useI18n();
  const labels = useDemandLabels();
  const [form] = Form.useForm<Values>();
  const paidOffered = Form.useWatch('paidServiceOffered', form);
  const unresolved = Form.useWatch('result', form) === 'unresolved';
  const restored = Form.useWatch('powerRestored', form) === true;
  const [openedAt, setOpenedAt] = useState(() => wallClockNow(timeZone));

  useEffect(() => {
    if (!target) return;
    const now = wallClockNow(timeZone);
    setOpenedAt(now);
    form.resetFields();
    form.setFieldsValue({ restoredAt: now });
  }, [target, form, timeZone]);

  const submit = async (values: Values) => {
    if (!target) return;
    const notResolved = values.result === 'unresolved';
    const body: HandleBody = {
      findings: values.findings.trim(),
      // 首次处理: what the unit could do at its level; the findings then say why not.
      ...(notResolved && { resolved: false, unresolvedReason: values.unresolvedReason }),
      // Whether the power is back only means something for a repair.
      ...(target.repair && { powerRestored: values.powerRestored }),
      ...(target.repair && values.powerRestored && { restoredAt: actualTimeOf(values.restoredAt, openedAt, timeZone) }),
      customerSideFault: values.customerSideFault,
      paidServiceOffered: values.paidServiceOffered,
      ...(values.paidServiceOffered && { customerAccepted: values.customerAccepted }),
    };
    const ok = await guard(() => handleOrder(target.task, body));
    onDone(ok, t(notResolved ? 'orders.handledUnresolved' : 'orders.handled'));
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
      <Form.Item name="result" label={t('handle.result')} initialValue="resolved">
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          data-testid="handle-result"
          options={[
            { value: 'resolved', label: t('handle.resolved') },
            { value: 'unresolved', label: t('handle.unresolved') },
          ]}
        />
      </Form.Item>
      {unresolved && (
        <>
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('handle.unresolvedHint')}
            description={t('handle.explanationHint')}
            data-testid="handle-unresolved-hint"
          />
          <Form.Item name="unresolvedReason" label={t('handle.reason')} rules={[{ required: true, message: t('common.required') }]}>
            <Radio.Group data-testid="handle-reason" options={UNRESOLVED_REASONS.map((r) => ({ value: r, label: labels.unresolvedReason(r) }))} />
          </Form.Item>
        </>
      )}
      <Form.Item name="findings" label={unresolved ? t('handle.explanation') : t('task.findings')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.TextArea rows={4} maxLength={4000} showCount data-testid="handle-findings" />
      </Form.Item>
      {target?.repair && (
        <Form.Item name="powerRestored" label={t('report.powerRestored')} valuePropName="checked" initialValue={false}>
          <Switch {...yesNo} data-testid="handle-power" />
        </Form.Item>
      )}
      {target?.repair && restored && (
        <ActualTimeItem
          name="restoredAt"
          label={t('handle.restoredAt')}
          notBefore={target.task.arrivedAt ?? target.task.createdAt}
          testId="handle-restored-at"
        />
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
