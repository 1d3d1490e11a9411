import { Select, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { lookupCustomers, type CustomerMatch } from '../../api/demands.js';
import { useI18n } from '../../i18n/index.js';

interface Option {
  value: number;
  label: string;
}

const labelOf = (c: Pick<CustomerMatch, 'name' | 'accountNo'>) => `${c.name}（${c.accountNo}）`;

/**
 * Picks customers by a part of their name, their 户号 or their phone (the
 * screen pop's lookup), showing name and 户号, never an internal id. One
 * customer (`value` a number) or several (`mode="multiple"`, an array).
 * `known` names customers already chosen (e.g. a form opened for a customer).
 */
export function CustomerSelect<M extends 'single' | 'multiple' = 'single'>({
  mode,
  value,
  onChange,
  known = [],
  placeholder,
  testId,
}: {
  mode?: M;
  value?: (M extends 'multiple' ? number[] : number) | undefined;
  onChange?: (value: M extends 'multiple' ? number[] : number) => void;
  known?: { id: number; name: string; accountNo: string }[];
  placeholder?: string;
  testId?: string;
}) {
  const { t } = useI18n();
  const [options, setOptions] = useState<Option[]>(known.map((c) => ({ value: c.id, label: labelOf(c) })));
  const [loading, setLoading] = useState(false);
  const seen = useRef(new Map<number, string>(known.map((c) => [c.id, labelOf(c)])));
  const asked = useRef(0);
  const [q, setQ] = useState('');

  useEffect(() => {
    const term = q.trim();
    if (term.length === 0) return;
    const ticket = ++asked.current;
    const timer = setTimeout(() => {
      setLoading(true);
      lookupCustomers({ q: term })
        .then(({ items }) => {
          if (ticket !== asked.current) return;
          for (const c of items) seen.current.set(c.id, labelOf(c));
          setOptions(items.map((c) => ({ value: c.id, label: labelOf(c) })));
        })
        .catch(() => ticket === asked.current && setOptions([]))
        .finally(() => ticket === asked.current && setLoading(false));
    }, 250);
    return () => clearTimeout(timer);
  }, [q]);

  // Chosen customers keep their label when the search moves on.
  const chosen = (Array.isArray(value) ? value : value === undefined ? [] : [value]) as number[];
  const merged = [
    ...chosen.filter((id) => !options.some((o) => o.value === id)).map((id) => ({ value: id, label: seen.current.get(id) ?? String(id) })),
    ...options,
  ];

  return (
    <Select
      data-testid={testId}
      mode={mode === 'multiple' ? 'multiple' : undefined}
      showSearch
      filterOption={false}
      value={value as never}
      onChange={onChange as never}
      onSearch={setQ}
      options={merged}
      placeholder={placeholder ?? t('customers.select.placeholder')}
      notFoundContent={loading ? <Spin size="small" /> : q.trim() ? t('customers.select.none') : t('customers.select.hint')}
      style={{ width: '100%' }}
    />
  );
}
