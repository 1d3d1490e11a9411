import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Form, Input, Row, Select, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { DEMAND_CATEGORIES, type DemandCategory } from '../../../shared/codes.js';
import { createArticle, editArticle, getArticle, type ArticleBody } from '../../api/knowledge.js';
import { useFormErrors } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';
import { useDemandLabels } from '../demands/labels.js';

type Values = {
  title: string;
  category: DemandCategory;
  tags: string[];
  audience: 'agents' | 'public';
  sections: { rule: string; script: string; reminders: string; documents: string; cases: string; faq: { q: string; a: string }[] };
};

/** The six-section template (业务规则描述, 应答步骤及话术, 坐席提醒, 相关文件, 实际案例, 常见问题): a new article, or the version under work. */
export default function ArticleFormPage() {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const showErrors = useFormErrors();
  const id = Number(useParams().id) || undefined;
  const [form] = Form.useForm<Values>();
  const [loading, setLoading] = useState(id !== undefined);
  const [saving, setSaving] = useState(false);
  const [title, setTitle] = useState('');

  useEffect(() => {
    if (id === undefined) {
      form.setFieldsValue({ audience: 'agents', tags: [], sections: { rule: '', script: '', reminders: '', documents: '', cases: '', faq: [] } });
      return;
    }
    void getArticle(id).then((a) => {
      const v = a.draft ?? a.published!;
      setTitle(v.title);
      form.setFieldsValue({ title: v.title, category: v.category as DemandCategory, tags: v.tags, audience: v.audience, sections: v.sections });
      setLoading(false);
    });
  }, [id, form]);

  const submit = async (v: Values) => {
    setSaving(true);
    try {
      const body: ArticleBody = { ...v, tags: v.tags ?? [], sections: { ...v.sections, faq: (v.sections.faq ?? []).filter((f) => f?.q?.trim() && f?.a?.trim()) } };
      const saved = id === undefined ? await createArticle(body) : await editArticle(id, body);
      void message.success(t('article.saved'));
      navigate(`/knowledge/articles/${saved.id}`);
    } catch (err) {
      showErrors(form, err);
    } finally {
      setSaving(false);
    }
  };

  if (loading) return <Spin />;
  const required = { required: true, message: t('common.required') };
  const area = (name: keyof Values['sections'], rows: number, isRequired = false) => (
    <Form.Item name={['sections', name]} label={t(`article.section.${name}` as 'article.section.rule')} rules={isRequired ? [required] : []}>
      <Input.TextArea rows={rows} maxLength={20000} data-testid={`article-form-${name}`} />
    </Form.Item>
  );
  return (
    <Card title={id === undefined ? t('article.newTitle') : t('article.editTitle', { title })}>
      <Form<Values> form={form} layout="vertical" onFinish={submit} data-testid="article-form">
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
        {area('documents', 2)}
        {area('cases', 3)}
        <Form.List name={['sections', 'faq']}>
          {(fields, { add, remove }) => (
            <Form.Item label={t('article.section.faq')}>
              {fields.map((field) => (
                <Space key={field.key} align="baseline" wrap style={{ display: 'flex' }}>
                  <Form.Item name={[field.name, 'q']} rules={[required]}>
                    <Input placeholder={t('article.faqQ')} style={{ width: 280 }} maxLength={500} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'a']} rules={[required]}>
                    <Input placeholder={t('article.faqA')} style={{ width: 420 }} maxLength={4000} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(field.name)} />
                </Space>
              ))}
              <Button type="dashed" onClick={() => add({ q: '', a: '' })} icon={<PlusOutlined />}>
                {t('article.faqAdd')}
              </Button>
            </Form.Item>
          )}
        </Form.List>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="article-form-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
