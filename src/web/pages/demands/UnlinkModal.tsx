import { Form, Input, Typography, type GetRef } from 'antd';
import { useEffect, useRef } from 'react';
import { unlinkCall } from '../../api/demands.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';

export interface UnlinkTarget {
  id: number;
  number: string;
  ordinal: number;
  caseNumber: string;
  /** The call's version where its own page shows it; the case's page does not know it. */
  version?: number | undefined;
}

interface Props {
  target: UnlinkTarget | null;
  onClose: () => void;
  onDone: (ok: boolean, message: string) => void;
  guard: (change: () => Promise<unknown>) => Promise<boolean>;
}

/**
 * 解除关联: a call that joined a case by the rule (same customer) but is
 * another matter becomes a case of its own, with its own clocks. The reason
 * is required; the dialog is worked from the keyboard (the reason has the
 * focus, Ctrl+Enter saves).
 */
export function UnlinkModal({ target, onClose, onDone, guard }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  const reason = useRef<GetRef<typeof Input.TextArea>>(null);

  useEffect(() => {
    if (target) form.resetFields();
  }, [target, form]);

  const submit = async (values: { reason: string }) => {
    if (!target) return;
    const ok = await guard(() => unlinkCall(target.id, target.version, values.reason.trim()));
    onDone(ok, t('unlink.done', { number: target.number }));
  };

  return (
    <FormModal
      form={form}
      open={target !== null}
      title={t('unlink.title', { number: target?.number ?? '' })}
      onCancel={onClose}
      onSubmit={submit}
      afterOpenChange={(open) => open && reason.current?.focus()}
      testId="unlink-form"
      intro={
        <Typography.Paragraph>
          {target && t('unlink.intro', { number: target.number, ordinal: target.ordinal, caseNumber: target.caseNumber })}
        </Typography.Paragraph>
      }
    >
      <Form.Item
        name="reason"
        label={t('unlink.reason')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        extra={t('unlink.keys')}
      >
        <Input.TextArea
          ref={reason}
          rows={3}
          maxLength={2000}
          showCount
          placeholder={t('unlink.placeholder')}
          data-testid="unlink-reason"
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              form.submit();
            }
          }}
        />
      </Form.Item>
    </FormModal>
  );
}
