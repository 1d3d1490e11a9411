import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Card, Empty, List, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ARTICLES_EXPORT_URL, listArticles, type Article } from '../../api/knowledge.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useShortTime } from '../demands/labels.js';
import { ImportModal } from './ImportModal.js';
import { useKnowledgeRights } from './KnowledgePage.js';
import { SynonymsCard } from './SynonymsCard.js';

function Articles({ title, load, testId }: { title: string; load: () => Promise<Article[]>; testId: string }) {
  const { t } = useI18n();
  const time = useShortTime();
  const list = useLoad(load);
  return (
    <Card size="small" title={title} data-testid={testId} loading={!list.data && list.loading}>
      {list.data && list.data.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('knowledge.noneHere')} />
      ) : (
        <List
          size="small"
          dataSource={list.data ?? []}
          renderItem={(a) => (
            <List.Item key={a.id} data-testid="knowledge-list-item" data-id={a.id}>
              <Space wrap>
                <Link to={`/knowledge/articles/${a.id}`}>{a.draft?.title ?? a.title}</Link>
                {a.draft && <Tag>{t(`article.status.${a.draft.status}`)}</Tag>}
                {a.revision !== 'none' && a.revision !== 'ok' && (
                  <Tag color={a.revision === 'overdue' ? 'red' : 'gold'}>{t(`article.revision.${a.revision}`)}</Tag>
                )}
                <Typography.Text type="secondary">{a.revisionDueAt ? `${t('article.revisionDueAt')} ${time(a.revisionDueAt)}` : ''}</Typography.Text>
                {a.draft?.reviewComment && (
                  <Typography.Text type="secondary">{t('common.pair', { label: t('article.reviewComment'), value: a.draft.reviewComment })}</Typography.Text>
                )}
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

/** The review queue: for reviewers what waits for them; for editors their drafts and what was sent back. */
export function ReviewPage() {
  const { t } = useI18n();
  const rights = useKnowledgeRights();
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Articles title={t('knowledge.reviewQueue')} load={() => listArticles({ review: 'submitted' })} testId="knowledge-review-queue" />
      {rights.edit && <Articles title={t('knowledge.rejected')} load={() => listArticles({ review: 'rejected' })} testId="knowledge-rejected" />}
      {rights.edit && <Articles title={t('knowledge.myDrafts')} load={() => listArticles({ review: 'draft' })} testId="knowledge-drafts" />}
    </Space>
  );
}

/**
 * 滚动修编: the published articles due for their yearly revision within a
 * month, or overdue; editors import articles, the group exports the base; the
 * synonym list the search uses, edited by editors, read by reviewers.
 */
export function MaintenancePage() {
  const { t } = useI18n();
  const rights = useKnowledgeRights();
  const [importing, setImporting] = useState(false);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap>
        {rights.edit && (
          <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="knowledge-import">
            {t('knowledge.import')}
          </Button>
        )}
        {rights.group && (
          // The server names the file (知识库-date.xlsx) and has it downloaded.
          <Button icon={<DownloadOutlined />} href={ARTICLES_EXPORT_URL} data-testid="knowledge-export">
            {t('knowledge.export')}
          </Button>
        )}
      </Space>
      <Articles title={t('knowledge.dueList')} load={() => listArticles({ revision: 'due_soon' })} testId="knowledge-due" />
      {rights.group && <SynonymsCard editable={rights.edit} />}
      {rights.edit && <ImportModal open={importing} onClose={() => setImporting(false)} />}
    </Space>
  );
}
