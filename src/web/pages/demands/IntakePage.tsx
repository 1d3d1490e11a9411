import { App, Alert, Button, Card, Checkbox, Col, Form, Input, Row, Select, Space, Typography, type GetRef } from 'antd';
import { useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { CHANNELS, DEMAND_CATEGORIES, type DemandType } from '../../../shared/codes.js';
import { categoryLabel, DEMAND_TYPE_TAXONOMY, subcategoriesOf, typeEntry } from '../../../shared/taxonomy.js';
import { createDemand, newIdempotencyKey, type CustomerMatch } from '../../api/demands.js';
import { useFormErrors } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';
import { useIntakeOutage } from '../outages/IntakeBanner.js';
import { isJoinedCall, type JoinedCallState } from './CaseCalls.js';
import { CasePreviewPanel, urgesOrders, useCasePreview } from './CasePreviewPanel.js';
import { PRIORITIES } from './codes.js';
import { CustomerLookup, isFullPhone } from './CustomerLookup.js';
import { customerPlaces, FaultPlaceFields, placeIds, placeValue } from './FaultPlace.js';
import { demandBody, focusNext, PHONE, previewablePhone, type FocusTarget, type IntakeValues } from './intake.js';
import { KnowledgePanel } from './KnowledgePanel.js';
import { useDemandLabels } from './labels.js';
import { typedSearch } from './pinyin.js';

type SelectRef = GetRef<typeof Select>;

/** A new screen pop (another caller's number in the address) starts a fresh registration. */
export default function IntakePage() {
  const [params] = useSearchParams();
  const screenPop = params.get('phone') ?? undefined;
  return <Intake key={screenPop ?? ''} screenPop={screenPop} />;
}

/**
 * The agent's desk on a live call. Worked from the keyboard in the order of
 * the call: the caller's number in the lookup, Enter (the customer, or the
 * number when nobody matches), the type and category typed into their
 * drop-downs (Enter each), the caller's words, Ctrl+Enter to save. Before
 * saving, the case the call would join is on screen.
 */
function Intake({ screenPop }: { screenPop: string | undefined }) {
  const { t, lang } = useI18n();
  const labels = useDemandLabels();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<IntakeValues>();
  const showErrors = useFormErrors();
  const [picked, setPicked] = useState<CustomerMatch | null>(null);
  const [lookupText, setLookupText] = useState(screenPop ?? '');
  const [saving, setSaving] = useState(false);
  const [cited, setCited] = useState<number[]>([]);
  // One key per demand being registered: a retried save returns the demand the first one created.
  const idempotencyKey = useRef(newIdempotencyKey());
  const type = Form.useWatch('type', form);
  const category = Form.useWatch('category', form);
  const formPhone = Form.useWatch(['customer', 'phone'], form);
  const content = Form.useWatch('content', form) ?? '';
  const place = Form.useWatch('place', form);
  const subcategories = subcategoriesOf(type);
  const repair = type === 'fault_repair';

  const typeRef = useRef<SelectRef>(null);
  const categoryRef = useRef<SelectRef>(null);
  const subcategoryRef = useRef<SelectRef>(null);
  const addressRef = useRef<GetRef<typeof Input>>(null);
  const contentRef = useRef<GetRef<typeof Input.TextArea>>(null);

  // The caller whose cases are previewed: the number on the form, or a whole number typed in the lookup before anyone is picked.
  const phone = previewablePhone(formPhone) ?? (isFullPhone(lookupText) ? lookupText.trim() : undefined);
  const preview = useCasePreview(phone ? { phone, accountNo: picked?.accountNo, category } : null);
  const previewed = preview.forKey === preview.key ? preview.data : undefined;
  // The outages over the caller, on screen before anything is typed: by the customer picked (else the number), and a repair's place.
  const caller = { ...(picked ? { customerId: picked.id } : phone && { phone }), ...(repair && placeIds(place)) };
  const outage = useIntakeOutage({ place: Object.keys(caller).length > 0 ? caller : null, type, category, joining: previewed?.joins?.number ?? null });

  /** A repair's address and place start as the customer's own. */
  const fillFaultPlace = (customer: CustomerMatch | null) => {
    if (!customer) return;
    const current = form.getFieldsValue(['faultAddress', 'place']);
    form.setFieldsValue({
      ...(!current.faultAddress && { faultAddress: customer.address }),
      ...(!current.place && { place: placeValue(customerPlaces(customer)[0]!) }),
    });
  };

  const pick = (customer: CustomerMatch | null) => {
    setPicked(customer);
    form.setFieldsValue({ customer: { phone: customer?.phone ?? form.getFieldValue(['customer', 'phone']), name: customer?.name ?? '' } });
    if (form.getFieldValue('type') === 'fault_repair') fillFaultPlace(customer);
  };

  const onValuesChange = (changed: Partial<IntakeValues>) => {
    if (!changed.type) return;
    // Sub-categories belong to a type: a class of the old type is never sent with the new one.
    const entry = typeEntry(changed.type);
    form.setFieldsValue({ subcategory: undefined, ...(entry?.defaultCategory && !form.getFieldValue('category') && { category: entry.defaultCategory }) });
    if (changed.type === 'fault_repair') fillFaultPlace(picked);
  };

  /** The field after the category: the type's class if it has classes, a repair's address when nobody gave one, else the caller's words. */
  const afterCategory = (): FocusTarget => {
    const currentType = form.getFieldValue('type') as DemandType | undefined;
    if (subcategoriesOf(currentType).length > 0) return subcategoryRef.current;
    if (currentType === 'fault_repair' && !form.getFieldValue('faultAddress')) return addressRef.current;
    return contentRef.current;
  };

  const submit = async (values: IntakeValues) => {
    setSaving(true);
    try {
      const demand = await outage.save(demandBody(values, picked, cited), (body) => createDemand(body, idempotencyKey.current));
      idempotencyKey.current = newIdempotencyKey();
      if (isJoinedCall(demand)) {
        // The call joined a case: the agent is shown the case, where its work is, with this call marked in it.
        const ordinal = demand.case?.calls.find((call) => call.id === demand.id)?.ordinal ?? demand.callCount;
        void message.success(t('intake.savedJoined', { number: demand.number, caseNumber: demand.case?.number ?? '', ordinal }));
        const state: JoinedCallState = { joinedCall: { id: demand.id, number: demand.number, ordinal } };
        navigate(`/demands/${demand.caseId}`, { state });
        return;
      }
      void message.success(
        demand.outage
          ? t('intakeOutage.saved', {
              number: demand.number,
              role: t(demand.parentId === null ? 'outage.master' : 'outage.child'),
              outage: demand.outage.number,
            })
          : t('intake.saved', { number: demand.number }),
      );
      navigate(`/demands/${demand.id}`);
    } catch (err) {
      showErrors(form, err);
    } finally {
      setSaving(false);
    }
  };

  // Ctrl+Enter saves from anywhere on the desk, the lookup included.
  const onKeyDownCapture = (e: KeyboardEvent) => {
    if (outage.onKeyDown(e)) return;
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return;
    e.preventDefault();
    e.stopPropagation();
    form.submit();
  };

  const required = { required: true, message: t('common.required') };
  const joins = previewed?.joins ?? null;
  return (
    <Row gutter={[24, 16]} onKeyDownCapture={onKeyDownCapture} data-testid="intake">
      <Col xs={24} xl={10}>
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card title={t('intake.lookupTitle')} size="small">
            <CustomerLookup
              initial={screenPop}
              picked={picked}
              onPick={pick}
              onUsePhone={(number) => form.setFieldsValue({ customer: { phone: number } })}
              onTextChange={setLookupText}
              onChosen={() => focusNext(() => typeRef.current)}
              onUnknownPhone={(number) => !form.getFieldValue(['customer', 'phone']) && form.setFieldsValue({ customer: { phone: number } })}
            />
          </Card>
          <CasePreviewPanel preview={preview} phone={phone ?? null} categoryChosen={Boolean(category)} />
          <KnowledgePanel content={content} category={category} cited={cited} onCite={setCited} />
        </Space>
      </Col>
      <Col xs={24} xl={14}>
        {outage.banner && <div style={{ marginBottom: 16 }}>{outage.banner}</div>}
        <Card title={t('intake.formTitle')} size="small" extra={<Typography.Text type="secondary">{t('intake.keys')}</Typography.Text>}>
          <Form<IntakeValues>
            form={form}
            layout="vertical"
            initialValues={{ channel: 'phone', sensitive: false, customer: { phone: screenPop ?? '' } }}
            onValuesChange={onValuesChange}
            onFinish={submit}
            scrollToFirstError={{ focus: true, block: 'center' }}
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
                <Form.Item name={['customer', 'phone']} label={t('intake.phone')} rules={[required, { pattern: PHONE, message: t('intake.phoneInvalid') }]}>
                  <Input maxLength={32} data-testid="demand-phone" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name={['customer', 'name']} label={t('intake.name')}>
                  <Input maxLength={200} data-testid="demand-name" />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name="type" label={t('demand.type')} rules={[required]}>
                  <Select
                    ref={typeRef}
                    showSearch={typedSearch}
                    placeholder={t('intake.typeToFilter')}
                    data-testid="demand-type"
                    onSelect={() => focusNext(() => categoryRef.current)}
                    options={DEMAND_TYPE_TAXONOMY.map((entry) => ({
                      value: entry.code,
                      label: entry.label[lang],
                      search: entry.label[lang === 'en' ? 'zh-CN' : 'en'],
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name="category" label={t('demand.category')} rules={[required]}>
                  <Select
                    ref={categoryRef}
                    showSearch={typedSearch}
                    placeholder={t('intake.typeToFilter')}
                    data-testid="demand-category"
                    onSelect={() => focusNext(afterCategory)}
                    options={DEMAND_CATEGORIES.map((c) => ({ value: c, label: labels.category(c), search: categoryLabel(c, lang === 'en' ? 'zh-CN' : 'en') }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item
                  name="subcategory"
                  label={t('demand.subcategory')}
                  rules={[{ required: Boolean(typeEntry(type ?? '')?.subcategoryRequired), message: t('common.required') }]}
                >
                  <Select
                    ref={subcategoryRef}
                    allowClear
                    showSearch={typedSearch}
                    disabled={subcategories.length === 0}
                    placeholder={subcategories.length === 0 ? t('intake.noSubcategory') : t('intake.typeToFilter')}
                    data-testid="demand-subcategory"
                    onSelect={() => focusNext(() => contentRef.current)}
                    options={subcategories.map((s) => ({ value: s.code, label: s.label[lang], search: s.label[lang === 'en' ? 'zh-CN' : 'en'] }))}
                  />
                </Form.Item>
              </Col>
              {repair && <FaultPlaceFields customer={picked} addressRef={addressRef} onPlaced={() => focusNext(() => contentRef.current)} />}
            </Row>
            <Form.Item name="content" label={t('demand.content')} rules={[required, { max: 4000 }]}>
              <Input.TextArea ref={contentRef} rows={4} maxLength={4000} showCount placeholder={t('intake.contentPlaceholder')} data-testid="demand-content" />
            </Form.Item>
            <Row gutter={16}>
              <Col xs={24} md={8}>
                <Form.Item name="channel" label={t('demand.channel')} rules={[required]}>
                  <Select
                    showSearch={typedSearch}
                    data-testid="demand-channel"
                    options={CHANNELS.map((c) => ({ value: c, label: labels.channel(c), search: c }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name="priority" label={t('demand.priority')} tooltip={t('intake.priorityHint')}>
                  <Select
                    allowClear
                    showSearch={typedSearch}
                    placeholder={t('intake.priorityAuto')}
                    data-testid="demand-priority"
                    options={PRIORITIES.map((p) => ({ value: p, label: labels.priority(p), search: p }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name="sensitive" label={t('demand.sensitive')} valuePropName="checked">
                  <Checkbox data-testid="demand-sensitive">{t('intake.sensitiveHint')}</Checkbox>
                </Form.Item>
              </Col>
            </Row>
            {joins && (
              // Said again beside the button: saving adds the call to this case, it opens no new one.
              <Alert
                style={{ marginBottom: 16 }}
                type={joins.reason === 'recent' ? 'error' : 'warning'}
                showIcon
                data-testid="repeat-warning"
                title={t('preview.joins', { number: joins.number, ordinal: joins.nextCall })}
                description={joins.reason === 'recent' ? t('intake.willReopen') : `${t('preview.joinsOpen')}${urgesOrders(joins) ? t('preview.willUrge') : ''}`}
              />
            )}
            <Space>
              <Button type="primary" htmlType="submit" loading={saving} data-testid="demand-submit">
                {joins ? t('intake.submitJoin') : t('intake.submit')}
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
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('intake.saveKeys')}
              </Typography.Text>
            </Space>
          </Form>
        </Card>
      </Col>
    </Row>
  );
}
