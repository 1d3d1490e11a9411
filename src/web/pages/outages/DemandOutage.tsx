import { ThunderboltFilled } from '@ant-design/icons';
import { Alert, Flex, Space, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { DemandDetail } from '../../api/demands.js';
import type { OutageStatus } from '../../api/outages.js';
import { useI18n } from '../../i18n/index.js';
import { useShortTime } from '../demands/labels.js';
import { RoleTag } from './OutageCalls.js';
import { isActive, KindTag, OutageStatusTag, OutageWhen } from './labels.js';

/**
 * A call about an outage, on its demand's page: the outage it belongs to (its
 * number, cause and expected restoration, as the agent answers the caller),
 * and whether it is the outage's 主单 or a 子单 of it, by number.
 */
export function DemandOutage({ demand }: { demand: DemandDetail }) {
  const { t } = useI18n();
  const shortTime = useShortTime();
  const outage = demand.outage;
  if (!outage) return null;
  const role = demand.parentId === null ? 'master' : 'child';
  const running = isActive(outage);
  return (
    <Alert
      type={running ? 'warning' : 'info'}
      showIcon
      icon={<ThunderboltFilled />}
      data-testid="demand-outage"
      data-outage={outage.number}
      data-role={role}
      title={
        <Flex gap={8} align="center" wrap>
          <RoleTag role={role} />
          <span>
            {role === 'master' ? t('demandOutage.master') : t('demandOutage.child')}{' '}
            <Link to={`/outages/${outage.id}`} data-testid="demand-outage-link" style={{ fontWeight: 600 }}>
              {outage.number}
            </Link>
          </span>
          {role === 'child' && demand.parentId !== null && outage.masterNumber && (
            <Typography.Text type="secondary">
              {t('demandOutage.masterIs')}{' '}
              <Link to={`/demands/${demand.parentId}`} data-testid="demand-outage-master">
                {outage.masterNumber}
              </Link>
            </Typography.Text>
          )}
        </Flex>
      }
      description={
        <Flex vertical gap={2}>
          <Space size={4} wrap>
            <KindTag kind={outage.kind} />
            <OutageStatusTag status={outage.status} />
            <span>{t('demandOutage.cause', { cause: outage.cause })}</span>
          </Space>
          <span>
            {outage.restoredAt ? (
              t('demandOutage.restoredAt', { time: shortTime(outage.restoredAt) })
            ) : (
              <>
                {t('demandOutage.expected', { time: shortTime(outage.expectedEndAt) })}{' '}
                {running && <OutageWhen outage={{ ...outage, status: outage.status as OutageStatus, cancelledAt: null }} />}
              </>
            )}
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {role === 'master' ? t('demandOutage.masterHint') : t('demandOutage.childHint')}
          </Typography.Text>
        </Flex>
      }
    />
  );
}
