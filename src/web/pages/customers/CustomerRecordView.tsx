import { EditOutlined, PlusOutlined, DeleteOutlined } from '@ant-design/icons';
import { App, Alert, Button, Card, Col, Descriptions, Empty, Flex, Form, Input, List, Modal, Row, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { CONTACT_ROLES } from '../../../shared/schemas/customers.js';
import { getCustomer, listAccountManagers, setAccountManager, setContacts, type AccountManager, type CustomerRecord } from '../../api/customers.js';
import { Chart } from '../../components/Chart.js';
import { useReportError } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';
import { useLiveTick } from '../../notifications/NotificationsProvider.js';
import { useCan } from '../../session/SessionProvider.js';
import { StatusTag, useDemandLabels } from '../demands/labels.js';

// The customer record (客户视图): one view of everything about a customer,
// shared by its page (/customers/:id) and the intake's drawer.

type Demand = CustomerRecord['demands'][number];

/** A card of the record listing some of its parts, with the words it says when there are none. */
function RecordListCard<T>({
  title,
  empty,
  items,
  testId,
  renderItem,
}: {
  title: string;
  empty: string;
  items: T[];
  testId: string;
  renderItem: (item: T) => ReactNode;
}) {
  return (
    <Card size="small" title={title}>
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />
      ) : (
        <List size="small" dataSource={items} data-testid={testId} renderItem={renderItem} />
      )}
    </Card>
  );
}

export const kwhText = (n: number) => Math.round(n).toLocaleString('zh-CN');

export function CustomerRecordView({ customerId, inDrawer = false }: { customerId: number; inDrawer?: boolean }) {
  const { t } = useI18n();
  const report = useReportError();
  const [record, setRecord] = useState<CustomerRecord | null>(null);
  const [missing, setMissing] = useState(false);
  const tick = useLiveTick(['account_demand']);

  const load = useCallback(() => {
    getCustomer(customerId).then(
      (r) => {
        setRecord(r);
        setMissing(false);
      },
      (err: unknown) => {
        if ((err as { status?: number }).status === 404) setMissing(true);
        else report(err);
      },
    );
  }, [customerId, report]);
  useEffect(() => {
    setRecord(null);
    load();
  }, [load, tick]);

  if (missing) return <Alert type="warning" showIcon title={t('customer.record.notFound')} data-testid="record-missing" />;
  if (!record) return <Skeleton active paragraph={{ rows: 8 }} data-testid="record-loading" />;
  const span = inDrawer ? 24 : 12;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="customer-record" data-customer-id={record.id}>
      <RecordHeader record={record} onChanged={load} inDrawer={inDrawer} />
      <Row gutter={[16, 16]}>
        <Col span={span}>
          <ProfileCard record={record} />
        </Col>
        <Col span={span}>
          <ContactsCard record={record} onChanged={load} />
        </Col>
        <Col span={24}>
          <ConsumptionCard record={record} />
        </Col>
        <Col span={24}>
          <DemandsCard demands={record.demands} />
        </Col>
        <Col span={span}>
          <OutagesCard record={record} />
        </Col>
        <Col span={span}>
          <ApplicationsCard record={record} />
        </Col>
        <Col span={span}>
          <PlansCard record={record} />
        </Col>
        <Col span={span}>
          <ActivitiesCard record={record} />
        </Col>
      </Row>
    </Space>
  );
}

