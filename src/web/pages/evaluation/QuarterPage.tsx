import { ArrowLeftOutlined, CalculatorOutlined, CheckOutlined, DownloadOutlined, EditOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Flex, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { computeQuarter, evaluationWorkbookUrl, getEvaluation, publishEvaluation } from '../../api/evaluation.js';
import { useReportError } from '../../components/errors.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { EvaluationStatusTag, useCompanyTime, useLoopRights, useQuarterName } from './labels.js';
import { RevisionModal } from './QuartersPage.js';
import { ScoreTables } from './ScoreTable.js';

/** One quarter's table: a draft to check, compute again and publish; a published one, frozen, to export or revise. */
export default function QuarterPage() {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const report = useReportError();
  const time = useCompanyTime();
  const quarterName = useQuarterName();
  const rights = useLoopRights();
  const id = Number(useParams().id);
  const doc = useLoad(() => getEvaluation(id), String(id));
  const [busy, setBusy] = useState(false);
  const [revising, setRevising] = useState<{ year: number; quarter: number } | null>(null);
  const d = doc.data;

  const run = async (change: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await change();
      void message.success(done);
      doc.reload();
    } catch (err) {
      report(err);
    } finally {
      setBusy(false);
    }
  };
  const publish = () => {
    if (!d) return;
    modal.confirm({
      title: t('loop.quarter.publishConfirmTitle', { name: quarterName(d.year, d.quarter, d.revision) }),
      content: t('loop.quarter.publishConfirm'),
      okText: t('loop.quarter.publish'),
      cancelText: t('common.cancel'),
      onOk: () => run(() => publishEvaluation(d.id), t('loop.quarter.published.done')),
    });
  };

  if (doc.error && !d) return <LoadError error={doc.error} onRetry={doc.reload} />;
  return (
    <Flex vertical gap={12} data-testid="quarter-page" data-status={d?.status}>
      <Link to="/evaluation/quarters">
        <ArrowLeftOutlined /> {t('loop.quarter.backToList')}
      </Link>
      <Card loading={!d}>
        {d && (
          <Flex vertical gap={8}>
            <Flex justify="space-between" align="start" wrap gap={12}>
              <Space wrap>
                <Typography.Title level={4} style={{ margin: 0 }}>
                  {quarterName(d.year, d.quarter, d.revision)}
                </Typography.Title>
                <EvaluationStatusTag status={d.status} />
              </Space>
              <Space wrap>
                {rights.manageEvaluation && d.status === 'draft' && (
                  <>
                    <Button
                      icon={<CalculatorOutlined />}
                      loading={busy}
                      onClick={() => run(() => computeQuarter({ year: d.year, quarter: d.quarter }), t('loop.quarter.computed'))}
                      data-testid="quarter-recompute"
                    >
                      {t('loop.quarter.recompute')}
                    </Button>
                    <Button type="primary" icon={<CheckOutlined />} loading={busy} onClick={publish} data-testid="quarter-publish">
                      {t('loop.quarter.publish')}
                    </Button>
                  </>
                )}
                {rights.manageEvaluation && d.status === 'published' && (
                  <Button icon={<EditOutlined />} onClick={() => setRevising({ year: d.year, quarter: d.quarter })} data-testid="quarter-revise">
                    {t('loop.quarter.revise')}
                  </Button>
                )}
                <Button icon={<DownloadOutlined />} href={evaluationWorkbookUrl(d.id)} data-testid="quarter-export">
                  {t('loop.exportXlsx')}
                </Button>
              </Space>
            </Flex>
            <Descriptions size="small" column={{ xs: 1, md: 3 }}>
              <Descriptions.Item label={t('loop.period.label')}>{`${time.date(d.from)} ~ ${time.lastDay(d.to)}`}</Descriptions.Item>
              <Descriptions.Item label={t('loop.quarter.total')}>{d.total}</Descriptions.Item>
              <Descriptions.Item label={t('loop.quarter.computedAt')}>{time.dateTime(d.computedAt)}</Descriptions.Item>
              {d.publishedAt && (
                <Descriptions.Item label={t('loop.quarter.published')}>{`${d.publishedByName ?? ''} · ${time.dateTime(d.publishedAt)}`}</Descriptions.Item>
              )}
              {d.reason && <Descriptions.Item label={t('loop.quarter.reason')}>{d.reason}</Descriptions.Item>}
            </Descriptions>
            {d.status === 'draft' && <Alert type="warning" showIcon title={t('loop.quarter.draftNote')} />}
            {d.status === 'superseded' && <Alert type="info" showIcon title={t('loop.quarter.supersededNote')} />}
          </Flex>
        )}
      </Card>
      {d && <ScoreTables rows={d.units} loading={doc.loading} />}
      <RevisionModal quarter={revising} onClose={() => setRevising(null)} />
    </Flex>
  );
}
