// Drop-downs an agent filters by typing on a live call: 故障, gzbx (the
// pinyin initials of 故障报修, typed without switching the input method),
// "repair" or the code all find 故障报修. The initials come from the
// browser's own pinyin collation (ICU), so no dictionary ships with the app:
// a Han character's initial is that of the last letter's first character
// (吖 for a, 八 for b, …) that it sorts after.

const LETTERS = 'abcdefghjklmnopqrstwxyz';
const FIRSTS = '吖八嚓咑妸发旮哈丌咔垃妈拏噢妑七呥仨他屲夕丫帀';
const HAN = /\p{Script=Han}/u;

let collator: Intl.Collator | null | undefined;
function pinyinCollator(): Intl.Collator | null {
  if (collator === undefined) {
    try {
      const c = new Intl.Collator('zh-Hans-CN-u-co-pinyin');
      // A browser without Chinese collation data sorts by code point: initials would be wrong, so none are made.
      collator = c.compare('八', '吖') > 0 && c.compare('帀', '夕') > 0 ? c : null;
    } catch {
      collator = null;
    }
  }
  return collator;
}

const initials = new Map<string, string>();

/** 故障报修 → gzbx; other characters as they are, lower-cased. */
export function pinyinInitials(text: string): string {
  const cached = initials.get(text);
  if (cached !== undefined) return cached;
  const c = pinyinCollator();
  let out = '';
  for (const ch of text) {
    if (!c || !HAN.test(ch)) {
      out += ch.toLowerCase();
      continue;
    }
    let lo = 0;
    let hi = FIRSTS.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (c.compare(ch, FIRSTS[mid]!) >= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    out += found < 0 ? ch : LETTERS[found]!;
  }
  initials.set(text, out);
  return out;
}

/** Full-width to half-width, lower case, no spaces: ＡＰＰ and app, 95598 电话 and 95598电话 are the same. */
export const normalize = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/** Whether what the agent typed finds a text: a part of it, or a part of its pinyin initials. */
export function matchesTyped(typed: string, ...texts: (string | null | undefined)[]): boolean {
  const wanted = normalize(typed);
  if (!wanted) return true;
  return texts.some((text) => {
    if (!text) return false;
    const plain = normalize(text);
    return plain.includes(wanted) || (/^[a-z0-9]+$/.test(wanted) && HAN.test(plain) && pinyinInitials(plain).includes(wanted));
  });
}

interface SearchableOption {
  value?: unknown;
  label?: unknown;
  /** Other words that find the option (its name in the other language). */
  search?: string;
}

/**
 * `showSearch` for an antd Select of labelled options, filtered the Chinese
 * way: by the label, its pinyin initials, the option's other words and its code.
 */
export const typedSearch = {
  filterOption: (input: string, option?: SearchableOption) =>
    option !== undefined &&
    matchesTyped(
      input,
      typeof option.label === 'string' ? option.label : undefined,
      option.search,
      typeof option.value === 'string' ? option.value : undefined,
    ),
} as const;
