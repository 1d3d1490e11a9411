import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Row, Select, Space, Spin, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  approveArticle,
  articleDiff,
  articleVersions,
  getArticle,
  rejectArticle,
  reviseArticle,
  submitArticle,
  type Article,
  type ArticleDiff,
} from '../../api/knowledge.js';
import { useReportError } from '../../components/errors.js';
import { FormModal } from '../../components/FormModal.js';
import { LoadError, NotFound } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { useMe } from '../../session/SessionProvider.js';
import { useDemandLabels, useShortTime } from '../demands/labels.js';
import { ArticleView } from './ArticleView.js';
import { useKnowledgeRights } from './KnowledgePage.js';
import { useSectionNames } from './SectionChecklist.js';
import { emptySections } from '../../../shared/sections.js';
import { refusedSections } from './sections.js';

const STATUS_COLORS: Record<string, string> = { draft: 'default', submitted: 'orange', approved: 'green', rejected: 'red' };
const REVISION_COLORS: Record<string, string> = { ok: 'green', due_soon: 'gold', overdue: 'red', none: 'default' };

/** Two versions side by side in one text: what was removed struck through, what was added marked. */
function DiffView({ diff }: { diff: ArticleDiff }) {
  const { t } = useI18n();
  return (
    <div data-testid="article-diff">
      {diff.sections.map((s) => (
        <div key={s.section} style={{ marginBottom: 12 }} data-testid={`diff-${s.section}`} data-changed={s.changed}>
          <Typography.Text strong>{s.section === 'title' ? t('article.title') : t(`article.section.${s.section}` as MessageKey)}</Typography.Text>{' '}
          {!s.changed && <Typography.Text type="secondary">{t('article.unchanged')}</Typography.Text>}
          {s.changed && (
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 4 }}>
              {s.pieces.map((p, i) =>
                p.op === 'same' ? (
                  <span key={i}>{p.text}</span>
                ) : p.op === 'added' ? (
                  <ins key={i} style={{ background: '#d9f7be', textDecoration: 'none' }}>
                    {p.text}
                  </ins>
                ) : (
                  <del key={i} style={{ background: '#ffccc7' }}>
                    {p.text}
                  </del>
                ),
              )}
            </Typography.Paragraph>
          )}
        </div>
      ))}
    </div>
  );
}

