import { Alert, App, Col, Form, Input, Radio, Row, Select, Skeleton, Statistic, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef } from 'react';
import { OUTAGE_KINDS } from '../../../shared/schemas/outages.js';
import { announceOutage, listDistricts, listFeeders, type OutageDetail, type OutageKind, type OutageRules } from '../../api/outages.js';
import { FormModal } from '../../components/FormModal.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useSpanText } from '../demands/countdown.js';
import { typedSearch } from '../demands/pinyin.js';
import { useOutageLabels } from './labels.js';
import { areaWords, leadWords, noticePreview, scopeCustomers } from './scope.js';
import { isoOf, OutageTimeItem, wallClockSoon } from './times.js';

// 发布停电: the kind, what it cuts (whole feeders, or single 台区 of others),
// when, why, and the notice. Whether the notice is late for its kind is said
// while the start is picked, from the server's rules (planned 7 days ahead,
// maintenance 24 h); a late one needs its reason, which is kept and reported.

interface Values {
  kind: OutageKind;
  feederIds?: number[];
  districtIds?: number[];
  startsAt: Dayjs;
  expectedEndAt: Dayjs;
  cause: string;
  notice?: string;
  lateNoticeReason?: string;
}

/** A start that gives the kind's notice with a day to spare, at 08:00; a fault starts now. */
function defaultTimes(kind: OutageKind, rules: OutageRules | undefined, zone: string): Pick<Values, 'startsAt' | 'expectedEndAt'> {
  if (kind === 'fault') {
    const start = wallClockSoon(zone, 0, 5).subtract(5, 'minute');
    return { startsAt: start, expectedEndAt: start.add(2, 'hour') };
  }
  const leadHours = rules?.noticeLeadHours[kind] ?? 0;
  const start = wallClockSoon(zone, (leadHours + 24) * 60)
    .hour(8)
    .minute(0);
  return { startsAt: start, expectedEndAt: start.add(8, 'hour') };
}

