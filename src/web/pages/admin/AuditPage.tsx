import { Button, Flex, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { listAudit, listUsers, type AuditEntry } from '../../api/client.js';
import { useReportError } from '../../components/errors.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';

const PAGE = 50;
// The entity types the server records today; later modules add theirs here.
const ENTITY_TYPES = ['user', 'unit', 'api_token'];

interface Filters {
  entityType?: string;
  actorId?: number;
}

function Json({ title, value }: { title: string; value: unknown }) {
  return (
    <div style={{ flex: 1, minWidth: 0 }}>
      <Typography.Text strong>{title}</Typography.Text>
      <pre style={{ margin: '4px 0 0', padding: 8, background: 'rgba(0,0,0,0.03)', borderRadius: 4, overflow: 'auto', maxHeight: 320, fontSize: 12 }}>
        {value === null || value === undefined ? '—' : JSON.stringify(value, null, 2)}
      </pre>
    </div>
  );
}

export default function AuditPage() {
  const { t, tMaybe, formatTime } = useI18n();
  const report = useReportError();
  const [filters, setFilters] = useState<Filters>({});
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [loading, setLoading] = useState(false);
  const [exhausted, setExhausted] = useState(false);
  const users = useLoad(() => listUsers({ includeInactive: 'true' }));
  // A page that arrives after the filters changed belongs to the old list: drop it.
  const generation = useRef(0);

  // Newest first; "load more" asks for the entries older than the last one shown.
  const load = useCallback(
    async (beforeId?: number) => {
      const mine = beforeId === undefined ? ++generation.current : generation.current;
      setLoading(true);
      try {
        const page = await listAudit({ ...filters, beforeId, limit: PAGE });
        if (mine !== generation.current) return;
        setEntries((prev) => (beforeId === undefined ? page : [...prev, ...page]));
        setExhausted(page.length < PAGE);
      } catch (err) {
        report(err);
      } finally {
        setLoading(false);
      }
    },
    [filters, report],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const entityLabel = (type: string) => tMaybe(`audit.entity.${type}`) ?? type;
  const columns: TableColumnsType<AuditEntry> = [
    { title: '#', dataIndex: 'id', key: 'id', width: 80 },
    { title: t('audit.time'), dataIndex: 'at', key: 'at', render: (at: string) => formatTime(at) },
    {
      title: t('audit.actor'),
      key: 'actor',
      render: (_, entry) => (
        <Space size={4}>
          {entry.actorName ?? (entry.actorKind === 'system' ? t('audit.actorSystem') : t('common.none'))}
          {entry.actorKind === 'token' && <Tag color="gold">{t('audit.viaToken')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      key: 'action',
      render: (action: string) => (
        <Space size={4}>
          <span>{tMaybe(`audit.action.${action}`) ?? action}</span>
          <Typography.Text type="secondary" code>
            {action}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('audit.entity'),
      key: 'entity',
      render: (_, entry) => (
        <>
          <Tag>{entityLabel(entry.entityType)}</Tag>
          {entry.entityId}
        </>
      ),
    },
    {
      title: t('audit.requestId'),
      dataIndex: 'requestId',
      key: 'requestId',
      render: (id: string | null) => <Typography.Text type="secondary">{id ?? '—'}</Typography.Text>,
    },
  ];

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select<string>
          allowClear
          showSearch
          placeholder={t('audit.filterEntityType')}
          style={{ width: 200 }}
          value={filters.entityType}
          onChange={(entityType) => setFilters((f) => ({ ...f, entityType }))}
          options={ENTITY_TYPES.map((type) => ({ value: type, label: entityLabel(type) }))}
          data-testid="audit-filter-entity"
        />
        <Select<number>
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('audit.filterActor')}
          style={{ width: 220 }}
          loading={users.loading}
          value={filters.actorId}
          onChange={(actorId) => setFilters((f) => ({ ...f, actorId }))}
          options={(users.data ?? []).map((user) => ({ value: user.id, label: `${user.name} (${user.username})` }))}
          data-testid="audit-filter-actor"
        />
      </Space>
      <Table<AuditEntry>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={entries}
        loading={loading}
        pagination={false}
        expandable={{
          expandedRowRender: (entry) => (
            <Flex gap={16}>
              <Json title={t('audit.before')} value={entry.before} />
              <Json title={t('audit.after')} value={entry.after} />
            </Flex>
          ),
          rowExpandable: (entry) => entry.before !== null || entry.after !== null,
        }}
        data-testid="audit-table"
      />
      <Flex justify="center" style={{ marginTop: 16 }}>
        {exhausted ? (
          <Typography.Text type="secondary">{t('audit.noMore')}</Typography.Text>
        ) : (
          <Button loading={loading} onClick={() => void load(entries[entries.length - 1]?.id)} data-testid="audit-load-more">
            {t('audit.loadMore')}
          </Button>
        )}
      </Flex>
    </>
  );
}
