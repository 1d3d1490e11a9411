import type { Dayjs } from 'dayjs';
import type { District, Feeder } from '../../api/outages.js';
import type { Translate } from '../../i18n/index.js';

// What the announce form says before anything is saved: the customers the
// scope cuts, its places in words and the notice the template would give. The
// server computes the same on saving (its count and its notice are the ones
// kept); these are the preview.

/** The customers of the feeders picked, and of the 台区 picked on other feeders. */
export function scopeCustomers(
  feeders: readonly Feeder[],
  districts: readonly District[],
  feederIds: readonly number[],
  districtIds: readonly number[],
): number {
  const whole = new Set(feederIds);
  const onFeeders = feeders.filter((f) => whole.has(f.id)).reduce((n, f) => n + f.customers, 0);
  const chosen = new Set(districtIds);
  const onDistricts = districts.filter((d) => chosen.has(d.id) && !whole.has(d.feederId)).reduce((n, d) => n + d.customers, 0);
  return onFeeders + onDistricts;
}

/** The places as the notice names them: 10kV 城关一回线供电区域、城关2号线3号台区 (five at most, then 等 N 处). */
export function areaWords(feeders: readonly Feeder[], districts: readonly District[], feederIds: readonly number[], districtIds: readonly number[]): string {
  const names = [
    ...feeders.filter((f) => feederIds.includes(f.id)).map((f) => `${f.name}供电区域`),
    ...districts.filter((d) => districtIds.includes(d.id)).map((d) => d.name),
  ];
  return names.slice(0, 5).join('、') + (names.length > 5 ? `等${names.length}处` : '');
}

/** 12月14日 08:00: how a notice says a moment (the picker's value is the company's wall clock). */
const noticeTime = (value: Dayjs) => `${value.month() + 1}月${value.date()}日 ${value.format('HH:mm')}`;

/** The kind's template with what is known so far. */
export function noticePreview(template: string, facts: { area: string; start: Dayjs; end: Dayjs; cause: string; number: string }): string {
  const words: Record<string, string> = {
    area: facts.area,
    start: noticeTime(facts.start),
    end: noticeTime(facts.end),
    cause: facts.cause,
    number: facts.number,
  };
  return template.replace(/\{(area|start|end|cause|number)\}/g, (_, key: string) => words[key] ?? '');
}

/** A notice lead in words: 7 天, 24 小时. */
export function leadWords(hours: number, t: Translate): string {
  return hours % 24 === 0 && hours >= 48 ? t('outage.lead.days', { days: hours / 24 }) : t('outage.lead.hours', { hours });
}
