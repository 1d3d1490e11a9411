import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Space } from 'antd';
import { useMemo } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { listDemands } from '../../api/demands.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useLiveTick } from '../../notifications/NotificationsProvider.js';
import { DemandFilters, filtersFrom, type Filters } from './DemandFilters.js';
import { DemandTable } from './DemandTable.js';
import { ExportButton } from './ExportButton.js';
import { useDemandRights } from './rights.js';

const DEFAULT_PAGE_SIZE = 20;

function pageOf(params: URLSearchParams) {
  const page = Number(params.get('page'));
  const pageSize = Number(params.get('pageSize'));
  return { page: Number.isInteger(page) && page > 0 ? page : 1, pageSize: [20, 50, 100].includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE };
}

export default function DemandListPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const rights = useDemandRights();
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  // Keyed by the address text: a new object each render would refill the filter form while the user types.
  const filters = useMemo(() => filtersFrom(new URLSearchParams(key)), [key]);
  const { page, pageSize } = pageOf(params);
  // Any notification the user gets is about a demand that may be on this page: one reload per burst.
  const tick = useLiveTick('all');
  const demands = useLoad(() => listDemands({ ...filters, page, pageSize }), `${key}#${tick}`);

  const go = (next: Filters, nextPage = 1, nextSize = pageSize) => {
    const search = new URLSearchParams(next as Record<string, string>);
    if (nextPage > 1) search.set('page', String(nextPage));
    if (nextSize !== DEFAULT_PAGE_SIZE) search.set('pageSize', String(nextSize));
    setParams(search);
  };

  return (
    <>
      <Flex justify="space-between" align="start" gap={8}>
        <DemandFilters value={filters} onChange={(next) => go(next)} />
        <Space>
          <ExportButton filters={filters} total={demands.data?.total} />
          {rights.register && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/demands/new')} data-testid="demand-create">
              {t('demands.tab.new')}
            </Button>
          )}
        </Space>
      </Flex>
      {demands.error && !demands.data ? (
        <LoadError error={demands.error} onRetry={demands.reload} />
      ) : (
        <DemandTable
          list={demands.data}
          page={page}
          pageSize={pageSize}
          loading={demands.loading}
          onPage={(nextPage, nextSize) => go(filters, nextSize !== pageSize ? 1 : nextPage, nextSize)}
        />
      )}
    </>
  );
}
