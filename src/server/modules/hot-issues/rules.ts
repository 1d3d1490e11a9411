import { addDays, DEFAULT_TIME_ZONE, localDate, startOfLocalDate } from '../../../shared/time.js';

// Hot issues (热点): what the period's demands are about, against the period
// before — by category, by sub-category and by recurring term (jieba) — how
// far each is resolved, which terms belong together, and whether each is
// rising or falling. Plain functions over plain data; the consultation
// meeting's pack and the hot-issues report use the same computation
// (service.ts hotIssuesOf), over the rollups these functions fill
// (rollup.ts).
//
// What is counted: cases, not calls. A case is counted once, as its first
// call (its head): on that call's local day, for its unit (the unit of its
// first work order, else its responsible unit: the unit whose area it is, as
// the evaluation counts it), by the head's type (complaints, opinions,
// suggestions), category, sub-category and content. A case judged unfounded
// is not counted. A term is a word of the head's content as jieba cuts it.

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

/**
 * Words that carry no issue: function words, the channel's own vocabulary and
 * words every demand has. The default of the editable list (settings key
 * `hotIssues.stopWords`); the list is applied when the terms are read, so an
 * edit takes effect at once.
 */
export const DEFAULT_STOP_WORDS: readonly string[] = [
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
  '无法',
  '本月',
  '上月',
];

/** The longest term kept (term_rollup.term is 64 characters; longer "words" are noise: numbers, URLs). */
export const MAX_TERM_LENGTH = 32;

/** A word worth counting: two to 32 characters, not a number or punctuation. (Stop words are taken out when read.) */
export function isTermWord(word: string): boolean {
  const length = [...word].length;
  return length >= 2 && length <= MAX_TERM_LENGTH && !/^[\p{N}\p{P}\s]+$/u.test(word);
}

/** A word worth counting and not a stop word. */
export function isIssueWord(word: string, stopWords: ReadonlySet<string>): boolean {
  return isTermWord(word) && !stopWords.has(word);
}

/** The distinct terms of a content's words (jieba), in order of first use. */
export function termsOf(words: readonly string[]): string[] {
  return [...new Set(words.filter(isTermWord))];
}

/** A stop-word list as saved: trimmed, lower-cased (jieba's words are), without blanks or repeats, sorted. */
export function normaliseStopWords(words: readonly string[]): string[] {
  return [...new Set(words.map((w) => w.trim().toLowerCase()).filter((w) => w.length > 0))].sort();
}

// ── the rollups' rows ─────────────────────────────────────────────────────

/** A case as the rollups read it: its head (first call). */
export interface HotCase {
  id: number;
  number: string;
  createdAt: string;
  /** The case's unit: its first work order's, else its responsible unit. */
  unitId: number;
  category: string | null;
  subcategory: string | null;
  /** The distinct terms of its content (termsOf). */
  terms: readonly string[];
  closed: boolean;
}

/** One term_rollup row. */
export interface TermCount {
  day: string;
  unitId: number;
  term: string;
  cases: number;
  closed: number;
}

/** One hot_case_rollup row. */
export interface CaseCount {
  day: string;
  unitId: number;
  /** '' when none. */
  category: string;
  subcategory: string;
  cases: number;
  closed: number;
}

/** The rollups' rows of some cases: per local day × unit × term, and per local day × unit × category × sub-category. */
export function countCases(cases: readonly HotCase[], zone: string): { terms: TermCount[]; cases: CaseCount[] } {
  const terms = new Map<string, TermCount>();
  const totals = new Map<string, CaseCount>();
  for (const c of cases) {
    const day = localDate(c.createdAt, zone);
    const closed = c.closed ? 1 : 0;
    const caseKey = `${day}|${c.unitId}|${c.category ?? ''}|${c.subcategory ?? ''}`;
    const total = totals.get(caseKey);
    if (total) {
      total.cases++;
      total.closed += closed;
    } else totals.set(caseKey, { day, unitId: c.unitId, category: c.category ?? '', subcategory: c.subcategory ?? '', cases: 1, closed });
    for (const term of new Set(c.terms)) {
      const key = `${day}|${c.unitId}|${term}`;
      const row = terms.get(key);
      if (row) {
        row.cases++;
        row.closed += closed;
      } else terms.set(key, { day, unitId: c.unitId, term, cases: 1, closed });
    }
  }
  return { terms: [...terms.values()], cases: [...totals.values()] };
}

// ── items, trend and groups ───────────────────────────────────────────────

export const TRENDS = ['rising', 'falling', 'steady'] as const;
export type Trend = (typeof TRENDS)[number];

