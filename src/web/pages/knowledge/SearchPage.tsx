import { Card, Empty, Flex, Input, List, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { DEMAND_CATEGORIES } from '../../../shared/codes.js';
import { searchArticles } from '../../api/knowledge.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useDemandLabels } from '../demands/labels.js';
import { ArticleDrawer } from './ArticleDrawer.js';

/** The knowledge base (知识库): search in Chinese words, the matched words marked, an article opened beside the list. */
export default function SearchPage() {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const category = params.get('category') ?? undefined;
  const [open, setOpen] = useState<number | null>(null);
  const results = useLoad(() => (q.trim() ? searchArticles({ q, category }) : Promise.resolve(undefined)), `${q}|${category ?? ''}`);
  const go = (next: { q?: string; category?: string | undefined }) => {
    const search = new URLSearchParams();
    const nq = next.q ?? q;
    const nc = 'category' in next ? next.category : category;
    if (nq) search.set('q', nq);
    if (nc) search.set('category', nc);
    setParams(search);
  };
  const data = results.data;
  return (
    <section>
      <Flex vertical gap={12}>
        <Space wrap>
          <Input.Search
            defaultValue={q}
            placeholder={t('knowledge.searchPlaceholder')}
            enterButton={t('knowledge.search')}
            allowClear
            onSearch={(v) => go({ q: v.trim() })}
            style={{ width: 480 }}
            data-testid="knowledge-search"
          />
          <Select
            allowClear
            placeholder={t('knowledge.allCategories')}
            value={category}
            onChange={(v) => go({ category: v })}
            style={{ width: 200 }}
            options={DEMAND_CATEGORIES.map((c) => ({ value: c, label: labels.category(c) }))}
          />
        </Space>
        {results.error && <LoadError error={results.error} onRetry={results.reload} />}
        {data && (
          <Card size="small" title={data.totalCapped ? t('knowledge.resultsCapped', { count: data.total }) : t('knowledge.results', { count: data.total })}>
            {data.items.length === 0 ? (
              <Empty description={t('knowledge.none')} />
            ) : (
              <List
                dataSource={data.items}
                renderItem={(item) => (
                  <List.Item key={item.id} data-testid="knowledge-result" data-id={item.id}>
                    <List.Item.Meta
                      title={
                        <Space wrap>
                          <a onClick={() => setOpen(item.id)}>{item.title}</a>
                          <Link to={`/knowledge/articles/${item.id}`}>{t('knowledge.open')}</Link>
                          <Tag>{labels.category(item.category)}</Tag>
                          {item.tags.map((tag) => (
                            <Tag key={tag} color="blue">
                              {tag}
                            </Tag>
                          ))}
                        </Space>
                      }
                      // The server escapes the text and marks only the matched words.
                      description={<span dangerouslySetInnerHTML={{ __html: item.snippet }} />}
                    />
                  </List.Item>
                )}
              />
            )}
          </Card>
        )}
      </Flex>
      <ArticleDrawer id={open} onClose={() => setOpen(null)} />
    </section>
  );
}