function RecordHeader({ record, onChanged, inDrawer }: { record: CustomerRecord; onChanged: () => void; inDrawer: boolean }) {
  const { t } = useI18n();
  const can = useCan();
  const labels = useDemandLabels();
  const [assigning, setAssigning] = useState(false);
  const id = record.id;
  return (
    <Card size="small">
      <Flex justify="space-between" align="start" wrap gap={12}>
        <Space orientation="vertical" size={4}>
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="record-name">
              {record.name}
            </Typography.Title>
            {record.keyAccount && (
              <Tag color="gold" data-testid="record-key-account">
                {record.keyAccountRank !== null ? t('customer.record.keyAccount', { rank: record.keyAccountRank }) : t('customer.record.keyAccountTag')}
              </Tag>
            )}
            {record.important && (
              <Tag color="red" data-testid="record-important">
                {t('customer.important')}
              </Tag>
            )}
            <Tag>{labels.customerClass(record.customerClass)}</Tag>
          </Space>
          <Typography.Text type="secondary">
            {t('customer.accountNo')} {record.accountNo} · {t('customer.phone')} {record.phone}
          </Typography.Text>
          <Space size={6} wrap data-testid="record-manager">
            <Typography.Text>{t('customer.record.manager')}：</Typography.Text>
            {record.accountManager ? (
              <Typography.Text strong>
                {record.accountManager.name}
                {record.accountManager.phone ? ` · ${record.accountManager.phone}` : ''}
              </Typography.Text>
            ) : (
              <Typography.Text type="secondary">{t('customer.record.noManager')}</Typography.Text>
            )}
            {can('customer.manage') && (
              <Button size="small" type="link" onClick={() => setAssigning(true)} data-testid="record-assign">
                {record.accountManager ? t('customer.record.change') : t('customer.record.assign')}
              </Button>
            )}
          </Space>
        </Space>
        <Space wrap>
          {can('application.manage') && <Link to={`/customers/applications?new=1&customerId=${id}`}>{t('customer.record.newApplication')}</Link>}
          {can('plan.manage') && <Link to={`/customers/plans?new=1&customerId=${id}`}>{t('customer.record.newPlan')}</Link>}
          {can('activity.log') && <Link to={`/customers/activities?log=visit&customerId=${id}`}>{t('customer.record.logVisit')}</Link>}
          {inDrawer && (
            <Link to={`/customers/${id}`} target="_blank">
              {t('customer.record.openPage')}
            </Link>
          )}
        </Space>
      </Flex>
      <AssignManagerModal
        open={assigning}
        customerId={id}
        current={record.accountManagerId}
        onClose={(changed) => {
          setAssigning(false);
          if (changed) onChanged();
        }}
      />
    </Card>
  );
}

