import { App, DatePicker, Form, Input, Radio, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { ACTIVITY_KINDS, INVITED_GROUPS } from '../../../shared/schemas/relations.js';
import { logActivity, type Activity, type ActivityKind, type InvitedGroup } from '../../api/relations.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';
import { CustomerSelect } from './CustomerSelect.js';
import { ActionFields, actionsOut, useOwnerOptions, useToday, type ActionValues } from './PlanParts.js';

// 登记沟通活动: a visit (走访), a forum (座谈会) or an open day (客户体验), with
// its date, topic, place, invited groups, the customers reached, the outcome
// and the follow-ups. Opened prefilled from a visit candidate or from a
// customer's record (?log=visit&customerId=ID).

interface Values {
  kind: ActivityKind;
  heldOn: Dayjs;
  topic: string;
  place?: string;
  invitedGroups?: InvitedGroup[];
  customerIds?: number[];
  outcome: string;
  followUps?: ActionValues[];
}

export interface LogPreset {
  kind: ActivityKind;
  customers: { id: number; name: string; accountNo: string }[];
  topic?: string;
}

export function ActivityLogModal({ preset, onClose, onDone }: { preset: LogPreset | undefined; onClose: () => void; onDone: (a: Activity) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const open = preset !== undefined;
  const owners = useOwnerOptions(open);
  const today = useToday();
  const kind = Form.useWatch('kind', form) ?? 'visit';

  useEffect(() => {
    if (!preset) return;
    form.resetFields();
    form.setFieldsValue({
      kind: preset.kind,
      heldOn: dayjs(today),
      customerIds: preset.customers.map((c) => c.id),
      ...(preset.topic && { topic: preset.topic }),
      invitedGroups: [],
      followUps: [],
    });
  }, [preset, form, today]);

  return (
    <FormModal<Values>
      open={open}
      title={t('activities.log')}
      width={780}
      form={form}
      testId="activity-form"
      onCancel={onClose}
      onSubmit={async (v) => {
        const a = await logActivity({
          kind: v.kind,
          heldOn: v.heldOn.format('YYYY-MM-DD'),
          topic: v.topic,
          customerIds: v.customerIds ?? [],
          outcome: v.outcome,
          ...(v.place?.trim() && { place: v.place.trim() }),
          ...(v.invitedGroups?.length && { invitedGroups: v.invitedGroups }),
          ...(v.followUps?.length && { followUps: actionsOut(v.followUps) }),
        });
        message.success(t('activities.logged'));
        onDone(a);
      }}
    >
      <Form.Item name="kind" label={t('activity.kind')}>
        <Radio.Group optionType="button" options={ACTIVITY_KINDS.map((k) => ({ value: k, label: t(`activity.kind.${k}`) }))} />
      </Form.Item>
      <Form.Item name="heldOn" label={t('activity.heldOn')} rules={[{ required: true, message: t('common.required') }]}>
        <DatePicker data-testid="activity-date" />
      </Form.Item>
      <Form.Item name="topic" label={t('activity.topic')} rules={[{ required: true, message: t('common.required') }]}>
        <Input maxLength={300} data-testid="activity-topic" />
      </Form.Item>
      <Form.Item name="place" label={t('activity.place')}>
        <Input maxLength={200} data-testid="activity-place" />
      </Form.Item>
      <Form.Item name="invitedGroups" label={t('activity.groups')}>
        <Select mode="multiple" data-testid="activity-groups" options={INVITED_GROUPS.map((g) => ({ value: g, label: t(`activity.group.${g}`) }))} />
      </Form.Item>
      <Form.Item
        name="customerIds"
        label={t('activity.customers')}
        rules={kind === 'visit' ? [{ required: true, type: 'array', min: 1, message: t('common.required') }] : []}
      >
        <CustomerSelect key={preset?.customers.map((c) => c.id).join(',') ?? ''} mode="multiple" known={preset?.customers ?? []} testId="activity-customers" />
      </Form.Item>
      <Form.Item name="outcome" label={t('activity.outcome')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.TextArea rows={3} maxLength={4000} data-testid="activity-outcome" />
      </Form.Item>
      <Form.Item label={t('activity.followUps')}>
        <ActionFields name="followUps" owners={owners} addLabel={t('activity.followUp.add')} />
      </Form.Item>
    </FormModal>
  );
}
