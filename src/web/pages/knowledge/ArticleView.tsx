import { Descriptions, Divider, Empty, List, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { articleFileUrl, type Article } from '../../api/knowledge.js';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { StatusTag, useDemandLabels } from '../demands/labels.js';
import { FileIcon, fileSize } from './files.js';

type Version = NonNullable<Article['published']>;

/** An article as the agent reads it on the call: the answer's steps and script first, then the rule, the reminders, the FAQ and the rest. */
export function ArticleView({ article, version }: { article: Article; version: Version }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const s = version.sections;
  // A section with neither text nor anything listed under it is left out.
  const block = (key: string, text: string, listed?: ReactNode) =>
    text.trim() || listed ? (
      <div key={key} data-testid={`article-section-${key}`}>
        <Typography.Title level={5}>{t(`article.section.${key}` as MessageKey)}</Typography.Title>
        {text.trim() && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{text}</Typography.Paragraph>}
        {listed}
      </div>
    ) : null;
  const files =
    version.files.length > 0 ? (
      <List
        size="small"
        dataSource={version.files}
        data-testid="article-files"
        renderItem={(f) => (
          <List.Item key={f.id} data-testid="article-file" data-id={f.id}>
            <Space>
              <FileIcon contentType={f.contentType} />
              <a href={articleFileUrl(f.id)} target="_blank" rel="noopener noreferrer">
                {f.name}
              </a>
              <Typography.Text type="secondary">{fileSize(f.size)}</Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    ) : null;
  // A demand the reader may not see is named by its number only.
  const cases =
    version.caseLinks.length > 0 ? (
      <List
        size="small"
        dataSource={version.caseLinks}
        data-testid="article-cases"
        renderItem={(c) => (
          <List.Item key={c.number} data-testid="article-case" data-number={c.number}>
            <Space wrap>
              {c.demandId !== null ? (
                // In a new tab: the article may be open beside a demand being registered.
                <Link to={`/demands/${c.demandId}`} target="_blank">
                  {c.number}
                </Link>
              ) : (
                <Typography.Text>{c.number}</Typography.Text>
              )}
              {c.category && <Tag>{labels.category(c.category)}</Tag>}
              {c.status && <StatusTag status={c.status} />}
              {c.excerpt && <Typography.Text type="secondary">{c.excerpt}</Typography.Text>}
            </Space>
          </List.Item>
        )}
      />
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
      {block('documents', s.documents, files)}
      {block('cases', s.cases, cases)}
      {!s.script && !s.rule && <Empty />}
      <Divider />
    </div>
  );
}
