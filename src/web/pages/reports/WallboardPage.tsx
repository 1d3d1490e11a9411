import { CompressOutlined, ExpandOutlined } from '@ant-design/icons';
import { Button, Card, Col, ConfigProvider, Flex, Row, Skeleton, Table, Tag, theme, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { wallboard, type Wallboard } from '../../api/dashboards.js';
import { Chart, type ChartOption } from '../../components/Chart.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { usePoll } from '../../components/usePoll.js';
import { useI18n } from '../../i18n/index.js';
import { useLiveRefresh } from '../../notifications/NotificationsProvider.js';
import { useDemandLabels } from '../demands/labels.js';
import { Nothing, TimeLeft } from './DashboardParts.js';
import { WallboardClock } from './WallboardClock.js';

// 班长大屏: the team lead's wall screen. Dark, large type, and full screen
// without the app's chrome on a button (or the F key). It reads again whenever a
// notification reaches the lead (the scheduler's overdue escalations, returned
// orders, unsatisfied callbacks), and every 30 s in case the stream is down:
// never a reload of the page.

const POLL_MS = 30_000;
const OVERDUE = '#ff4d4f';
const RUNNING = '#40a9ff';
const TEXT = '#e6e6e6';

function Total({ label, value, danger, testId }: { label: string; value: number; danger?: boolean; testId: string }) {
  return (
    <Card size="small" style={{ textAlign: 'center', height: '100%' }}>
      <Typography.Text style={{ fontSize: '1.1em', color: '#bfbfbf' }}>{label}</Typography.Text>
      <div data-testid={testId} data-count={value} style={{ fontSize: '3.2em', fontWeight: 700, lineHeight: 1.1, color: danger && value > 0 ? OVERDUE : TEXT }}>
        {value}
      </div>
    </Card>
  );
}

/** Axis colours for the dark board, the labels larger on a full screen. */
const axisStyle = (large: boolean) => ({
  axisLabel: { color: TEXT, fontSize: large ? 16 : 12 },
  axisLine: { lineStyle: { color: '#595959' } },
  splitLine: { lineStyle: { color: '#303030' } },
});

function StepsChart({ data, large }: { data: Wallboard; large: boolean }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const option = useMemo<ChartOption>(
    () => ({
      textStyle: { color: TEXT },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, textStyle: { color: TEXT } },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, ...axisStyle(large) },
      yAxis: { type: 'category', data: data.steps.map((s) => labels.step(s.step)), ...axisStyle(large) },
      series: [
        {
          name: t('wallboard.overdue'),
          type: 'bar',
          stack: 'steps',
          itemStyle: { color: OVERDUE },
          data: data.steps.map((s) => s.overdue || null),
          barMaxWidth: 26,
        },
        {
          name: t('wallboard.running'),
          type: 'bar',
          stack: 'steps',
          itemStyle: { color: RUNNING },
          data: data.steps.map((s) => s.running || null),
          barMaxWidth: 26,
        },
      ],
    }),
    [data, labels, t, large],
  );
  if (data.steps.length === 0) return <Nothing>{t('wallboard.steps.none')}</Nothing>;
  return <Chart option={option} height={Math.max(160, 60 + data.steps.length * 34)} label={t('wallboard.steps.label')} data-testid="wall-steps-chart" />;
}

function HoursChart({ data, large }: { data: Wallboard; large: boolean }) {
  const { t } = useI18n();
  const option = useMemo<ChartOption>(
    () => ({
      textStyle: { color: TEXT },
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: data.callsPerHour.map((_, h) => String(h)), ...axisStyle(large) },
      yAxis: { type: 'value', minInterval: 1, ...axisStyle(large) },
      series: [{ name: t('wallboard.calls'), type: 'bar', data: data.callsPerHour, itemStyle: { color: '#73d13d' }, barMaxWidth: 22 }],
    }),
    [data, t, large],
  );
  return <Chart option={option} height={large ? 300 : 220} label={t('wallboard.hours.label')} data-testid="wall-hours-chart" />;
}