/**
 * Rising or falling: the count moved, against the period before, by at least
 * 2 cases and by at least a fifth of the larger of the two counts; otherwise
 * steady. A term new this period with 2 cases or more is rising; one gone
 * from 2 or more is falling. (A move of one case, or a few cases on a large
 * count, is noise.)
 */
export function trendOf(count: number, previousCount: number): Trend {
  const change = count - previousCount;
  if (Math.abs(change) < 2 || Math.abs(change) < 0.2 * Math.max(count, previousCount)) return 'steady';
  return change > 0 ? 'rising' : 'falling';
}

export interface HotExample {
  id: number;
  number: string;
}

export interface HotItem {
  key: string;
  count: number;
  previousCount: number;
  /** count − previousCount */
  change: number;
  trend: Trend;
  /** Closed ÷ count: how far the period's cases of this issue are resolved. */
  resolvedRate: number;
  /** A few of the cases, newest first, to open. */
  examples: HotExample[];
}

/** A key's cases and closed cases. */
export interface Tally {
  cases: number;
  closed: number;
}

/** Chinese names in pinyin order (电费 before 多扣), the same on every machine with ICU. */
const collator = new Intl.Collator('zh-CN');
const byName = (a: string, b: string) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

/**
 * The items of the period, most frequent first (ties: the larger rise, then
 * by name), against the counts of the period before, at most `limit`.
 */
export function rankItems(
  current: ReadonlyMap<string, Tally>,
  previous: ReadonlyMap<string, number>,
  limit: number,
  examples: (key: string) => HotExample[] = () => [],
): HotItem[] {
  return [...current.entries()]
    .filter(([, t]) => t.cases > 0)
    .map(([key, t]) => {
      const previousCount = previous.get(key) ?? 0;
      return {
        key,
        count: t.cases,
        previousCount,
        change: t.cases - previousCount,
        trend: trendOf(t.cases, previousCount),
        resolvedRate: t.cases === 0 ? 0 : t.closed / t.cases,
        examples: [] as HotExample[],
      };
    })
    .sort((a, b) => b.count - a.count || b.change - a.change || byName(a.key, b.key))
    .slice(0, limit)
    .map((item) => ({ ...item, examples: examples(item.key) }));
}

/** A case of the sample the groups are found in: its terms, newest first. */
export interface SampleCase {
  id: number;
  number: string;
  terms: readonly string[];
}

export interface TermGroup {
  /** The terms, the most frequent in the period first. */
  terms: string[];
  /** Of the sample's cases with the group's first term, the share that have another of its terms. */
  cohesion: number;
  /** Sample cases with two of its terms or more, newest first (at most five). */
  examples: HotExample[];
}

export interface GroupOptions {
  /** At least this many sample cases have both terms. */
  minTogether?: number;
  /** Both / the rarer term's cases (the overlap coefficient). */
  minOverlap?: number;
  /** Both / what chance would give (lift: both × sample ÷ (a × b)). */
  minLift?: number;
  /** The most terms in a group. */
  maxSize?: number;
}

/**
 * Terms that belong together (电压 + 灯泡 + 闪烁; 电费 + 多扣): among the
 * period's top terms, those that co-occur in the same cases far more often
 * than chance, counted over a sample of the period's cases (the newest few
 * thousand: the terms come from the rollup, exact; only the co-occurrence is
 * sampled, which bounds the work whatever the volume).
 *
 * Two terms a and b are linked when
 * - at least `minTogether` (3) sample cases have both (support), and
 * - at least half the cases of the rarer one have the other too
 *   (overlap: both ÷ min(a, b) ≥ 0.5), and
 * - they meet at least 1.5 times as often as chance would have them meet
 *   (lift: both × n ÷ (a × b) ≥ 1.5), so that a term in nearly every case
 *   (停电 in an outage month) is not linked to everything.
 * Groups are the connected terms, joined strongest link first (by overlap,
 * then support) and never beyond `maxSize` (4) terms, so a chain of weak
 * links does not swallow the list. A term stands alone when nothing links
 * it; only groups of two terms or more are returned, in the order of their
 * first term's rank.
 */
