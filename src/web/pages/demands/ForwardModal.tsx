import { AutoComplete, Form, Input, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { Unit } from '../../api/client.js';
import { compareExperts } from '../../../shared/expert-order.js';
import { forwardQuestion, listExperts, type Expert } from '../../api/experts.js';
import { FormModal } from '../../components/FormModal.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { useI18n } from '../../i18n/index.js';
import type { ActionModalProps } from './actionModal.js';
import { typedSearch } from './pinyin.js';

interface Values {
  unitId: number | null;
  topic?: string;
  question: string;
  expertId?: number;
  contactPhone?: string;
  contactName?: string;
}

// Questions go to the units that name experts: departments and county bureaus (and the 所 below a department).
const askable = (unit: Unit) => unit.active && unit.kind !== 'bureau' && unit.kind !== 'centre';

/** 转专家: the question, the unit and topic; suqiu proposes the expert, the agent may name another. */
export function ForwardModal({ demand, open, onClose, onDone, guard, units }: ActionModalProps & { units: readonly Unit[] }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const unitId = Form.useWatch('unitId', form);
  const topic = Form.useWatch('topic', form);
  const [experts, setExperts] = useState<Expert[]>([]);
  const [allTopics, setAllTopics] = useState<string[]>([]);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({
      question: demand.content,
      unitId: units.some((u) => u.id === demand.unitId && askable(u) && u.kind !== 'station') ? demand.unitId : null,
    });
  }, [open, demand, units, form]);

  useEffect(() => {
    if (!open || !unitId) {
      setExperts([]);
      setAllTopics([]);
      return;
    }
    let current = true;
    // Those who can answer now in the order the server asks them (the head is who it proposes), then the others.
    listExperts({ unitId }).then(
      (all) => {
        if (!current) return;
        const rank = (e: Expert) => ({ id: e.id, leader: e.leader, topics: e.topics, openCount: e.openConsultations });
        const ready = all.filter((e) => e.available && e.onDuty).sort((a, b) => compareExperts(rank(a), rank(b), topic?.trim()));
        setExperts([...ready, ...all.filter((e) => !(e.available && e.onDuty))]);
        setAllTopics([...new Set(all.flatMap((e) => e.topics))]);
      },
      () => current && setExperts([]),
    );
    return () => {
      current = false;
    };
  }, [open, unitId, topic]);

  const proposed = experts.find((e) => e.available && e.onDuty);
  const options = useMemo(
    () =>
      experts.map((e) => ({
        value: e.id,
        disabled: !e.available || !e.onDuty,
        label: `${e.name} · ${e.unitName}${e.leader ? ` · ${t('expert.leader')}` : ''}${!e.available ? ` · ${t('expert.unavailable')}${e.unavailableReason ? `(${e.unavailableReason})` : ''}` : !e.onDuty ? ` · ${t('expert.offDuty')}` : ''}`,
      })),
    [experts, t],
  );

  const submit = async (v: Values) => {
    let expertName = '';
    const ok = await guard(async () => {
      const c = await forwardQuestion(demand.id, {
        unitId: v.unitId!,
        question: v.question.trim(),
        ...(v.topic?.trim() && { topic: v.topic.trim() }),
        ...(v.expertId && { expertId: v.expertId }),
        ...(v.contactPhone?.trim() && { contactPhone: v.contactPhone.trim() }),
        ...(v.contactName?.trim() && { contactName: v.contactName.trim() }),
      });
      expertName = c.expertName;
    });
    // The agent stays on the demand (the customer may still be on the line); its card follows the consultation live.
    onDone(ok, t('consultation.forwarded', { name: expertName }));
  };

  const required = { required: true, message: t('common.required') };
  return (
    <FormModal
      form={form}
      open={open}
      title={t('consultation.forwardTitle', { number: demand.number })}
      onCancel={onClose}
      onSubmit={submit}
      testId="forward-form"
    >
      <Form.Item name="question" label={t('consultation.question')} rules={[required]}>
        <Input.TextArea rows={4} maxLength={4000} showCount data-testid="forward-question" />
      </Form.Item>
      <Form.Item name="unitId" label={t('consultation.unit')} rules={[required]}>
        <UnitTreeSelect units={units} selectable={askable} style={{ width: '100%' }} data-testid="forward-unit" />
      </Form.Item>
      <Form.Item name="topic" label={t('consultation.topic')}>
        <AutoComplete options={allTopics.map((v) => ({ value: v }))} filterOption allowClear maxLength={64} data-testid="forward-topic" />
      </Form.Item>
      <Form.Item
        name="expertId"
        label={t('consultation.proposal')}
        extra={
          unitId ? (
            <Typography.Text type={proposed ? 'secondary' : 'danger'}>
              {proposed ? t('consultation.proposalAuto', { name: proposed.name }) : t('consultation.proposalNone')}
            </Typography.Text>
          ) : undefined
        }
      >
        <Select allowClear showSearch={typedSearch} options={options} placeholder={proposed?.name} data-testid="forward-expert" />
      </Form.Item>
      <Space wrap>
        <Form.Item name="contactPhone" label={t('consultation.contactPhone')}>
          <Input placeholder={demand.customer.phone} maxLength={32} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="contactName" label={t('consultation.contactName')}>
          <Input placeholder={demand.customer.name ?? undefined} maxLength={200} style={{ width: 200 }} />
        </Form.Item>
      </Space>
    </FormModal>
  );
}