export function AnnounceModal({
  open,
  rules,
  onClose,
  onDone,
}: {
  open: boolean;
  rules: OutageRules | undefined;
  onClose: () => void;
  onDone: (o: OutageDetail) => void;
}) {
  const { t, timeZone } = useI18n();
  const { message } = App.useApp();
  const labels = useOutageLabels();
  const span = useSpanText();
  const [form] = Form.useForm<Values>();
  const lastStart = useRef<Dayjs | undefined>(undefined);
  const network = useLoad(() => (open ? Promise.all([listFeeders(), listDistricts()]) : Promise.resolve(undefined)), open ? 'open' : 'closed');
  const [feeders, districts] = network.data ?? [[], []];

  const kind = Form.useWatch('kind', form) ?? 'planned';
  const feederIds = Form.useWatch('feederIds', form);
  const districtIds = Form.useWatch('districtIds', form);
  const startsAt = Form.useWatch('startsAt', form);
  const expectedEndAt = Form.useWatch('expectedEndAt', form);
  const cause = Form.useWatch('cause', form);
  const notice = Form.useWatch('notice', form);

  useEffect(() => {
    if (!open) return;
    const times = defaultTimes('planned', rules, timeZone);
    form.resetFields();
    form.setFieldsValue({ kind: 'planned', feederIds: [], districtIds: [], cause: '', notice: undefined, lateNoticeReason: undefined, ...times });
    lastStart.current = times.startsAt;
  }, [open, form, rules, timeZone]);

  const picked = useMemo(() => new Set(feederIds ?? []), [feederIds]);
  // A 台区 of a feeder cut whole is cut already: it is not offered, and dropped if it was picked before.
  useEffect(() => {
    const kept = (form.getFieldValue('districtIds') as number[] | undefined)?.filter((id) => !picked.has(districts.find((d) => d.id === id)?.feederId ?? -1));
    if (kept && kept.length !== (form.getFieldValue('districtIds') as number[]).length) form.setFieldValue('districtIds', kept);
  }, [picked, districts, form]);

  const affected = scopeCustomers(feeders, districts, feederIds ?? [], districtIds ?? []);
  const leadHours = rules?.noticeLeadHours[kind] ?? 0;
  const startIso = startsAt ? isoOf(startsAt, timeZone) : undefined;
  const ahead = startIso ? Date.parse(startIso) - Date.now() : Infinity;
  const late = leadHours > 0 && ahead < leadHours * 3_600_000;
  const area = areaWords(feeders, districts, feederIds ?? [], districtIds ?? []);
  const preview =
    rules && startsAt && expectedEndAt
      ? noticePreview(rules.templates[kind], {
          area: area || t('announce.areaPending'),
          start: startsAt,
          end: expectedEndAt,
          cause: cause?.trim() || t('announce.causePending'),
          number: t('announce.numberPending'),
        })
      : '';

  const onValuesChange = (changed: Partial<Values>, all: Values) => {
    // A new kind brings its own default times, unless the user already picked them.
    if (changed.kind && !form.isFieldTouched('startsAt') && !form.isFieldTouched('expectedEndAt'))
      form.setFieldsValue(defaultTimes(changed.kind, rules, timeZone));
    // A start moved keeps the outage as long as it was: its end moves with it.
    if (changed.startsAt && lastStart.current && all.expectedEndAt)
      form.setFieldValue('expectedEndAt', changed.startsAt.add(all.expectedEndAt.diff(lastStart.current), 'millisecond'));
    lastStart.current = form.getFieldValue('startsAt') as Dayjs | undefined;
  };

  const submit = async (values: Values) => {
    const notice = values.notice?.trim();
    const outage = await announceOutage({
      kind: values.kind,
      ...(values.feederIds?.length && { feederIds: values.feederIds }),
      ...(values.districtIds?.length && { districtIds: values.districtIds }),
      startsAt: isoOf(values.startsAt, timeZone),
      expectedEndAt: isoOf(values.expectedEndAt, timeZone),
      cause: values.cause.trim(),
      ...(notice && { notice }),
      ...(late && values.lateNoticeReason?.trim() && { lateNoticeReason: values.lateNoticeReason.trim() }),
    });
    void message.success(t('announce.done', { number: outage.number, count: outage.affectedCustomers.toLocaleString() }));
    onDone(outage);
  };

  const feederOptions = useMemo(() => {
    const byUnit = new Map<string, { label: string; value: number; search: string }[]>();
    for (const f of feeders)
      byUnit.set(f.unitName, [
        ...(byUnit.get(f.unitName) ?? []),
        { value: f.id, label: `${f.name} · ${t('outage.households', { count: f.customers })}`, search: `${f.name} ${f.unitName}` },
      ]);
    return [...byUnit].map(([unit, options]) => ({ label: unit, title: unit, options }));
  }, [feeders, t]);
  const districtOptions = useMemo(() => {
    const names = new Map(feeders.map((f) => [f.id, f.name]));
    const byFeeder = new Map<number, { label: string; value: number; search: string }[]>();
    for (const d of districts) {
      if (picked.has(d.feederId)) continue;
      const feeder = names.get(d.feederId) ?? '';
      byFeeder.set(d.feederId, [
        ...(byFeeder.get(d.feederId) ?? []),
        { value: d.id, label: `${d.name} · ${t('outage.households', { count: d.customers })}`, search: `${d.name} ${feeder}` },
      ]);
    }
    return [...byFeeder].map(([id, options]) => ({ label: names.get(id) ?? String(id), title: names.get(id), options }));
  }, [feeders, districts, picked, t]);
  // Typed as agents type elsewhere: a part of the name, or its pinyin initials (cg: 城关); a group's heading is never a match.
  const search = {
    filterOption: (input: string, option?: { label?: unknown; search?: string; options?: unknown }) =>
      !option?.options && typedSearch.filterOption(input, option),
  };

  return (
    <FormModal<Values>
      form={form}
      open={open}
      width={780}
      title={t('announce.title')}
      okText={t('announce.submit')}
      onCancel={onClose}
      onSubmit={submit}
      onValuesChange={onValuesChange}
      testId="announce-form"
    >
      {network.error ? (
        <LoadError error={network.error} onRetry={network.reload} />
      ) : !network.data ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : (
        <>
          <Form.Item name="kind" label={t('outage.kindLabel')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={OUTAGE_KINDS.map((k) => ({ value: k, label: labels.kind(k) }))}
              data-testid="announce-kind"
            />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} md={18}>
              <Form.Item name="feederIds" label={t('announce.feeders')} extra={t('announce.feedersHint')}>
                <Select
                  mode="multiple"
                  allowClear
                  showSearch={search}
                  options={feederOptions}
                  placeholder={t('announce.feedersPlaceholder')}
                  data-testid="announce-feeders"
                />
              </Form.Item>
              <Form.Item name="districtIds" label={t('announce.districts')} extra={t('announce.districtsHint')}>
                <Select
                  mode="multiple"
                  allowClear
                  showSearch={search}
                  options={districtOptions}
                  placeholder={t('announce.districtsPlaceholder')}
                  data-testid="announce-districts"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Statistic
                title={t('announce.affected')}
                value={affected}
                suffix={t('outage.householdUnit')}
                style={{ marginTop: 30, padding: '8px 12px', background: affected > 0 ? '#fff7e6' : '#fafafa', borderRadius: 8 }}
                data-testid="announce-affected"
                data-count={affected}
              />
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <OutageTimeItem name="startsAt" label={t('outage.start')} testId="announce-start" allowPast={kind === 'fault'} />
            </Col>
            <Col xs={24} md={12}>
              <OutageTimeItem
                name="expectedEndAt"
                label={t('outage.expectedEnd')}
                testId="announce-end"
                after={startsAt}
                message={t('announce.endAfterStart')}
              />
            </Col>
          </Row>
          {late && (
            <>
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                data-testid="announce-late"
                title={t('announce.lateTitle', { kind: labels.kind(kind), lead: leadWords(leadHours, t) })}
                description={ahead > 0 ? t('announce.lateAhead', { span: span(ahead) }) : t('announce.lateStarted')}
              />
              <Form.Item
                name="lateNoticeReason"
                label={t('outage.lateReason')}
                rules={[{ required: true, whitespace: true, message: t('announce.lateReasonRequired') }]}
              >
                <Input.TextArea rows={2} maxLength={500} showCount placeholder={t('announce.lateReasonPlaceholder')} data-testid="announce-late-reason" />
              </Form.Item>
            </>
          )}
          <Form.Item name="cause" label={t('outage.cause')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
            <Input maxLength={300} placeholder={t('announce.causePlaceholder')} data-testid="announce-cause" />
          </Form.Item>
          <Form.Item name="notice" label={t('outage.notice')} style={{ marginBottom: 8 }}>
            <Input.TextArea rows={3} maxLength={1000} placeholder={t('announce.noticePlaceholder')} data-testid="announce-notice" />
          </Form.Item>
          {preview && !notice?.trim() && (
            <div
              style={{ background: '#fafafa', border: '1px dashed #d9d9d9', borderRadius: 6, padding: '6px 10px', marginBottom: 12 }}
              data-testid="announce-preview"
            >
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('announce.noticeTemplate')}
              </Typography.Text>
              <Typography.Paragraph style={{ margin: 0, fontSize: 13 }}>{preview}</Typography.Paragraph>
            </div>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('announce.willTell', { count: affected.toLocaleString() })}
          </Typography.Text>
        </>
      )}
    </FormModal>
  );
}
