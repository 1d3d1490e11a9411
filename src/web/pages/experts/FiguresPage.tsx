import { Card, DatePicker, Flex, Space, Table, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { monthFigures, type ConsultationFigures } from '../../api/experts.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useMonth } from './month.js';

type Row = ConsultationFigures['all'] & { key: string; name: string; unitName?: string };

const pct = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(0)}%`);
const num = (n: number | null) => (n === null ? '—' : String(n));

/** The month's figures: per unit and per expert, each step's median and 90th percentile, the share within its limit, the hand-overs. */
export default function FiguresPage() {
  const { t } = useI18n();
  const [month, setMonth] = useMonth();
  const figures = useLoad(() => monthFigures(month), month);
  const stepColumns = (['forward', 'acknowledge', 'contact', 'reply', 'callback'] as const).map((step) => ({
    title: t(`consultation.step.${step}`),
    key: step,
    children: [
      { title: t('figures.median'), key: `${step}-m`, render: (_: unknown, r: Row) => num(r.steps.find((s) => s.step === step)?.medianMinutes ?? null) },
      { title: t('figures.p90'), key: `${step}-p`, render: (_: unknown, r: Row) => num(r.steps.find((s) => s.step === step)?.p90Minutes ?? null) },
      { title: t('figures.within'), key: `${step}-w`, render: (_: unknown, r: Row) => pct(r.steps.find((s) => s.step === step)?.withinShare ?? null) },
    ],
  }));
  const columns = (label: string): TableColumnsType<Row> => [
    { title: label, key: 'name', fixed: 'left', width: 180, render: (_, r) => (r.unitName ? `${r.name} · ${r.unitName}` : r.name) },
    { title: t('figures.consultations'), dataIndex: 'consultations' },
    { title: t('figures.handOvers'), dataIndex: 'handOvers' },
    ...stepColumns,
  ];
  const data = figures.data;
  const units: Row[] = data
    ? [{ ...data.all, key: 'all', name: t('figures.all') }, ...data.units.map(({ unitName, ...u }) => ({ ...u, key: `u${u.unitId}`, name: unitName }))]
    : [];
  const experts: Row[] = data ? data.experts.map((e) => ({ ...e, key: `e${e.expertId}`, name: e.expertName, unitName: e.unitName })) : [];
  return (
    <Flex vertical gap={12} data-testid="figures-page">
      <Space>
        <Typography.Text>{t('record.month')}</Typography.Text>
        <DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && setMonth(d.format('YYYY-MM'))} />
      </Space>
      {figures.error && !data && <LoadError error={figures.error} onRetry={figures.reload} />}
      <Card size="small" title={t('figures.byUnit')}>
        <Table<Row>
          rowKey="key"
          size="small"
          bordered
          columns={columns(t('expert.unit'))}
          dataSource={units}
          loading={figures.loading}
          pagination={false}
          scroll={{ x: 1500 }}
          data-testid="figures-units"
        />
      </Card>
      <Card size="small" title={t('figures.byExpert')}>
        <Table<Row>
          rowKey="key"
          size="small"
          bordered
          columns={columns(t('expert.name'))}
          dataSource={experts}
          loading={figures.loading}
          pagination={{ pageSize: 50 }}
          scroll={{ x: 1500 }}
          data-testid="figures-experts"
        />
      </Card>
    </Flex>
  );
}
