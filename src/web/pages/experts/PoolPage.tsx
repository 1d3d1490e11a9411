import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Flex, Form, Input, Select, Space, Switch, Table, Tag, TimePicker, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { listUnits } from '../../api/client.js';
import { listExperts, poolWarnings, updateExpert, type Expert } from '../../api/experts.js';
import { FormModal } from '../../components/FormModal.js';
import { LoadError } from '../../components/StatusPages.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useMe } from '../../session/SessionProvider.js';
import { useExpertRights } from './labels.js';

interface Values {
  phone: string;
  topics: string[];
  dutyFrom: Dayjs | null;
  dutyTo: Dayjs | null;
  allDay: boolean;
  available: boolean;
  unavailableReason: string;
  leader: boolean;
}

const hhmm = (d: Dayjs | null) => (d ? d.format('HH:mm') : '00:00');

function EditExpertModal({ expert, manage, onClose, onSaved }: { expert: Expert | null; manage: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const allDay = Form.useWatch('allDay', form);
  useEffect(() => {
    if (!expert) return;
    form.resetFields();
    const around = expert.dutyFrom === expert.dutyTo || (expert.dutyFrom === '00:00' && expert.dutyTo === '24:00');
    form.setFieldsValue({
      phone: expert.phone ?? '',
      topics: expert.topics,
      allDay: around,
      dutyFrom: around ? null : dayjs(`2000-01-01T${expert.dutyFrom}`),
      dutyTo: around ? null : dayjs(`2000-01-01T${expert.dutyTo === '24:00' ? '00:00' : expert.dutyTo}`),
      available: expert.available,
      unavailableReason: expert.unavailableReason ?? '',
      leader: expert.leader,
    });
  }, [expert, form]);
  if (!expert) return null;
  const submit = async (v: Values) => {
    await updateExpert(expert.id, {
      phone: v.phone.trim() || null,
      topics: v.topics.map((s) => s.trim()).filter(Boolean),
      dutyFrom: v.allDay ? '00:00' : hhmm(v.dutyFrom),
      dutyTo: v.allDay ? '24:00' : hhmm(v.dutyTo),
      available: v.available,
      unavailableReason: v.available ? null : v.unavailableReason.trim() || null,
      ...(manage && { leader: v.leader }),
    });
    onSaved();
  };
  return (
    <FormModal form={form} open title={t('expert.editTitle', { name: expert.name })} onCancel={onClose} onSubmit={submit} testId="expert-form">
      <Form.Item name="phone" label={t('expert.phone')}>
        <Input maxLength={32} />
      </Form.Item>
      <Form.Item name="topics" label={t('expert.topics')}>
        <Select mode="tags" tokenSeparators={[',', '，', '、']} data-testid="expert-topics" />
      </Form.Item>
      <Space wrap align="end">
        <Form.Item name="allDay" valuePropName="checked">
          <Checkbox>{t('expert.allDay')}</Checkbox>
        </Form.Item>
        <Form.Item name="dutyFrom" label={t('expert.dutyFrom')}>
          <TimePicker format="HH:mm" disabled={allDay} />
        </Form.Item>
        <Form.Item name="dutyTo" label={t('expert.dutyTo')}>
          <TimePicker format="HH:mm" disabled={allDay} />
        </Form.Item>
      </Space>
      <Space wrap align="end">
        <Form.Item name="available" label={t('expert.available')} valuePropName="checked">
          <Switch data-testid="expert-available" />
        </Form.Item>
        <Form.Item name="unavailableReason" label={t('expert.reason')}>
          <Input placeholder={t('expert.reasonHint')} maxLength={200} style={{ width: 240 }} data-testid="expert-reason" />
        </Form.Item>
      </Space>
      {manage && (
        <Form.Item name="leader" valuePropName="checked">
          <Checkbox>{t('expert.leader')}</Checkbox>
        </Form.Item>
      )}
    </FormModal>
  );
}

/** The expert pool (专家库): who answers for which unit and topics, when, and whether they can now; with the units short of experts. */
export default function PoolPage() {
  const { t } = useI18n();
  const me = useMe();
  const rights = useExpertRights();
  const [unitId, setUnitId] = useState<number | null>(null);
  const [topic, setTopic] = useState('');
  const units = useLoad(listUnits);
  const experts = useLoad(() => listExperts({ unitId: unitId ?? undefined, topic: topic.trim() || undefined }), `${unitId}:${topic}`);
  const warnings = useLoad(poolWarnings);
  const [editing, setEditing] = useState<Expert | null>(null);

  const columns: TableColumnsType<Expert> = [
    {
      title: t('expert.name'),
      key: 'name',
      render: (_, e) => (
        <Space>
          {e.name}
          {e.leader && <Tag color="gold">{t('expert.leader')}</Tag>}
        </Space>
      ),
    },
    { title: t('expert.unit'), dataIndex: 'unitName' },
    { title: t('expert.topics'), key: 'topics', render: (_, e) => e.topics.map((s) => <Tag key={s}>{s}</Tag>) },
    { title: t('expert.phone'), key: 'phone', render: (_, e) => (e.phone ? <a href={`tel:${e.phone}`}>{e.phone}</a> : t('common.none')) },
    {
      title: t('expert.duty'),
      key: 'duty',
      render: (_, e) => (e.dutyFrom === e.dutyTo || (e.dutyFrom === '00:00' && e.dutyTo === '24:00') ? t('expert.allDay') : `${e.dutyFrom}–${e.dutyTo}`),
    },
    {
      title: t('common.status'),
      key: 'status',
      render: (_, e) => (
        <Space orientation="vertical" size={0} data-testid="expert-status" data-available={e.available}>
          {e.available ? (
            <Tag color={e.onDuty ? 'green' : 'default'}>{e.onDuty ? t('expert.available') : t('expert.offDuty')}</Tag>
          ) : (
            <Tag color="red">{t('expert.unavailable')}</Tag>
          )}
          {!e.available && e.unavailableReason && <Typography.Text type="secondary">{e.unavailableReason}</Typography.Text>}
          {e.openConsultations > 0 && <Typography.Text type="secondary">{t('expert.openCount', { count: e.openConsultations })}</Typography.Text>}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, e) =>
        (rights.manage || (rights.profile && e.id === me.user.id)) && (
          <Button size="small" onClick={() => setEditing(e)} data-testid="expert-edit">
            {t('expert.edit')}
          </Button>
        ),
    },
  ];

  const short = warnings.data?.items ?? [];
  return (
    <Flex vertical gap={12} data-testid="pool-page">
      {warnings.data &&
        (short.length > 0 ? (
          <Alert
            type="warning"
            showIcon
            data-testid="pool-warnings"
            title={t('expert.warnings', { min: warnings.data.minimum })}
            description={short.map((w) => t('expert.warningItem', { unit: w.unitName, available: w.available, total: w.experts })).join('；')}
          />
        ) : (
          <Alert type="success" showIcon title={t('expert.noWarnings', { min: warnings.data.minimum })} data-testid="pool-ok" />
        ))}
      <Flex gap={8} wrap justify="space-between">
        <Space wrap>
          <UnitTreeSelect units={units.data ?? []} value={unitId} onChange={setUnitId} allowClear placeholder={t('expert.unit')} style={{ width: 260 }} />
          <Input.Search placeholder={t('expert.filterTopic')} allowClear onSearch={setTopic} style={{ width: 220 }} data-testid="pool-topic" />
        </Space>
        <Button
          icon={<ReloadOutlined />}
          onClick={() => {
            experts.reload();
            warnings.reload();
          }}
        >
          {t('common.refresh')}
        </Button>
      </Flex>
      {experts.error && !experts.data && <LoadError error={experts.error} onRetry={experts.reload} />}
      <Table<Expert>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={experts.data ?? []}
        loading={experts.loading}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        onRow={(e) => ({ 'data-testid': 'expert-row', 'data-username': e.username }) as never}
      />
      <EditExpertModal
        expert={editing}
        manage={rights.manage}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          experts.reload();
          warnings.reload();
        }}
      />
    </Flex>
  );
}
