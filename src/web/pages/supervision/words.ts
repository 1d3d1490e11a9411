import { useMemo } from 'react';
import type { SupervisedCase } from '../../api/supervision.js';
import { useI18n } from '../../i18n/index.js';
import { useDemandLabels } from '../demands/labels.js';

// The supervision page's words and groups: how long a step is overdue, why a
// case was refused, and which unit a case is with now.

/** 1 小时 20 分, 2 天 3 小时, 35 分: what a lead reads at a glance (minutes under an hour, no minutes past a day). */
export function useSpan(): (minutes: number) => string {
  const { t } = useI18n();
  return useMemo(
    () => (minutes: number) => {
      const days = Math.floor(minutes / 1440);
      const hours = Math.floor((minutes % 1440) / 60);
      if (days > 0) return t('supervision.span.days', { days, hours });
      if (hours > 0) return t('supervision.span.hours', { hours, minutes: minutes % 60 });
      return t('supervision.span.minutes', { minutes });
    },
    [t],
  );
}

/**
 * A refusal in the user's words. The bulk answer carries the server's message
 * (English, for the API's users); the refusals a lead meets every day are put
 * in words here, and anything else is shown as the server said it.
 */
export function useRefusalReason(): (reason: string) => string {
  const { t } = useI18n();
  const labels = useDemandLabels();
  return useMemo(() => {
    const rules: [RegExp, (m: RegExpMatchArray) => string][] = [
      [/only a case with a work order out is urged \(the demand is (\w+)\)/, (m) => t('supervision.reason.notDispatched', { status: labels.status(m[1]!) })],
      [/has no open work order to urge/, () => t('supervision.reason.noOpenOrder')],
      [/only an open case is reassigned \(the demand is (\w+)\)/, (m) => t('supervision.reason.notOpen', { status: labels.status(m[1]!) })],
      [/the case is already with (.+)$/, (m) => t('supervision.reason.alreadyWith', { unit: m[1]! })],
      [/this call is part of the case (\S+?):/, (m) => t('supervision.reason.partOfCase', { number: m[1]! })],
      [/changed by someone else/, () => t('supervision.reason.stale')],
      [/^demand not found$/, () => t('supervision.reason.notFound')],
    ];
    return (reason: string) => {
      for (const [pattern, words] of rules) {
        const match = reason.match(pattern);
        if (match) return words(match);
      }
      return reason;
    };
  }, [t, labels]);
}

/**
 * The unit a case is with now: the unit of its open work order, or while none
 * is out, its responsible unit. After 改派 the case's responsible unit stays
 * as it was, but the lead follows the unit that holds the order.
 */
export const holderOf = (c: SupervisedCase): { id: number; name: string } =>
  c.orders[0] ? { id: c.orders[0].unitId, name: c.orders[0].unitName } : { id: c.unitId, name: c.unitName };

/** The levels' colours, as the level tags show them: grey for a case only overdue, then gold, orange, red. */
export const LEVEL_COLORS = ['#8c8c8c', '#faad14', '#fa8c16', '#f5222d'];

export type GroupBy = 'unit' | 'level';

export interface CaseGroup {
  key: string;
  /** The unit's name, or the level (0..3). */
  unitName?: string;
  level?: number;
  items: SupervisedCase[];
}

/** The cases by the unit that holds them (most cases first) or by level (highest first); the server's order within a group. */
export function groupCases(items: readonly SupervisedCase[], by: GroupBy): CaseGroup[] {
  const groups = new Map<string, CaseGroup>();
  for (const c of items) {
    const holder = holderOf(c);
    const key = by === 'unit' ? `unit-${holder.id}` : `level-${c.escalationLevel}`;
    const group = groups.get(key) ?? (by === 'unit' ? { key, unitName: holder.name, items: [] } : { key, level: c.escalationLevel, items: [] });
    group.items.push(c);
    groups.set(key, group);
  }
  const list = [...groups.values()];
  return by === 'unit'
    ? list.sort((a, b) => b.items.length - a.items.length || a.unitName!.localeCompare(b.unitName!, 'zh-CN'))
    : list.sort((a, b) => b.level! - a.level!);
}
