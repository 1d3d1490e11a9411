import { diffChars, diffLines } from 'diff';
import { emptySections, SECTION_KEYS, SECTION_NAMES, type SectionKey } from '../../../shared/sections.js';
import { addDays, DEFAULT_TIME_ZONE, localDate, startOfLocalDate } from '../../../shared/time.js';

// The knowledge base's rules (DESIGN.md, "Knowledge base"), as plain functions:
// the review workflow of a version, the yearly revision clock, the comparison of
// two versions section by section, and the snippet of a search hit.

export interface Sections {
  rule: string;
  script: string;
  reminders: string;
  documents: string;
  cases: string;
  faq: { q: string; a: string }[];
  /** 相关文件: uploaded files, by id. */
  attachments: number[];
  /** 实际案例: real demands, by number. */
  caseDemands: string[];
}

/** A version's sections as stored; versions saved before files and cases existed have none. */
export function parseSections(json: string): Sections {
  const s = JSON.parse(json) as Partial<Sections> & Pick<Sections, 'rule' | 'script'>;
  return { reminders: '', documents: '', cases: '', faq: [], ...s, attachments: s.attachments ?? [], caseDemands: s.caseDemands ?? [] };
}

/**
 * The sections a version leaves empty, with their names (the rule is
 * src/shared/sections.ts, the form's too). A version goes to review and is
 * published only with none missing.
 */
export function missingSections(s: Sections): { key: SectionKey; name: string }[] {
  return emptySections(s).map((key) => ({ key, name: SECTION_NAMES[key] }));
}

export const VERSION_STATUSES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];
export type ReviewAction = 'edit' | 'submit' | 'approve' | 'reject';

/** The status a version moves to, or why it may not. An editor never approves their own version. */
export function reviewTransition(
  status: VersionStatus,
  action: ReviewAction,
  actor: { id: number; isAuthor: boolean },
): VersionStatus | { refused: string; forbidden?: boolean } {
  switch (action) {
    case 'edit':
      // A rejected version goes back to its editor, who edits it into a draft again.
      return status === 'draft' || status === 'rejected'
        ? 'draft'
        : { refused: `a ${status} version is not edited; ${status === 'submitted' ? 'it is under review' : 'revise the article for a new version'}` };
    case 'submit':
      return status === 'draft' || status === 'rejected' ? 'submitted' : { refused: `a ${status} version is not submitted` };
    case 'approve':
    case 'reject':
      if (status !== 'submitted') return { refused: `only a submitted version is ${action === 'approve' ? 'approved' : 'rejected'} (this one is ${status})` };
      if (actor.isAuthor) return { refused: `an editor may not ${action} their own version`, forbidden: true };
      return action === 'approve' ? 'approved' : 'rejected';
  }
}

/** A published article is due for revision one year after its publication (滚动修编): the same local date next year, at the same time of day. */
export function revisionDueAt(publishedAt: string, zone: string = DEFAULT_TIME_ZONE): string {
  const date = localDate(publishedAt, zone);
  const year = String(Number(date.slice(0, 4)) + 1).padStart(4, '0');
  let due = `${year}${date.slice(4)}`;
  // 29 February publishes due on 28 February, not 1 March.
  if (date.endsWith('-02-29') && addDays(`${year}-02-28`, 1).endsWith('-03-01')) due = `${year}-02-28`;
  const sinceMidnight = Date.parse(publishedAt) - startOfLocalDate(date, zone).getTime();
  return new Date(startOfLocalDate(due, zone).getTime() + sinceMidnight).toISOString();
}

/** How long before its revision date the knowledge group hears of an article. */
export const REVISION_WARN_DAYS = 30;

/** The revision clock: overdue, or due within `warnDays` (listed for the maintenance group beforehand). */
export function revisionState(dueAt: string | null, now: Date, warnDays = REVISION_WARN_DAYS): 'none' | 'ok' | 'due_soon' | 'overdue' {
  if (!dueAt) return 'none';
  const due = Date.parse(dueAt);
  if (due <= now.getTime()) return 'overdue';
  return due - now.getTime() <= warnDays * 86_400_000 ? 'due_soon' : 'ok';
}

// ── comparing versions ─────────────────────────────────────────────────────

export interface Piece {
  op: 'same' | 'added' | 'removed';
  text: string;
}

export interface SectionDiff {
  section: SectionKey | 'title';
  changed: boolean;
  pieces: Piece[];
}

