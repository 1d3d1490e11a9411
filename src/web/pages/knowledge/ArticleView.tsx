import { Descriptions, Divider, Empty, List, Tag, Typography } from 'antd';
import type { Article } from '../../api/knowledge.js';
import { useI18n, type MessageKey } from '../../i18n/index.js';

type Version = NonNullable<Article['published']>;

/** An article as the agent reads it on the call: the answer's steps and script first, then the rule, the reminders, the FAQ and the rest. */
export function ArticleView({ article, version }: { article: Article; version: Version }) {
  const { t } = useI18n();
  const s = version.sections;
  const block = (key: string, text: string) =>
    text.trim() ? (
      <div key={key} data-testid={`article-section-${key}`}>
        <Typography.Title level={5}>{t(`article.section.${key}` as MessageKey)}</Typography.Title>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{text}</Typography.Paragraph>
      </div>
    ) : null;
  return (
    <div data-testid="article-view" data-article-id={article.id}>
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('article.tags')}>
          {version.tags.map((tag) => (
            <Tag key={tag}>{tag}</Tag>
          ))}
          <Typography.Text type="secondary">{t('article.uses', { count: article.useCount })}</Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      {block('script', s.script)}
      {block('rule', s.rule)}
      {block('reminders', s.reminders)}
      {s.faq.length > 0 && (
        <div data-testid="article-section-faq">
          <Typography.Title level={5}>{t('article.section.faq')}</Typography.Title>
          <List size="small" dataSource={s.faq} renderItem={(f) => <List.Item>{`${t('article.q')}${f.q} ${t('article.a')}${f.a}`}</List.Item>} />
        </div>
      )}
      {block('documents', s.documents)}
      {block('cases', s.cases)}
      {!s.script && !s.rule && <Empty />}
      <Divider />
    </div>
  );
}
