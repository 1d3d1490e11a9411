import { SearchOutlined } from '@ant-design/icons';
import { Card, Empty, Input, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { lookupCustomers, type CustomerMatch } from '../../api/demands.js';
import { useReportError } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';
import { useDemandLabels } from '../demands/labels.js';

/** 客户查询: a customer by name, 户号 or phone → the list → the record. */
export default function SearchPage() {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const report = useReportError();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const [items, setItems] = useState<CustomerMatch[] | null>(null);
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);

  useEffect(() => {
    const q = text.trim();
    const mine = ++latest.current;
    if (q.length === 0 || (/^\d+$/.test(q) && q.length < 3)) {
      setItems(null);
      return;
    }
    setLoading(true);
    const timer = setTimeout(() => {
      lookupCustomers(/^1\d{10}$/.test(q) ? { phone: q } : { q: q.slice(0, 50) }).then(
        (r) => {
          if (mine !== latest.current) return;
          setItems(r.items);
          setLoading(false);
        },
        (err: unknown) => {
          setLoading(false);
          report(err);
        },
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [text, report]);

  return (
    <Card title={t('customers.search.title')}>
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Input
          size="large"
          allowClear
          autoFocus
          prefix={<SearchOutlined />}
          placeholder={t('customers.select.placeholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onPressEnter={() => {
            if (items && items.length > 0) navigate(`/customers/${items[0]!.id}`);
          }}
          data-testid="customer-search"
        />
        <Typography.Text type="secondary">{t('customers.search.hint')}</Typography.Text>
        <Table<CustomerMatch>
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={items ?? []}
          pagination={false}
          data-testid="customer-search-results"
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={items === null ? t('customers.search.start') : t('customers.search.none')} />,
          }}
          columns={[
            { title: t('customers.col.name'), dataIndex: 'name', render: (_: unknown, c) => <Link to={`/customers/${c.id}`}>{c.name}</Link> },
            { title: t('customer.accountNo'), dataIndex: 'accountNo' },
            { title: t('customer.phone'), dataIndex: 'phone' },
            { title: t('customers.col.address'), dataIndex: 'address', ellipsis: true },
            {
              title: t('customers.col.tags'),
              key: 'tags',
              render: (_: unknown, c) => (
                <Space size={4} wrap>
                  <Tag>{labels.customerClass(c.customerClass)}</Tag>
                  {c.important && <Tag color="red">{t('customer.important')}</Tag>}
                </Space>
              ),
            },
          ]}
        />
      </Space>
    </Card>
  );
}
