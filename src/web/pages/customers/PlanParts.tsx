import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, DatePicker, Form, Input, Select, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { addDays, localDate } from '../../../shared/time.js';
import { listUsers } from '../../api/client.js';
import { progressAction, type PlanAction } from '../../api/relations.js';
import { FormModal } from '../../components/FormModal.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';

// The pieces the plans and activities pages share: an action's time left, the
// owner picker (by name), the list of actions in a form, and the progress dialog.

/** Today's local date in the company's zone. */
export function useToday(): string {
  const { timeZone } = useI18n();
  return localDate(Date.now(), timeZone);
}

/** Whole days from `from` to `to` (local dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** 剩 3 天 / 今天到期 / 超期 2 天, coloured; a done action says so. */
export function DueLeft({ action }: { action: Pick<PlanAction, 'dueOn' | 'status'> }) {
  const { t } = useI18n();
  const today = useToday();
  if (action.status === 'done') return <Tag color="green">{t('relationAction.done')}</Tag>;
  const days = daysBetween(today, action.dueOn);
  if (days < 0)
    return (
      <Tag color="red" data-testid="due-left">
        {t('relationAction.overdue', { days: -days })}
      </Tag>
    );
  if (days === 0)
    return (
      <Tag color="orange" data-testid="due-left">
        {t('relationAction.today')}
      </Tag>
    );
  return (
    <Tag color={days <= 3 ? 'gold' : 'default'} data-testid="due-left">
      {t('relationAction.left', { days })}
    </Tag>
  );
}

/** The active users to own an action, by name and unit. */
export function useOwnerOptions(enabled: boolean) {
  const users = useLoad(() => (enabled ? listUsers() : Promise.resolve([])), enabled ? 'on' : 'off');
  return useMemo(
    () =>
      (users.data ?? [])
        .filter((u) => u.active)
        .map((u) => ({ value: u.id, label: `${u.name}（${u.unitName}）`, search: `${u.name}${u.username}${u.unitName}` })),
    [users.data],
  );
}

export interface ActionValues {
  text: string;
  ownerUserId: number;
  dueOn: Dayjs;
}

/** The actions (or follow-ups) of a form: text, owner picked by name, due date. */
export function ActionFields({
  name,
  owners,
  min = 0,
  addLabel,
}: {
  name: string;
  owners: { value: number; label: string; search: string }[];
  min?: number;
  addLabel: string;
}) {
  const { t } = useI18n();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <Space orientation="vertical" style={{ width: '100%' }} size={4}>
          {fields.map((field, i) => (
            <Space key={field.key} align="start" wrap data-testid={`${name}-row`}>
              <Form.Item name={[field.name, 'text']} rules={[{ required: true, message: t('common.required') }]} style={{ marginBottom: 8 }}>
                <Input placeholder={t('plan.action.text')} style={{ width: 240 }} data-testid={`${name}-text-${i}`} />
              </Form.Item>
              <Form.Item name={[field.name, 'ownerUserId']} rules={[{ required: true, message: t('common.required') }]} style={{ marginBottom: 8 }}>
                <Select
                  showSearch
                  placeholder={t('plan.action.owner')}
                  options={owners}
                  filterOption={(input, option) => (option?.search ?? '').toLowerCase().includes(input.toLowerCase())}
                  style={{ width: 200 }}
                  data-testid={`${name}-owner-${i}`}
                />
              </Form.Item>
              <Form.Item name={[field.name, 'dueOn']} rules={[{ required: true, message: t('common.required') }]} style={{ marginBottom: 8 }}>
                <DatePicker placeholder={t('plan.action.due')} data-testid={`${name}-due-${i}`} />
              </Form.Item>
              {fields.length > min && <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label="remove" />}
            </Space>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} data-testid={`${name}-add`}>
            {addLabel}
          </Button>
        </Space>
      )}
    </Form.List>
  );
}

/** The form's actions as the API takes them. */
export const actionsOut = (values: ActionValues[] | undefined) =>
  (values ?? []).map((a) => ({ text: a.text, ownerUserId: a.ownerUserId, dueOn: a.dueOn.format('YYYY-MM-DD') }));

/** A default due date: so many days from today. */
export const dueIn = (today: string, days: number) => addDays(today, days);

/** Records a note on an action, and done when it is. */
export function ProgressModal({ action, onClose, onDone }: { action: PlanAction | undefined; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note: string; done: boolean }>();
  const [key, setKey] = useState(0);
  return (
    <FormModal
      key={key}
      open={action !== undefined}
      title={t('relationAction.progress.title')}
      form={form}
      testId="progress-form"
      destroyOnHidden
      onCancel={onClose}
      onSubmit={async (v) => {
        await progressAction(action!.id, { note: v.note, done: v.done === true });
        message.success(t('relationAction.saved'));
        setKey((k) => k + 1);
        onDone();
      }}
      intro={
        action && (
          <Typography.Paragraph>
            <Typography.Text strong>{action.text}</Typography.Text>
            {action.note && (
              <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap', marginTop: 8, marginBottom: 0 }}>
                {action.note}
              </Typography.Paragraph>
            )}
          </Typography.Paragraph>
        )
      }
    >
      <Form.Item name="note" label={t('relationAction.note')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.TextArea rows={3} data-testid="progress-note" />
      </Form.Item>
      <Form.Item name="done" valuePropName="checked">
        <Checkbox data-testid="progress-done">{t('relationAction.markDone')}</Checkbox>
      </Form.Item>
    </FormModal>
  );
}
