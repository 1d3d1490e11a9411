import { CheckCircleFilled, SearchOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Drawer, Empty, Flex, Input, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Link } from 'react-router-dom';
import { lookupCustomers, type CustomerMatch } from '../../api/demands.js';
import { useReportError } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';
import { StatusTag, useDemandLabels } from './labels.js';
import { CustomerRecordView } from '../customers/CustomerRecordView.js';

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
  /** What is typed, as it is typed: the page previews the caller's cases by a full number before anyone is picked. */
  onTextChange?: (text: string) => void;
  /** Enter made its choice (a customer, or the number): the call goes on to the next field. */
  onChosen?: () => void;
  /** A whole number that no customer has: offered as the caller's before anyone asks. */
  onUnknownPhone?: (phone: string) => void;
}

/** A full number as a caller's: a mobile, or a landline with its area code. */
export const isFullPhone = (text: string) => MOBILE.test(text.trim()) || /^0\d{2,3}-?\d{7,8}$/.test(text.trim());

function Result({
  customer,
  picked,
  active,
  onPick,
  onOpenRecord,
}: {
  customer: CustomerMatch;
  picked: boolean;
  active: boolean;
  onPick: () => void;
  /** The customer record in a drawer (Alt+V), the intake form kept as it is. */
  onOpenRecord: () => void;
}) {
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
      data-active={active}
      style={{
        borderColor: picked || active ? '#1677ff' : undefined,
        background: picked ? '#f0f7ff' : undefined,
        boxShadow: active && !picked ? '0 0 0 2px rgba(22,119,255,0.2)' : undefined,
      }}
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
        <Space orientation="vertical" size={4} align="end">
          <Button size="small" type={picked ? 'primary' : 'default'} data-testid="lookup-pick">
            {picked ? t('intake.picked') : t('intake.pick')}
          </Button>
          <Button
            size="small"
            type="link"
            title={t('customer.record.openHint')}
            aria-keyshortcuts="Alt+V"
            onClick={(e) => {
              e.stopPropagation();
              onOpenRecord();
            }}
            data-testid="lookup-open-record"
          >
            {t('customer.record.open')} (Alt+V)
          </Button>
        </Space>
      </Flex>
      {/* Once picked, the caller's cases are shown below by case (the calls of one case counted once): not here by call. */}
      {!picked && open.length > 0 && (
        <Alert
          type="warning"
          showIcon
          icon={<WarningOutlined />}
          style={{ marginTop: 8 }}
          title={t('intake.openDemands', { count: open.length })}
          data-testid="lookup-open-warning"
        />
      )}
      {!picked && customer.recentDemands.length > 0 && (
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
              {d.callCount > 1 && (
                <Typography.Text type="warning" style={{ fontSize: 12 }} data-testid="lookup-case-calls">
                  {t('intake.caseCalls', { count: d.callCount })}
                </Typography.Text>
              )}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatTime(d.lastCallAt)}
              </Typography.Text>
            </Flex>
          ))}
        </div>
      )}
    </Card>
  );
}

/**
 * The screen pop: customers found as the agent types, with their open and
 * recent demands, before anything is saved. From the keyboard: ↓ ↑ move
 * among the matches, Enter picks one (the first by default), or, when none
 * matches, takes the number typed as the caller's.
 */
