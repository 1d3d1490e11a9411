import { Form, Input, Select, Typography, type GetRef } from 'antd';
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { listUsers } from '../../api/client.js';
import { handOverDemand } from '../../api/demands.js';
import { FormModal } from '../../components/FormModal.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import type { ActionModalProps } from './actionModal.js';
import { matchesTyped } from './pinyin.js';

interface Values {
  toUserId: number;
  reason: string;
}

/** The colleagues who may own a demand: the active agents and team leads, by name. */
async function colleagues() {
  const [agents, leads] = await Promise.all([listUsers({ role: 'agent' }), listUsers({ role: 'team_lead' })]);
  const seen = new Set<number>();
  return [...leads, ...agents].filter((u) => u.active && !seen.has(u.id) && seen.add(u.id));
}

/**
 * 移交 (首问负责制): the owner, or a team lead, hands the demand over to a
 * colleague picked by name (typed, pinyin initials too), with the reason; the
 * new owner is told. Worked from the keyboard: the colleague has the focus,
 * Ctrl+Enter saves.
 */
export function HandOverModal({ demand, open, onClose, onDone, guard }: ActionModalProps) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const picker = useRef<GetRef<typeof Select>>(null);
  const people = useLoad(() => (open ? colleagues() : Promise.resolve([])), open ? 'open' : 'closed');

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const options = useMemo(
    () =>
      (people.data ?? [])
        .filter((u) => u.id !== demand.ownerId)
        .map((u) => ({
          value: u.id,
          label: `${u.name}（${u.roles.includes('team_lead') ? t('role.team_lead') : t('role.agent')} · ${u.unitName}）`,
          name: u.name,
          username: u.username,
        })),
    [people.data, demand.ownerId, t],
  );

  const submit = async ({ toUserId, reason }: Values) => {
    const name = people.data?.find((u) => u.id === toUserId)?.name ?? '';
    const ok = await guard(() => handOverDemand(demand.id, demand.version, { toUserId, reason: reason.trim() }));
    onDone(ok, t('ownership.done', { name }));
  };

  const ctrlEnter = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.submit();
    }
  };

  return (
    <FormModal
      form={form}
      open={open}
      title={t('ownership.title', { number: demand.number })}
      okText={t('ownership.ok')}
      onCancel={onClose}
      onSubmit={submit}
      afterOpenChange={(visible) => visible && picker.current?.focus()}
      testId="handover-form"
      intro={<Typography.Paragraph>{t('ownership.modalIntro', { name: demand.ownerName ?? t('common.none') })}</Typography.Paragraph>}
    >
      <div onKeyDown={ctrlEnter}>
        <Form.Item name="toUserId" label={t('ownership.to')} rules={[{ required: true, message: t('common.required') }]}>
          <Select
            ref={picker}
            // By the colleague's name (or its pinyin initials) and user name, not by the words of their role or unit.
            showSearch={{ filterOption: (input, option) => option !== undefined && matchesTyped(input, option.name, option.username) }}
            options={options}
            loading={people.loading}
            placeholder={t('ownership.toPlaceholder')}
            notFoundContent={people.loading ? t('common.loading') : t('ownership.noColleague')}
            data-testid="handover-to"
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('ownership.reason')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          extra={t('ownership.keys')}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t('ownership.reasonPlaceholder')} data-testid="handover-reason" />
        </Form.Item>
      </div>
    </FormModal>
  );
}
