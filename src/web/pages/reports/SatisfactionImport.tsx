import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { importSurveys, type SurveyImportResult } from '../../api/satisfaction.js';
import { useReportError } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';

/** The survey import: a CSV or xlsx file; all or nothing, each rejected row shown with its problem. */
export function SatisfactionImport({ onImported }: { onImported: () => void }) {
  const { t } = useI18n();
  const report = useReportError();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SurveyImportResult | null>(null);
  return (
    <Card size="small" title={t('satisfaction.import')}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('satisfaction.import.hint')}</Typography.Text>
        <Upload
          accept=".csv,.xlsx"
          showUploadList={false}
          beforeUpload={(file) => {
            setBusy(true);
            setResult(null);
            importSurveys(file)
              .then((r) => {
                setResult(r);
                if (r.rejected.length === 0) onImported();
              }, report)
              .finally(() => setBusy(false));
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} loading={busy} data-testid="satisfaction-upload">
            {t('satisfaction.import')}
          </Button>
        </Upload>
        {result && result.rejected.length === 0 && (
          <Alert type="success" showIcon title={t('satisfaction.import.done', { count: result.imported })} data-testid="satisfaction-imported" />
        )}
        {result && result.rejected.length > 0 && (
          <>
            <Alert type="error" showIcon title={t('satisfaction.import.rejected', { count: result.rejected.length })} data-testid="satisfaction-rejected" />
            <Table
              size="small"
              rowKey="row"
              dataSource={result.rejected}
              pagination={result.rejected.length > 10 ? { pageSize: 10 } : false}
              columns={[
                { title: '#', dataIndex: 'row', width: 100, render: (v: number) => t('satisfaction.import.row', { row: v }) },
                { title: t('satisfaction.import.problem'), dataIndex: 'problem' },
              ]}
            />
          </>
        )}
      </Space>
    </Card>
  );
}
