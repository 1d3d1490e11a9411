import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Flex, Popconfirm, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { listUnits, listUsers, updateUnit, type Unit } from '../../api/client.js';
import { useReportError } from '../../components/errors.js';
import { LoadError } from '../../components/StatusPages.js';
import { buildUnitTree, childKindsOf, type UnitNode } from '../../components/unitTree.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { unitAndAbove, UnitFormModal, type UnitFormTarget } from './UnitFormModal.js';

const KIND_COLORS: Record<Unit['kind'], string> = { bureau: 'purple', centre: 'magenta', department: 'blue', county: 'green', station: 'cyan' };

export default function UnitsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const units = useLoad(listUnits);
  // For the heads' names (负责人), and to pick one in the form.
  const users = useLoad(() => listUsers({ includeInactive: 'true' }));
  const [target, setTarget] = useState<UnitFormTarget | null>(null);
  // Expanded unless the admin folded it: new units appear where they were added.
  const [collapsed, setCollapsed] = useState<Set<number>>(new Set());
  const list = useMemo(() => units.data ?? [], [units.data]);
  const tree = useMemo(() => buildUnitTree(list), [list]);
  const expanded = useMemo(() => list.filter((u) => !collapsed.has(u.id)).map((u) => u.id), [list, collapsed]);
  const people = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, u])), [users.data]);

  /** The unit's head; without one, in grey, the head of the nearest unit above, whom the escalation reaches then. */
  const head = (unit: Unit) => {
    const own = unit.headUserId === null ? undefined : people.get(unit.headUserId);
    if (own) return <span data-testid="unit-head-name">{own.name}</span>;
    const above = unitAndAbove(list, unit.id).find((u) => u.id !== unit.id && u.headUserId !== null && people.has(u.headUserId));
    if (!above) return t('common.none');
    return (
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('unitHead.inherited', { name: people.get(above.headUserId!)!.name, unit: above.name })}
      </Typography.Text>
    );
  };

  const setActive = async (unit: Unit, active: boolean) => {
    try {
      await updateUnit(unit.id, { active });
      void message.success(t('units.updated'));
      units.reload();
    } catch (err) {
      report(err);
    }
  };

  const columns: TableColumnsType<UnitNode> = [
    { title: t('units.name'), dataIndex: 'name', key: 'name' },
    { title: t('units.code'), dataIndex: 'code', key: 'code', render: (code: string) => <Typography.Text code>{code}</Typography.Text> },
    { title: t('units.kind'), dataIndex: 'kind', key: 'kind', render: (kind: Unit['kind']) => <Tag color={KIND_COLORS[kind]}>{t(`kind.${kind}`)}</Tag> },
    {
      title: t('units.areaClass'),
      dataIndex: 'areaClass',
      key: 'areaClass',
      render: (area: Unit['areaClass']) => (area ? t(`areaClass.${area}`) : t('common.none')),
    },
    { title: t('unitHead.label'), key: 'head', render: (_, unit) => head(unit) },
    {
      title: t('common.status'),
      dataIndex: 'active',
      key: 'active',
      render: (active: boolean) => (active ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, unit) => (
        <Space size="small" wrap>
          <Button size="small" type="link" onClick={() => setTarget({ mode: 'edit', unit })} data-testid={`unit-edit-${unit.code}`}>
            {t('common.edit')}
          </Button>
          {unit.active && childKindsOf(unit.kind).length > 0 && (
            <Button size="small" type="link" onClick={() => setTarget({ mode: 'create', parentId: unit.id })} data-testid={`unit-add-child-${unit.code}`}>
              {t('units.addChild')}
            </Button>
          )}
          {unit.parentId !== null && (
            <Popconfirm
              title={t(unit.active ? 'units.disableConfirm' : 'units.enableConfirm', { name: unit.name })}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              onConfirm={() => setActive(unit, !unit.active)}
            >
              <Button size="small" type="link" danger={unit.active}>
                {unit.active ? t('common.disable') : t('common.enable')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  if (units.error && !units.data) return <LoadError error={units.error} onRetry={units.reload} />;
  return (
    <>
      <Flex justify="flex-end" style={{ marginBottom: 16 }}>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={units.reload}>
            {t('common.refresh')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({ mode: 'create' })} data-testid="unit-create">
            {t('units.create')}
          </Button>
        </Space>
      </Flex>
      <Table<UnitNode>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={tree}
        loading={units.loading}
        pagination={false}
        rowClassName={(unit) => (unit.active ? '' : 'suqiu-row-inactive')}
        expandable={{
          expandedRowKeys: expanded,
          onExpand: (open, unit) =>
            setCollapsed((prev) => {
              const next = new Set(prev);
              if (open) next.delete(unit.id);
              else next.add(unit.id);
              return next;
            }),
        }}
        data-testid="units-table"
      />
      <UnitFormModal
        target={target}
        units={list}
        users={users.data ?? []}
        onClose={() => setTarget(null)}
        onSaved={() => {
          setTarget(null);
          units.reload();
        }}
      />
    </>
  );
}
