import { Empty, Flex, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { CaseCall } from '../../api/demands.js';
import { useI18n } from '../../i18n/index.js';
import { useDemandLabels, useShortTime } from './labels.js';

/** A call that joined a case: the work is done on the case (its first call), not on the call. */
export const isJoinedCall = (demand: { id: number; caseId: number | null }) => demand.caseId !== null && demand.caseId !== demand.id;

/** What the registration hands the case's page when the call it saved joined the case. */
export interface JoinedCallState {
  joinedCall: { id: number; number: string; ordinal: number };
}

/** A call as listed: what a case's first call is known by where its full record is not at hand. */
export type CallRow = Pick<CaseCall, 'id' | 'number' | 'ordinal' | 'type' | 'content' | 'createdAt'> &
  Partial<Pick<CaseCall, 'channel' | 'source' | 'createdByName'>>;

interface Props {
  calls: readonly CallRow[];
  /** The call whose page this is: named, not linked. */
  currentId?: number | undefined;
  /** The call just registered: marked. */
  highlightId?: number | undefined;
  /** Links open beside the registration form, which must survive a live call. */
  newTab?: boolean;
  /** Per call, e.g. 解除关联 on a joined one. */
  action?: (call: CallRow) => ReactNode;
}

/**
 * The calls of a case, oldest first: which call (第 n 次), its number, when,
 * by which channel, who took it, and the customer's words, read as they were said.
 */
export function CaseCalls({ calls, currentId, highlightId, newTab = false, action }: Props) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const shortTime = useShortTime();
  if (calls.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('case.noCalls')} />;
  const sorted = [...calls].sort((a, b) => a.ordinal - b.ordinal);
  return (
    <Flex vertical gap={0} data-testid="case-calls">
      {sorted.map((call) => {
        const current = call.id === currentId;
        const fresh = call.id === highlightId;
        return (
          <Flex
            key={call.id}
            gap={12}
            align="start"
            data-testid="case-call"
            data-ordinal={call.ordinal}
            data-number={call.number}
            style={{ padding: '8px 4px', borderBottom: '1px solid rgba(5,5,5,0.06)', background: fresh ? '#fff7e6' : current ? '#f0f7ff' : undefined }}
          >
            <Tag color={call.ordinal === 1 ? 'blue' : 'volcano'} style={{ marginInlineEnd: 0, minWidth: 64, textAlign: 'center', fontWeight: 600 }}>
              {t('case.ordinal', { ordinal: call.ordinal })}
            </Tag>
            <Flex vertical gap={2} style={{ minWidth: 0, flex: 1 }}>
              <Flex gap={8} wrap align="baseline">
                {current ? (
                  <Typography.Text strong data-testid="case-call-number">
                    {call.number}
                  </Typography.Text>
                ) : (
                  <Link to={`/demands/${call.id}`} target={newTab ? '_blank' : undefined} data-testid="case-call-number">
                    {call.number}
                  </Link>
                )}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {[
                    shortTime(call.createdAt),
                    call.channel && labels.channel(call.channel),
                    labels.type(call.type),
                    call.source && call.source !== 'direct' && labels.source(call.source),
                    call.createdByName,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Typography.Text>
                {current && <Tag style={{ marginInlineEnd: 0 }}>{t('case.thisCall')}</Tag>}
                {fresh && (
                  <Tag color="orange" style={{ marginInlineEnd: 0 }}>
                    {t('case.justSaved')}
                  </Tag>
                )}
              </Flex>
              <Typography.Paragraph
                style={{ margin: 0, whiteSpace: 'pre-wrap' }}
                ellipsis={{ rows: 3, expandable: true, symbol: t('common.more') }}
                data-testid="case-call-content"
              >
                {call.content}
              </Typography.Paragraph>
            </Flex>
            {action?.(call)}
          </Flex>
        );
      })}
    </Flex>
  );
}
