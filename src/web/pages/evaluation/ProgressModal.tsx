import { Checkbox, Form, Input, Typography } from 'antd';
import { useEffect } from 'react';
import { recordProgress, type ActionItem } from '../../api/evaluation.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';

interface Values {
  note: string;
  done: boolean;
}

/** The owner unit reports progress on an action item, and says when it is done (or, unticked, that it is not after all). */
export function ProgressModal({ item, onClose, onDone }: { item: ActionItem | null; onClose: () => void; onDone: (item: ActionItem) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  useEffect(() => {
    if (!item) return;
    form.resetFields();
    form.setFieldsValue({ note: '', done: item.status === 'done' });
  }, [item, form]);
  const submit = async (v: Values) => {
    onDone(await recordProgress(item!, { note: v.note.trim(), done: v.done }));
  };
  return (
    <FormModal
      form={form}
      open={item !== null}
      title={t('loop.action.reportTitle')}
      onCancel={onClose}
      onSubmit={submit}
      testId="progress-form"
      intro={
        item && (
          <Typography.Paragraph>
            <Typography.Text strong style={{ whiteSpace: 'pre-wrap' }}>
              {item.text}
            </Typography.Text>
            <br />
            <Typography.Text type="secondary">
              {item.ownerUnitName} · {t('loop.action.dueBy', { date: item.dueOn })}
            </Typography.Text>
          </Typography.Paragraph>
        )
      }
    >
      <Form.Item name="note" label={t('loop.action.note')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('loop.action.noteHint')} data-testid="progress-note" />
      </Form.Item>
      <Form.Item name="done" valuePropName="checked" extra={item?.status === 'done' ? t('loop.action.reopenHint') : undefined}>
        <Checkbox data-testid="progress-done">{t('loop.action.markDone')}</Checkbox>
      </Form.Item>
    </FormModal>
  );
}
