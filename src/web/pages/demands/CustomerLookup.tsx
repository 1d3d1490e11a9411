import { CheckCircleFilled, SearchOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Flex, Input, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { lookupCustomers, type CustomerMatch } from '../../api/demands.js';
import { useReportError } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';
import { StatusTag, useDemandLabels } from './labels.js';

const DEBOUNCE_MS = 300;
const MOBILE = /^1\d{10}$/;
const PHONE_LIKE = /^[0-9+\-() ]{3,32}$/;

/** A full mobile number is the screen pop's exact lookup; anything else is the start of a name, 户号 or phone. */
function lookupQuery(text: string): { phone: string } | { q: string } | undefined {
  const value = text.trim();
  if (MOBILE.test(value)) return { phone: value };
  // One digit matches half the city; one Chinese character is a surname worth listing.
  if (value.length === 0 || (/^\d+$/.test(value) && value.length < 3)) return undefined;
  return { q: value.slice(0, 50) };
}

export const openDemandsOf = (customer: CustomerMatch) => customer.recentDemands.filter((d) => d.status !== 'closed');

interface Props {
  initial?: string | undefined;
  picked: CustomerMatch | null;
  onPick: (customer: CustomerMatch | null) => void;
  /** An unknown caller: the number typed becomes the demand's phone. */
  onUsePhone: (phone: string) => void;
}

function Result({ customer, picked, onPick }: { customer: CustomerMatch; picked: boolean; onPick: () => void }) {
  const { t, formatTime } = useI18n();
  const labels = useDemandLabels();
  const open = openDemandsOf(customer);
  return (
    <Card
      size="small"
      hoverable
      onClick={onPick}
      data-testid="lookup-result"
      data-account={customer.accountNo}
      style={{ borderColor: picked ? '#1677ff' : undefined, background: picked ? '#f0f7ff' : undefined }}
    >
      <Flex justify="space-between" align="start" gap={8}>
        <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
          <Space size={6} wrap>
            {picked && <CheckCircleFilled style={{ color: '#1677ff' }} />}
            <Typography.Text strong>{customer.name}</Typography.Text>
            {customer.important && <Tag color="red">{t('customer.important')}</Tag>}
            <Tag>{labels.customerClass(customer.customerClass)}</Tag>
          </Space>
          <Typography.Text type="secondary">
            {t('customer.accountNo')} {customer.accountNo} · {t('customer.phone')} {customer.phone}
          </Typography.Text>
          <Typography.Text>{customer.address}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {customer.stationName} · {customer.districtName} · {customer.feederName} · {labels.areaClass(customer.areaClass)}
          </Typography.Text>
        </Space>
        <Button size="small" type={picked ? 'primary' : 'default'} data-testid="lookup-pick">
          {picked ? t('intake.picked') : t('intake.pick')}
        </Button>
      </Flex>
      {open.length > 0 && (
        <Alert
          type="warning"
          showIcon
          icon={<WarningOutlined />}
          style={{ marginTop: 8 }}
          title={t('intake.openDemands', { count: open.length })}
          data-testid="lookup-open-warning"
        />
      )}
      {customer.recentDemands.length > 0 && (
        <div style={{ marginTop: 8 }} data-testid="lookup-recent">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('intake.recentDemands')}
          </Typography.Text>
          {customer.recentDemands.map((d) => (
            <Flex key={d.id} gap={6} align="center" wrap style={{ fontSize: 12, marginTop: 2 }} onClick={(e) => e.stopPropagation()}>
              <Link to={`/demands/${d.id}`} target="_blank">
                {d.number}
              </Link>
              <span>{labels.type(d.type)}</span>
              <span>{labels.category(d.category)}</span>
              <StatusTag status={d.status} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatTime(d.createdAt)}
              </Typography.Text>
            </Flex>
          ))}
        </div>
      )}
    </Card>
  );
}

/** The screen pop: customers found as the agent types, with their open and recent demands, before anything is saved. */
export function CustomerLookup({ initial, picked, onPick, onUsePhone }: Props) {
  const { t } = useI18n();
  const report = useReportError();
  const [text, setText] = useState(initial ?? '');
  const [results, setResults] = useState<CustomerMatch[] | null>(null);
  const [loading, setLoading] = useState(false);
  // Answers can arrive out of order while the agent types: only the latest query's answer is shown.
  const latest = useRef(0);

  useEffect(() => {
    const query = lookupQuery(text);
    const mine = ++latest.current;
    if (!query) {
      setResults(null);
      setLoading(false);
      return;
    }
    setLoading(true);
    const timer = setTimeout(() => {
      lookupCustomers(query).then(
        (answer) => {
          if (mine !== latest.current) return;
          setResults(answer.items);
          setLoading(false);
        },
        (err: unknown) => {
          if (mine !== latest.current) return;
          setLoading(false);
          report(err);
        },
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, report]);

  const phone = text.trim();
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Input
        size="large"
        allowClear
        autoFocus
        prefix={<SearchOutlined />}
        suffix={loading ? <Spin size="small" /> : undefined}
        placeholder={t('intake.lookupPlaceholder')}
        value={text}
        onChange={(e) => setText(e.target.value)}
        data-testid="customer-lookup"
      />
      {results !== null && results.length === 0 && !loading && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('intake.noCustomer')}>
          {PHONE_LIKE.test(phone) && (
            <Button onClick={() => onUsePhone(phone)} data-testid="lookup-use-phone">
              {t('intake.usePhone', { phone })}
            </Button>
          )}
        </Empty>
      )}
      <div data-testid="lookup-results" style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
        {(results ?? []).map((customer) => (
          <Result key={customer.id} customer={customer} picked={picked?.id === customer.id} onPick={() => onPick(picked?.id === customer.id ? null : customer)} />
        ))}
      </div>
    </Space>
  );
}
