import { DisconnectOutlined } from '@ant-design/icons';
import { Button, Card, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { CaseSummary } from '../../api/demands.js';
import { useI18n } from '../../i18n/index.js';
import { CaseCalls } from './CaseCalls.js';
import { LevelTag, StatusTag } from './labels.js';
import type { UnlinkTarget } from './UnlinkModal.js';

interface Props {
  theCase: CaseSummary;
  /** The demand whose page this is: the case itself, or one of its calls. */
  currentId: number;
  /** The call just registered, when the agent arrives from the registration. */
  highlightId?: number | undefined;
  /** The current call's version, sent with its unlinking. */
  currentVersion?: number | undefined;
  /** Offered to those who may unlink (agents, team leads); absent otherwise. */
  onUnlink?: ((target: UnlinkTarget) => void) | undefined;
}

/**
 * 多次诉求: one case, every call of the customer in it. The case's first call
 * carries the work (orders, clocks, callback); the later calls are its
 * history, each of which may be taken out again with a reason.
 */
export function CaseCard({ theCase, currentId, highlightId, currentVersion, onUnlink }: Props) {
  const { t } = useI18n();
  const onCase = currentId === theCase.id;
  return (
    <Card
      size="small"
      data-testid="case-card"
      data-case-number={theCase.number}
      data-call-count={theCase.callCount}
      title={
        // On the case's own page its number and status are in the header above; on a call's page they say where the call belongs.
        <Space size={8} wrap style={{ padding: '4px 0' }}>
          <Typography.Text strong style={{ fontSize: 15 }}>
            {t('case.calls')}
          </Typography.Text>
          <Tag color="volcano" style={{ marginInlineEnd: 0 }}>
            {t('demand.callTimes', { count: theCase.callCount })}
          </Tag>
          {!onCase && (
            <>
              <Link to={`/demands/${theCase.id}`} data-testid="case-card-link">
                {t('case.numberIs', { number: theCase.number })}
              </Link>
              <StatusTag status={theCase.status} />
              {theCase.escalationLevel > 0 && <LevelTag level={theCase.escalationLevel} labelled />}
            </>
          )}
        </Space>
      }
    >
      <CaseCalls
        calls={theCase.calls}
        currentId={currentId}
        highlightId={highlightId}
        action={(call) =>
          // The first call is the case itself: it is never unlinked from itself.
          onUnlink && call.id !== theCase.id ? (
            <Button
              size="small"
              icon={<DisconnectOutlined />}
              onClick={() =>
                onUnlink({
                  id: call.id,
                  number: call.number,
                  ordinal: call.ordinal,
                  caseNumber: theCase.number,
                  version: call.id === currentId ? currentVersion : undefined,
                })
              }
              data-testid="case-call-unlink"
            >
              {t('unlink.open')}
            </Button>
          ) : null
        }
      />
    </Card>
  );
}
