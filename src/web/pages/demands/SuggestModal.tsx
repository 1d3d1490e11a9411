import { App, Form, Input, Typography } from 'antd';
import { useEffect } from 'react';
import { fileSuggestion, type DemandDetail } from '../../api/demands.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';

interface Props {
  demand: DemandDetail;
  open: boolean;
  onClose: () => void;
}

/**
 * 提建议: the front line (agents, team leads, handlers, experts) files a
 * suggestion for the next consultation meeting, linked to the demand that
 * prompted it. It changes nothing on the demand, so it needs no version.
 */
export function SuggestModal({ demand, open, onClose }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ text: string }>();

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  // A refusal throws out of here: FormModal puts it on the field or in a toast, and the dialog stays open.
  const submit = async ({ text }: { text: string }) => {
    await fileSuggestion({ text: text.trim(), demandId: demand.id });
    void message.success(t('suggest.done'));
    onClose();
  };

  return (
    <FormModal
      form={form}
      open={open}
      title={t('suggest.title', { number: demand.number })}
      onCancel={onClose}
      onSubmit={submit}
      testId="suggest-form"
      intro={<Typography.Paragraph type="secondary">{t('suggest.hint')}</Typography.Paragraph>}
    >
      <Form.Item name="text" label={t('suggest.text')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('suggest.placeholder')} data-testid="suggest-text" />
      </Form.Item>
    </FormModal>
  );
}