/** One article: what agents read, the version under work with its review, every version and what changed between two. */
export default function ArticlePage() {
  const { t } = useI18n();
  const time = useShortTime();
  const labels = useDemandLabels();
  const { message } = App.useApp();
  const report = useReportError();
  const names = useSectionNames();
  const navigate = useNavigate();
  const me = useMe();
  const rights = useKnowledgeRights();
  const id = Number(useParams().id);
  const article = useLoad(() => getArticle(id), String(id));
  const versions = useLoad(() => articleVersions(id), `${id}:${article.data?.version ?? 0}:${article.data?.draft?.status ?? ''}`);
  const [busy, setBusy] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [rejectForm] = Form.useForm<{ comment: string }>();
  const [pair, setPair] = useState<[number, number] | null>(null);
  const diff = useLoad(() => (pair ? articleDiff(id, pair[0], pair[1]) : Promise.resolve(undefined)), pair ? pair.join('-') : '');

  if (!Number.isInteger(id) || id <= 0 || article.error?.status === 404) return <NotFound />;
  if (article.error && !article.data) return <LoadError error={article.error} onRetry={article.reload} />;
  const a: Article | undefined = article.data;
  if (!a || a.id !== id) return <Spin />;
  const draft = a.draft;
  const step = async (action: () => Promise<unknown>, done: string, refusedKey?: 'article.refusedSubmit' | 'article.refusedApprove') => {
    setBusy(true);
    try {
      await action();
      void message.success(done);
      article.reload();
    } catch (err) {
      // Refused for empty sections: said in the reader's words, and the page reloaded to mark them.
      const refused = refusedKey && refusedSections(err);
      if (refused) {
        void message.error(t(refusedKey, { sections: names(refused) }));
        article.reload();
      } else report(err);
    } finally {
      setBusy(false);
    }
  };
  const own = draft?.authorId === me.user.id;
  // A version goes to review, and is published, only with all six sections filled.
  const empty = draft ? emptySections(draft.sections) : [];
  const writing = draft?.status === 'draft' || draft?.status === 'rejected';
  const blocked =
    empty.length === 0 ? undefined : writing ? t('article.submitBlocked', { sections: names(empty) }) : t('article.approveBlocked', { sections: names(empty) });

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="article-page" data-status={draft?.status ?? 'approved'}>
      <Link to="/knowledge">
        <ArrowLeftOutlined /> {t('knowledge.backToSearch')}
      </Link>
      <Card
        title={
          <Space wrap>
            <span>{a.title}</span>
            <Tag>{labels.category(a.category)}</Tag>
            <Tag color={REVISION_COLORS[a.revision]} data-testid="article-revision">
              {t(`article.revision.${a.revision}`)}
            </Tag>
          </Space>
        }
        extra={
          <Space wrap>
            {rights.edit && draft && (draft.status === 'draft' || draft.status === 'rejected') && (
              <>
                <Button onClick={() => navigate(`/knowledge/articles/${id}/edit`)} data-testid="article-edit">
                  {t('article.edit')}
                </Button>
                <Tooltip title={blocked}>
                  <Button
                    type="primary"
                    loading={busy}
                    disabled={blocked !== undefined}
                    onClick={() => void step(() => submitArticle(id), t('article.submitted'), 'article.refusedSubmit')}
                    data-testid="article-submit"
                  >
                    {t('article.submit')}
                  </Button>
                </Tooltip>
              </>
            )}
            {rights.review && draft?.status === 'submitted' && !own && (
              <>
                <Tooltip title={blocked}>
                  <Button
                    type="primary"
                    loading={busy}
                    disabled={blocked !== undefined}
                    onClick={() => void step(() => approveArticle(id), t('article.approved'), 'article.refusedApprove')}
                    data-testid="article-approve"
                  >
                    {t('article.approve')}
                  </Button>
                </Tooltip>
                <Button
                  danger
                  onClick={() => {
                    rejectForm.resetFields();
                    setRejecting(true);
                  }}
                  data-testid="article-reject"
                >
                  {t('article.reject')}
                </Button>
              </>
            )}
            {rights.edit && !draft && a.published && (
              <Button loading={busy} onClick={() => void step(() => reviseArticle(id), t('article.revising'))} data-testid="article-revise">
                {t('article.revise')}
              </Button>
            )}
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('article.owner')}>{a.ownerUnitName}</Descriptions.Item>
          <Descriptions.Item label={t('article.publishedAt')}>{a.publishedAt ? time(a.publishedAt) : t('article.notPublished')}</Descriptions.Item>
          <Descriptions.Item label={t('article.revisionDueAt')}>{time(a.revisionDueAt)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Row gutter={[16, 16]}>
        {draft && (
          <Col xs={24} xl={12}>
            <Card
              size="small"
              title={
                <Space>
                  {t('article.underWork')} · {t('article.version', { number: draft.number })}
                  <Tag color={STATUS_COLORS[draft.status]} data-testid="article-draft-status">
                    {t(`article.status.${draft.status}`)}
                  </Tag>
                </Space>
              }
            >
              {blocked && (
                <Alert type="warning" showIcon title={blocked} style={{ marginBottom: 12 }} data-testid="article-missing" data-sections={empty.join(',')} />
              )}
              {draft.reviewComment && (
                <Alert
                  type={draft.status === 'rejected' ? 'error' : 'info'}
                  showIcon
                  title={t('common.pair', { label: t('article.reviewComment'), value: draft.reviewComment })}
                  style={{ marginBottom: 12 }}
                  data-testid="article-review-comment"
                />
              )}
              <ArticleView article={a} version={draft} />
            </Card>
          </Col>
        )}
        <Col xs={24} xl={draft ? 12 : 24}>
          <Card
            size="small"
            title={a.published ? `${t('article.published')} · ${t('article.version', { number: a.published.number })}` : t('article.notPublished')}
          >
            {a.published ? <ArticleView article={a} version={a.published} /> : <Typography.Text type="secondary">{t('article.notPublished')}</Typography.Text>}
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('article.versions')}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={versions.data ?? []}
          columns={[
            { title: t('article.versions'), key: 'n', render: (_, v) => t('article.version', { number: v.number }) },
            { title: t('common.status'), key: 's', render: (_, v) => <Tag color={STATUS_COLORS[v.status]}>{t(`article.status.${v.status}`)}</Tag> },
            { title: t('article.title'), dataIndex: 'title' },
            { title: t('article.publishedAt'), key: 'p', render: (_, v) => time(v.publishedAt) },
            { title: t('article.reviewComment'), key: 'c', render: (_, v) => v.reviewComment ?? '' },
          ]}
        />
        {(versions.data?.length ?? 0) > 1 && (
          <Space style={{ marginTop: 12 }} wrap>
            <Typography.Text>{t('article.compare')}</Typography.Text>
            <Select
              style={{ width: 260 }}
              placeholder={t('article.compare')}
              data-testid="article-compare"
              onChange={(v: string) => setPair(v.split('-').map(Number) as [number, number])}
              options={(versions.data ?? []).slice(1).map((v, i) => ({
                value: `${versions.data![i]!.number}-${v.number}`,
                label: t('article.compareTitle', { from: versions.data![i]!.number, to: v.number }),
              }))}
            />
          </Space>
        )}
        {diff.data && <DiffView diff={diff.data} />}
      </Card>
      <FormModal
        form={rejectForm}
        open={rejecting}
        title={t('article.rejectTitle')}
        onCancel={() => setRejecting(false)}
        onSubmit={async (v) => {
          await rejectArticle(id, v.comment.trim());
          setRejecting(false);
          void message.success(t('article.rejectedDone'));
          article.reload();
        }}
        testId="article-reject-form"
      >
        <Form.Item name="comment" label={t('article.reviewComment')} rules={[{ required: true, message: t('common.required') }]}>
          <Input.TextArea rows={3} maxLength={4000} data-testid="article-reject-comment" />
        </Form.Item>
      </FormModal>
    </Space>
  );
}
