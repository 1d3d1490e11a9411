import { Space, Tag, Tooltip } from 'antd';
import type { ApiToken } from '../../api/client.js';
import { useI18n } from '../../i18n/index.js';

/** The roles a token acts with, in words: the ones it names, or all of its user's (null), which follow the user. */
export function TokenRoles({ token }: { token: Pick<ApiToken, 'id' | 'roles'> }) {
  const { t } = useI18n();
  if (token.roles === null) {
    return (
      <Tooltip title={t('tokens.allRolesTip')}>
        <Tag data-testid={`token-roles-${token.id}`}>{t('tokens.allRoles')}</Tag>
      </Tooltip>
    );
  }
  return (
    <Space size={[0, 4]} wrap data-testid={`token-roles-${token.id}`}>
      {token.roles.map((role) => (
        <Tag key={role} color="blue">
          {t(`role.${role}`)}
        </Tag>
      ))}
    </Space>
  );
}
