import { App, Button, Space } from 'antd';
import { useState } from 'react';
import type { Unit } from '../../api/client.js';
import { acknowledgeConsultation, markContacted, type Consultation } from '../../api/experts.js';
import { useReportError } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';
import { useMe } from '../../session/SessionProvider.js';
import { ConsultationCallbackModal } from './ConsultationCallbackModal.js';
import { useExpertRights } from './labels.js';
import { ReplyModal } from './ReplyModal.js';

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
  const [dialog, setDialog] = useState<'reply' | 'callback' | null>(null);
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
        <Button type="primary" loading={busy} onClick={() => void step(acknowledgeConsultation, t('consultation.acknowledged'))} data-testid="consultation-acknowledge">
          {t('consultation.acknowledge')}
        </Button>
      )}
      {mine && (c.status === 'assigned' || c.status === 'acknowledged') && (
        <Button type={c.status === 'acknowledged' ? 'primary' : 'default'} loading={busy} onClick={() => void step(markContacted, t('consultation.contactedDone'))} data-testid="consultation-contacted">
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
      <ReplyModal consultation={c} units={units} open={dialog === 'reply'} onClose={() => setDialog(null)} onDone={done} guard={guard} />
      <ConsultationCallbackModal consultation={c} open={dialog === 'callback'} onClose={() => setDialog(null)} onDone={done} guard={guard} />
    </Space>
  );
}
