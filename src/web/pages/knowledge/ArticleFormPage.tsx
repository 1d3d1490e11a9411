import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Form, Input, Row, Select, Space, Spin, Typography } from 'antd';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { DEMAND_CATEGORIES, type DemandCategory } from '../../../shared/codes.js';
import { createArticle, editArticle, getArticle, submitArticle, type ArticleBody, type ArticleFile } from '../../api/knowledge.js';
import { useFormErrors, useReportError } from '../../components/errors.js';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { useDemandLabels } from '../demands/labels.js';
import { AttachmentsInput } from './AttachmentsInput.js';
import { SectionChecklist, SectionMark, useSectionNames } from './SectionChecklist.js';
import { emptySections, type SectionKey } from '../../../shared/sections.js';
import { refusedSections } from './sections.js';

type Values = {
  title: string;
  category: DemandCategory;
  tags: string[];
  audience: 'agents' | 'public';
  sections: {
    rule: string;
    script: string;
    reminders: string;
    documents: string;
    cases: string;
    faq: { q: string; a: string }[];
    /** The files themselves while the form is open; their ids when it is saved. */
    attachments: ArticleFile[];
    caseDemands: string[];
  };
};

/**
 * The six-section template (业务规则描述, 应答步骤及话术, 坐席提醒, 相关文件, 实际案例,
 * 常见问题): a new article, or the version under work. A draft is saved with
 * sections still empty (only the rule and the script are needed to save it);
 * it goes to review only with all six filled, which the checklist beside the
 * form and the mark on each heading show as the editor writes.
 */
