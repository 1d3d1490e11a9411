import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Flex, Popconfirm, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { deleteTimePolicy, listTimePolicies, type TimePolicy } from '../../api/settings.js';
import { useReportError } from '../../components/errors.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useDemandLabels } from '../demands/labels.js';
import { DEADLINE_STEPS } from './settingsCodes.js';
import { TimePolicyFormModal, type PolicyTarget } from './TimePolicyFormModal.js';

/** 时限标准: the time limits deadlines are computed from, one row per step and scope. */
export default function TimePoliciesPage() {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const { message } = App.useApp();
  const report = useReportError();
  const policies = useLoad(listTimePolicies);
  const [step, setStep] = useState<TimePolicy['step']>();
  const [target, setTarget] = useState<PolicyTarget | null>(null);

  const remove = async (policy: TimePolicy) => {
    try {
      await deleteTimePolicy(policy.id);
      void message.success(t('policy.deleted'));
      policies.reload();
    } catch (err) {
      report(err);
    }
  };

  // An empty scope field matches every demand: "any", in grey, so that the specific ones stand out.
  const any = <Typography.Text type="secondary">{t('policy.any')}</Typography.Text>;
  const or = (value: string | null, label: (v: string) => string) => (value === null ? any : label(value));
  const columns: TableColumnsType<TimePolicy> = [
    { title: t('policy.step'), key: 'step', render: (_, p) => labels.step(p.step) },
    { title: t('policy.type'), key: 'type', render: (_, p) => or(p.type, labels.type) },
    { title: t('policy.category'), key: 'category', render: (_, p) => or(p.category, labels.category) },
    { title: t('policy.subcategory'), key: 'subcategory', render: (_, p) => or(p.subcategory, labels.subcategory) },
    { title: t('policy.areaClass'), key: 'areaClass', render: (_, p) => or(p.areaClass, labels.areaClass) },
    { title: t('policy.priority'), key: 'priority', render: (_, p) => or(p.priority, labels.priority) },
    {
      title: t('policy.limit'),
      key: 'limit',
      render: (_, p) => (
        <Typography.Text strong data-testid="policy-limit">
          {p.amount} {t(`policy.unit.${p.unit}`)}
        </Typography.Text>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, p) => (
        <Space size="small">
          <Button size="small" type="link" onClick={() => setTarget({ mode: 'edit', policy: p })} data-testid="policy-edit">
            {t('common.edit')}
          </Button>
          <Popconfirm title={t('policy.deleteConfirm')} okText={t('common.ok')} cancelText={t('common.cancel')} onConfirm={() => remove(p)}>
            <Button size="small" type="link" danger data-testid="policy-delete">
              {t('policy.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  if (policies.error && !policies.data) return <LoadError error={policies.error} onRetry={policies.reload} />;
  // In the order a demand meets the steps; the server's order (type, then id) within each step.
  const rows = (policies.data ?? []).filter((p) => !step || p.step === step).sort((a, b) => DEADLINE_STEPS.indexOf(a.step) - DEADLINE_STEPS.indexOf(b.step));
  return (
    <>
      <Flex justify="space-between" align="center" gap={8} wrap style={{ marginBottom: 16 }}>
        <Space wrap>
          <Select
            allowClear
            placeholder={t('policy.filterStep')}
            value={step}
            onChange={setStep}
            options={DEADLINE_STEPS.map((s) => ({ value: s, label: labels.step(s) }))}
            style={{ width: 160 }}
            data-testid="policy-filter-step"
          />
          <Typography.Text type="secondary">{t('policy.hint')}</Typography.Text>
        </Space>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={policies.reload}>
            {t('common.refresh')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({ mode: 'create' })} data-testid="policy-create">
            {t('policy.create')}
          </Button>
        </Space>
      </Flex>
      <Table<TimePolicy>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={policies.loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(p) =>
          ({
            'data-testid': 'policy-row',
            'data-id': p.id,
            'data-step': p.step,
            'data-type': p.type ?? '',
            'data-area': p.areaClass ?? '',
            'data-subcategory': p.subcategory ?? '',
          }) as HTMLAttributes<HTMLElement>
        }
        data-testid="policies-table"
      />
      <TimePolicyFormModal
        target={target}
        onClose={() => setTarget(null)}
        onSaved={() => {
          setTarget(null);
          policies.reload();
        }}
      />
    </>
  );
}
