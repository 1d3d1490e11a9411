import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Flex, Popconfirm, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { listTokens, revokeToken, type ApiToken } from '../../api/client.js';
import { useReportError } from '../../components/errors.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { CreateTokenModal } from './CreateTokenModal.js';
import { TokenRoles } from './TokenRoles.js';

type TokenState = 'valid' | 'revoked' | 'expired';

function stateOf(token: ApiToken, now = Date.now()): TokenState {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'valid';
}

const STATE_COLORS: Record<TokenState, string> = { valid: 'success', revoked: 'default', expired: 'warning' };

export default function TokensPage() {
  const { t, formatTime } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const tokens = useLoad(listTokens);
  const [creating, setCreating] = useState(false);

  const revoke = async (token: ApiToken) => {
    try {
      await revokeToken(token.id);
      void message.success(t('tokens.revokedDone'));
      tokens.reload();
    } catch (err) {
      report(err);
    }
  };

  const columns: TableColumnsType<ApiToken> = [
    { title: t('tokens.name'), dataIndex: 'name', key: 'name' },
    { title: t('tokens.user'), dataIndex: 'username', key: 'username' },
    { title: t('tokens.roles'), dataIndex: 'roles', key: 'roles', render: (_, token) => <TokenRoles token={token} /> },
    { title: t('tokens.prefix'), dataIndex: 'prefix', key: 'prefix', render: (prefix: string) => <Typography.Text code>{prefix}…</Typography.Text> },
    { title: t('tokens.createdAt'), dataIndex: 'createdAt', key: 'createdAt', render: (at: string) => formatTime(at) },
    { title: t('tokens.expiresAt'), dataIndex: 'expiresAt', key: 'expiresAt', render: (at: string | null) => (at ? formatTime(at) : t('tokens.never')) },
    { title: t('tokens.lastUsedAt'), dataIndex: 'lastUsedAt', key: 'lastUsedAt', render: (at: string | null) => (at ? formatTime(at) : t('tokens.neverUsed')) },
    {
      title: t('common.status'),
      key: 'state',
      render: (_, token) => {
        const state = stateOf(token);
        const tag = (
          <Tag color={STATE_COLORS[state]} data-testid={`token-state-${token.id}`}>
            {t(`tokens.${state}`)}
          </Tag>
        );
        return token.revokedAt ? <Tooltip title={t('tokens.revokedAt', { time: formatTime(token.revokedAt) })}>{tag}</Tooltip> : tag;
      },
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, token) =>
        token.revokedAt ? null : (
          <Popconfirm
            title={t('tokens.revokeConfirm')}
            okText={t('tokens.revoke')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() => revoke(token)}
          >
            <Button size="small" type="link" danger data-testid={`token-revoke-${token.id}`}>
              {t('tokens.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  if (tokens.error && !tokens.data) return <LoadError error={tokens.error} onRetry={tokens.reload} />;
  return (
    <>
      <Flex justify="flex-end" style={{ marginBottom: 16 }}>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={tokens.reload}>
            {t('common.refresh')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="token-create">
            {t('tokens.create')}
          </Button>
        </Space>
      </Flex>
      <Table<ApiToken>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={tokens.data ?? []}
        loading={tokens.loading}
        pagination={false}
        data-testid="tokens-table"
      />
      <CreateTokenModal open={creating} onClose={() => setCreating(false)} onCreated={tokens.reload} />
    </>
  );
}