export default function ArticleFormPage() {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const showErrors = useFormErrors();
  const report = useReportError();
  const names = useSectionNames();
  const id = Number(useParams().id) || undefined;
  const [form] = Form.useForm<Values>();
  const [loading, setLoading] = useState(id !== undefined);
  const [saving, setSaving] = useState(false);
  const [title, setTitle] = useState('');
  const [uploading, setUploading] = useState(false);
  // Which button sent the form: save the draft, or save it and submit it for review.
  const andSubmit = useRef(false);
  const empty = emptySections(Form.useWatch('sections', form));

  useEffect(() => {
    if (id === undefined) {
      form.setFieldsValue({
        audience: 'agents',
        tags: [],
        sections: { rule: '', script: '', reminders: '', documents: '', cases: '', faq: [], attachments: [], caseDemands: [] },
      });
      return;
    }
    void getArticle(id).then((a) => {
      const v = a.draft ?? a.published!;
      setTitle(v.title);
      form.setFieldsValue({
        title: v.title,
        category: v.category as DemandCategory,
        tags: v.tags,
        audience: v.audience,
        sections: { ...v.sections, attachments: v.files },
      });
      setLoading(false);
    });
  }, [id, form]);

  const submit = async (v: Values) => {
    const review = andSubmit.current;
    andSubmit.current = false;
    setSaving(true);
    try {
      const body: ArticleBody = {
        ...v,
        tags: v.tags ?? [],
        sections: {
          ...v.sections,
          faq: (v.sections.faq ?? []).filter((f) => f?.q?.trim() && f?.a?.trim()),
          attachments: (v.sections.attachments ?? []).map((f) => f.id),
          caseDemands: v.sections.caseDemands ?? [],
        },
      };
      let saved;
      try {
        saved = id === undefined ? await createArticle(body) : await editArticle(id, body);
      } catch (err) {
        showErrors(form, err);
        return;
      }
      if (!review) void message.success(t('article.saved'));
      else {
        try {
          await submitArticle(saved.id);
          void message.success(t('article.submitted'));
        } catch (err) {
          // Saved as a draft all the same; the article's page shows what is still empty.
          const refused = refusedSections(err);
          if (refused) void message.error(t('article.refusedSubmit', { sections: names(refused) }));
          else report(err);
        }
      }
      navigate(`/knowledge/articles/${saved.id}`);
    } finally {
      setSaving(false);
    }
  };

  if (loading) return <Spin />;
  const required = { required: true, message: t('common.required') };
  const label = (key: SectionKey) => (
    <Space size={8}>
      {t(`article.section.${key}` as MessageKey)}
      <SectionMark section={key} filled={!empty.includes(key)} />
    </Space>
  );
  const hint = (key: 'documents' | 'cases' | 'faq'): ReactNode => <Typography.Text type="secondary">{t(`article.sectionHint.${key}`)}</Typography.Text>;
  const area = (name: Exclude<SectionKey, 'faq'>, rows: number, isRequired = false, extra?: ReactNode) => (
    <Form.Item name={['sections', name]} label={label(name)} rules={isRequired ? [required] : []} extra={extra}>
      <Input.TextArea rows={rows} maxLength={20000} data-testid={`article-form-${name}`} />
    </Form.Item>
  );
  return (
    <Card title={id === undefined ? t('article.newTitle') : t('article.editTitle', { title })}>
      <Form<Values> form={form} layout="vertical" onFinish={submit} onFinishFailed={() => (andSubmit.current = false)} data-testid="article-form">
        <Row gutter={24}>
          <Col xs={24} lg={17}>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name="title" label={t('article.title')} rules={[required]}>
                  <Input maxLength={200} data-testid="article-form-title" />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item name="category" label={t('article.category')} rules={[required]}>
                  <Select options={DEMAND_CATEGORIES.map((c) => ({ value: c, label: labels.category(c) }))} data-testid="article-form-category" />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item name="audience" label={t('article.audience')}>
                  <Select
                    options={[
                      { value: 'agents', label: t('article.audience.agents') },
                      { value: 'public', label: t('article.audience.public') },
                    ]}
                  />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="tags" label={t('article.tags')}>
              <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} data-testid="article-form-tags" />
            </Form.Item>
            {area('rule', 5, true)}
            {area('script', 5, true)}
            {area('reminders', 3)}
            {area('documents', 2, false, hint('documents'))}
            {/* A rule that always holds: a change is then validated, which clears what the server said of the field. */}
            <Form.Item name={['sections', 'attachments']} label={t('article.files')} extra={t('article.filesHint')} rules={[{ type: 'array' }]}>
              <AttachmentsInput onBusy={setUploading} />
            </Form.Item>
            {area('cases', 3, false, hint('cases'))}
            <Form.Item
              name={['sections', 'caseDemands']}
              label={t('article.caseDemands')}
              extra={t('article.caseDemandsHint')}
              rules={[{ type: 'array' }]}
              // Numbers as typed or pasted: no spaces around them, each once.
              normalize={(list: string[] | undefined) => [...new Set((list ?? []).map((n) => n.trim()).filter(Boolean))]}
            >
              <Select mode="tags" tokenSeparators={[',', '，', '、', ' ', '\n']} open={false} data-testid="article-form-caseDemands" />
            </Form.Item>
            <Form.List name={['sections', 'faq']}>
              {(fields, { add, remove }) => (
                <Form.Item label={label('faq')} extra={hint('faq')}>
                  {fields.map((field) => (
                    <Space key={field.key} align="baseline" wrap style={{ display: 'flex' }}>
                      <Form.Item name={[field.name, 'q']} rules={[required]}>
                        <Input placeholder={t('article.faqQ')} style={{ width: 280 }} maxLength={500} data-testid="article-form-faq-q" />
                      </Form.Item>
                      <Form.Item name={[field.name, 'a']} rules={[required]}>
                        <Input placeholder={t('article.faqA')} style={{ width: 420 }} maxLength={4000} data-testid="article-form-faq-a" />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(field.name)} />
                    </Space>
                  ))}
                  <Button type="dashed" onClick={() => add({ q: '', a: '' })} icon={<PlusOutlined />} data-testid="article-form-faq-add">
                    {t('article.faqAdd')}
                  </Button>
                </Form.Item>
              )}
            </Form.List>
          </Col>
          <Col xs={24} lg={7}>
            <Card size="small" title={t('article.checklist')} style={{ position: 'sticky', top: 16 }}>
              <SectionChecklist empty={empty} />
            </Card>
          </Col>
        </Row>
        {/* Not while a file is still uploading: it would be left out. */}
        <Space wrap>
          <Button htmlType="submit" loading={saving} disabled={uploading} onClick={() => (andSubmit.current = false)} data-testid="article-form-save">
            {t('article.saveDraft')}
          </Button>
          <Button
            type="primary"
            htmlType="submit"
            loading={saving}
            disabled={uploading || empty.length > 0}
            onClick={() => (andSubmit.current = true)}
            data-testid="article-form-save-submit"
          >
            {t('article.saveSubmit')}
          </Button>
          {empty.length > 0 && (
            <Typography.Text type="warning" data-testid="article-form-submit-blocked">
              {t('article.submitBlocked', { sections: names(empty) })}
            </Typography.Text>
          )}
        </Space>
      </Form>
    </Card>
  );
}
