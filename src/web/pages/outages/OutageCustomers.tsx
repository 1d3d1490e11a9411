import { Card, Empty, Select, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { outageCustomers, type OutageCustomers, type OutageDetail } from '../../api/outages.js';
import { Chart, type ChartOption } from '../../components/Chart.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';

// The customers an outage cuts: by 台区 on a chart (where the calls will come
// from), and the customers themselves a page at a time, of one 台区 or all.

/** More 台区 than this and the rest are summed in one bar: the chart is read, not scrolled. */
const TOP = 15;
const PAGE_SIZE = 10;

export function DistrictChart({ outage }: { outage: OutageDetail }) {
  const { t } = useI18n();
  const option = useMemo<ChartOption>(() => {
    const sorted = [...outage.districts].sort((a, b) => b.customers - a.customers);
    const rest = sorted.slice(TOP);
    const bars = [
      ...sorted.slice(0, TOP).map((d) => ({ name: d.name, feeder: d.feederName, value: d.customers })),
      ...(rest.length > 0
        ? [{ name: t('outageDetail.otherDistricts', { count: rest.length }), feeder: '', value: rest.reduce((n, d) => n + d.customers, 0) }]
        : []),
    ].reverse();
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: bars.map((b) => b.name), axisLabel: { fontSize: 12 } },
      series: [
        {
          type: 'bar',
          name: t('outageDetail.customersSeries'),
          barMaxWidth: 18,
          itemStyle: { color: outage.status === 'in_progress' ? '#ff7a45' : '#597ef7' },
          label: { show: true, position: 'right' },
          data: bars.map((b) => b.value),
        },
      ],
    };
  }, [outage.districts, outage.status, t]);
  const shown = Math.min(outage.districts.length, TOP + 1);
  return (
    <Card size="small" title={t('outageDetail.districtsTitle', { count: outage.districts.length })} data-testid="outage-districts">
      {outage.districts.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('outageDetail.noDistricts')} />
      ) : (
        <Chart option={option} height={Math.max(140, 24 + shown * 26)} label={t('outageDetail.chartLabel')} data-testid="outage-districts-chart" />
      )}
    </Card>
  );
}

export function CustomersCard({ outage }: { outage: OutageDetail }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [districtId, setDistrictId] = useState<number>();
  const customers = useLoad<OutageCustomers>(
    () => outageCustomers(outage.id, { page, pageSize: PAGE_SIZE, districtId }),
    `${outage.id}|${page}|${districtId ?? ''}|${outage.version}`,
  );
  return (
    <Card
      size="small"
      title={t('outageDetail.customersTitle', { count: outage.affectedCustomers.toLocaleString() })}
      extra={
        outage.districts.length > 1 && (
          <Select<number>
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            size="small"
            style={{ width: 220 }}
            placeholder={t('outageDetail.allDistricts')}
            value={districtId}
            onChange={(value) => {
              setDistrictId(value);
              setPage(1);
            }}
            options={outage.districts.map((d) => ({ value: d.id, label: `${d.name} · ${t('outage.households', { count: d.customers })}` }))}
            data-testid="outage-customers-district"
          />
        )
      }
      data-testid="outage-customers-card"
    >
      {customers.error && !customers.data ? (
        <LoadError error={customers.error} onRetry={customers.reload} />
      ) : (
        <Table
          rowKey="customerId"
          size="small"
          loading={customers.loading}
          dataSource={customers.data?.items ?? []}
          locale={{
            emptyText: customers.loading ? (
              <div style={{ height: 64 }} />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('outageDetail.noCustomers')} />
            ),
          }}
          columns={[
            { title: t('customer.accountNo'), dataIndex: 'accountNo', key: 'accountNo' },
            { title: t('outageDetail.customerName'), dataIndex: 'name', key: 'name' },
            { title: t('customer.phone'), dataIndex: 'phone', key: 'phone' },
            {
              title: t('place.district'),
              dataIndex: 'districtName',
              key: 'district',
              render: (name: string) => <Typography.Text type="secondary">{name}</Typography.Text>,
            },
          ]}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: customers.data?.total ?? 0,
            showSizeChanger: false,
            hideOnSinglePage: true,
            onChange: setPage,
            size: 'small',
          }}
          data-testid="outage-customers"
        />
      )}
    </Card>
  );
}