/** Picks the account manager of a customer (or none). */
export function AssignManagerModal({
  open,
  customerId,
  current,
  onClose,
}: {
  open: boolean;
  customerId: number;
  current: number | null;
  onClose: (changed: boolean) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const [managers, setManagers] = useState<AccountManager[] | null>(null);
  const [value, setValue] = useState<number | null>(current);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (!open) return;
    setValue(current);
    listAccountManagers().then((r) => setManagers(r.items), report);
  }, [open, current, report]);
  const save = async () => {
    setSaving(true);
    try {
      await setAccountManager(customerId, value);
      void message.success(t('customer.record.assigned'));
      onClose(true);
    } catch (err) {
      report(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={open} title={t('customer.record.assign')} onCancel={() => onClose(false)} onOk={save} confirmLoading={saving} destroyOnHidden>
      <Select
        style={{ width: '100%' }}
        loading={managers === null}
        allowClear
        placeholder={t('customer.record.pickManager')}
        value={value ?? undefined}
        onChange={(v) => setValue(v ?? null)}
        options={(managers ?? []).map((m) => ({ value: m.id, label: `${m.name} · ${m.unitName}（${m.accounts}）` }))}
        data-testid="assign-select"
      />
    </Modal>
  );
}

function ProfileCard({ record }: { record: CustomerRecord }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const n = record.network;
  return (
    <Card size="small" title={t('customer.record.profile')}>
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('customer.record.address')}>{record.address}</Descriptions.Item>
        <Descriptions.Item label={t('customer.record.class')}>
          {labels.customerClass(record.customerClass)} · {labels.areaClass(record.areaClass)}
        </Descriptions.Item>
        <Descriptions.Item label={t('customer.record.messaging')}>
          {record.messaging.channel === 'email'
            ? t('customer.record.messaging.email', { email: record.messaging.email ?? '' })
            : t('customer.record.messaging.sms')}
          {record.messaging.optOut ? t('customer.record.messaging.optOut') : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('customer.record.network')}>
          <span data-testid="record-network">{[n.countyName, n.stationName, n.feederName, n.districtName].filter(Boolean).join(' · ')}</span>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

interface ContactDraft {
  name: string;
  role: (typeof CONTACT_ROLES)[number];
  phone: string;
  email?: string | null;
  note?: string | null;
}

function ContactsCard({ record, onChanged }: { record: CustomerRecord; onChanged: () => void }) {
  const { t } = useI18n();
  const can = useCan();
  const { message } = App.useApp();
  const report = useReportError();
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ contacts: ContactDraft[] }>();
  const roleOptions = CONTACT_ROLES.map((r) => ({ value: r, label: t(`customer.contactRole.${r}`) }));
  const save = async () => {
    const values = await form.validateFields();
    setSaving(true);
    try {
      await setContacts(record.id, {
        contacts: (values.contacts ?? []).map((c) => ({ name: c.name, role: c.role, phone: c.phone, email: c.email || null, note: c.note || null })),
      });
      void message.success(t('customer.record.contacts.saved'));
      setEditing(false);
      onChanged();
    } catch (err) {
      report(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card
      size="small"
      title={t('customer.record.contacts')}
      extra={
        can('customer.manage') && (
          <Button
            size="small"
            icon={<EditOutlined />}
            onClick={() => {
              form.setFieldsValue({ contacts: record.contacts.map((c) => ({ name: c.name, role: c.role, phone: c.phone, email: c.email, note: c.note })) });
              setEditing(true);
            }}
            data-testid="contacts-edit"
          >
            {t('customer.record.contacts.edit')}
          </Button>
        )
      }
    >
      {record.contacts.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customer.record.contacts.none')} />
      ) : (
        <List
          size="small"
          dataSource={record.contacts}
          data-testid="record-contacts"
          renderItem={(c) => (
            <List.Item>
              <Space wrap>
                <Typography.Text strong>{c.name}</Typography.Text>
                <Tag>{t(`customer.contactRole.${c.role}`)}</Tag>
                <span>{c.phone}</span>
                {c.email && <Typography.Text type="secondary">{c.email}</Typography.Text>}
                {c.note && <Typography.Text type="secondary">{c.note}</Typography.Text>}
              </Space>
            </List.Item>
          )}
        />
      )}
      <Modal
        open={editing}
        title={t('customer.record.contacts.edit')}
        width={760}
        onCancel={() => setEditing(false)}
        onOk={save}
        confirmLoading={saving}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.List name="contacts">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Flex key={field.key} gap={8} align="start">
                    <Form.Item name={[field.name, 'name']} label={t('customer.record.contact.name')} rules={[{ required: true }]} style={{ flex: 1 }}>
                      <Input maxLength={100} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'role']} label={t('customer.record.contact.role')} rules={[{ required: true }]} style={{ width: 140 }}>
                      <Select options={roleOptions} />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'phone']}
                      label={t('customer.record.contact.phone')}
                      rules={[{ required: true, pattern: /^[0-9+\-() ]{3,32}$/ }]}
                      style={{ width: 150 }}
                    >
                      <Input />
                    </Form.Item>
                    <Form.Item name={[field.name, 'email']} label={t('customer.record.contact.email')} rules={[{ type: 'email' }]} style={{ flex: 1 }}>
                      <Input />
                    </Form.Item>
                    <Form.Item name={[field.name, 'note']} label={t('customer.record.contact.note')} style={{ flex: 1 }}>
                      <Input />
                    </Form.Item>
                    <Button
                      icon={<DeleteOutlined />}
                      aria-label={t('customer.record.contact.remove')}
                      onClick={() => remove(field.name)}
                      style={{ marginTop: 30 }}
                    />
                  </Flex>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({ role: 'liaison' })}>
                  {t('customer.record.contact.add')}
                </Button>
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
    </Card>
  );
}

