import { Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { answerDemand, type DemandDetail } from '../../api/demands.js';
import { useFormErrors } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';

interface Props {
  demand: DemandDetail;
  guard: (change: () => Promise<unknown>) => Promise<boolean>;
  onDone: (ok: boolean, message: string) => void;
}

/**
 * 首问答复: the agent answers while the customer is still on the line, which
 * closes the demand. Consultations are answered this way as a rule, so for them
 * the answer box is open from the start; other types offer it behind a button.
 */
export function AnswerCard({ demand, guard, onDone }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ answer: string }>();
  const showErrors = useFormErrors();
  const [expanded, setExpanded] = useState(demand.type === 'consultation');
  const [saving, setSaving] = useState(false);

  if (!expanded) {
    return (
      <Button onClick={() => setExpanded(true)} data-testid="answer-open">
        {t('answer.open')}
      </Button>
    );
  }

  const submit = async ({ answer }: { answer: string }) => {
    setSaving(true);
    try {
      const ok = await guard(() => answerDemand(demand.id, demand.version, answer.trim()));
      onDone(ok, t('answer.done'));
    } catch (err) {
      showErrors(form, err, ['answer']);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" title={t('answer.title')} data-testid="answer-card">
      <Typography.Paragraph type="secondary">{t('answer.hint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} data-testid="answer-form">
        <Form.Item name="answer" rules={[{ required: true, message: t('common.required') }]}>
          <Input.TextArea rows={4} maxLength={4000} showCount placeholder={t('answer.placeholder')} data-testid="answer-text" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="answer-submit">
          {t('answer.submit')}
        </Button>
      </Form>
    </Card>
  );
}
