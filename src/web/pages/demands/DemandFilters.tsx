import { Button, Checkbox, Form, Input, Select, Space } from 'antd';
import { useEffect } from 'react';
import { CHANNELS, DEMAND_CATEGORIES } from '../../../shared/codes.js';
import { DEMAND_STATUSES } from './codes.js';
import { DEMAND_TYPE_TAXONOMY } from '../../../shared/taxonomy.js';
import type { DemandQuery } from '../../api/demands.js';
import { useI18n } from '../../i18n/index.js';
import { useDemandLabels } from './labels.js';
import { typedSearch } from './pinyin.js';

// The list's filters live in the address, so that a filtered list can be
// bookmarked, shared, and come back unchanged after opening a demand.

const TEXT_KEYS = ['status', 'type', 'category', 'channel', 'number', 'phone', 'accountNo', 'q'] as const;
const FLAG_KEYS = ['overdue', 'escalated', 'repeated'] as const;
type Flag = (typeof FLAG_KEYS)[number];

export type Filters = Pick<DemandQuery, (typeof TEXT_KEYS)[number]> & Partial<Record<Flag, 'true'>>;

export function filtersFrom(params: URLSearchParams): Filters {
  const filters: Record<string, string> = {};
  for (const key of TEXT_KEYS) {
    const value = params.get(key)?.trim();
    if (value) filters[key] = value;
  }
  for (const key of FLAG_KEYS) if (params.get(key) === 'true') filters[key] = 'true';
  return filters as Filters;
}

interface Values {
  status?: string;
  type?: string;
  category?: string;
  channel?: string;
  number?: string;
  phone?: string;
  accountNo?: string;
  q?: string;
  flags?: Flag[];
}

const toValues = (filters: Filters): Values => ({ ...filters, flags: FLAG_KEYS.filter((key) => filters[key] === 'true') });

function toFilters(values: Values): Filters {
  const out: Record<string, string> = {};
  for (const key of TEXT_KEYS) {
    const value = values[key]?.trim();
    if (value) out[key] = value;
  }
  for (const flag of values.flags ?? []) out[flag] = 'true';
  return out as Filters;
}

export function DemandFilters({ value, onChange }: { value: Filters; onChange: (filters: Filters) => void }) {
  const { t, lang } = useI18n();
  const labels = useDemandLabels();
  const [form] = Form.useForm<Values>();

  // The address is the truth: going back in history refills the form.
  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(toValues(value));
  }, [value, form]);

  const select = (name: keyof Values, placeholder: string, options: { value: string; label: string }[]) => (
    <Form.Item name={name} style={{ marginBottom: 8 }}>
      <Select allowClear showSearch={typedSearch} placeholder={placeholder} options={options} style={{ width: 150 }} data-testid={`filter-${name}`} />
    </Form.Item>
  );

  return (
    <Form<Values>
      form={form}
      layout="inline"
      onFinish={(values) => onChange(toFilters(values))}
      data-testid="demand-filters"
      style={{ marginBottom: 8, rowGap: 0 }}
    >
      {select(
        'status',
        t('common.status'),
        DEMAND_STATUSES.map((s) => ({ value: s, label: labels.status(s) })),
      )}
      {select(
        'type',
        t('demand.type'),
        DEMAND_TYPE_TAXONOMY.map((e) => ({ value: e.code, label: e.label[lang] })),
      )}
      {select(
        'category',
        t('demand.category'),
        DEMAND_CATEGORIES.map((c) => ({ value: c, label: labels.category(c) })),
      )}
      {select(
        'channel',
        t('demand.channel'),
        CHANNELS.map((c) => ({ value: c, label: labels.channel(c) })),
      )}
      <Form.Item name="number" rules={[{ pattern: /^\d{13}$/, message: t('filter.numberInvalid') }]} style={{ marginBottom: 8 }}>
        <Input allowClear placeholder={t('demand.number')} style={{ width: 160 }} data-testid="filter-number" />
      </Form.Item>
      <Form.Item name="phone" rules={[{ pattern: /^[0-9+\-() ]{3,32}$/, message: t('intake.phoneInvalid') }]} style={{ marginBottom: 8 }}>
        <Input allowClear placeholder={t('customer.phone')} style={{ width: 140 }} data-testid="filter-phone" />
      </Form.Item>
      <Form.Item name="accountNo" rules={[{ pattern: /^[0-9A-Za-z-]{4,32}$/, message: t('filter.accountInvalid') }]} style={{ marginBottom: 8 }}>
        <Input allowClear placeholder={t('customer.accountNo')} style={{ width: 140 }} data-testid="filter-account" />
      </Form.Item>
      <Form.Item name="q" style={{ marginBottom: 8 }}>
        <Input allowClear placeholder={t('filter.text')} style={{ width: 180 }} maxLength={100} data-testid="filter-text" />
      </Form.Item>
      <Form.Item name="flags" style={{ marginBottom: 8 }}>
        <Checkbox.Group options={FLAG_KEYS.map((flag) => ({ value: flag, label: t(`filter.${flag}`) }))} data-testid="filter-flags" />
      </Form.Item>
      <Form.Item style={{ marginBottom: 8 }}>
        <Space>
          <Button type="primary" htmlType="submit" data-testid="filter-apply">
            {t('filter.apply')}
          </Button>
          <Button onClick={() => onChange({})} data-testid="filter-reset">
            {t('filter.reset')}
          </Button>
        </Space>
      </Form.Item>
    </Form>
  );
}