function ConsumptionCard({ record }: { record: CustomerRecord }) {
  const { t } = useI18n();
  const { months, years } = record.consumption;
  const option = useMemo(
    () => ({
      grid: { left: 70, right: 20, top: 20, bottom: 30 },
      tooltip: { trigger: 'axis' as const },
      xAxis: { type: 'category' as const, data: months.map((m) => m.month) },
      yAxis: { type: 'value' as const, name: 'kWh' },
      series: [
        { type: 'bar' as const, name: t('customer.record.consumption.series'), data: months.map((m) => Math.round(m.kwh)), itemStyle: { color: '#1677ff' } },
      ],
    }),
    [months, t],
  );
  return (
    <Card
      size="small"
      title={t('customer.record.consumption')}
      extra={
        <Space size={12} wrap>
          {years.slice(-2).map((y) => (
            <Typography.Text key={y.year} type="secondary" data-testid="record-year">
              {t('customer.record.consumption.year', { year: y.year, kwh: kwhText(y.kwh), months: y.months })}
            </Typography.Text>
          ))}
        </Space>
      }
    >
      {months.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customer.record.consumption.none')} />
      ) : (
        <Chart option={option} height={220} label={t('customer.record.consumption')} data-testid="record-consumption-chart" />
      )}
    </Card>
  );
}

