import { CalculatorOutlined, DownloadOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Empty, Flex, Form, Input, Space, Table, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { computeQuarter, evaluationWorkbookUrl, listEvaluations, type EvaluationSummary } from '../../api/evaluation.js';
import { useReportError } from '../../components/errors.js';
import { FormModal } from '../../components/FormModal.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { todayIn } from '../../i18n/time.js';
import { EvaluationStatusTag, lastEndedQuarter, quarterStart, useCompanyTime, useLoopRights, useQuarterName } from './labels.js';

/** A published quarter is frozen: a correction is a new revision, computed as a draft with its reason. */
export function RevisionModal({ quarter, onClose }: { quarter: { year: number; quarter: number } | null; onClose: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const quarterName = useQuarterName();
  const [form] = Form.useForm<{ reason: string }>();
  useEffect(() => {
    if (quarter) form.resetFields();
  }, [quarter, form]);
  const submit = async (v: { reason: string }) => {
    const doc = await computeQuarter({ ...quarter!, reason: v.reason.trim() });
    onClose();
    navigate(`/evaluation/quarters/${doc.id}`);
  };
  return (
    <FormModal
      form={form}
      open={quarter !== null}
      title={quarter ? t('loop.quarter.reviseTitle', { name: quarterName(quarter.year, quarter.quarter) }) : ''}
      onCancel={onClose}
      onSubmit={submit}
      testId="revision-form"
      intro={<Typography.Paragraph type="secondary">{t('loop.quarter.reviseHint')}</Typography.Paragraph>}
    >
      <Form.Item name="reason" label={t('loop.quarter.reason')} rules={[{ required: true, whitespace: true, message: t('loop.quarter.reasonRequired') }]}>
        <Input.TextArea rows={3} maxLength={2000} showCount data-testid="revision-reason" />
      </Form.Item>
    </FormModal>
  );
}

/** 季度评价表: the quarters computed, drafts and published tables and their revisions; the analyst computes a quarter. */
export default function QuartersPage() {
  const { t, timeZone } = useI18n();
  const navigate = useNavigate();
  const report = useReportError();
  const { message } = App.useApp();
  const time = useCompanyTime();
  const quarterName = useQuarterName();
  const rights = useLoopRights();
  const list = useLoad(() => listEvaluations());
  const last = lastEndedQuarter(timeZone);
  const [picked, setPicked] = useState<Dayjs>(quarterStart(last.year, last.quarter));
  const [busy, setBusy] = useState(false);
  const [revising, setRevising] = useState<{ year: number; quarter: number } | null>(null);

  const compute = async () => {
    const year = picked.year();
    const quarter = Math.floor(picked.month() / 3) + 1;
    const latest = (list.data ?? []).find((e) => e.year === year && e.quarter === quarter && e.status !== 'superseded');
    if (latest?.status === 'published') {
      setRevising({ year, quarter });
      return;
    }
    setBusy(true);
    try {
      const doc = await computeQuarter({ year, quarter });
      void message.success(t('loop.quarter.computed'));
      navigate(`/evaluation/quarters/${doc.id}`);
    } catch (err) {
      report(err);
    } finally {
      setBusy(false);
    }
  };

  const columns: TableColumnsType<EvaluationSummary> = [
    {
      title: t('loop.quarter.name'),
      key: 'name',
      render: (_, e) => (
        <Link to={`/evaluation/quarters/${e.id}`} data-testid="quarter-link">
          {quarterName(e.year, e.quarter)}
        </Link>
      ),
    },
    { title: t('loop.quarter.revision'), key: 'revision', render: (_, e) => t('loop.evaluation.revisionN', { revision: e.revision }) },
    { title: t('common.status'), key: 'status', render: (_, e) => <EvaluationStatusTag status={e.status} /> },
    { title: t('loop.quarter.total'), dataIndex: 'total', align: 'right' },
    { title: t('loop.quarter.computedAt'), key: 'computed', render: (_, e) => time.dateTime(e.computedAt) },
    {
      title: t('loop.quarter.published'),
      key: 'published',
      render: (_, e) => (e.publishedAt ? `${e.publishedByName ?? ''} · ${time.dateTime(e.publishedAt)}` : t('common.none')),
    },
    { title: t('loop.quarter.reason'), key: 'reason', render: (_, e) => e.reason ?? t('common.none') },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, e) => (
        <Button size="small" icon={<DownloadOutlined />} href={evaluationWorkbookUrl(e.id)} data-testid="quarter-export">
          {t('loop.exportXlsx')}
        </Button>
      ),
    },
  ];

  return (
    <Flex vertical gap={12} data-testid="quarters-page">
      {rights.manageEvaluation && (
        <Card size="small">
          <Space wrap>
            <Typography.Text>{t('loop.quarter.pick')}</Typography.Text>
            <DatePicker
              picker="quarter"
              allowClear={false}
              value={picked}
              onChange={(d) => d && setPicked(d)}
              disabledDate={(d) => d.format('YYYY-MM-DD') > todayIn(timeZone)}
              data-testid="quarter-pick"
            />
            <Button type="primary" icon={<CalculatorOutlined />} loading={busy} onClick={compute} data-testid="quarter-compute">
              {t('loop.quarter.compute')}
            </Button>
            <Typography.Text type="secondary">{t('loop.quarter.computeHint')}</Typography.Text>
          </Space>
        </Card>
      )}
      {list.error && !list.data ? (
        <LoadError error={list.error} onRetry={list.reload} />
      ) : (
        <Table<EvaluationSummary>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={list.data ?? []}
          loading={list.loading}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={rights.manageEvaluation ? t('loop.quarter.noneManage') : t('loop.quarter.none')} />
            ),
          }}
          onRow={(e) => ({ 'data-testid': 'quarter-row', 'data-status': e.status, 'data-quarter': `${e.year}-Q${e.quarter}` }) as never}
        />
      )}
      <RevisionModal quarter={revising} onClose={() => setRevising(null)} />
    </Flex>
  );
}