export function groupTerms(ranked: readonly string[], sample: readonly SampleCase[], options: GroupOptions = {}): TermGroup[] {
  const minTogether = options.minTogether ?? 3;
  const minOverlap = options.minOverlap ?? 0.5;
  const minLift = options.minLift ?? 1.5;
  const maxSize = options.maxSize ?? 4;
  const index = new Map(ranked.map((t, i) => [t, i]));
  const n = sample.length;
  const alone = new Array<number>(ranked.length).fill(0);
  const together = new Map<number, number>();
  const inSample = sample.map((c) =>
    [...new Set(c.terms)]
      .map((t) => index.get(t))
      .filter((i): i is number => i !== undefined)
      .sort((a, b) => a - b),
  );
  for (const terms of inSample) {
    for (const i of terms) alone[i]!++;
    for (let x = 0; x < terms.length; x++)
      for (let y = x + 1; y < terms.length; y++) {
        const key = terms[x]! * ranked.length + terms[y]!;
        together.set(key, (together.get(key) ?? 0) + 1);
      }
  }
  const links: { a: number; b: number; overlap: number; both: number }[] = [];
  for (const [key, both] of together) {
    const a = Math.floor(key / ranked.length);
    const b = key % ranked.length;
    const overlap = both / Math.min(alone[a]!, alone[b]!);
    const lift = (both * n) / (alone[a]! * alone[b]!);
    if (both >= minTogether && overlap >= minOverlap && lift >= minLift) links.push({ a, b, overlap, both });
  }
  links.sort((p, q) => q.overlap - p.overlap || q.both - p.both || p.a - q.a || p.b - q.b);
  // Union-find with the groups' sizes capped.
  const parent = ranked.map((_, i) => i);
  const size = ranked.map(() => 1);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  for (const { a, b } of links) {
    const ra = root(a);
    const rb = root(b);
    if (ra === rb || size[ra]! + size[rb]! > maxSize) continue;
    const [big, small] = ra < rb ? [ra, rb] : [rb, ra];
    parent[small] = big;
    size[big]! += size[small]!;
  }
  const members = new Map<number, number[]>();
  for (let i = 0; i < ranked.length; i++) {
    const r = root(i);
    members.set(r, [...(members.get(r) ?? []), i]);
  }
  const groups: TermGroup[] = [];
  for (const list of [...members.values()].filter((m) => m.length >= 2).sort((p, q) => p[0]! - q[0]!)) {
    const set = new Set(list);
    const lead = list[0]!;
    let withLead = 0;
    let withOther = 0;
    const examples: HotExample[] = [];
    sample.forEach((c, k) => {
      const have = inSample[k]!.filter((i) => set.has(i));
      if (have.includes(lead)) {
        withLead++;
        if (have.length >= 2) withOther++;
      }
      if (have.length >= 2 && examples.length < 5) examples.push({ id: c.id, number: c.number });
    });
    groups.push({ terms: list.map((i) => ranked[i]!), cohesion: withLead === 0 ? 0 : withOther / withLead, examples });
  }
  return groups;
}

// ── weeks ─────────────────────────────────────────────────────────────────

/**
 * The weeks of a period of local days [fromDay, toDay): Monday to Sunday,
 * the first and the last cut at the period's ends. Each: its days (to
 * exclusive).
 */
export function weeksOf(fromDay: string, toDay: string): { fromDay: string; toDay: string }[] {
  const weeks: { fromDay: string; toDay: string }[] = [];
  let start = fromDay;
  while (start < toDay) {
    const weekday = new Date(`${start}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
    const nextMonday = addDays(start, weekday === 0 ? 1 : 8 - weekday);
    const end = nextMonday < toDay ? nextMonday : toDay;
    weeks.push({ fromDay: start, toDay: end });
    start = end;
  }
  return weeks;
}

/** The days just before a run of days, as many as it has: what a week is set against. */
export function daysBefore(range: { fromDay: string; toDay: string }): { fromDay: string; toDay: string } {
  const length = Math.round((Date.parse(`${range.toDay}T00:00:00Z`) - Date.parse(`${range.fromDay}T00:00:00Z`)) / 86_400_000);
  return { fromDay: addDays(range.fromDay, -length), toDay: range.fromDay };
}

/**
 * The local days a period covers, [fromDay, toDay): the rollups count whole
 * days, so a period that starts or ends inside a day takes that whole day.
 */
export function daysOfPeriod(period: { from: string; to: string }, zone: string): { fromDay: string; toDay: string } {
  const fromDay = localDate(period.from, zone);
  const lastDay = localDate(new Date(Date.parse(period.to) - 1).toISOString(), zone);
  return { fromDay, toDay: addDays(lastDay, 1) };
}

/** A few words of a content around the first use of a term, for a list. */
export function excerptOf(content: string, term: string, around = 30): string {
  const text = content.replace(/\s+/gu, ' ').trim();
  const at = text.toLowerCase().indexOf(term.toLowerCase());
  if (at < 0 || text.length <= around * 2 + term.length) return text.length > around * 2 + term.length ? `${text.slice(0, around * 2)}…` : text;
  const start = Math.max(0, at - around);
  const end = Math.min(text.length, at + term.length + around);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}