function DemandsCard({ demands }: { demands: Demand[] }) {
  const { t, formatTime } = useI18n();
  const labels = useDemandLabels();
  return (
    <Card size="small" title={`${t('customer.record.demands')}（${demands.length}）`}>
      <Table<Demand>
        size="small"
        rowKey="id"
        dataSource={demands}
        pagination={demands.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customer.record.demands.none')} /> }}
        data-testid="record-demands"
        onRow={(d) => ({ 'data-number': d.number, 'data-matched': d.matchedBy }) as object}
        columns={[
          {
            title: t('customer.record.demand.number'),
            dataIndex: 'number',
            render: (_: unknown, d) => (
              <Link to={`/demands/${d.id}`} target="_blank">
                {d.number}
              </Link>
            ),
          },
          { title: t('customer.record.demand.type'), dataIndex: 'type', render: (v: string) => labels.type(v) },
          { title: t('customer.record.demand.category'), dataIndex: 'category', render: (v: string | null) => labels.category(v) },
          { title: t('customer.record.demand.status'), dataIndex: 'status', render: (v: string) => <StatusTag status={v} /> },
          { title: t('customer.record.demand.date'), dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
          {
            title: t('customer.record.demand.source'),
            dataIndex: 'matchedBy',
            render: (_: unknown, d) => (
              <Space size={4} wrap>
                {d.matchedBy === 'phone' ? (
                  <Tag color="purple" data-testid="record-by-phone">
                    {t('customer.record.byPhone')}
                  </Tag>
                ) : (
                  <Tag>{t('customer.record.byAccount')}</Tag>
                )}
                {d.caseId !== null && <Tag color="orange">{t('customer.record.joined')}</Tag>}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

function OutagesCard({ record }: { record: CustomerRecord }) {
  const { t, formatTime } = useI18n();
  return (
    <RecordListCard
      title={t('customer.record.outages')}
      empty={t('customer.record.outages.none')}
      items={record.outages}
      testId="record-outages"
      renderItem={(o) => (
        <List.Item>
          <Space orientation="vertical" size={0}>
            <Space wrap>
              <Link to={`/outages/${o.id}`}>{o.number}</Link>
              <Tag color="volcano">{t(`customer.record.outage.kind.${o.kind}` as 'customer.record.outage.kind.fault')}</Tag>
              <Tag>{t(`customer.record.outage.status.${o.status}` as 'customer.record.outage.status.restored')}</Tag>
              <Typography.Text type="secondary">{t(`customer.record.outage.scope.${o.scope}`)}</Typography.Text>
            </Space>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {o.cause} · {formatTime(o.startsAt)} → {formatTime(o.restoredAt ?? o.expectedEndAt)}
            </Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}

function ApplicationsCard({ record }: { record: CustomerRecord }) {
  const { t, tMaybe, formatTime } = useI18n();
  return (
    <RecordListCard
      title={t('customer.record.applications')}
      empty={t('customer.record.applications.none')}
      items={record.applications}
      testId="record-applications"
      renderItem={(a) => (
        <List.Item>
          <Space orientation="vertical" size={0}>
            <Space wrap>
              <Link to={`/customers/applications/${a.id}`}>{a.number}</Link>
              <Tag>{tMaybe(`customer.record.application.kind.${a.kind}`) ?? a.kind}</Tag>
              <span>
                {a.capacityKva.toLocaleString('zh-CN')} kVA · {a.voltage}
              </span>
              <Tag color={a.status === 'open' ? 'processing' : 'default'}>{tMaybe(`customer.record.application.status.${a.status}`) ?? a.status}</Tag>
              {a.late && <Tag color="red">{t('customer.record.application.late')}</Tag>}
            </Space>
            {a.stage && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('customer.record.application.stage', { stage: tMaybe(`stage.${a.stage}`) ?? a.stage })} · {formatTime(a.stageDueAt)}
              </Typography.Text>
            )}
          </Space>
        </List.Item>
      )}
    />
  );
}

function PlansCard({ record }: { record: CustomerRecord }) {
  const { t, tMaybe } = useI18n();
  return (
    <RecordListCard
      title={t('customer.record.plans')}
      empty={t('customer.record.plans.none')}
      items={record.plans}
      testId="record-plans"
      renderItem={(p) => (
        <List.Item>
          <Space orientation="vertical" size={2} style={{ width: '100%' }}>
            <Space wrap>
              <Typography.Text strong>{p.title}</Typography.Text>
              <Tag color={p.kind === 'dynamic' ? 'orange' : 'blue'}>{tMaybe(`customer.record.plan.${p.kind}`) ?? p.kind}</Tag>
              {p.segment && <Tag>{tMaybe(`customer.record.plan.segment.${p.segment}`) ?? p.segment}</Tag>}
              <Tag>{tMaybe(`customer.record.plan.status.${p.status}`) ?? p.status}</Tag>
            </Space>
            {p.reason && <Typography.Text type="secondary">{p.reason}</Typography.Text>}
            {p.actions.map((a) => (
              <Typography.Text key={a.id} style={{ fontSize: 12 }} delete={a.status === 'done'}>
                · {a.text}（{t('customer.record.plan.due', { owner: a.ownerName, date: a.dueOn })}）
              </Typography.Text>
            ))}
          </Space>
        </List.Item>
      )}
    />
  );
}

function ActivitiesCard({ record }: { record: CustomerRecord }) {
  const { t, tMaybe } = useI18n();
  return (
    <RecordListCard
      title={t('customer.record.activities')}
      empty={t('customer.record.activities.none')}
      items={record.activities}
      testId="record-activities"
      renderItem={(a) => (
        <List.Item>
          <Space orientation="vertical" size={0}>
            <Space wrap>
              <Tag color="cyan">{tMaybe(`customer.record.activity.${a.kind}`) ?? a.kind}</Tag>
              <Typography.Text strong>{a.topic}</Typography.Text>
              <Typography.Text type="secondary">{a.heldOn}</Typography.Text>
            </Space>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {a.place ? `${a.place} · ` : ''}
              {a.outcome}
            </Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}