const faqText = (faq: Sections['faq']) => faq.map((f) => `问：${f.q}\n答：${f.a}`).join('\n\n');

const lines = (head: string, more: readonly string[]) => [head, ...more].filter(Boolean).join('\n');

/** A section as compared: the documents with their files' names, the cases with the demands' numbers. */
function textOf(s: Sections, key: SectionKey, fileName: (id: number) => string): string {
  if (key === 'faq') return faqText(s.faq);
  if (key === 'documents')
    return lines(
      s.documents,
      s.attachments.map((id) => `附件：${fileName(id)}`),
    );
  if (key === 'cases')
    return lines(
      s.cases,
      s.caseDemands.map((n) => `工单：${n}`),
    );
  return s[key];
}

/** Line by line, and within a changed line character by character: Chinese has no spaces to split words on. */
function pieces(before: string, after: string): Piece[] {
  const short = before.length + after.length < 2000 && !before.includes('\n') && !after.includes('\n');
  const parts = short ? diffChars(before, after) : diffLines(before, after);
  return parts.map((p) => ({ op: p.added ? 'added' : p.removed ? 'removed' : 'same', text: p.value }));
}

/** The two versions compared: the title and each of the six sections (a file by its name, a case by its demand's number). */
export function compareVersions(
  a: { title: string; sections: Sections },
  b: { title: string; sections: Sections },
  fileName: (id: number) => string = (id) => `#${id}`,
): SectionDiff[] {
  const out: SectionDiff[] = [{ section: 'title', changed: a.title !== b.title, pieces: pieces(a.title, b.title) }];
  for (const key of SECTION_KEYS) {
    const before = textOf(a.sections, key, fileName);
    const after = textOf(b.sections, key, fileName);
    out.push({ section: key, changed: before !== after, pieces: pieces(before, after) });
  }
  return out;
}

// ── search hits ────────────────────────────────────────────────────────────

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * A window of `text` around the first of `words` found, HTML-escaped, every
 * occurrence of the words wrapped in <em>: safe to show as HTML.
 */
export function snippet(text: string, words: readonly string[], width = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const lower = flat.toLowerCase();
  const wanted = [...new Set(words.map((w) => w.toLowerCase()).filter(Boolean))].sort((x, y) => y.length - x.length);
  const first = Math.min(...wanted.map((w) => lower.indexOf(w)).filter((i) => i >= 0), Number.POSITIVE_INFINITY);
  const start = first === Number.POSITIVE_INFINITY ? 0 : Math.max(0, first - Math.floor(width / 3));
  const end = Math.min(flat.length, start + width);
  const window = flat.slice(start, end);
  const windowLower = lower.slice(start, end);
  let html = '';
  for (let i = 0; i < window.length;) {
    const hit = wanted.find((w) => windowLower.startsWith(w, i));
    if (hit) {
      html += `<em>${escapeHtml(window.slice(i, i + hit.length))}</em>`;
      i += hit.length;
    } else {
      html += escapeHtml(window[i]!);
      i++;
    }
  }
  return `${start > 0 ? '…' : ''}${html}${end < flat.length ? '…' : ''}`;
}

/** A caller's everyday words and the words the articles use for them (editable: GET/PUT /api/knowledge/synonyms). */
export interface Synonym {
  phrase: string;
  words: string;
}

/** Words of a query that say nothing of the matter on their own. */
const QUERY_FILLER = new Set([
  '了',
  '的',
  '吗',
  '呢',
  '啊',
  '吧',
  '很',
  '也',
  '都',
  '我',
  '你',
  '他',
  '我家',
  '家里',
  '家中',
  '请问',
  '怎么办',
  '怎么',
  '一下',
]);

/**
 * The words to search for what a caller says: the everyday phrases replaced
 * by the articles' words (the longest phrase first), cut into words as the
 * index is (`segment`), and the filler dropped (all of it only when nothing
 * else is left). "家里没电了" searches 停电.
 */
export function searchWords(text: string, synonyms: readonly Synonym[], segment: (text: string) => string[]): string[] {
  let said = text;
  for (const s of [...synonyms].sort((a, b) => b.phrase.length - a.phrase.length))
    if (s.phrase && said.includes(s.phrase)) said = said.replaceAll(s.phrase, ` ${s.words} `);
  const words = [...new Set(segment(said))];
  const meaningful = words.filter((w) => !QUERY_FILLER.has(w));
  return meaningful.length > 0 ? meaningful : words;
}
