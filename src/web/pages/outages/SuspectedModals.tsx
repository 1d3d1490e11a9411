import { App, Form, Input, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useRef } from 'react';
import { declareSuspected, dismissSuspected, type OutageDetail, type SuspectedOutage } from '../../api/outages.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';
import { isoOf, OutageTimeItem, wallClockSoon } from './times.js';

// The team lead's two answers to a suspected outage: declare it (a fault
// outage over the place; its calls become the 主单 and 子单, its customers are
// told), or set it aside with the reason (one house's fault, say).

// The server's own default: the cause goes into the customers' (Chinese) notice as it is.
const DEFAULT_CAUSE = '故障原因排查中';

/** The suspicion a dialog is about, kept while the dialog closes (its words do not go blank as it fades). */
function useLastTarget(target: SuspectedOutage | null): SuspectedOutage | null {
  const last = useRef(target);
  if (target) last.current = target;
  return last.current;
}

interface DeclareValues {
  cause: string;
  expectedEndAt: Dayjs;
  notice?: string;
}

export function DeclareModal({ target, onClose, onDone }: { target: SuspectedOutage | null; onClose: () => void; onDone: (outage: OutageDetail) => void }) {
  const { t, timeZone } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<DeclareValues>();
  const shown = useLastTarget(target);

  useEffect(() => {
    if (target) form.setFieldsValue({ cause: DEFAULT_CAUSE, expectedEndAt: wallClockSoon(timeZone, 120), notice: undefined });
  }, [target, form, timeZone]);

  const submit = async (values: DeclareValues) => {
    if (!target) return;
    const notice = values.notice?.trim();
    const outage = await declareSuspected({
      place: target.place,
      placeId: target.placeId,
      cause: values.cause.trim(),
      expectedEndAt: isoOf(values.expectedEndAt, timeZone),
      ...(notice && { notice }),
    });
    void message.success(t('suspected.declared', { number: outage.number, calls: outage.calls }));
    onDone(outage);
  };

  return (
    <FormModal<DeclareValues>
      form={form}
      open={target !== null}
      title={t('suspected.declareTitle', { place: shown?.placeName ?? '' })}
      okText={t('suspected.declare')}
      okButtonProps={{ danger: true }}
      onCancel={onClose}
      onSubmit={submit}
      testId="declare-form"
      intro={
        shown && (
          <Typography.Paragraph type="secondary">
            {t('suspected.declareIntro', { calls: shown.calls.length, customers: shown.customers.toLocaleString() })}
          </Typography.Paragraph>
        )
      }
    >
      <Form.Item name="cause" label={t('outage.cause')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input maxLength={300} data-testid="declare-cause" />
      </Form.Item>
      <OutageTimeItem name="expectedEndAt" label={t('outage.expectedEnd')} testId="declare-end" presets={[1, 2, 4, 8]} />
      <Form.Item name="notice" label={t('outage.notice')} extra={t('outage.noticeAuto')}>
        <Input.TextArea rows={3} maxLength={1000} showCount data-testid="declare-notice" />
      </Form.Item>
    </FormModal>
  );
}

export function DismissModal({ target, onClose, onDone }: { target: SuspectedOutage | null; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const shown = useLastTarget(target);

  useEffect(() => {
    if (target) form.resetFields();
  }, [target, form]);

  const submit = async ({ reason }: { reason: string }) => {
    if (!target) return;
    await dismissSuspected({ place: target.place, placeId: target.placeId, reason: reason.trim() });
    void message.success(t('suspected.dismissed', { place: target.placeName }));
    onDone();
  };

  return (
    <FormModal<{ reason: string }>
      form={form}
      open={target !== null}
      title={t('suspected.dismissTitle', { place: shown?.placeName ?? '' })}
      okText={t('suspected.dismiss')}
      onCancel={onClose}
      onSubmit={submit}
      testId="dismiss-form"
      intro={<Typography.Paragraph type="secondary">{t('suspected.dismissIntro')}</Typography.Paragraph>}
    >
      <Form.Item name="reason" label={t('suspected.dismissReason')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input.TextArea rows={3} maxLength={300} showCount placeholder={t('suspected.dismissPlaceholder')} data-testid="dismiss-reason" />
      </Form.Item>
    </FormModal>
  );
}