export function CustomerLookup({ initial, picked, onPick, onUsePhone, onTextChange, onChosen, onUnknownPhone }: Props) {
  const { t } = useI18n();
  const report = useReportError();
  const [text, setText] = useState(initial ?? '');
  const [results, setResults] = useState<CustomerMatch[] | null>(null);
  /** The text the results answer. */
  const [resultsFor, setResultsFor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [active, setActive] = useState(0);
  /** The customer whose record is open in the drawer. */
  const [recordOf, setRecordOf] = useState<number | null>(null);
  // Answers can arrive out of order while the agent types: only the latest query's answer is shown.
  const latest = useRef(0);
  // Enter pressed before the answer came: it is acted on when it comes.
  const enterPending = useRef(false);

  const choose = (found: CustomerMatch[] | null, typed: string, index: number) => {
    const phone = typed.trim();
    const customer = found?.[Math.min(index, found.length - 1)];
    if (customer) {
      if (picked?.id !== customer.id) onPick(customer);
    } else if (PHONE_LIKE.test(phone)) {
      onUsePhone(phone);
    } else return;
    onChosen?.();
  };
  // The answer may come after the page re-rendered: it acts through this render's callbacks, not the query's.
  const latestCallbacks = useRef({ choose, onTextChange, onUnknownPhone });
  latestCallbacks.current = { choose, onTextChange, onUnknownPhone };

  useEffect(() => {
    latestCallbacks.current.onTextChange?.(text);
    const query = lookupQuery(text);
    const mine = ++latest.current;
    if (!query) {
      setResults(null);
      setResultsFor(null);
      setLoading(false);
      return;
    }
    setLoading(true);
    const timer = setTimeout(() => {
      lookupCustomers(query).then(
        (answer) => {
          if (mine !== latest.current) return;
          setResults(answer.items);
          setResultsFor(text);
          setActive(0);
          setLoading(false);
          if (answer.items.length === 0 && isFullPhone(text)) latestCallbacks.current.onUnknownPhone?.(text.trim());
          if (enterPending.current) {
            enterPending.current = false;
            latestCallbacks.current.choose(answer.items, text, 0);
          }
        },
        (err: unknown) => {
          if (mine !== latest.current) return;
          enterPending.current = false;
          setLoading(false);
          report(err);
        },
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, report]);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!results || results.length === 0) return;
      e.preventDefault();
      setActive((i) => (e.key === 'ArrowDown' ? Math.min(i + 1, results.length - 1) : Math.max(i - 1, 0)));
      return;
    }
    if (e.key !== 'Enter' || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    if (loading || resultsFor !== text) {
      // Typed and Enter at once, as agents do: the choice waits for the answer.
      if (lookupQuery(text)) enterPending.current = true;
      else choose(null, text, 0);
      return;
    }
    choose(results, text, active);
  };

  // Alt+V: the record of the customer picked (or the one highlighted) in a drawer; the half-typed form stays as it is.
  const recordTarget = picked?.id ?? results?.[Math.min(active, results.length - 1)]?.id ?? null;
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || (e.code !== 'KeyV' && e.key.toLowerCase() !== 'v')) return;
      if (recordTarget === null) return;
      e.preventDefault();
      setRecordOf((open) => (open === null ? recordTarget : null));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [recordTarget]);

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
        onChange={(e) => {
          enterPending.current = false;
          setText(e.target.value);
        }}
        onKeyDown={onKeyDown}
        data-testid="customer-lookup"
      />
      {results !== null && results.length === 0 && !loading && (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={PHONE_LIKE.test(phone) ? t('intake.noCustomerPhone') : t('intake.noCustomer')}
          style={{ margin: 0 }}
          data-testid="lookup-none"
        >
          {PHONE_LIKE.test(phone) && (
            <Button onClick={() => onUsePhone(phone)} data-testid="lookup-use-phone">
              {t('intake.usePhone', { phone })}
            </Button>
          )}
        </Empty>
      )}
      <div data-testid="lookup-results" style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
        {(results ?? []).map((customer, i) => (
          <Result
            key={customer.id}
            customer={customer}
            picked={picked?.id === customer.id}
            active={results !== null && results.length > 1 && i === active}
            onPick={() => onPick(picked?.id === customer.id ? null : customer)}
            onOpenRecord={() => setRecordOf(customer.id)}
          />
        ))}
      </div>
      {results !== null && results.length > 0 && !picked && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('intake.lookupKeys')}
        </Typography.Text>
      )}
      <Drawer open={recordOf !== null} onClose={() => setRecordOf(null)} title={t('customer.record.title')} size={1000} data-testid="record-drawer">
        {recordOf !== null && <CustomerRecordView customerId={recordOf} inDrawer />}
      </Drawer>
    </Space>
  );
}
