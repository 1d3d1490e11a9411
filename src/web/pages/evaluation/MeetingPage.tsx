import { ArrowLeftOutlined, DownloadOutlined, PrinterOutlined, SyncOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Empty, Flex, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { listUnits } from '../../api/client.js';
import { getMeeting, meetingWorkbookUrl, reassembleMeeting, type ActionItem, type Meeting } from '../../api/evaluation.js';
import { useReportError } from '../../components/errors.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { ActionItemsTable } from './ActionItemsTable.js';
import { DecisionForm } from './DecisionForm.js';
import { HotIssues } from './HotIssues.js';
import { EvaluationStatusTag, useCompanyTime, useCodeWord, useLoopRights, useMyUnits, useQuarterName } from './labels.js';
import { ProgressModal } from './ProgressModal.js';
import { ScoreTables } from './ScoreTable.js';
import { TransferItemsTable } from './TransferItemsTable.js';

/** One part of the pack, numbered as on the seed's agenda; each starts a new page when printed, but the first. */
function PackSection({ n, title, children, testId }: { n: number; title: string; children: ReactNode; testId: string }) {
  const { t } = useI18n();
  return (
    <section className="suqiu-pack-section" data-testid={testId}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t(`loop.pack.n${n}` as 'loop.pack.n1')} {title}
      </Typography.Title>
      {children}
    </section>
  );
}

