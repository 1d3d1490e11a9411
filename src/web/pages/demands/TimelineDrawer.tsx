import { Drawer, Flex, Space, Spin, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { getDemand } from '../../api/demands.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { DemandTimeline } from './DemandTimeline.js';
import { LevelTag, StatusTag, useDemandLabels } from './labels.js';

function Body({ id }: { id: number }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const demand = useLoad(() => getDemand(id), String(id));
  if (demand.error) return <LoadError error={demand.error} onRetry={demand.reload} />;
  const data = demand.data;
  if (!data || data.id !== id) return <Spin style={{ display: 'block', marginTop: 32 }} />;
  return (
    <Flex vertical gap={12}>
      <Space wrap>
        <Link to={`/demands/${data.id}`} data-testid="drawer-demand-link">
          {data.number}
        </Link>
        <StatusTag status={data.status} />
        <LevelTag level={data.escalationLevel} />
        {data.callCount > 1 && <Tag color="volcano">{t('demand.callTimes', { count: data.callCount })}</Tag>}
        <span>
          {labels.type(data.type)} · {data.customer.name ?? data.customer.phone} · {data.unitName}
        </span>
      </Space>
      <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap' }} ellipsis={{ rows: 3, expandable: true, symbol: t('common.more') }}>
        {data.content}
      </Typography.Paragraph>
      <DemandTimeline events={data.timeline} tasks={data.tasks} calls={data.case?.calls} />
    </Flex>
  );
}

/** A demand's timeline beside the queue it was found in: the team lead reads the story without losing the list. */
export function TimelineDrawer({ demandId, onClose }: { demandId: number | null; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Drawer open={demandId !== null} onClose={onClose} size={640} title={t('demand.timeline')} destroyOnHidden data-testid="timeline-drawer">
      {demandId !== null && <Body id={demandId} />}
    </Drawer>
  );
}
