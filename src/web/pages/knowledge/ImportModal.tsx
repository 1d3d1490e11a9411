import { InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, List, Modal, Space, Typography, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, type Issue } from '../../api/client.js';
import { importMarkdown, importSpreadsheet, type ImportReport } from '../../api/knowledge.js';
import { useReportError } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';

const kindOf = (name: string): 'xlsx' | 'md' | null => {
  const lower = name.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.md') || lower.endsWith('.markdown')) return 'md';
  return null;
};

/** The report of an import that was saved: how many articles of each outcome, and which. */
function ImportDone({ report }: { report: ImportReport }) {
  const { t } = useI18n();
  const changed = [
    ...report.created.map((e) => ({ ...e, how: t('knowledge.importCreated') })),
    ...report.revised.map((e) => ({ ...e, how: t('knowledge.importRevised') })),
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="knowledge-import-report">
      <Descriptions size="small" column={report.skipped.length > 0 ? 4 : 3} bordered>
        <Descriptions.Item label={t('knowledge.importCreated')}>
          <span data-testid="knowledge-import-created">{report.created.length}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('knowledge.importRevised')}>
          <span data-testid="knowledge-import-revised">{report.revised.length}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('knowledge.importUnchanged')}>
          <span data-testid="knowledge-import-unchanged">{report.unchanged.length}</span>
        </Descriptions.Item>
        {report.skipped.length > 0 && <Descriptions.Item label={t('knowledge.importSkipped')}>{report.skipped.length}</Descriptions.Item>}
      </Descriptions>
      {changed.length > 0 && (
        <Alert
          type="success"
          showIcon
          title={report.outcome === 'published' ? t('knowledge.importPublished') : t('knowledge.importSubmitted')}
          data-testid="knowledge-import-outcome"
        />
      )}
      {changed.length === 0 && <Alert type="info" showIcon title={t('knowledge.importNothing')} />}
      {changed.length > 0 && (
        <List
          size="small"
          dataSource={changed}
          renderItem={(e) => (
            <List.Item key={`${e.how}-${e.id}`}>
              <Space wrap>
                <Typography.Text type="secondary">{e.how}</Typography.Text>
                <Link to={`/knowledge/articles/${e.id}`}>{e.title}</Link>
                <Typography.Text type="secondary">{e.source}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
    </Space>
  );
}

/**
 * 导入: one workbook (.xlsx, an article a row) or several Markdown files (an
 * article a file). All or nothing: a refused import lists every problem, by
 * file and row, and nothing is saved.
 */
export function ImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [sending, setSending] = useState(false);
  const [done, setDone] = useState<ImportReport | null>(null);
  const [refused, setRefused] = useState<{ message: string; issues: Issue[] } | null>(null);

  const close = () => {
    setFiles([]);
    setDone(null);
    setRefused(null);
    onClose();
  };

  // A workbook is imported alone; Markdown files go together.
  const pick = (list: UploadFile[], latest: UploadFile) => {
    // antd tells of a batch one file at a time, each with the whole list: each warns of itself only.
    if (kindOf(latest.name) === null && latest.status !== 'removed') void message.warning(t('knowledge.importWrongKind', { name: latest.name }));
    const usable = list.filter((f) => kindOf(f.name) !== null);
    const next = kindOf(latest.name) === 'xlsx' ? usable.filter((f) => f.uid === latest.uid) : usable.filter((f) => kindOf(f.name) === 'md');
    setFiles(next);
    setDone(null);
    setRefused(null);
  };

  const send = async () => {
    const chosen = files.flatMap((f) => (f.originFileObj ? [f.originFileObj as File] : []));
    if (chosen.length === 0) return;
    setSending(true);
    setDone(null);
    setRefused(null);
    try {
      const workbook = chosen.find((f) => kindOf(f.name) === 'xlsx');
      const result = workbook
        ? await importSpreadsheet(workbook)
        : await importMarkdown(await Promise.all(chosen.map(async (f) => ({ name: f.name, text: await f.text() }))));
      setDone(result);
      setFiles([]);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) setRefused({ message: err.message, issues: err.issues ?? [] });
      else report(err);
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('knowledge.importTitle')}
      onCancel={close}
      destroyOnHidden
      width={720}
      data-testid="knowledge-import-modal"
      footer={
        done ? (
          <Button type="primary" onClick={close} data-testid="knowledge-import-close">
            {t('knowledge.close')}
          </Button>
        ) : (
          <Space>
            <Button onClick={close}>{t('common.cancel')}</Button>
            <Button type="primary" loading={sending} disabled={files.length === 0} onClick={() => void send()} data-testid="knowledge-import-send">
              {t('knowledge.import')}
            </Button>
          </Space>
        )
      }
    >
      {done ? (
        <ImportDone report={done} />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph type="secondary">{t('knowledge.importIntro')}</Typography.Paragraph>
          <Upload.Dragger
            multiple
            accept=".xlsx,.md,.markdown"
            fileList={files}
            beforeUpload={() => false}
            onChange={({ fileList, file }) => pick(fileList, file)}
            data-testid="knowledge-import-files"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('knowledge.importPick')}</p>
          </Upload.Dragger>
          {refused && (
            <Alert
              type="error"
              showIcon
              title={t('knowledge.importRefused')}
              data-testid="knowledge-import-issues"
              description={
                refused.issues.length > 0 ? (
                  <List
                    size="small"
                    dataSource={refused.issues}
                    renderItem={(issue, i) => <List.Item key={i}>{issue.path ? `${issue.path}: ${issue.message}` : issue.message}</List.Item>}
                  />
                ) : (
                  refused.message
                )
              }
            />
          )}
        </Space>
      )}
    </Modal>
  );
}
