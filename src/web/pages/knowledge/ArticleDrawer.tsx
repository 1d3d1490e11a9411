import { Drawer, Spin } from 'antd';
import type { ReactNode } from 'react';
import { getArticle } from '../../api/knowledge.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { ArticleView } from './ArticleView.js';

/** An article in a side panel, beside what the agent is doing. */
export function ArticleDrawer({ id, onClose, extra }: { id: number | null; onClose: () => void; extra?: ReactNode }) {
  const article = useLoad(() => (id === null ? Promise.resolve(undefined) : getArticle(id)), String(id));
  const data = article.data;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size="large"
      title={data?.published?.title ?? data?.title}
      extra={extra}
      data-testid="article-drawer"
      destroyOnHidden
    >
      {article.error && <LoadError error={article.error} onRetry={article.reload} />}
      {!data && !article.error && <Spin />}
      {data?.published && <ArticleView article={data} version={data.published} />}
    </Drawer>
  );
}
