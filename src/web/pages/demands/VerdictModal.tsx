import { Alert, Form, Input, Radio, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client.js';
import { recordVerdict, type VerdictBody } from '../../api/demands.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';
import type { ActionModalProps } from './actionModal.js';
import { VERDICTS } from './codes.js';
import { useDemandLabels } from './labels.js';

/** A refusal the server states as a rule of the verdict (not a change made meanwhile), in words where it is known. */
function useRefusalText() {
  const { t } = useI18n();
  return (message: string): string => {
    const first = /judged by its first complaint,?\s*(\d{13})/.exec(message);
    if (first) return t('verdict.firstComplaint', { number: first[1]! });
    if (/only a complaint/.test(message)) return t('verdict.notComplaint');
    const joined = /part of the case\s*(\d{13})/.exec(message);
    if (joined) return t('verdict.joinedCall', { number: joined[1]! });
    return message;
  };
}

/** A 409 because the demand moved on meanwhile: the page's banner with its reload explains that one. */
const isStale = (err: ApiError) => /changed by someone else/.test(err.message);

/**
 * 核实定性: after verification a team lead or analyst marks a complaint
 * unfounded (不属实, with the reason), or founded. A refusal by the rules (a
 * repeat call is judged on its case's first complaint) stays in the dialog.
 */
export function VerdictModal({ demand, open, onClose, onDone, guard }: ActionModalProps) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const refusalText = useRefusalText();
  const [form] = Form.useForm<VerdictBody>();
  const [refusal, setRefusal] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    setRefusal(null);
    form.resetFields();
    // A verdict given before is what is changed: it starts from there.
    form.setFieldsValue({ verdict: demand.verdict?.verdict ?? 'unfounded', reason: demand.verdict?.reason ?? '' });
  }, [open, form, demand.verdict]);

  const submit = async (values: VerdictBody) => {
    setRefusal(null);
    let refused: string | null = null;
    const ok = await guard(async () => {
      try {
        await recordVerdict(demand.id, demand.version, { verdict: values.verdict, reason: values.reason.trim() });
      } catch (err) {
        if (err instanceof ApiError && err.status === 409 && !isStale(err)) {
          refused = err.message;
          return;
        }
        throw err;
      }
    });
    if (refused !== null) {
      setRefusal(refused);
      return;
    }
    onDone(ok, t('verdict.done'));
  };

  return (
    <FormModal
      form={form}
      open={open}
      title={t('verdict.title', { number: demand.number })}
      onCancel={onClose}
      onSubmit={submit}
      testId="verdict-form"
      intro={
        <>
          <Typography.Paragraph type="secondary">{t('verdict.hint')}</Typography.Paragraph>
          {refusal !== null && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('verdict.refused')}
              description={
                <span data-testid="verdict-refusal">
                  {refusalText(refusal)}
                  {refusalText(refusal) !== refusal && (
                    <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                      {refusal}
                    </Typography.Text>
                  )}
                </span>
              }
            />
          )}
        </>
      }
    >
      <Form.Item name="verdict" label={t('verdict.verdict')} rules={[{ required: true, message: t('common.required') }]}>
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          data-testid="verdict-choice"
          options={VERDICTS.map((v) => ({ value: v, label: labels.verdict(v) }))}
        />
      </Form.Item>
      <Form.Item name="reason" label={t('verdict.reason')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('verdict.reasonPlaceholder')} data-testid="verdict-reason" />
      </Form.Item>
    </FormModal>
  );
}
