import { DEFAULT_TIME_ZONE, localDate, startOfLocalDate } from '../../../shared/time.js';

// Hot issues (热点): what the period's demands are about, against the period
// before — by category, by sub-category and by recurring word (jieba) — and
// how far each is resolved. Plain functions over plain data; the consultation
// meeting's pack and the hot-issues report use the same computation.

/** The local date `months` calendar months before a date on the 1st of a month. */
function monthsBefore(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/**
 * The period a period is set against. A period of whole months (local
 * midnights on the 1st) is set against the same number of calendar months
 * before it: November against October, all 31 days of it; a quarter against
 * the quarter before. Any other period against the same length of time just
 * before it.
 */
export function previousPeriod(period: { from: string; to: string }, zone: string = DEFAULT_TIME_ZONE): { from: string; to: string } {
  const from = localDate(period.from, zone);
  const to = localDate(period.to, zone);
  const isFirstOfMonth = (date: string, instant: string) => date.endsWith('-01') && startOfLocalDate(date, zone).getTime() === Date.parse(instant);
  if (isFirstOfMonth(from, period.from) && isFirstOfMonth(to, period.to)) {
    const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + (Number(to.slice(5, 7)) - Number(from.slice(5, 7)));
    if (months > 0) return { from: startOfLocalDate(monthsBefore(from, months), zone).toISOString(), to: new Date(period.from).toISOString() };
  }
  const length = Date.parse(period.to) - Date.parse(period.from);
  return { from: new Date(Date.parse(period.from) - length).toISOString(), to: new Date(period.from).toISOString() };
}

export interface HotDemand {
  id: number;
  caseId: number;
  number: string;
  category: string | null;
  subcategory: string | null;
  /** The content's words (jieba), as segmented. */
  words: readonly string[];
  closed: boolean;
}

export interface HotItem {
  key: string;
  count: number;
  previousCount: number;
  /** count − previousCount */
  change: number;
  /** Closed ÷ count: how far the period's demands of this issue are resolved. */
  resolvedRate: number;
  /** A few of the demands, newest first, to open from the pack. */
  examples: HotExample[];
}

export interface HotExample {
  id: number;
  number: string;
}

/**
 * Words that carry no issue: function words, the channel's own vocabulary and
 * words every demand has. The hot-issues report will make the list editable.
 */
export const DEFAULT_STOP_WORDS: ReadonlySet<string> = new Set([
  '客户',
  '用户',
  '反映',
  '来电',
  '表示',
  '要求',
  '希望',
  '问题',
  '情况',
  '处理',
  '进行',
  '已经',
  '没有',
  '一直',
  '现在',
  '目前',
  '今天',
  '昨天',
  '多次',
  '自己',
  '我们',
  '他们',
  '你们',
  '这个',
  '那个',
  '什么',
  '怎么',
  '为什么',
  '因为',
  '所以',
  '但是',
  '而且',
  '还是',
  '或者',
  '如果',
  '可以',
  '不能',
  '需要',
  '知道',
  '时候',
  '一个',
  '一下',
  '这样',
  '那样',
  '这里',
  '那里',
  '的话',
  '请求',
  '咨询',
  '投诉',
  '意见',
  '建议',
  '供电',
  '电力',
  '公司',
  '家里',
  '小区',
  '附近',
  '地址',
  '电话',
]);

/** A word worth counting: two or more characters, not a number, not a stop word. */
export function isIssueWord(word: string, stopWords: ReadonlySet<string>): boolean {
  return [...word].length >= 2 && !/^[\p{N}\p{P}\s]+$/u.test(word) && !stopWords.has(word);
}

function tally(demands: readonly HotDemand[], keysOf: (d: HotDemand) => readonly string[]) {
  const counts = new Map<string, { count: number; closed: number; examples: HotExample[] }>();
  for (const d of demands) {
    for (const key of new Set(keysOf(d))) {
      const entry = counts.get(key) ?? { count: 0, closed: 0, examples: [] };
      entry.count++;
      if (d.closed) entry.closed++;
      if (entry.examples.length < 5) entry.examples.push({ id: d.id, number: d.number });
      counts.set(key, entry);
    }
  }
  return counts;
}

/** One demand per case: a customer's seven calls about one matter are one issue, not seven. */
export function oncePerCase(demands: readonly HotDemand[]): HotDemand[] {
  const seen = new Set<number>();
  return demands.filter((d) => !seen.has(d.caseId) && seen.add(d.caseId));
}

/** The issues of `current` by the keys each demand has, against `previous`, the most frequent first. */
export function hotItems(current: readonly HotDemand[], previous: readonly HotDemand[], keysOf: (d: HotDemand) => readonly string[], limit: number): HotItem[] {
  const now = tally(oncePerCase(current), keysOf);
  const before = tally(oncePerCase(previous), keysOf);
  return [...now.entries()]
    .map(([key, e]) => {
      const previousCount = before.get(key)?.count ?? 0;
      return {
        key,
        count: e.count,
        previousCount,
        change: e.count - previousCount,
        resolvedRate: e.count === 0 ? 0 : e.closed / e.count,
        examples: e.examples,
      };
    })
    .sort((a, b) => b.count - a.count || b.change - a.change || (a.key < b.key ? -1 : 1))
    .slice(0, limit);
}

export interface HotIssues {
  total: number;
  previousTotal: number;
  categories: HotItem[];
  subcategories: HotItem[];
  terms: HotItem[];
}

export function hotIssues(
  current: readonly HotDemand[],
  previous: readonly HotDemand[],
  options: { stopWords?: ReadonlySet<string>; terms?: number } = {},
): HotIssues {
  const stop = options.stopWords ?? DEFAULT_STOP_WORDS;
  return {
    total: oncePerCase(current).length,
    previousTotal: oncePerCase(previous).length,
    categories: hotItems(current, previous, (d) => (d.category ? [d.category] : []), 10),
    subcategories: hotItems(current, previous, (d) => (d.subcategory ? [d.subcategory] : []), 20),
    terms: hotItems(current, previous, (d) => d.words.filter((w) => isIssueWord(w, stop)), options.terms ?? 20),
  };
}
