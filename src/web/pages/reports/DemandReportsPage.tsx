import { DownloadOutlined } from '@ant-design/icons';
import { Button, Flex, Segmented, Select, Space, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { listUnits } from '../../api/client.js';
import { complaintsReport, demandReport, ratesReport, reportWorkbookUrl, timelinessReport, type ReportFilter } from '../../api/reports.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { DemandsView, GROUPS, TIME_GROUPS, type Group } from './ReportDemands.js';
import { periodOf, ReportPeriodPicker, ReportUnitPicker } from './ReportFilters.js';
import { ComplaintsView, RatesView, TimelinessView } from './ReportMore.js';

// 诉求报表 (issue 18, point 1): the standard reports — demands by unit ×
// category × type × channel × day/week/month, timeliness by unit and step,
// the resolution, repeat and satisfaction rates, complaints per 10,000
// customers — each for a month or any span and the city or a unit, as a
// chart and a table, and as a workbook. What is shown is kept in the address
// (?report=&from=&to=&unit=&group=&then=&by=), so a report can be shared.

const KINDS = ['demands', 'timeliness', 'rates', 'complaints'] as const;
type Kind = (typeof KINDS)[number];

const isGroup = (v: string | null): v is Group => v !== null && (GROUPS as readonly string[]).includes(v);

export default function DemandReportsPage() {
  const { t, timeZone } = useI18n();
  const [params, setParams] = useSearchParams();
  const kind: Kind = (KINDS as readonly string[]).includes(params.get('report') ?? '') ? (params.get('report') as Kind) : 'demands';
  const period = periodOf(params.get('from'), params.get('to'), timeZone);
  const unitId = Number(params.get('unit')) || null;
  const first: Group = isGroup(params.get('group')) ? (params.get('group') as Group) : 'unit';
  const thenRaw = params.get('then');
  // A second grouping is another one, and at most one of them is time.
  const second = isGroup(thenRaw) && thenRaw !== first && !(TIME_GROUPS.includes(thenRaw) && TIME_GROUPS.includes(first)) ? thenRaw : null;
  const groups: Group[] = second ? [first, second] : [first];
  const by = params.get('by') === 'channel' ? 'channel' : 'unit';
  const filter: ReportFilter = { ...period, unitId };

  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === '') next.delete(key);
      else next.set(key, value);
    }
    setParams(next, { replace: true });
  };

  const units = useLoad(listUnits);
  const key = `${kind}|${period.from}|${period.to}|${unitId}|${groups.join(',')}|${by}`;
  const report = useLoad(async () => {
    const load = (): Promise<unknown> => {
      switch (kind) {
        case 'demands':
          return demandReport(filter, groups);
        case 'timeliness':
          return timelinessReport(filter);
        case 'rates':
          return ratesReport(filter, by);
        case 'complaints':
          return complaintsReport(filter);
      }
    };
    return { key, value: await load() };
  }, key);
  // While another report loads, the last one's answer is not shown under its name.
  const data = report.data?.key === key ? report.data.value : undefined;
  const exportUrl = reportWorkbookUrl(kind, filter, kind === 'demands' ? { groupBy: groups.join(',') } : kind === 'rates' ? { by } : {});
  const groupOptions = GROUPS.map((g) => ({ value: g, label: t(`report.group.${g}`) }));

  return (
    <Flex vertical gap={16} data-testid="demand-reports-page">
      <Flex wrap gap={16} align="center" justify="space-between">
        <Segmented
          value={kind}
          onChange={(next) => set({ report: next === 'demands' ? null : next })}
          options={KINDS.map((k) => ({ value: k, label: <span data-testid={`report-kind-${k}`}>{t(`report.kind.${k}`)}</span> }))}
          data-testid="report-kind"
        />
        <Button icon={<DownloadOutlined />} href={exportUrl} data-testid="report-export">
          {t('report.export')}
        </Button>
      </Flex>
      <Flex wrap gap={16} align="center">
        <ReportPeriodPicker period={period} onChange={(p) => set({ from: p.from, to: p.to })} />
        <ReportUnitPicker units={units.data ?? []} value={unitId} onChange={(id) => set({ unit: id === null ? null : String(id) })} />
        {kind === 'demands' && (
          <Space wrap>
            <Typography.Text>{t('report.group.label')}</Typography.Text>
            <Select<Group>
              value={first}
              options={groupOptions}
              onChange={(g) => set({ group: g, then: second === g ? null : second })}
              style={{ minWidth: 120 }}
              data-testid="report-group"
            />
            <Typography.Text>{t('report.group.then')}</Typography.Text>
            <Select<Group>
              value={second ?? undefined}
              allowClear
              placeholder={t('report.group.none')}
              options={groupOptions.filter((o) => o.value !== first && !(TIME_GROUPS.includes(o.value) && TIME_GROUPS.includes(first)))}
              onChange={(g) => set({ then: g ?? null })}
              style={{ minWidth: 120 }}
              data-testid="report-then"
            />
          </Space>
        )}
        {kind === 'rates' && (
          <Space wrap>
            <Typography.Text>{t('report.rates.by')}</Typography.Text>
            <Segmented
              value={by}
              onChange={(next) => set({ by: next === 'unit' ? null : next })}
              options={[
                { value: 'unit', label: t('report.group.unit') },
                { value: 'channel', label: t('report.group.channel') },
              ]}
              data-testid="report-by"
            />
          </Space>
        )}
      </Flex>
      {report.error && !report.loading ? (
        <LoadError error={report.error} onRetry={report.reload} />
      ) : kind === 'demands' ? (
        <DemandsView report={data as Parameters<typeof DemandsView>[0]['report']} groups={groups} loading={report.loading} />
      ) : kind === 'timeliness' ? (
        <TimelinessView report={data as Parameters<typeof TimelinessView>[0]['report']} loading={report.loading} />
      ) : kind === 'rates' ? (
        <RatesView report={data as Parameters<typeof RatesView>[0]['report']} loading={report.loading} />
      ) : (
        <ComplaintsView report={data as Parameters<typeof ComplaintsView>[0]['report']} loading={report.loading} />
      )}
    </Flex>
  );
}