/** （四）What the front line suggests and the experts' common problems of the month. */
function SuggestionsAndProblems({ pack, heldOn }: { pack: Meeting['pack']; heldOn: string }) {
  const { t } = useI18n();
  const time = useCompanyTime();
  const word = useCodeWord();
  return (
    <Flex vertical gap={12}>
      <Card size="small" type="inner" title={t('loop.pack.suggestions')}>
        <List
          size="small"
          dataSource={pack.suggestions}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('loop.pack.noSuggestions')} /> }}
          renderItem={(s) => (
            <List.Item key={s.id} data-testid="pack-suggestion">
              <List.Item.Meta
                title={<span style={{ whiteSpace: 'pre-wrap', fontWeight: 'normal', fontSize: 15 }}>{s.text}</span>}
                description={
                  <Space size={8} wrap>
                    <span>
                      {s.authorName} · {s.unitName} · {time.date(s.createdAt)}
                    </span>
                    {s.demandId !== null && <Link to={`/demands/${s.demandId}`}>{s.demandNumber}</Link>}
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      </Card>
      <Card size="small" type="inner" title={t('loop.pack.problems')}>
        <List
          size="small"
          dataSource={pack.commonProblems}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('loop.pack.noProblems')} /> }}
          renderItem={(p) => (
            <List.Item key={p.id} data-testid="pack-problem">
              <List.Item.Meta
                title={
                  <Space wrap>
                    <span style={{ fontSize: 15 }}>{p.title}</span>
                    <Tag color={p.status === 'open' ? 'orange' : 'green'}>{word('problem.status', p.status)}</Tag>
                    {p.meetingMonth < heldOn.slice(0, 7) && (
                      <Tag data-testid="pack-problem-carried">
                        {t('loop.pack.problemCarried', { year: p.meetingMonth.slice(0, 4), month: Number(p.meetingMonth.slice(5, 7)) })}
                      </Tag>
                    )}
                  </Space>
                }
                description={
                  <Space orientation="vertical" size={0}>
                    <span style={{ whiteSpace: 'pre-wrap' }}>{p.description}</span>
                    <span>
                      {p.filedByName} · {p.unitName} · {t('loop.pack.consultations', { count: p.consultations })}
                    </span>
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      </Card>
    </Flex>
  );
}

/** A meeting's pack, assembled by suqiu in the seed's agenda order, and the meeting's decisions; printed as it shows. */
export default function MeetingPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const time = useCompanyTime();
  const quarterName = useQuarterName();
  const id = Number(useParams().id);
  const rights = useLoopRights();
  const meeting = useLoad(() => getMeeting(id), String(id));
  const units = useLoad(() => (rights.progress && !rights.cityWide ? listUnits() : Promise.resolve([])));
  const mine = useMyUnits(units.data);
  const [reassembling, setReassembling] = useState(false);
  const [reporting, setReporting] = useState<ActionItem | null>(null);
  const m = meeting.data;
  const canProgress = (i: ActionItem) => rights.progress && (rights.cityWide || mine.has(i.ownerUnitId));

  const reassemble = async () => {
    setReassembling(true);
    try {
      await reassembleMeeting(id);
      void message.success(t('loop.meeting.reassembled'));
      meeting.reload();
    } catch (err) {
      report(err);
    } finally {
      setReassembling(false);
    }
  };

  if (meeting.error && !m) return <LoadError error={meeting.error} onRetry={meeting.reload} />;
  return (
    <Flex vertical gap={16} data-testid="meeting-page" className="suqiu-pack">
      <Link to="/evaluation/meetings" className="suqiu-no-print">
        <ArrowLeftOutlined /> {t('loop.meeting.backToList')}
      </Link>
      <Card loading={!m}>
        {m && (
          <Flex vertical gap={8}>
            <Flex justify="space-between" align="start" wrap gap={12}>
              <Typography.Title level={2} style={{ margin: 0 }} data-testid="meeting-heading">
                {m.title}
              </Typography.Title>
              <Space wrap className="suqiu-no-print">
                <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="meeting-print">
                  {t('loop.meeting.print')}
                </Button>
                <Button icon={<DownloadOutlined />} href={meetingWorkbookUrl(m.id)} data-testid="meeting-export">
                  {t('loop.exportXlsx')}
                </Button>
                {rights.manageMeetings && (
                  <Popconfirm title={t('loop.meeting.reassembleConfirm')} okText={t('common.ok')} cancelText={t('common.cancel')} onConfirm={reassemble}>
                    <Button icon={<SyncOutlined />} loading={reassembling} data-testid="meeting-reassemble">
                      {t('loop.meeting.reassemble')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            </Flex>
            <Descriptions size="small" column={{ xs: 1, md: 3 }}>
              <Descriptions.Item label={t('loop.meeting.heldOn')}>{m.heldOn}</Descriptions.Item>
              <Descriptions.Item label={t('loop.meeting.period')}>{`${time.date(m.from)} ~ ${time.lastDay(m.to)}`}</Descriptions.Item>
              <Descriptions.Item label={t('loop.meeting.assembledAt')}>{`${m.createdByName} · ${time.dateTime(m.assembledAt)}`}</Descriptions.Item>
            </Descriptions>
          </Flex>
        )}
      </Card>
      {m && (
        <Card>
          <Flex vertical gap={28}>
            <PackSection n={1} title={t('loop.pack.hotIssues')} testId="pack-1">
              <HotIssues section={m.pack.hotIssues} />
            </PackSection>
            <PackSection n={2} title={t('loop.pack.evaluation')} testId="pack-2">
              {m.pack.evaluation ? (
                <Flex vertical gap={8}>
                  <Space wrap>
                    <Typography.Text strong style={{ fontSize: 15 }}>
                      {quarterName(m.pack.evaluation.year, m.pack.evaluation.quarter, m.pack.evaluation.revision)}
                    </Typography.Text>
                    <EvaluationStatusTag status={m.pack.evaluation.status} />
                    <Typography.Text type="secondary">
                      {t('loop.quarter.publishedOn', { time: time.dateTime(m.pack.evaluation.publishedAt), total: m.pack.evaluation.total })}
                    </Typography.Text>
                  </Space>
                  <ScoreTables rows={m.pack.evaluation.units} loading={false} />
                </Flex>
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('loop.pack.noEvaluation')} />
              )}
            </PackSection>
            <PackSection n={3} title={t('loop.pack.actionItems')} testId="pack-3">
              <ActionItemsTable
                items={m.pack.actionItems}
                loading={false}
                showMeeting
                empty={t('loop.pack.noActionItems')}
                onProgress={rights.progress ? setReporting : undefined}
                canProgress={canProgress}
              />
            </PackSection>
            <PackSection n={4} title={t('loop.pack.frontLine')} testId="pack-4">
              <SuggestionsAndProblems pack={m.pack} heldOn={m.heldOn} />
            </PackSection>
            <PackSection n={5} title={t('loop.pack.transfers')} testId="pack-5">
              <TransferItemsTable items={m.pack.transfers} loading={false} empty={t('loop.pack.noTransfers')} forPrint />
            </PackSection>
            <PackSection n={6} title={t('loop.pack.decisions')} testId="pack-6">
              <Flex vertical gap={12}>
                <ActionItemsTable
                  items={m.decided}
                  loading={meeting.loading}
                  empty={t('loop.pack.noDecisions')}
                  onProgress={rights.progress ? setReporting : undefined}
                  canProgress={canProgress}
                  testId="decisions"
                />
                {rights.manageMeetings && <DecisionForm meetingId={m.id} onAdded={meeting.reload} />}
              </Flex>
            </PackSection>
          </Flex>
        </Card>
      )}
      <ProgressModal
        item={reporting}
        onClose={() => setReporting(null)}
        onDone={() => {
          setReporting(null);
          void message.success(t('loop.action.reported'));
          meeting.reload();
        }}
      />
    </Flex>
  );
}
