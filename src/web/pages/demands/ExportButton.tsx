import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Progress, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client.js';
import { demandExportFileUrl, getDemandExport, startDemandExport, type DemandExport, type DemandQuery } from '../../api/demands.js';
import { useI18n } from '../../i18n/index.js';

// The demand list's export: the server writes the list as filtered to a
// workbook in batches; this polls its progress (rows written of the rows the
// filters matched when it began: an honest count, not a guess) and offers
// the file when it is done.

/** As the server's DEMAND_EXPORT_LIMIT (the server refuses past it; this only says it in words). */
const EXPORT_LIMIT = 100_000;
const POLL_MS = 500;

interface Props {
  /** The list's filters as the address holds them. */
  filters: Omit<DemandQuery, 'page' | 'pageSize'>;
  /** The list's total as the server counted it, when known: an empty list has nothing to export. */
  total: number | undefined;
}

const percentOf = (job: DemandExport) => (job.total === 0 ? 100 : Math.floor((job.done / job.total) * 100));

export function ExportButton({ filters, total }: Props) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const [starting, setStarting] = useState(false);
  const [job, setJob] = useState<DemandExport>();
  const [error, setError] = useState<string>();
  const number = (n: number) => n.toLocaleString(lang);

  // While the export is written: its progress, every half second, until it ends.
  useEffect(() => {
    if (!job || job.status !== 'running') return;
    const timer = setTimeout(() => {
      getDemandExport(job.id).then(setJob, (err: unknown) => setError(err instanceof Error ? err.message : String(err)));
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job]);

  const begin = async () => {
    setOpen(true);
    setError(undefined);
    setJob(undefined);
    setStarting(true);
    try {
      setJob(await startDemandExport(filters));
    } catch (err) {
      if (err instanceof ApiError && err.status === 413) setError(t('demands.export.tooMany', { limit: number(EXPORT_LIMIT) }));
      else if (err instanceof ApiError && err.status === 409) setError(t('demands.export.busy'));
      else if (err instanceof ApiError && err.status === 429) setError(t('demands.export.serverBusy'));
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setStarting(false);
    }
  };

  const running = job?.status === 'running';
  const size = (bytes: number | null) =>
    bytes === null ? '' : bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

  return (
    <>
      <Button
        icon={<DownloadOutlined />}
        onClick={() => (running ? setOpen(true) : void begin())}
        disabled={total === 0 && !running}
        title={total === 0 ? t('demands.export.empty') : undefined}
        data-testid="demand-export"
      >
        {running ? t('demands.export.progress', { percent: percentOf(job) }) : t('demands.export.button')}
      </Button>
      <Modal
        open={open}
        title={t('demands.export.title')}
        onCancel={() => setOpen(false)}
        footer={
          <Space>
            {job?.status === 'failed' && <Button onClick={() => void begin()}>{t('demands.export.again')}</Button>}
            {job?.status === 'done' && (
              <Button
                type="primary"
                icon={<DownloadOutlined />}
                href={demandExportFileUrl(job.id)}
                download={job.fileName}
                data-testid="demand-export-download"
              >
                {t('demands.export.download')}
              </Button>
            )}
            <Button onClick={() => setOpen(false)}>{t('demands.export.close')}</Button>
          </Space>
        }
        data-testid="demand-export-modal"
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">{t('demands.export.scope', { limit: number(EXPORT_LIMIT) })}</Typography.Text>
          {starting && <Progress percent={0} status="active" format={() => ''} aria-label={t('demands.export.starting')} />}
          {starting && <Typography.Text>{t('demands.export.starting')}</Typography.Text>}
          {job && (
            <>
              <Progress
                percent={percentOf(job)}
                status={job.status === 'failed' ? 'exception' : job.status === 'done' ? 'success' : 'active'}
                data-testid="demand-export-progress"
              />
              <Typography.Text data-testid="demand-export-status">
                {job.status === 'done'
                  ? t('demands.export.done', { done: number(job.done), size: size(job.size) })
                  : job.status === 'failed'
                    ? t('demands.export.failed', { reason: job.error === 'interrupted' ? t('demands.export.interrupted') : (job.error ?? '') })
                    : t('demands.export.running', { done: number(job.done), total: number(job.total) })}
              </Typography.Text>
            </>
          )}
          {error && <Alert type="error" showIcon title={error} data-testid="demand-export-error" />}
        </Space>
      </Modal>
    </>
  );
}
