import { MinusCircleOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Form, Input, Row, Select, Space, Spin, Typography, Upload, type UploadFile } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { DEMAND_CATEGORIES, type DemandCategory } from '../../../shared/codes.js';
import { articleFileUrl, createArticle, editArticle, getArticle, uploadArticleFile, type ArticleBody, type ArticleFile } from '../../api/knowledge.js';
import { useFormErrors, useReportError } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';
import { useDemandLabels } from '../demands/labels.js';
import { ATTACHMENT_ACCEPT, fileSize } from './files.js';

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
 * 相关文件's files: each uploaded as soon as it is picked, listed in order with
 * its size, removable. The value is the uploaded files; one that the server
 * refused stays in the list, marked with what it said, until it is removed.
 */
function AttachmentsInput({ value = [], onChange, onBusy }: { value?: ArticleFile[]; onChange?: (files: ArticleFile[]) => void; onBusy?: (busy: boolean) => void }) {
  const { t } = useI18n();
  const report = useReportError();
  const [pending, setPending] = useState<UploadFile[]>([]);
  // An upload that ends adds itself to the list as it is then, not as it was when the file was picked.
  const latest = useRef(value);
  useEffect(() => {
    latest.current = value;
  }, [value]);
  // Removed while still uploading: not added when the upload ends.
  const dropped = useRef(new Set<string>());
  // One upload after another, so that the files are listed in the order they were picked.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const busy = pending.some((f) => f.status === 'uploading');
  useEffect(() => onBusy?.(busy), [busy, onBusy]);
  const change = (files: ArticleFile[]) => {
    latest.current = files;
    onChange?.(files);
  };
  const fileList: UploadFile[] = [
    ...value.map((f): UploadFile => ({ uid: String(f.id), name: f.name, status: 'done', url: articleFileUrl(f.id), size: f.size })),
    ...pending,
  ];
  return (
    <div data-testid="article-form-attachments">
      <Upload
        multiple
        accept={ATTACHMENT_ACCEPT}
        fileList={fileList}
        showUploadList={{ extra: (file) => (file.size === undefined ? null : <Typography.Text type="secondary"> {fileSize(file.size)}</Typography.Text>) }}
        customRequest={({ file, onSuccess, onError }) => {
          const picked = file as File & { uid: string };
          setPending((list) => [...list, { uid: picked.uid, name: picked.name, size: picked.size, status: 'uploading' }]);
          const upload = queue.current.then(() => (dropped.current.has(picked.uid) ? Promise.reject(new Error('removed')) : uploadArticleFile(picked)));
          queue.current = upload.catch(() => undefined);
          upload.then(
            (saved) => {
              setPending((list) => list.filter((f) => f.uid !== picked.uid));
              if (!dropped.current.delete(picked.uid)) change([...latest.current, saved]);
              onSuccess?.(saved);
            },
            (err: unknown) => {
              const said = err instanceof Error ? err.message : String(err);
              setPending((list) => list.map((f) => (f.uid === picked.uid ? { ...f, status: 'error', response: said } : f)));
              if (!dropped.current.delete(picked.uid)) report(err);
              onError?.(err instanceof Error ? err : new Error(said));
            },
          );
        }}
        onRemove={(file) => {
          const waiting = pending.find((f) => f.uid === file.uid);
          if (waiting) {
            if (waiting.status === 'uploading') dropped.current.add(file.uid);
            setPending((list) => list.filter((f) => f.uid !== file.uid));
          } else change(latest.current.filter((f) => String(f.id) !== file.uid));
        }}
      >
        <Button icon={<UploadOutlined />}>{t('article.attach')}</Button>
      </Upload>
    </div>
  );
}

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
  const [uploading, setUploading] = useState(false);

  useEffect(() => {
    if (id === undefined) {
      form.setFieldsValue({ audience: 'agents', tags: [], sections: { rule: '', script: '', reminders: '', documents: '', cases: '', faq: [], attachments: [], caseDemands: [] } });
      return;
    }
    void getArticle(id).then((a) => {
      const v = a.draft ?? a.published!;
      setTitle(v.title);
      form.setFieldsValue({ title: v.title, category: v.category as DemandCategory, tags: v.tags, audience: v.audience, sections: { ...v.sections, attachments: v.files } });
      setLoading(false);
    });
  }, [id, form]);

  const submit = async (v: Values) => {
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
        {/* A rule that always holds: a change is then validated, which clears what the server said of the field. */}
        <Form.Item name={['sections', 'attachments']} label={t('article.files')} extra={t('article.filesHint')} rules={[{ type: 'array' }]}>
          <AttachmentsInput onBusy={setUploading} />
        </Form.Item>
        {area('cases', 3)}
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
        {/* Not while a file is still uploading: it would be left out. */}
        <Button type="primary" htmlType="submit" loading={saving} disabled={uploading} data-testid="article-form-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
