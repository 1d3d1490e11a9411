import { Form, Input, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useRef } from 'react';
import { cancelOutage, restoreOutage, updateOutage, type OutageDetail } from '../../api/outages.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';
import { wallClockOf } from '../../i18n/time.js';
import { actualTimeOf, ActualTimeItem, wallClockNow } from '../demands/ActualTime.js';
import { isoOf, OutageTimeItem, wallClockSoon } from './times.js';

// What the one who manages an outage does to it: move its expected end (the
// customers are told), restore it (its open calls close together and their
// callers are told), or call off an announced one (the customers are told).

export type OutageAction = 'update' | 'restore' | 'cancel';

interface Props {
  outage: OutageDetail;
  action: OutageAction | null;
  onClose: () => void;
  onDone: (outage: OutageDetail, text: string) => void;
}

/** The actions its status allows; the server decides again. */
export function actionsFor(outage: OutageDetail): OutageAction[] {
  if (outage.status === 'in_progress') return ['update', 'restore'];
  if (outage.status !== 'announced') return [];
  // An announced outage whose start has come (the scheduler has not passed yet) may already be restored.
  return Date.parse(outage.startsAt) <= Date.now() ? ['update', 'restore', 'cancel'] : ['update', 'cancel'];
}

interface Values {
  expectedEndAt?: Dayjs;
  restoredAt?: Dayjs;
  note?: string;
  reason?: string;
}

export function OutageActionModal({ outage, action, onClose, onDone }: Props) {
  const { t, timeZone } = useI18n();
  const [form] = Form.useForm<Values>();
  const openedAt = useRef<Dayjs>(wallClockNow(timeZone));
  // The dialog keeps its words while it closes.
  const shown = useRef<OutageAction>('update');
  if (action) shown.current = action;
  const kind = shown.current;

  useEffect(() => {
    if (!action) return;
    form.resetFields();
    openedAt.current = wallClockNow(timeZone);
    if (action === 'update') {
      const current = wallClockOf(outage.expectedEndAt, timeZone);
      form.setFieldsValue({ expectedEndAt: current.isAfter(openedAt.current) ? current.add(1, 'hour') : wallClockSoon(timeZone, 60) });
    }
    if (action === 'restore') form.setFieldsValue({ restoredAt: openedAt.current });
  }, [action, form, outage.expectedEndAt, timeZone]);

  const submit = async (values: Values) => {
    if (kind === 'update') {
      const updated = await updateOutage(outage.id, { expectedEndAt: isoOf(values.expectedEndAt!, timeZone), note: values.note!.trim() });
      onDone(updated, t('outageAction.updated'));
    } else if (kind === 'restore') {
      const restoredAt = actualTimeOf(values.restoredAt, openedAt.current, timeZone);
      const note = values.note?.trim();
      const restored = await restoreOutage(outage.id, { ...(restoredAt && { restoredAt }), ...(note && { note }) });
      onDone(restored, t('outageAction.restored', { count: outage.openCalls - restored.openCalls }));
    } else {
      const cancelled = await cancelOutage(outage.id, { reason: values.reason!.trim() });
      onDone(cancelled, t('outageAction.cancelled'));
    }
  };

  const required = { required: true, whitespace: true, message: t('common.required') };
  const customers = outage.affectedCustomers.toLocaleString();
  const intro =
    kind === 'update'
      ? t('outageAction.updateIntro', { customers })
      : kind === 'restore'
        ? t('outageAction.restoreIntro', { calls: outage.openCalls })
        : t('outageAction.cancelIntro', { customers });
  return (
    <FormModal<Values>
      form={form}
      open={action !== null}
      title={t(`outageAction.${kind}Title`, { number: outage.number })}
      okText={t(`outageAction.${kind}`)}
      okButtonProps={kind === 'cancel' ? { danger: true } : undefined}
      onCancel={onClose}
      onSubmit={submit}
      testId={`outage-${kind}-form`}
      intro={<Typography.Paragraph type="secondary">{intro}</Typography.Paragraph>}
    >
      {kind === 'update' && (
        <>
          <OutageTimeItem
            name="expectedEndAt"
            label={t('outageAction.newEnd')}
            testId="outage-update-end"
            presets={[1, 2, 4, 8]}
            extra={t('outageAction.currentEnd', { time: wallClockOf(outage.expectedEndAt, timeZone).format('YYYY-MM-DD HH:mm') })}
          />
          <Form.Item name="note" label={t('outageAction.note')} rules={[required]}>
            <Input.TextArea rows={2} maxLength={500} showCount placeholder={t('outageAction.notePlaceholder')} data-testid="outage-update-note" />
          </Form.Item>
        </>
      )}
      {kind === 'restore' && (
        <>
          <ActualTimeItem name="restoredAt" label={t('outageAction.restoredAt')} notBefore={outage.startsAt} testId="outage-restored-at" />
          <Form.Item name="note" label={t('outageAction.restoreNote')}>
            <Input.TextArea rows={2} maxLength={500} data-testid="outage-restore-note" />
          </Form.Item>
        </>
      )}
      {kind === 'cancel' && (
        <Form.Item name="reason" label={t('outageAction.reason')} rules={[required]}>
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="outage-cancel-reason" />
        </Form.Item>
      )}
    </FormModal>
  );
}
