import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Flex, Select, Space, Switch, Table, Tag, Typography, Upload } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { getKeyAccounts, importConsumption, keyAccountsWorkbookUrl, type ConsumptionResult, type KeyAccounts } from '../../api/customers.js';
import { Chart } from '../../components/Chart.js';
import { useReportError } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';
import { useCan, useMe } from '../../session/SessionProvider.js';
import { useDemandLabels } from '../demands/labels.js';
import { AssignManagerModal, kwhText } from './CustomerRecordView.js';

type Item = KeyAccounts['items'][number];
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** 核心客户: the year's top N by consumption with shares, the Pareto chart, the import, and their account managers. */
export default function KeyAccountsPage() {
  const { t } = useI18n();
  const can = useCan();
  const me = useMe();
  const labels = useDemandLabels();
  const report = useReportError();
  const [year, setYear] = useState<number | undefined>(undefined);
  const [top, setTop] = useState<number | undefined>(undefined);
  const [mine, setMine] = useState(false);
  const [list, setList] = useState<KeyAccounts | null>(null);
  const [assigning, setAssigning] = useState<Item | null>(null);
  const isManager = me.user.roles.includes('account_manager');

  const load = useCallback(() => {
    setList(null);
    getKeyAccounts({ year, top, accountManagerId: mine ? me.user.id : undefined }).then(setList, report);
  }, [year, top, mine, me.user.id, report]);
  useEffect(load, [load]);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Flex justify="space-between" align="center" wrap gap={12}>
          <Space wrap>
            <span>{t('keyAccounts.year')}</span>
            <Select
              style={{ width: 110 }}
              value={year ?? list?.year ?? undefined}
              onChange={setYear}
              options={(list?.years ?? []).map((y) => ({ value: y, label: String(y) }))}
              data-testid="key-year"
            />
            <span>{t('keyAccounts.top')}</span>
            <Select
              style={{ width: 90 }}
              value={top ?? list?.top ?? 100}
              onChange={setTop}
              options={[10, 20, 50, 100, 200, 500].map((n) => ({ value: n, label: String(n) }))}
              data-testid="key-top"
            />
            {isManager && (
              <Space>
                <Switch checked={mine} onChange={setMine} />
                <span>{t('keyAccounts.mine')}</span>
              </Space>
            )}
          </Space>
          <Space wrap>
            <Button icon={<DownloadOutlined />} href={keyAccountsWorkbookUrl({ year: year ?? list?.year ?? undefined, top })} disabled={!list?.year}>
              {t('keyAccounts.export')}
            </Button>
          </Space>
        </Flex>
      </Card>
      {can('customer.manage') && <ImportCard onImported={load} />}
      {list === null ? (
        <Card loading />
      ) : list.year === null ? (
        <Card>
          <Empty description={t('keyAccounts.empty')} />
        </Card>
      ) : (
        <>
          <Card size="small" data-testid="key-headline">
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('keyAccounts.headline', { year: list.year, top: list.top, pct: pct(list.topShare) })}
            </Typography.Title>
            <Typography.Text type="secondary">
              {t('keyAccounts.sub', {
                customers: list.customers.toLocaleString('zh-CN'),
                total: kwhText(list.totalKwh),
                top: list.top,
                topKwh: kwhText(list.topKwh),
              })}
            </Typography.Text>
          </Card>
          <Card size="small" title={t('keyAccounts.chart')}>
            <Pareto list={list} />
          </Card>
          <Card size="small">
            <Table<Item>
              rowKey="customerId"
              size="small"
              dataSource={list.items}
              pagination={{ pageSize: 20, showSizeChanger: false }}
              data-testid="key-table"
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
              columns={[
                { title: t('keyAccounts.col.rank'), dataIndex: 'rank', width: 70 },
                { title: t('customers.col.name'), dataIndex: 'name', render: (_: unknown, i) => <Link to={`/customers/${i.customerId}`}>{i.name}</Link> },
                { title: t('customer.accountNo'), dataIndex: 'accountNo' },
                {
                  title: t('customers.col.tags'),
                  key: 'tags',
                  render: (_: unknown, i) => (
                    <Space size={4} wrap>
                      <Tag>{labels.customerClass(i.customerClass)}</Tag>
                      {i.important && <Tag color="red">{t('customer.important')}</Tag>}
                    </Space>
                  ),
                },
                { title: t('keyAccounts.col.kwh'), dataIndex: 'annualKwh', align: 'right', render: (v: number) => kwhText(v) },
                { title: t('keyAccounts.col.share'), dataIndex: 'share', align: 'right', render: (v: number) => pct(v) },
                { title: t('keyAccounts.col.cumulative'), dataIndex: 'cumulativeShare', align: 'right', render: (v: number) => pct(v) },
                {
                  title: t('customer.record.manager'),
                  dataIndex: 'accountManagerName',
                  render: (v: string | null, i) => (
                    <Space size={4}>
                      {v ?? <Typography.Text type="secondary">{t('customer.record.noManager')}</Typography.Text>}
                      {can('customer.manage') && (
                        <Button size="small" type="link" onClick={() => setAssigning(i)}>
                          {v ? t('customer.record.change') : t('customer.record.assign')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]}
            />
          </Card>
        </>
      )}
      <AssignManagerModal
        open={assigning !== null}
        customerId={assigning?.customerId ?? 0}
        current={assigning?.accountManagerId ?? null}
        onClose={(changed) => {
          setAssigning(null);
          if (changed) load();
        }}
      />
    </Space>
  );
}

function Pareto({ list }: { list: KeyAccounts }) {
  const { t } = useI18n();
  const option = useMemo(
    () => ({
      grid: { left: 80, right: 60, top: 50, bottom: 30 },
      tooltip: { trigger: 'axis' as const },
      legend: { top: 0, data: [t('keyAccounts.series.kwh'), t('keyAccounts.series.cumulative')] },
      xAxis: {
        type: 'category' as const,
        data: list.items.map((i) => String(i.rank)),
        axisLabel: { interval: Math.max(0, Math.floor(list.items.length / 20) - 1) },
      },
      yAxis: [
        { type: 'value' as const, name: 'kWh' },
        { type: 'value' as const, min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        { type: 'bar' as const, name: t('keyAccounts.series.kwh'), data: list.items.map((i) => Math.round(i.annualKwh)), itemStyle: { color: '#1677ff' } },
        {
          type: 'line' as const,
          name: t('keyAccounts.series.cumulative'),
          yAxisIndex: 1,
          showSymbol: false,
          data: list.items.map((i) => Math.round(i.cumulativeShare * 1000) / 10),
          itemStyle: { color: '#fa541c' },
        },
      ],
    }),
    [list, t],
  );
  return <Chart option={option} height={320} label={t('keyAccounts.chart')} data-testid="key-pareto" />;
}

function ImportCard({ onImported }: { onImported: () => void }) {
  const { t } = useI18n();
  const report = useReportError();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ConsumptionResult | null>(null);
  return (
    <Card size="small" title={t('consumption.import')}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('consumption.import.hint')}</Typography.Text>
        <Upload
          accept=".csv,.xlsx"
          showUploadList={false}
          beforeUpload={(file) => {
            setBusy(true);
            setResult(null);
            importConsumption(file)
              .then((r) => {
                setResult(r);
                if (r.rejected.length === 0) onImported();
              }, report)
              .finally(() => setBusy(false));
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} loading={busy} data-testid="consumption-upload">
            {t('consumption.import')}
          </Button>
        </Upload>
        {result && result.rejected.length === 0 && (
          <Alert type="success" showIcon title={t('consumption.import.done', { count: result.imported })} data-testid="consumption-done" />
        )}
        {result && result.rejected.length > 0 && (
          <>
            <Alert type="error" showIcon title={t('consumption.import.rejected', { count: result.rejected.length })} data-testid="consumption-rejected" />
            <Table
              size="small"
              rowKey="row"
              dataSource={result.rejected}
              pagination={result.rejected.length > 10 ? { pageSize: 10 } : false}
              columns={[
                { title: '#', dataIndex: 'row', width: 100, render: (v: number) => t('consumption.import.row', { row: v }) },
                { title: t('consumption.import.problem'), dataIndex: 'problem' },
              ]}
            />
          </>
        )}
      </Space>
    </Card>
  );
}
