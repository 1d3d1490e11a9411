import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCNLocale from 'antd/locale/zh_CN';
// antd's date pickers take month and weekday names from dayjs, which must have the locale loaded.
import 'dayjs/locale/zh-cn';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { canonicalTimeZone, DEFAULT_TIME_ZONE } from '../../shared/time.js';
import { enAudit } from './audit.en.js';
import { zhCNAudit } from './audit.zh-CN.js';
import { en } from './en.js';
import { enEvaluation } from './evaluation.en.js';
import { zhCNEvaluation } from './evaluation.zh-CN.js';
import { enApplications } from './applications.en.js';
import { zhCNApplications } from './applications.zh-CN.js';
import { enCustomers } from './customers.en.js';
import { zhCNCustomers } from './customers.zh-CN.js';
import { enOutages } from './outages.en.js';
import { zhCNOutages } from './outages.zh-CN.js';
import { enRelations } from './relations.en.js';
import { zhCNRelations } from './relations.zh-CN.js';
import { enSecurity } from './security.en.js';
import { zhCNSecurity } from './security.zh-CN.js';
import { enSupervision } from './supervision.en.js';
import { zhCNSupervision } from './supervision.zh-CN.js';
import { enDashboards } from './dashboards.en.js';
import { zhCNDashboards } from './dashboards.zh-CN.js';
import { enHot } from './hot.en.js';
import { zhCNHot } from './hot.zh-CN.js';
import { enReports } from './reports.en.js';
import { zhCNReports } from './reports.zh-CN.js';
import { enSatisfaction } from './satisfaction.en.js';
import { zhCNSatisfaction } from './satisfaction.zh-CN.js';
import { zhCN, type MessageKey as CoreKey } from './zh-CN.js';

export type Lang = 'zh-CN' | 'en';

// An area whose words live in a dictionary of its own, registered here beside the core one.
// Its keys must not meet the core's: one would silently hide the other.
type EvaluationKey = keyof typeof zhCNEvaluation;
type SupervisionKey = keyof typeof zhCNSupervision;
type AuditKey = keyof typeof zhCNAudit;
type SecurityKey = keyof typeof zhCNSecurity;
type OutagesKey = keyof typeof zhCNOutages;
type CustomersKey = keyof typeof zhCNCustomers;
type ApplicationsKey = keyof typeof zhCNApplications;
type RelationsKey = keyof typeof zhCNRelations;
type ReportsKey = keyof typeof zhCNReports;
type HotKey = keyof typeof zhCNHot;
type SatisfactionKey = keyof typeof zhCNSatisfaction;
type DashboardsKey = keyof typeof zhCNDashboards;
type Issue17 = CustomersKey | ApplicationsKey | RelationsKey;
type Before = CoreKey | EvaluationKey | SupervisionKey | AuditKey | SecurityKey | OutagesKey;
type Overlap =
  | (CoreKey & EvaluationKey)
  | (CoreKey & SupervisionKey)
  | (EvaluationKey & SupervisionKey)
  | (AuditKey & (CoreKey | EvaluationKey | SupervisionKey))
  | (SecurityKey & (CoreKey | EvaluationKey | SupervisionKey | AuditKey))
  | (OutagesKey & (CoreKey | EvaluationKey | SupervisionKey | AuditKey | SecurityKey))
  | (CustomersKey & Before)
  | (ApplicationsKey & (Before | CustomersKey))
  | (RelationsKey & (Before | CustomersKey | ApplicationsKey))
  | (ReportsKey & (Before | Issue17))
  | (HotKey & (Before | Issue17 | ReportsKey))
  | (SatisfactionKey & (Before | Issue17 | ReportsKey | HotKey))
  | (DashboardsKey & (Before | Issue17 | ReportsKey | HotKey | SatisfactionKey));
const disjoint: [Overlap] extends [never] ? true : never = true;
void disjoint;

export type MessageKey = Before | Issue17 | ReportsKey | HotKey | SatisfactionKey | DashboardsKey;
type Messages = { readonly [K in MessageKey]: string };

const DICTIONARIES: Record<Lang, Messages> = {
  'zh-CN': {
    ...zhCN,
    ...zhCNEvaluation,
    ...zhCNSupervision,
    ...zhCNAudit,
    ...zhCNSecurity,
    ...zhCNOutages,
    ...zhCNCustomers,
    ...zhCNApplications,
    ...zhCNRelations,
    ...zhCNReports,
    ...zhCNHot,
    ...zhCNSatisfaction,
    ...zhCNDashboards,
  },
  en: {
    ...en,
    ...enEvaluation,
    ...enSupervision,
    ...enAudit,
    ...enSecurity,
    ...enOutages,
    ...enCustomers,
    ...enApplications,
    ...enRelations,
    ...enReports,
    ...enHot,
    ...enSatisfaction,
    ...enDashboards,
  },
};
const ANTD_LOCALES = { 'zh-CN': zhCNLocale, en: enUS } as const;
const STORAGE_KEY = 'suqiu.lang';
const ZONE_KEY = 'suqiu.timeZone';

function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    // storage can be disabled (private mode, policies): Chinese stays the default
    return 'zh-CN';
  }
}

/** The company's zone as the server last named it (the sign-in page comes before GET /api/me). */
function storedTimeZone(): string {
  try {
    return canonicalTimeZone(localStorage.getItem(ZONE_KEY) ?? '') ?? DEFAULT_TIME_ZONE;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
  /** For codes that come from the server and may be newer than this dictionary. */
  tMaybe: (key: string) => string | undefined;
  /** Date and time in the company's zone, never the browser's. */
  formatTime: (iso: string | null | undefined) => string;
  /** The company's time zone (IANA), as GET /api/me names it: every date and time shown is its. */
  timeZone: string;
  setTimeZone: (zone: string) => void;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(storedLang);
  const [timeZone, setTimeZoneState] = useState<string>(storedTimeZone);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = DICTIONARIES[lang]['app.title'];
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not persisted, but still switched for this page
    }
    setLangState(next);
  }, []);

  const setTimeZone = useCallback((zone: string) => {
    // A zone this browser's Intl does not know leaves the one in use.
    const known = canonicalTimeZone(zone);
    if (!known) return;
    try {
      localStorage.setItem(ZONE_KEY, known);
    } catch {
      // not remembered for the next sign-in page, but used now
    }
    setTimeZoneState(known);
  }, []);

  const value = useMemo<I18n>(() => {
    const messages = DICTIONARIES[lang];
    const t: Translate = (key, vars) => {
      const text = messages[key];
      return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : text;
    };
    const tMaybe = (key: string) => (Object.hasOwn(messages, key) ? messages[key as MessageKey] : undefined);
    const formatter = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium', timeZone });
    const formatTime = (iso: string | null | undefined) => {
      if (!iso) return messages['common.none'];
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : formatter.format(date);
    };
    return { lang, setLang, t, tMaybe, formatTime, timeZone, setTimeZone };
  }, [lang, setLang, timeZone, setTimeZone]);

  return (
    <I18nContext.Provider value={value}>
      <ConfigProvider locale={ANTD_LOCALES[lang]}>
        <AntApp>{children}</AntApp>
      </ConfigProvider>
    </I18nContext.Provider>
  );
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}
