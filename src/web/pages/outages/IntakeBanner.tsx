import { CheckCircleOutlined, InfoCircleOutlined, ThunderboltFilled } from '@ant-design/icons';
import { Alert, Checkbox, Flex, Spin, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api/client.js';
import type { CreateDemandBody } from '../../api/demands.js';
import { outagesAffecting, type Affecting, type Outage } from '../../api/outages.js';
import { isOutageCall } from '../../../shared/schemas/outages.js';
import { useI18n } from '../../i18n/index.js';
import { useCan } from '../../session/SessionProvider.js';
import { useShortTime } from '../demands/labels.js';
import { KindTag, OutageWhen, useOutageLabels } from './labels.js';

// The intake's outage banner: as soon as the caller is known (the number, the
// customer picked, a fault's place), the outages over them are on screen
// before the agent types a word, with what to tell the caller. A repair or an
// outage consultation saved meanwhile is linked to the outage (a 子单 of its
// 主单, with no dispatch of its own) unless the agent says it is not about it
// (Alt+N, or the box on the banner): the body then carries `outageId: null`.

const DEBOUNCE_MS = 250;

export interface CallerPlace {
  customerId?: number | undefined;
  phone?: string | undefined;
  districtId?: number | undefined;
  feederId?: number | undefined;
}

type State = { key: string | undefined; data: Affecting | undefined; loading: boolean; failed: boolean };

function useAffecting(place: CallerPlace | null): State {
  const key = place ? JSON.stringify(place) : undefined;
  const [state, setState] = useState<State>({ key: undefined, data: undefined, loading: false, failed: false });
  const latest = useRef(0);
  useEffect(() => {
    const mine = ++latest.current;
    if (key === undefined) {
      setState({ key: undefined, data: undefined, loading: false, failed: false });
      return;
    }
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      outagesAffecting(JSON.parse(key) as CallerPlace).then(
        (data) => mine === latest.current && setState({ key, data, loading: false, failed: false }),
        // On a live call a failed look-up is said quietly on the banner, not in a toast over the form.
        () => mine === latest.current && setState({ key, data: undefined, loading: false, failed: true }),
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key]);
  return state;
}

/** Whether a save refused the outage named (it ended meanwhile): the call is then saved without naming one. */
const refusedOutage = (err: unknown) => err instanceof ApiError && err.status === 400 && (err.issues ?? []).some((i) => i.path.split('.').includes('outageId'));

export interface IntakeOutage {
  banner: ReactNode;
  /** Alt+N: the call is not about the outage on screen (and again: it is). */
  onKeyDown: (e: { altKey: boolean; code: string; preventDefault: () => void }) => boolean;
  /** Saves with the outage link the banner shows; an outage that ended meanwhile is left for the server to judge. */
  save: <T>(body: CreateDemandBody, send: (body: CreateDemandBody) => Promise<T>) => Promise<T>;
}

export function useIntakeOutage({
  place,
  type,
  category,
  joining,
}: {
  place: CallerPlace | null;
  type: string | undefined;
  category: string | undefined;
  /** The case the call would join (its number): a repeat call goes with its case, not onto the outage by itself. */
  joining: string | null;
}): IntakeOutage {
  const can = useCan();
  const allowed = can('outage.read');
  const state = useAffecting(allowed ? place : null);
  const [notAbout, setNotAbout] = useState(false);
  const current = state.key !== undefined && state.key === (place ? JSON.stringify(place) : undefined) ? state.data : undefined;
  const linked = current?.active[0];
  // Another caller, another answer: the box starts unticked for each.
  useEffect(() => setNotAbout(false), [linked?.id]);
  const linkable = isOutageCall({ type, category });

  const onKeyDown = useCallback(
    (e: { altKey: boolean; code: string; preventDefault: () => void }) => {
      if (!e.altKey || e.code !== 'KeyN' || !linked) return false;
      e.preventDefault();
      setNotAbout((v) => !v);
      return true;
    },
    [linked],
  );

  const save = async <T,>(body: CreateDemandBody, send: (body: CreateDemandBody) => Promise<T>): Promise<T> => {
    if (!linked || !isOutageCall(body)) return send(body);
    if (notAbout) return send({ ...body, outageId: null });
    try {
      return await send({ ...body, outageId: linked.id });
    } catch (err) {
      if (refusedOutage(err)) return send(body);
      throw err;
    }
  };

  const banner =
    !allowed || !place ? null : (
      <Banner
        state={state}
        current={current}
        linked={linked}
        linkable={linkable}
        typeChosen={Boolean(type)}
        joining={joining}
        notAbout={notAbout}
        onNotAbout={setNotAbout}
      />
    );
  return { banner, onKeyDown, save };
}

function OutageLine({ outage }: { outage: Outage }) {
  const { t } = useI18n();
  const shortTime = useShortTime();
  return (
    <Flex vertical gap={2}>
      <span data-testid="outage-banner-cause">
        <Typography.Text type="secondary">{t('common.pair', { label: t('outage.cause'), value: '' })}</Typography.Text>
        <Typography.Text strong>{outage.cause}</Typography.Text>
      </span>
      <span>
        <Typography.Text type="secondary">{t('common.pair', { label: t('intakeOutage.expected'), value: '' })}</Typography.Text>
        <Typography.Text strong data-testid="outage-banner-end">
          {shortTime(outage.expectedEndAt)}
        </Typography.Text>{' '}
        <OutageWhen outage={outage} />
      </span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('intakeOutage.scope', { area: outage.area, customers: outage.affectedCustomers.toLocaleString(), calls: outage.calls })}
      </Typography.Text>
    </Flex>
  );
}

interface BannerProps {
  state: State;
  current: Affecting | undefined;
  linked: Outage | undefined;
  linkable: boolean;
  typeChosen: boolean;
  joining: string | null;
  notAbout: boolean;
  onNotAbout: (value: boolean) => void;
}

function Banner({ state, current, linked, linkable, typeChosen, joining, notAbout, onNotAbout }: BannerProps) {
  const { t } = useI18n();
  const labels = useOutageLabels();
  const shortTime = useShortTime();
  if (!current) {
    if (state.failed && !state.loading)
      return (
        <Typography.Text type="warning" style={{ fontSize: 12 }} data-testid="outage-banner-failed">
          {t('intakeOutage.failed')}
        </Typography.Text>
      );
    return (
      <Flex gap={8} align="center" data-testid="outage-banner-loading">
        <Spin size="small" />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('intakeOutage.checking')}
        </Typography.Text>
      </Flex>
    );
  }
  const upcoming = current.upcoming.slice(0, 3);
  // Announced for later: said quietly, one line each, under what matters now.
  const quiet = upcoming.length > 0 && (
    <Alert
      type="info"
      showIcon
      icon={<InfoCircleOutlined />}
      style={{ padding: '6px 12px', fontSize: 13 }}
      data-testid="outage-banner-upcoming"
      title={
        <Flex vertical gap={2}>
          <Typography.Text style={{ fontSize: 13 }}>{t('intakeOutage.upcoming', { count: current.upcoming.length })}</Typography.Text>
          {upcoming.map((o) => (
            <span key={o.id} data-number={o.number} style={{ fontSize: 12 }}>
              <KindTag kind={o.kind} />
              <Link to={`/outages/${o.id}`} target="_blank">
                {o.number}
              </Link>{' '}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('intakeOutage.upcomingLine', { start: shortTime(o.startsAt), end: shortTime(o.expectedEndAt), cause: o.cause })}
              </Typography.Text>
            </span>
          ))}
        </Flex>
      }
    />
  );
  if (!linked)
    return (
      <Flex vertical gap={8}>
        <Flex gap={6} align="center" data-testid="outage-banner-none">
          <CheckCircleOutlined style={{ color: '#52c41a' }} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('intakeOutage.none')}
          </Typography.Text>
        </Flex>
        {quiet}
      </Flex>
    );

  const linkState = !typeChosen ? 'pending' : !linkable ? 'no-link' : joining ? 'joins' : notAbout ? 'not-about' : 'will-link';
  const role = linked.masterDemandId === null ? t('outage.master') : t('outage.child');
  const linkWords: Record<string, ReactNode> = {
    pending: <Typography.Text>{t('intakeOutage.willLinkIf')}</Typography.Text>,
    'will-link': (
      <Typography.Text strong style={{ color: '#237804' }}>
        <CheckCircleOutlined /> {t('intakeOutage.willLink', { role, number: linked.number })}
      </Typography.Text>
    ),
    'not-about': <Typography.Text type="warning">{t('intakeOutage.notAboutSaid')}</Typography.Text>,
    'no-link': <Typography.Text type="secondary">{t('intakeOutage.noLinkType')}</Typography.Text>,
    joins: <Typography.Text type="secondary">{t('intakeOutage.joinsCase', { number: joining ?? '' })}</Typography.Text>,
  };
  const others = current.active.slice(1);
  return (
    <Flex vertical gap={8}>
      <Alert
        type="error"
        showIcon
        icon={<ThunderboltFilled />}
        data-testid="outage-banner"
        data-number={linked.number}
        data-link={linkState}
        style={{ borderWidth: 2 }}
        title={
          <Flex gap={8} align="center" wrap>
            <span style={{ fontSize: 16, fontWeight: 600 }}>{t('intakeOutage.title', { kind: labels.kind(linked.kind) })}</span>
            <Link to={`/outages/${linked.id}`} target="_blank" style={{ fontSize: 16, fontWeight: 600 }} data-testid="outage-banner-number">
              {linked.number}
            </Link>
          </Flex>
        }
        description={
          <Flex vertical gap={6}>
            <OutageLine outage={linked} />
            <Typography.Text style={{ background: 'rgba(255,255,255,0.7)', padding: '4px 8px', borderRadius: 4 }} data-testid="outage-banner-script">
              {t('intakeOutage.script', { cause: linked.cause, time: shortTime(linked.expectedEndAt) })}
            </Typography.Text>
            {others.map((o) => (
              <Typography.Text key={o.id} type="secondary" style={{ fontSize: 12 }}>
                {t('intakeOutage.alsoActive', { number: o.number, kind: labels.kind(o.kind), cause: o.cause })}
              </Typography.Text>
            ))}
            <Flex justify="space-between" align="center" gap={8} wrap>
              <span data-testid="outage-banner-link">{linkWords[linkState]}</span>
              {(linkState === 'pending' || linkState === 'will-link' || linkState === 'not-about') && (
                <Checkbox checked={notAbout} onChange={(e) => onNotAbout(e.target.checked)} data-testid="outage-not-about">
                  {t('intakeOutage.notAbout')}
                </Checkbox>
              )}
            </Flex>
          </Flex>
        }
      />
      {quiet}
    </Flex>
  );
}
