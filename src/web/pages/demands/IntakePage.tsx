import { App, Alert, Button, Card, Checkbox, Col, Form, Input, Row, Select, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { CHANNELS, DEMAND_CATEGORIES, type Channel, type DemandCategory, type DemandType } from '../../../shared/codes.js';
import { PRIORITIES } from './codes.js';
import { DEMAND_TYPE_TAXONOMY, subcategoriesOf, typeEntry } from '../../../shared/taxonomy.js';
import { createDemand, newIdempotencyKey, type CustomerMatch } from '../../api/demands.js';
import { useFormErrors } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';
import { CustomerLookup, openDemandsOf } from './CustomerLookup.js';
import { KnowledgePanel } from './KnowledgePanel.js';
import { useDemandLabels } from './labels.js';

interface Values {
  channel: Channel;
  type: DemandType;
  category: DemandCategory;
  subcategory?: string;
  priority?: (typeof PRIORITIES)[number];
  sensitive: boolean;
  /** Named as in the API's body, so that the server's issue on `body.customer.phone` lands on its field. */
  customer: { phone: string; name?: string };
  content: string;
}

/** What the agent is warned of before saving: the picked customer's open demands, and the one this call will repeat. */
function RepeatWarning({ customer, category }: { customer: CustomerMatch; category: DemandCategory | undefined }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const open = openDemandsOf(customer);
  if (open.length === 0) return null;
  // The server links a call to the customer's newest demand of the same category (DESIGN.md, 多次诉求).
  const same = open.find((d) => d.category === category);
  return (
    <Alert
      type={same ? 'error' : 'warning'}
      showIcon
      data-testid="repeat-warning"
      title={same ? t('intake.willRepeat', { number: same.number }) : t('intake.hasOpen', { count: open.length })}
      description={open.map((d) => `${d.number} ${labels.type(d.type)} · ${labels.category(d.category)} · ${labels.status(d.status)}`).join('；')}
    />
  );
}

/** A new screen pop (another caller's number in the address) starts a fresh registration. */
export default function IntakePage() {
  const [params] = useSearchParams();
  const screenPop = params.get('phone') ?? undefined;
  return <Intake key={screenPop ?? ''} screenPop={screenPop} />;
}

function Intake({ screenPop }: { screenPop: string | undefined }) {
  const { t, lang } = useI18n();
  const labels = useDemandLabels();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const showErrors = useFormErrors();
  const [picked, setPicked] = useState<CustomerMatch | null>(null);
  const [saving, setSaving] = useState(false);
  const [cited, setCited] = useState<number[]>([]);
  // One key per demand being registered: a retried save returns the demand the first one created.
  const idempotencyKey = useRef(newIdempotencyKey());
  const type = Form.useWatch('type', form);
  const category = Form.useWatch('category', form);
  const content = Form.useWatch('content', form) ?? '';
  const subcategories = subcategoriesOf(type);

  const pick = (customer: CustomerMatch | null) => {
    setPicked(customer);
    form.setFieldsValue({ customer: { phone: customer?.phone ?? form.getFieldValue(['customer', 'phone']), name: customer?.name ?? '' } });
  };

  const onValuesChange = (changed: Partial<Values>) => {
    if (!changed.type) return;
    // Sub-categories belong to a type: a class of the old type is never sent with the new one.
    const entry = typeEntry(changed.type);
    form.setFieldsValue({ subcategory: undefined, ...(entry?.defaultCategory && !form.getFieldValue('category') && { category: entry.defaultCategory }) });
  };

  const submit = async (values: Values) => {
    setSaving(true);
    try {
      const name = values.customer.name?.trim();
      const demand = await createDemand(
        {
          channel: values.channel,
          type: values.type,
          category: values.category,
          ...(values.subcategory && { subcategory: values.subcategory }),
          customer: { ...(picked && { accountNo: picked.accountNo }), ...(name && { name }), phone: values.customer.phone.trim() },
          content: values.content.trim(),
          ...(values.priority && { priority: values.priority }),
          ...(values.sensitive && { sensitive: true }),
          ...(cited.length > 0 && { articleIds: cited }),
        },
        idempotencyKey.current,
      );
      idempotencyKey.current = newIdempotencyKey();
      void message.success(t('intake.saved', { number: demand.number }));
      if (demand.repeatOf !== null) void message.warning(t('intake.savedAsRepeat', { count: demand.repeatCount + 1 }));
      navigate(`/demands/${demand.id}`);
    } catch (err) {
      showErrors(form, err);
    } finally {
      setSaving(false);
    }
  };

  const required = { required: true, message: t('common.required') };
  return (
    <Row gutter={[24, 16]}>
      <Col xs={24} xl={10}>
        <Card title={t('intake.lookupTitle')} size="small">
          <CustomerLookup initial={screenPop} picked={picked} onPick={pick} onUsePhone={(phone) => form.setFieldsValue({ customer: { phone } })} />
        </Card>
        <div style={{ marginTop: 16 }}>
          <KnowledgePanel content={content} category={category} cited={cited} onCite={setCited} />
        </div>
      </Col>
      <Col xs={24} xl={14}>
        <Card title={t('intake.formTitle')} size="small">
          <Form<Values>
            form={form}
            layout="vertical"
            initialValues={{ channel: 'phone', sensitive: false, customer: { phone: screenPop ?? '' } }}
            onValuesChange={onValuesChange}
            onFinish={submit}
            data-testid="intake-form"
          >
            {picked ? (
              <Alert
                style={{ marginBottom: 16 }}
                type="info"
                title={t('intake.forCustomer', { name: picked.name, account: picked.accountNo })}
                description={`${picked.address} · ${picked.stationName}`}
                action={
                  <Button size="small" onClick={() => pick(null)}>
                    {t('intake.unpick')}
                  </Button>
                }
                data-testid="intake-customer"
              />
            ) : (
              <Typography.Paragraph type="secondary">{t('intake.unknownCaller')}</Typography.Paragraph>
            )}
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name={['customer', 'phone']} label={t('intake.phone')} rules={[required, { pattern: /^[0-9+\-() ]{3,32}$/, message: t('intake.phoneInvalid') }]}>
                  <Input maxLength={32} data-testid="demand-phone" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name={['customer', 'name']} label={t('intake.name')}>
                  <Input maxLength={200} data-testid="demand-name" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="channel" label={t('demand.channel')} rules={[required]}>
                  <Select data-testid="demand-channel" options={CHANNELS.map((c) => ({ value: c, label: labels.channel(c) }))} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="type" label={t('demand.type')} rules={[required]}>
                  <Select data-testid="demand-type" options={DEMAND_TYPE_TAXONOMY.map((entry) => ({ value: entry.code, label: entry.label[lang] }))} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="category" label={t('demand.category')} rules={[required]}>
                  <Select data-testid="demand-category" options={DEMAND_CATEGORIES.map((c) => ({ value: c, label: labels.category(c) }))} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  name="subcategory"
                  label={t('demand.subcategory')}
                  rules={[{ required: Boolean(typeEntry(type ?? '')?.subcategoryRequired), message: t('common.required') }]}
                >
                  <Select
                    allowClear
                    disabled={subcategories.length === 0}
                    placeholder={subcategories.length === 0 ? t('intake.noSubcategory') : undefined}
                    data-testid="demand-subcategory"
                    options={subcategories.map((s) => ({ value: s.code, label: s.label[lang] }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="priority" label={t('demand.priority')} extra={t('intake.priorityHint')}>
                  <Select allowClear placeholder={t('intake.priorityAuto')} data-testid="demand-priority" options={PRIORITIES.map((p) => ({ value: p, label: labels.priority(p) }))} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="sensitive" label={t('demand.sensitive')} valuePropName="checked">
                  <Checkbox data-testid="demand-sensitive">{t('intake.sensitiveHint')}</Checkbox>
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="content" label={t('demand.content')} rules={[required, { max: 4000 }]}>
              <Input.TextArea rows={4} maxLength={4000} showCount data-testid="demand-content" />
            </Form.Item>
            {picked && (
              <div style={{ marginBottom: 16 }}>
                <RepeatWarning customer={picked} category={category} />
              </div>
            )}
            <Space>
              <Button type="primary" htmlType="submit" loading={saving} data-testid="demand-submit">
                {t('intake.submit')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  pick(null);
                  setCited([]);
                }}
              >
                {t('intake.reset')}
              </Button>
            </Space>
          </Form>
        </Card>
      </Col>
    </Row>
  );
}
