import { Alert, Button, Flex, Form, Input, List, Modal, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { Unit } from '../../api/client.js';
import { reassignCases, urgeCases, type BulkResult, type SupervisedCase } from '../../api/supervision.js';
import { useFormErrors } from '../../components/errors.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { useI18n } from '../../i18n/index.js';
import { useRefusalReason } from './words.js';

// 催办 and 改派 of the cases selected when the dialog opened (a live refresh
// meanwhile does not change what is acted on). The answer stays in the dialog:
// what was done, and what was refused with the reason.

export type BulkKind = 'urge' | 'reassign';

interface Props {
  kind: BulkKind | null;
  cases: readonly SupervisedCase[];
  units: readonly Unit[];
  onClose: () => void;
  /** After the server answered: the page reloads and drops the cases done from the selection. */
  onDone: (result: BulkResult) => void;
}

interface Values {
  note: string;
  unitId?: number | null;
}

const SHOWN = 12;
// Orders go to the units that act: departments, county bureaus, stations; not the bureau's root nor the centre itself.
const takesOrders = (unit: Unit) => unit.active && unit.kind !== 'bureau' && unit.kind !== 'centre';

function Cases({ cases }: { cases: readonly SupervisedCase[] }) {
  const { t } = useI18n();
  return (
    <Flex gap={4} wrap style={{ marginBottom: 16 }} data-testid="bulk-cases">
      <Typography.Text type="secondary">{t('supervision.cases')}</Typography.Text>
      {cases.slice(0, SHOWN).map((c) => (
        <Tag key={c.id}>{c.number}</Tag>
      ))}
      {cases.length > SHOWN && <Typography.Text type="secondary">{t('supervision.more', { count: cases.length - SHOWN })}</Typography.Text>}
    </Flex>
  );
}

function Outcome({ kind, result }: { kind: BulkKind; result: BulkResult }) {
  const { t } = useI18n();
  const reason = useRefusalReason();
  return (
    <Flex vertical gap={12} data-testid="bulk-result" data-done={result.done.length} data-refused={result.refused.length}>
      {result.done.length > 0 ? (
        <Alert
          type="success"
          showIcon
          title={t(kind === 'urge' ? 'supervision.result.urge' : 'supervision.result.reassign', { count: result.done.length })}
          description={
            <Space size={4} wrap data-testid="bulk-done">
              {result.done.map((d) => (
                <Tag key={d.id} color="success">
                  {d.number}
                </Tag>
              ))}
            </Space>
          }
        />
      ) : (
        <Alert type="warning" showIcon title={t('supervision.result.none')} />
      )}
      {result.refused.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={t('supervision.result.refused', { count: result.refused.length })}
          description={
            <List
              size="small"
              dataSource={result.refused}
              renderItem={(r) => (
                <List.Item data-testid="bulk-refused" data-id={r.id} style={{ paddingInline: 0 }}>
                  <Space size={8} align="start">
                    <Tag>{r.number ?? `#${r.id}`}</Tag>
                    <span>{reason(r.reason)}</span>
                  </Space>
                </List.Item>
              )}
            />
          }
        />
      )}
    </Flex>
  );
}

export function BulkModal({ kind, cases, units, onClose, onDone }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const showErrors = useFormErrors();
  const [result, setResult] = useState<BulkResult | null>(null);
  const [sending, setSending] = useState(false);
  // The last kind stays while the dialog closes, so that its words do not change during the closing motion.
  const last = useRef<BulkKind>('urge');
  if (kind) last.current = kind;
  const shown = last.current;

  useEffect(() => {
    if (!kind) return;
    setResult(null);
    form.resetFields();
    form.setFieldsValue(kind === 'urge' ? { note: t('supervision.urge.defaultNote') } : { note: '', unitId: null });
  }, [kind, form, t]);

  const submit = async (values: Values) => {
    const ids = cases.map((c) => c.id);
    setSending(true);
    try {
      const answer = shown === 'urge' ? await urgeCases(ids, values.note.trim()) : await reassignCases(ids, values.unitId!, values.note.trim());
      setResult(answer);
      onDone(answer);
    } catch (err) {
      // A 400 (an empty note, a unit that takes no orders) is about the whole request: it lands on its field.
      showErrors(form, err);
    } finally {
      setSending(false);
    }
  };

  const urge = shown === 'urge';
  const required = { required: true, whitespace: true, message: t('common.required') };
  return (
    <Modal
      open={kind !== null}
      title={t(urge ? 'supervision.urge.title' : 'supervision.reassign.title', { count: cases.length })}
      width={600}
      onCancel={onClose}
      forceRender
      footer={
        result ? (
          <Button type="primary" onClick={onClose} data-testid="bulk-close">
            {t('supervision.result.close')}
          </Button>
        ) : (
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" danger={!urge} loading={sending} onClick={() => form.submit()} data-testid="bulk-submit">
              {t(urge ? 'supervision.urge.ok' : 'supervision.reassign.ok')}
            </Button>
          </Space>
        )
      }
    >
      {result && <Outcome kind={shown} result={result} />}
      {/* Hidden, not unmounted, under the answer: the form stays connected for the next opening. */}
      <div hidden={result !== null}>
        <Typography.Paragraph type="secondary">{t(urge ? 'supervision.urge.intro' : 'supervision.reassign.intro')}</Typography.Paragraph>
        <Cases cases={cases} />
        <Form<Values> form={form} layout="vertical" onFinish={submit} data-testid={`${shown}-form`}>
          {!urge && (
            <Form.Item name="unitId" label={t('supervision.reassign.unit')} rules={[{ required: true, message: t('common.required') }]}>
              <UnitTreeSelect
                units={units}
                selectable={takesOrders}
                placeholder={t('supervision.reassign.unitPlaceholder')}
                style={{ width: '100%' }}
                data-testid="reassign-unit"
              />
            </Form.Item>
          )}
          <Form.Item name="note" label={t(urge ? 'supervision.urge.note' : 'supervision.reassign.note')} rules={[required]}>
            <Input.TextArea rows={3} maxLength={500} showCount data-testid={`${shown}-note`} />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}
