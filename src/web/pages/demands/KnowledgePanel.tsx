import { Button, Card, Empty, List, Skeleton, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { suggestArticles, type SearchResult } from '../../api/knowledge.js';
import { useI18n } from '../../i18n/index.js';
import { ArticleDrawer } from '../knowledge/ArticleDrawer.js';

/**
 * 相关知识 while the agent registers a demand: articles for what the caller
 * says (and its category), opened beside the form with the script first; the
 * ones used are linked to the demand when it is saved.
 */
export function KnowledgePanel({
  content,
  category,
  cited,
  onCite,
}: {
  content: string;
  category: string | undefined;
  cited: readonly number[];
  onCite: (ids: number[]) => void;
}) {
  const { t } = useI18n();
  const [items, setItems] = useState<SearchResult['items']>([]);
  const [open, setOpen] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    const text = content.trim();
    if (text.length < 2) {
      setItems([]);
      setLoading(false);
      return;
    }
    let current = true;
    // Asked once the agent pauses typing, not at every key.
    const timer = setTimeout(() => {
      setLoading(true);
      suggestArticles(text, category).then(
        (r) => current && (setItems(r.items), setLoading(false)),
        () => current && (setItems([]), setLoading(false)),
      );
    }, 400);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [content, category]);
  const toggle = (id: number) => onCite(cited.includes(id) ? cited.filter((x) => x !== id) : [...cited, id]);
  const citeButton = (id: number) => (
    <Button size="small" type={cited.includes(id) ? 'primary' : 'default'} onClick={() => toggle(id)} data-testid="knowledge-cite">
      {cited.includes(id) ? t('knowledge.cited') : t('knowledge.cite')}
    </Button>
  );
  return (
    <Card
      size="small"
      title={t('knowledge.panel')}
      data-testid="knowledge-panel"
      extra={
        loading ? (
          <Spin size="small" />
        ) : (
          cited.length > 0 && <Typography.Text type="secondary">{t('knowledge.citedCount', { count: cited.length })}</Typography.Text>
        )
      }
    >
      {items.length === 0 ? (
        loading ? (
          <Skeleton active title={false} paragraph={{ rows: 2 }} />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={content.trim().length < 2 ? t('knowledge.panelHint') : t('intake.noArticles')} />
        )
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(item) => (
            <List.Item key={item.id} data-testid="knowledge-suggestion" data-id={item.id} actions={[citeButton(item.id)]}>
              <List.Item.Meta
                title={
                  <Space>
                    <a onClick={() => setOpen(item.id)} data-testid="knowledge-open">
                      {item.title}
                    </a>
                  </Space>
                }
                description={<span dangerouslySetInnerHTML={{ __html: item.snippet }} />}
              />
            </List.Item>
          )}
        />
      )}
      <ArticleDrawer id={open} onClose={() => setOpen(null)} extra={open !== null && citeButton(open)} />
    </Card>
  );
}
