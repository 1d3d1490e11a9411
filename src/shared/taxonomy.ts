import type { Channel, DemandCategory, DemandType } from './codes.js';

// The demand taxonomy as data: the types of the seeds (plus State Grid's service
// request), the four analysed categories, and the sub-categories each type
// offers (the five State Grid complaint classes among them). Labels are in both
// languages here, beside the codes, so that adding a class is one edit of data
// and never a hunt through the pages. The codes themselves are API.md's.

export interface Label {
  'zh-CN': string;
  en: string;
}

export interface Subcategory {
  code: string;
  label: Label;
}

export interface TypeEntry {
  code: DemandType;
  label: Label;
  /** Offered first when the type is picked: a repair is almost always about the supply. */
  defaultCategory?: DemandCategory;
  /** The sub-categories valid for the type; none when the type has no finer classes. */
  subcategories: readonly Subcategory[];
  /** The type must carry one of its sub-categories (a complaint is always of one of the five classes). */
  subcategoryRequired?: boolean;
}

const sub = (code: string, zh: string, en: string): Subcategory => ({ code, label: { 'zh-CN': zh, en } });

export const COMPLAINT_CLASSES: readonly Subcategory[] = [
  sub('service_complaint', '服务投诉', 'Service complaint'),
  sub('business_complaint', '营业投诉', 'Business complaint'),
  sub('outage_complaint', '停送电投诉', 'Outage complaint'),
  sub('quality_complaint', '供电质量投诉', 'Supply quality complaint'),
  sub('construction_complaint', '电网建设投诉', 'Grid construction complaint'),
];

export const SERVICE_REQUESTS: readonly Subcategory[] = [
  sub('reconnection', '复电', 'Reconnection'),
  sub('meter_check', '计量装置校验', 'Meter check'),
  sub('damaged_appliance', '家电损坏', 'Damaged appliance'),
];

export const BUSINESS_REQUESTS: readonly Subcategory[] = [
  sub('new_connection_residential', '居民新装', 'New connection, residential'),
  sub('new_connection_low_voltage', '低压非居民新装', 'New connection, low-voltage non-residential'),
  sub('new_connection_hv_single', '高压单电源新装', 'New connection, high voltage, single supply'),
  sub('new_connection_hv_double', '高压双电源新装', 'New connection, high voltage, double supply'),
];

export const DEMAND_TYPE_TAXONOMY: readonly TypeEntry[] = [
  { code: 'fault_repair', label: { 'zh-CN': '故障报修', en: 'Fault repair' }, defaultCategory: 'outage_voltage', subcategories: [] },
  { code: 'consultation', label: { 'zh-CN': '咨询查询', en: 'Consultation' }, subcategories: [] },
  { code: 'complaint', label: { 'zh-CN': '投诉', en: 'Complaint' }, subcategories: COMPLAINT_CLASSES, subcategoryRequired: true },
  { code: 'opinion', label: { 'zh-CN': '意见', en: 'Opinion' }, subcategories: [] },
  { code: 'suggestion', label: { 'zh-CN': '建议', en: 'Suggestion' }, subcategories: [] },
  { code: 'report', label: { 'zh-CN': '举报', en: 'Report' }, subcategories: [] },
  { code: 'praise', label: { 'zh-CN': '表扬', en: 'Praise' }, subcategories: [] },
  { code: 'business', label: { 'zh-CN': '业务办理', en: 'Business request' }, subcategories: BUSINESS_REQUESTS },
  { code: 'service_request', label: { 'zh-CN': '服务申请', en: 'Service request' }, subcategories: SERVICE_REQUESTS },
];

export const DEMAND_CATEGORY_TAXONOMY: readonly { code: DemandCategory; label: Label }[] = [
  { code: 'outage_voltage', label: { 'zh-CN': '停电与电压质量', en: 'Outage & voltage quality' } },
  { code: 'supply_service', label: { 'zh-CN': '供电服务', en: 'Supply service' } },
  { code: 'supply_safety', label: { 'zh-CN': '供电安全', en: 'Supply safety' } },
  { code: 'grid_construction', label: { 'zh-CN': '电网建设', en: 'Grid construction' } },
];

const TYPES = new Map(DEMAND_TYPE_TAXONOMY.map((entry) => [entry.code, entry]));
const CATEGORIES = new Map(DEMAND_CATEGORY_TAXONOMY.map((entry) => [entry.code, entry]));
const SUBCATEGORIES = new Map(DEMAND_TYPE_TAXONOMY.flatMap((entry) => entry.subcategories.map((s) => [s.code, s] as const)));

export const typeEntry = (type: string): TypeEntry | undefined => TYPES.get(type as DemandType);
export const subcategoriesOf = (type: string | undefined): readonly Subcategory[] => (type ? (TYPES.get(type as DemandType)?.subcategories ?? []) : []);

/** Labels of codes that may be newer than this file (old records, other clients) fall back to the code itself. */
export type Lang = keyof Label;
export const typeLabel = (type: string, lang: Lang): string => TYPES.get(type as DemandType)?.label[lang] ?? type;
export const categoryLabel = (category: string, lang: Lang): string => CATEGORIES.get(category as DemandCategory)?.label[lang] ?? category;
export const subcategoryLabel = (code: string, lang: Lang): string => SUBCATEGORIES.get(code)?.label[lang] ?? code;

/** The channels in Chinese, for what the server writes (workbooks); the web's dictionary says the same. */
export const CHANNEL_WORDS: Record<Channel, string> = {
  phone: '95598电话',
  letter: '信函',
  email: '电子邮件',
  web: '网站',
  app: '掌上电力App',
  sms: '短信',
  weibo: '微博',
  wechat: '微信',
  hall: '营业厅',
  province: '省公司转办',
  media: '媒体',
};
