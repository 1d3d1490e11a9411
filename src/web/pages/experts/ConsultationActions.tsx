import { App, Button, Form, Input, Space } from 'antd';
import { useEffect, useState } from 'react';
import type { Unit } from '../../api/client.js';
import { acknowledgeConsultation, markContacted, withdrawConsultation, type Consultation } from '../../api/experts.js';
import { FormModal } from '../../components/FormModal.js';
import { useReportError } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';
import { useMe } from '../../session/SessionProvider.js';
import { ConsultationCallbackModal } from './ConsultationCallbackModal.js';
import { useExpertRights, type ConsultationModalProps } from './labels.js';
import { ReplyModal } from './ReplyModal.js';

const OPEN = new Set(['assigned', 'acknowledged', 'contacted', 'replied']);

/** The agent takes a question back, saying why; its expert is told. */
function WithdrawModal({ consultation, open, onClose, onDone, guard }: ConsultationModalProps) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  const submit = async (v: { reason: string }) => onDone(await guard(() => withdrawConsultation(consultation, v.reason.trim())), t('consultation.withdrawn'));
  return (
    <FormModal
      form={form}
      open={open}
      title={t('consultation.withdrawTitle', { number: consultation.demandNumber })}
      onCancel={onClose}
      onSubmit={submit}
      testId="withdraw-form"
    >
      <Form.Item name="reason" label={t('consultation.withdrawReason')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
    </FormModal>
  );
}

/** The next step of a consultation the user may take: the expert's three, or the agent's callback. */
export function ConsultationActions({
  consultation: c,
  units,
  guard,
  onChanged,
}: {
  consultation: Consultation;
  units: readonly Unit[];
  guard: (change: () => Promise<unknown>) => Promise<boolean>;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const rights = useExpertRights();
  const me = useMe();
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<'reply' | 'callback' | 'withdraw' | null>(null);
  const mine = rights.answer && c.expertId === me.user.id;

  const step = async (action: (c: Consultation) => Promise<unknown>, text: string) => {
    setBusy(true);
    try {
      if (await guard(() => action(c))) {
        void message.success(text);
        onChanged();
      }
    } catch (err) {
      report(err);
    } finally {
      setBusy(false);
    }
  };
  const done = (ok: boolean, text: string) => {
    setDialog(null);
    if (!ok) return;
    void message.success(text);
    onChanged();
  };

  return (
    <Space wrap>
      {mine && c.status === 'assigned' && (
        <Button
          type="primary"
          loading={busy}
          onClick={() => void step(acknowledgeConsultation, t('consultation.acknowledged'))}
          data-testid="consultation-acknowledge"
        >
          {t('consultation.acknowledge')}
        </Button>
      )}
      {mine && (c.status === 'assigned' || c.status === 'acknowledged') && (
        <Button
          type={c.status === 'acknowledged' ? 'primary' : 'default'}
          loading={busy}
          onClick={() => void step(markContacted, t('consultation.contactedDone'))}
          data-testid="consultation-contacted"
        >
          {t('consultation.contacted')}
        </Button>
      )}
      {mine && c.status === 'contacted' && (
        <Button type="primary" onClick={() => setDialog('reply')} data-testid="consultation-reply">
          {t('consultation.reply')}
        </Button>
      )}
      {rights.forward && c.status === 'replied' && (
        <Button type="primary" onClick={() => setDialog('callback')} data-testid="consultation-callback">
          {t('consultation.callback')}
        </Button>
      )}
      {rights.forward && OPEN.has(c.status) && (
        <Button danger onClick={() => setDialog('withdraw')} data-testid="consultation-withdraw">
          {t('consultation.withdraw')}
        </Button>
      )}
      <WithdrawModal consultation={c} open={dialog === 'withdraw'} onClose={() => setDialog(null)} onDone={done} guard={guard} />
      <ReplyModal consultation={c} units={units} open={dialog === 'reply'} onClose={() => setDialog(null)} onDone={done} guard={guard} />
      <ConsultationCallbackModal consultation={c} open={dialog === 'callback'} onClose={() => setDialog(null)} onDone={done} guard={guard} />
    </Space>
  );
}