function Board({ data, large }: { data: Wallboard; large: boolean }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  return (
    <Flex vertical gap={12}>
      <Row gutter={[12, 12]}>
        <Col xs={12} lg={5}>
          <Total label={t('wallboard.waiting')} value={data.totals.waiting} testId="wall-waiting" />
        </Col>
        <Col xs={12} lg={5}>
          <Total label={t('wallboard.overdue')} value={data.totals.overdue} danger testId="wall-overdue" />
        </Col>
        <Col xs={12} lg={5}>
          <Total label={t('wallboard.running')} value={data.totals.running} testId="wall-running" />
        </Col>
        <Col xs={12} lg={5}>
          <Total label={t('wallboard.escalated')} value={data.totals.escalated} danger testId="wall-escalated" />
        </Col>
        <Col xs={24} lg={4}>
          <Total label={t('wallboard.callsToday')} value={data.totals.callsToday} testId="wall-calls" />
        </Col>
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('wallboard.units.title')}>
            <Table
              size="small"
              rowKey="unitId"
              pagination={false}
              scroll={{ y: 360 }}
              dataSource={data.units}
              locale={{ emptyText: <Nothing>{t('wallboard.units.none')}</Nothing> }}
              data-testid="wall-units"
              columns={[
                { title: t('wallboard.unit'), dataIndex: 'unitName', render: (name: string, u) => <span data-unit-id={u.unitId}>{name}</span> },
                { title: t('wallboard.waiting'), dataIndex: 'waiting', align: 'right', width: 120 },
                {
                  title: t('wallboard.overdue'),
                  dataIndex: 'overdue',
                  align: 'right',
                  width: 90,
                  render: (n: number, u) => (
                    <Typography.Text
                      strong={n > 0}
                      style={{ color: n > 0 ? OVERDUE : undefined }}
                      data-testid="wall-unit-overdue"
                      data-unit-id={u.unitId}
                      data-count={n}
                    >
                      {n}
                    </Typography.Text>
                  ),
                },
                {
                  title: t('wallboard.byStep'),
                  key: 'steps',
                  render: (_: unknown, u) => (
                    <Flex wrap gap={4}>
                      {u.steps.map((s) => (
                        <Tag key={s.step} color={s.overdue > 0 ? 'red' : 'blue'} data-step={s.step} data-overdue={s.overdue}>
                          {t('wallboard.stepCounts', { step: labels.step(s.step), overdue: s.overdue, running: s.running })}
                        </Tag>
                      ))}
                    </Flex>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('wallboard.steps.title')}>
            <StepsChart data={data} large={large} />
          </Card>
        </Col>
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('wallboard.escalations.title', { count: data.totals.escalated })}>
            {data.escalations.length === 0 ? (
              <Nothing>{t('wallboard.escalations.none')}</Nothing>
            ) : (
              <Flex vertical gap={6} data-testid="wall-escalations">
                {data.escalations.map((e) => (
                  <Flex key={e.demandId} justify="space-between" gap={8} data-demand-id={e.demandId}>
                    <span>
                      <Tag color={e.level >= 2 ? 'red' : 'orange'}>{labels.level(e.level)}</Tag>
                      {e.number} · {labels.type(e.type)} · {e.unitName}
                    </span>
                    <TimeLeft dueAt={e.dueAt} now={data.now} />
                  </Flex>
                ))}
              </Flex>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={6}>
          <Card size="small" title={t('wallboard.experts.title', { count: data.experts.length })}>
            {data.experts.length === 0 ? (
              <Nothing>{t('wallboard.experts.none')}</Nothing>
            ) : (
              <Flex vertical gap={4} style={{ maxHeight: 260, overflowY: 'auto' }} data-testid="wall-experts">
                {data.experts.map((e, i) => (
                  <Flex key={`${e.name}-${i}`} justify="space-between" gap={8}>
                    <span>
                      {e.name} <Typography.Text type="secondary">{e.unitName}</Typography.Text>
                    </span>
                    <Tag color={e.available ? 'green' : 'default'}>
                      {e.available ? t('wallboard.experts.free', { count: e.openConsultations }) : t('wallboard.experts.away')}
                    </Tag>
                  </Flex>
                ))}
              </Flex>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('wallboard.hours.title')}>
            <HoursChart data={data} large={large} />
          </Card>
        </Col>
      </Row>
    </Flex>
  );
}

export default function WallboardPage() {
  const { t } = useI18n();
  const beat = usePoll(POLL_MS);
  const [pushes, setPushes] = useState(0);
  useLiveRefresh(
    'all',
    useCallback(() => setPushes((n) => n + 1), []),
  );
  const { data, error, reload } = useLoad(wallboard, `${beat}:${pushes}`);
  const box = useRef<HTMLDivElement>(null);
  const [full, setFull] = useState(false);
  useEffect(() => {
    const changed = () => setFull(document.fullscreenElement === box.current && box.current !== null);
    document.addEventListener('fullscreenchange', changed);
    return () => document.removeEventListener('fullscreenchange', changed);
  }, []);
  const toggle = useCallback(() => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void box.current?.requestFullscreen?.();
  }, []);
  // F toggles the full screen from anywhere on the page (the board has no field to type in).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName));
      if ((e.key === 'f' || e.key === 'F') && !e.ctrlKey && !e.metaKey && !e.altKey && !typing) toggle();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [toggle]);

  return (
    <ConfigProvider theme={{ algorithm: theme.darkAlgorithm, token: { fontSize: full ? 18 : 15 } }}>
      <div
        ref={box}
        data-testid="wallboard"
        data-now={data?.now}
        data-full={full}
        style={{
          background: '#141414',
          color: TEXT,
          padding: full ? 24 : 16,
          borderRadius: full ? 0 : 8,
          minHeight: full ? '100vh' : undefined,
          overflow: 'auto',
          fontSize: full ? 18 : 15,
        }}
      >
        <Flex justify="space-between" align="center" style={{ marginBottom: 12 }} wrap gap={8}>
          <Typography.Title level={full ? 2 : 3} style={{ margin: 0, color: TEXT }}>
            {t('wallboard.title')}
          </Typography.Title>
          <Flex align="center" gap={16}>
            {data && <WallboardClock serverNow={data.now} large={full} />}
            <Button icon={full ? <CompressOutlined /> : <ExpandOutlined />} onClick={toggle} data-testid="wall-fullscreen">
              {full ? t('wallboard.exitFull') : t('wallboard.full')}
            </Button>
          </Flex>
        </Flex>
        {error && !data ? (
          <LoadError error={error} onRetry={reload} />
        ) : data ? (
          <Board data={data} large={full} />
        ) : (
          <Skeleton active paragraph={{ rows: 10 }} data-testid="wall-loading" />
        )}
      </div>
    </ConfigProvider>
  );
}
