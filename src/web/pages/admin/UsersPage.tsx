import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Flex, Input, Select, Space, Table, Tag, Tooltip, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { ROLES, type Role } from '../../../shared/codes.js';
import { listUnits, listUsers, unlockUser, type UserDetail } from '../../api/client.js';
import { useReportError } from '../../components/errors.js';
import { LoadError } from '../../components/StatusPages.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { ResetPasswordModal } from './ResetPasswordModal.js';
import { UserFormModal, type UserFormTarget } from './UserFormModal.js';

interface Filters {
  role?: Role;
  unitId?: number;
  q?: string;
  includeInactive: boolean;
}

function isLocked(user: UserDetail, now = Date.now()): boolean {
  return user.lockedUntil !== null && Date.parse(user.lockedUntil) > now;
}

const anyUnit = () => true;

export default function UsersPage() {
  const { t, formatTime } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const [filters, setFilters] = useState<Filters>({ includeInactive: false });
  const units = useLoad(listUnits);
  const users = useLoad(
    () => listUsers({ role: filters.role, unitId: filters.unitId, q: filters.q, includeInactive: filters.includeInactive ? 'true' : undefined }),
    JSON.stringify(filters),
  );
  const [target, setTarget] = useState<UserFormTarget | null>(null);
  const [resetting, setResetting] = useState<UserDetail | null>(null);

  const unlock = async (user: UserDetail) => {
    try {
      await unlockUser(user.id);
      void message.success(t('users.unlocked'));
      users.reload();
    } catch (err) {
      report(err);
    }
  };

  const columns: TableColumnsType<UserDetail> = [
    { title: t('users.username'), dataIndex: 'username', key: 'username' },
    { title: t('users.name'), dataIndex: 'name', key: 'name' },
    {
      title: t('users.roles'),
      dataIndex: 'roles',
      key: 'roles',
      render: (roles: Role[]) => roles.map((role) => <Tag key={role}>{t(`role.${role}`)}</Tag>),
    },
    { title: t('users.unit'), dataIndex: 'unitName', key: 'unitName' },
    { title: t('users.phone'), dataIndex: 'phone', key: 'phone', render: (phone: string | null) => phone ?? t('common.none') },
    {
      title: t('common.status'),
      key: 'status',
      render: (_, user) => (
        <Space size={4}>
          {user.active ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>}
          {isLocked(user) && (
            <Tooltip title={t('users.lockedUntil', { time: formatTime(user.lockedUntil) })}>
              <Tag color="error" data-testid={`user-locked-${user.username}`}>
                {t('users.locked')}
              </Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    { title: t('users.createdAt'), dataIndex: 'createdAt', key: 'createdAt', render: (at: string) => formatTime(at) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, user) => (
        <Space size={0} wrap>
          <Button size="small" type="link" onClick={() => setTarget({ mode: 'edit', user })} data-testid={`user-edit-${user.username}`}>
            {t('common.edit')}
          </Button>
          <Button size="small" type="link" onClick={() => setResetting(user)}>
            {t('users.resetPassword')}
          </Button>
          {isLocked(user) && (
            <Button size="small" type="link" onClick={() => void unlock(user)} data-testid={`user-unlock-${user.username}`}>
              {t('users.unlock')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  if (users.error && !users.data) return <LoadError error={users.error} onRetry={users.reload} />;
  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Space wrap>
          <Select<Role>
            allowClear
            placeholder={t('users.filterRole')}
            style={{ width: 160 }}
            value={filters.role}
            onChange={(role) => setFilters((f) => ({ ...f, role }))}
            options={ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))}
            data-testid="users-filter-role"
          />
          <UnitTreeSelect
            units={units.data ?? []}
            selectable={anyUnit}
            allowClear
            placeholder={t('users.filterUnit')}
            value={filters.unitId ?? null}
            onChange={(unitId) => setFilters((f) => ({ ...f, unitId: unitId ?? undefined }))}
            data-testid="users-filter-unit"
          />
          <Input.Search
            allowClear
            placeholder={t('users.filterText')}
            style={{ width: 220 }}
            onSearch={(q) => setFilters((f) => ({ ...f, q: q.trim() || undefined }))}
            data-testid="users-filter-text"
          />
          <Checkbox checked={filters.includeInactive} onChange={(e) => setFilters((f) => ({ ...f, includeInactive: e.target.checked }))}>
            {t('users.includeInactive')}
          </Checkbox>
        </Space>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({ mode: 'create' })} data-testid="user-create">
          {t('users.create')}
        </Button>
      </Flex>
      <Table<UserDetail>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={users.data ?? []}
        loading={users.loading}
        rowClassName={(user) => (user.active ? '' : 'suqiu-row-inactive')}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        data-testid="users-table"
      />
      <UserFormModal
        target={target}
        units={units.data ?? []}
        onClose={() => setTarget(null)}
        onSaved={() => {
          setTarget(null);
          users.reload();
        }}
      />
      <ResetPasswordModal
        user={resetting}
        onClose={() => setResetting(null)}
        onSaved={() => {
          setResetting(null);
          users.reload();
        }}
      />
    </>
  );
}
