import ExcelJS from 'exceljs';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { DEMAND_CATEGORY_TAXONOMY } from '../../../shared/taxonomy.js';
import type { Issue } from '../../platform/errors.js';
import { CELL_MAX_CHARS, cellText, packCells, readWorkbook, workbookBytes, type CellValue, type ReadOptions } from '../../platform/xlsx.js';
import { SECTION_KEYS, type SectionKey } from '../../../shared/sections.js';
import type { Sections } from './rules.js';

// Moving knowledge in and out (issue 5, import/export): a folder of Markdown
// files, one article each, or a spreadsheet, one article per row with the six
// sections as columns. These functions only read and write the formats; what
// an article must be is the API's schema (ArticleBody), applied by the import.

/** An article as read from a file, not yet checked: the API's body, plus the local files its 相关文件 links to. */
export interface ImportItem {
  /** Where it came from, for messages: `07-tariff.md` or `知识库.xlsx row 3`. */
  source: string;
  body: {
    title?: unknown;
    category?: unknown;
    tags?: unknown;
    audience?: unknown;
    sections: { rule: string; script: string; reminders: string; documents: string; cases: string; faq: { q: string; a: string }[]; caseDemands?: unknown };
  };
  /** Files to attach, as 相关文件 links them (Markdown only): `- [name](relative path)`. */
  links: FileLink[];
}

export interface FileLink {
  /** The link's text: the name the file is shown with. */
  name: string;
  path: string;
}

export interface Parsed {
  item?: ImportItem;
  issues: Issue[];
}

/** The section headings, Chinese as the template names them, and English. */
export const SECTION_HEADINGS: Record<SectionKey, readonly string[]> = {
  rule: ['业务规则描述', '业务规则', 'Business rule'],
  script: ['应答步骤及话术', '应答话术', 'Answer steps and script', 'Script'],
  reminders: ['坐席提醒', 'Agent reminders', 'Reminders'],
  documents: ['相关文件', 'Related documents', 'Documents'],
  cases: ['实际案例', 'Real cases', 'Cases'],
  faq: ['常见问题', 'FAQ'],
};

const headingKey = new Map(SECTION_KEYS.flatMap((key) => SECTION_HEADINGS[key].map((h) => [h.toLowerCase(), key] as const)));

/** A category by its code or its name in either language (停电与电压质量, Supply service). */
export function categoryCode(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const v = value.trim();
  const entry = DEMAND_CATEGORY_TAXONOMY.find((c) => c.code === v || c.label['zh-CN'] === v || c.label.en.toLowerCase() === v.toLowerCase());
  return entry?.code ?? v;
}

const AUDIENCE_NAMES: Record<string, string> = {
  agents: 'agents',
  public: 'public',
  坐席: 'agents',
  内部: 'agents',
  仅坐席: 'agents',
  公开: 'public',
  对外: 'public',
};
export const audienceCode = (value: unknown): unknown => (typeof value === 'string' ? (AUDIENCE_NAMES[value.trim().toLowerCase()] ?? value.trim()) : value);

/** Tags as a list, or one text separated by commas, 、 or semicolons. */
export const tagList = (value: unknown): unknown =>
  typeof value === 'string'
    ? value
        .split(/[,，、;；\n]+/)
        .map((t) => t.trim())
        .filter(Boolean)
    : Array.isArray(value)
      ? value.map((t) => (typeof t === 'string' ? t.trim() : t))
      : (value ?? []);

/** Demand numbers as a list, or one text separated by commas, spaces or new lines. */
export const numberList = (value: unknown): unknown =>
  typeof value === 'string' ? value.split(/[\s,，、;；]+/).filter(Boolean) : Array.isArray(value) ? value.map((n) => String(n).trim()) : (value ?? []);

/** 相关文件's text and the local files it links to (`- [name](path)`); web links stay text. */
function splitDocuments(text: string): { documents: string; links: FileLink[] } {
  const links: FileLink[] = [];
  const kept = text.split('\n').filter((line) => {
    const link = /^\s*(?:[-*]\s+)?\[((?:\\.|[^\]\\])*)\]\(([^)\s]+)\)\s*$/.exec(line);
    if (!link || /^[a-z][a-z0-9+.-]*:/i.test(link[2]!)) return true;
    const path = safeDecode(link[2]!);
    links.push({ name: link[1]!.replace(/\\(.)/g, '$1').trim() || (path.split('/').pop() ?? path), path });
    return false;
  });
  return { documents: kept.join('\n').trim(), links };
}

const safeDecode = (s: string) => {
  try {
    return decodeURI(s);
  } catch {
    return s;
  }
};

/** FAQ pairs from `### question` headings, each followed by its answer. */
function faqFromMarkdown(text: string, source: string, issues: Issue[]): { q: string; a: string }[] {
  const faq: { q: string; a: string }[] = [];
  const parts = text.split(/^###[ \t]+(.+)$/m);
  if (parts[0]!.trim()) issues.push({ path: `${source}: 常见问题`, message: 'each question is a "### " heading, its answer below it' });
  for (let i = 1; i < parts.length; i += 2) faq.push({ q: parts[i]!.trim(), a: unescapeHeadings((parts[i + 1] ?? '').trim()) });
  return faq;
}

/**
 * One article from a Markdown file: YAML front matter (title, category, tags,
 * audience, caseDemands), then the six sections under `## ` headings; the
 * title may instead be the `# ` heading.
 */
export function parseMarkdown(text: string, source: string): Parsed {
  const issues: Issue[] = [];
  let rest = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let meta: Record<string, unknown> = {};
  const front = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(rest);
  if (front) {
    try {
      const parsed: unknown = parseYaml(front[1]!);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) meta = parsed as Record<string, unknown>;
      else issues.push({ path: `${source}: front matter`, message: 'must be "key: value" lines (title, category, tags, audience)' });
    } catch (error) {
      issues.push({ path: `${source}: front matter`, message: `is not valid YAML: ${(error as Error).message.split('\n')[0]}` });
    }
    rest = rest.slice(front[0].length);
  }
  const parts = rest.split(/^##[ \t]+(.+)$/m);
  let intro = parts[0]!;
  const h1 = /^#[ \t]+(.+)$/m.exec(intro);
  if (h1) intro = intro.replace(h1[0], '');
  if (intro.trim()) issues.push({ path: `${source}`, message: 'text before the first section: put it under one of the six "## " headings' });
  const found = new Map<SectionKey, string>();
  for (let i = 1; i < parts.length; i += 2) {
    const heading = parts[i]!.trim();
    const key = headingKey.get(heading.toLowerCase());
    if (!key) {
      issues.push({
        path: `${source}: ## ${heading}`,
        message: `is not one of the six sections (${SECTION_KEYS.map((k) => SECTION_HEADINGS[k][0]).join(', ')})`,
      });
      continue;
    }
    if (found.has(key)) issues.push({ path: `${source}: ## ${heading}`, message: 'appears twice' });
    found.set(key, (parts[i + 1] ?? '').trim());
  }
  for (const [key, text] of found) if (key !== 'faq') found.set(key, unescapeHeadings(text));
  const { documents, links } = splitDocuments(found.get('documents') ?? '');
  const item: ImportItem = {
    source,
    body: {
      title: meta.title ?? h1?.[1]?.trim(),
      category: categoryCode(meta.category),
      tags: tagList(meta.tags),
      audience: audienceCode(meta.audience ?? 'agents'),
      sections: {
        rule: found.get('rule') ?? '',
        script: found.get('script') ?? '',
        reminders: found.get('reminders') ?? '',
        documents,
        cases: found.get('cases') ?? '',
        faq: faqFromMarkdown(found.get('faq') ?? '', source, issues),
        caseDemands: numberList(meta.caseDemands),
      },
    },
    links,
  };
  return { item, issues };
}

/** A line of a section that would read as a heading is written with a backslash before it (Markdown's own escape), and read back without. */
const escapeHeadings = (text: string) => text.replace(/^(\\*#)/gm, '\\$1');
const unescapeHeadings = (text: string) => text.replace(/^\\(\\*#)/gm, '$1');

/** What an export writes of an article. */
export interface ExportArticle {
  id: number;
  title: string;
  category: string;
  tags: string[];
  audience: string;
  sections: Sections;
  publishedAt: string | null;
  /** The files of 相关文件, with where the export put them (Markdown). */
  files: { name: string; path?: string }[];
}

/** An article as a Markdown file that parseMarkdown reads back the same. */
export function toMarkdown(a: ExportArticle): string {
  const meta: Record<string, unknown> = { title: a.title, category: a.category, tags: a.tags, audience: a.audience };
  if (a.sections.caseDemands.length > 0) meta.caseDemands = a.sections.caseDemands;
  if (a.publishedAt) meta.publishedAt = a.publishedAt;
  const links = a.files
    .filter((f) => f.path)
    .map((f) => `- [${f.name.replace(/[[\]\\]/g, '\\$&')}](${f.path!.replace(/[ ()<>%]/g, (c) => encodeURIComponent(c))})`);
  const body: Record<SectionKey, string> = {
    rule: escapeHeadings(a.sections.rule),
    script: escapeHeadings(a.sections.script),
    reminders: escapeHeadings(a.sections.reminders),
    documents: [escapeHeadings(a.sections.documents), ...links].filter(Boolean).join('\n'),
    cases: escapeHeadings(a.sections.cases),
    faq: a.sections.faq.map((f) => `### ${f.q.replace(/\s+/g, ' ')}\n\n${escapeHeadings(f.a)}`).join('\n\n'),
  };
  const sections = SECTION_KEYS.map((key) => `## ${SECTION_HEADINGS[key][0]}\n\n${body[key]}`.trimEnd());
  // One "key: value" line each, lists inline: [停电, 抢修].
  const front = Object.entries(meta).map(
    ([key, value]) => `${key}: ${stringifyYaml(value, { flowCollectionPadding: false, collectionStyle: 'flow', lineWidth: 0 }).trim()}`,
  );
  return `---\n${front.join('\n')}\n---\n\n${sections.join('\n\n')}\n`;
}

// ── spreadsheets ───────────────────────────────────────────────────────────

type Column = 'title' | 'category' | 'tags' | 'audience' | SectionKey | 'caseDemands' | 'files';

/** The columns, as the export heads them and as the import recognises them. */
export const COLUMNS: readonly { key: Column; headers: readonly string[]; width: number }[] = [
  { key: 'title', headers: ['标题', 'Title'], width: 28 },
  { key: 'category', headers: ['分类', 'Category'], width: 16 },
  { key: 'tags', headers: ['标签', 'Tags'], width: 20 },
  { key: 'audience', headers: ['受众', 'Audience'], width: 8 },
  ...SECTION_KEYS.map((key) => ({ key, headers: SECTION_HEADINGS[key], width: key === 'rule' || key === 'script' ? 60 : 40 })),
  { key: 'caseDemands', headers: ['案例工单', 'Case demands'], width: 24 },
  // Written by the export for the reader; a spreadsheet cannot carry the files themselves, so the import passes over it.
  { key: 'files', headers: ['附件', 'Attachments'], width: 30 },
];

const columnOf = new Map(COLUMNS.flatMap((c) => c.headers.map((h) => [h.toLowerCase(), c.key] as const)));

/** FAQ pairs from a cell: "问：…" starts a question, "答：…" its answer (Q:/A: too). */
export function faqFromText(text: string): { q: string; a: string }[] {
  const faq: { q: string; a: string[] }[] = [];
  let current: { q: string; a: string[] } | undefined;
  let inAnswer = false;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const q = /^\s*(?:问|Q)\s*[：:]\s*(.*)$/i.exec(line);
    const a = /^\s*(?:答|A)\s*[：:]\s*(.*)$/i.exec(line);
    if (q && !(inAnswer && current && current.a.at(-1)?.trim() !== '')) {
      // A new question starts after a blank line (or before any answer): "问：" inside an answer's paragraph stays in it.
      current = { q: q[1]!.trim(), a: [] };
      faq.push(current);
      inAnswer = false;
    } else if (a && current && !inAnswer) {
      current.a.push(a[1]!);
      inAnswer = true;
    } else if (current && inAnswer) current.a.push(line);
    else if (current && line.trim()) current.q = `${current.q} ${line.trim()}`;
  }
  return faq.map((f) => ({ q: f.q, a: f.a.join('\n').trim() }));
}

export const faqToText = (faq: readonly { q: string; a: string }[]) => faq.map((f) => `问：${f.q}\n答：${f.a}`).join('\n\n');

/** How a section continued from the cell before is joined to it (toWorkbook): FAQ pairs by a blank line, other sections by a line break. */
const JOIN: Record<SectionKey, string> = { rule: '\n', script: '\n', reminders: '\n', documents: '\n', cases: '\n', faq: '\n\n' };

/** A section's column that carries on the one before it: its heading with （续）, as the export writes it, or (cont.). */
const CONTINUED = /\s*[（(]\s*(?:续|cont\.?|continued)\s*[)）]$/i;

/** A workbook's column by its header: which field, and whether it continues that field's column before it. */
function headerColumn(header: string): { key: Column; continued: boolean } | undefined {
  const continued = CONTINUED.test(header);
  const key = columnOf.get(header.replace(CONTINUED, '').toLowerCase());
  if (!key || (continued && !SECTION_KEYS.includes(key as SectionKey))) return undefined;
  return { key, continued };
}

/** A workbook unpacks to at most this much: 10,000 long articles fit in it. */
export const WORKBOOK_MAX_EXPANDED = 200 * 1024 * 1024;

/**
 * What reading a workbook of articles may take (platform/xlsx.ts): the base
 * of 10,000 long articles that 200 MB was sized for, with room for columns
 * of notes; a workbook past these is no base of articles. Measured: 2,000
 * articles of six 3,000-character sections (108 MB of XML) read in 1.1 s
 * within a 256 MB heap; 768 MB leaves room for 200 MB of text.
 */
export const WORKBOOK_LIMITS: ReadOptions = {
  maxUnpackedBytes: WORKBOOK_MAX_EXPANDED,
  maxRows: 20_000,
  maxCells: 20_000 * 40,
  maxSharedStrings: 1_000_000,
  maxColumns: 100,
  maxSheets: 1,
  timeoutMs: 30_000,
  memoryMb: 768,
  purpose: 'a workbook of articles needs',
};

/** A cell as the import takes it: its text, and in 相关文件 a link shown under a name kept as `[name](address)`, as Markdown writes it. */
function cellFor(key: Column, value: CellValue): string {
  if (
    key === 'documents' &&
    value !== null &&
    typeof value === 'object' &&
    value.kind === 'link' &&
    /^(https?|mailto):/i.test(value.target) &&
    value.text.trim() !== value.target
  ) {
    return `[${value.text.trim()}](${value.target})`;
  }
  return cellText(value);
}

/** The articles of a workbook's first sheet: row 1 names the columns, every other non-empty row is an article. */
export async function parseWorkbook(bytes: Uint8Array, fileName: string): Promise<{ items: ImportItem[]; issues: Issue[] }> {
  const read = await readWorkbook(bytes, WORKBOOK_LIMITS);
  if ('refused' in read) return { items: [], issues: [{ path: fileName, message: read.refused }] };
  const sheet = read.sheets[0];
  if (!sheet) return { items: [], issues: [{ path: fileName, message: 'has no worksheet' }] };
  const issues: Issue[] = [];
  const columns = new Map<number, { key: Column; continued: boolean }>();
  const header = sheet.rows[0]?.number === 1 ? sheet.rows[0].cells : [];
  header.forEach((value, i) => {
    const text = cellText(value).trim();
    const column = headerColumn(text);
    if (column) columns.set(i, column);
    else if (text)
      issues.push({ path: `${fileName} column ${i + 1} "${text}"`, message: `is not a known column (${COLUMNS.map((c) => c.headers[0]).join(', ')})` });
  });
  const present = new Set([...columns.values()].map((c) => c.key));
  for (const key of ['title', 'category', 'rule', 'script'] as const) {
    if (!present.has(key)) issues.push({ path: fileName, message: `has no "${COLUMNS.find((c) => c.key === key)!.headers[0]}" column` });
  }
  const items: ImportItem[] = [];
  for (const row of sheet.rows) {
    if (row.number === 1) continue;
    // A section's cells, its continuations joined to it untrimmed (the export cut it where a line or a FAQ pair ends), then trimmed whole.
    const cells: Partial<Record<Column, string[]>> = {};
    for (const [i, { key, continued }] of columns) {
      const text = cellFor(key, row.cells[i] ?? null);
      if (continued && cells[key]) cells[key].push(text);
      else cells[key] = [text];
    }
    const v: Partial<Record<Column, string>> = {};
    for (const [key, texts] of Object.entries(cells) as [Column, string[]][]) {
      v[key] = texts
        .filter((t, i) => i === 0 || t.trim())
        .join(JOIN[key as SectionKey] ?? '')
        .trim();
    }
    if (Object.values(v).every((x) => !x)) continue;
    const { documents, links } = splitDocuments(v.documents ?? '');
    if (links.length > 0)
      issues.push({
        path: `${fileName} row ${row.number}: 相关文件`,
        message: 'a spreadsheet cannot carry files: name the documents, and attach the files in the article',
      });
    items.push({
      source: `${fileName} row ${row.number}`,
      body: {
        title: v.title,
        category: categoryCode(v.category),
        tags: tagList(v.tags ?? ''),
        audience: audienceCode(v.audience || 'agents'),
        sections: {
          rule: v.rule ?? '',
          script: v.script ?? '',
          reminders: v.reminders ?? '',
          documents,
          cases: v.cases ?? '',
          faq: faqFromText(v.faq ?? ''),
          caseDemands: numberList(v.caseDemands ?? ''),
        },
      },
      links: [],
    });
  }
  return { items, issues };
}

/** An article whose sections did not each fit in one cell: they continue in the columns after them. */
export interface ContinuedArticle {
  id: number;
  title: string;
  /** The sections' headings, as the sheet heads them. */
  sections: string[];
}

export interface ArticleWorkbook {
  bytes: Buffer;
  continued: ContinuedArticle[];
}

/**
 * The articles as a workbook the import reads back: one row each, the six
 * sections as columns. A cell holds at most 32,767 characters, and a FAQ of
 * 100 pairs can hold 450,000: a section longer than a cell goes on in the
 * columns after it, headed "常见问题（续）", cut only where a FAQ pair (or, in
 * another section, a line) ends, so each cell reads on its own and the
 * import joins them back whole. Leaving such an article out would lose it
 * from a base moved this way; the editor is told which articles continue, in
 * a second sheet (导出说明) and to the caller.
 */
export async function toWorkbook(
  articles: readonly ExportArticle[],
  labels: { category: (code: string) => string; audience: (code: string) => string },
): Promise<ArticleWorkbook> {
  const sectionText = (a: ExportArticle, key: SectionKey) => (key === 'faq' ? a.sections.faq.map((f) => faqToText([f])) : a.sections[key].split('\n'));
  const cells = articles.map(
    (a) => Object.fromEntries(SECTION_KEYS.map((key) => [key, packCells(sectionText(a, key), JOIN[key])])) as Record<SectionKey, string[]>,
  );
  const width = Object.fromEntries(SECTION_KEYS.map((key) => [key, Math.max(1, ...cells.map((c) => c[key].length))])) as Record<SectionKey, number>;

  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'suqiu';
  const sheet = workbook.addWorksheet('知识库', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.flatMap((c) => {
    const more = SECTION_KEYS.includes(c.key as SectionKey) ? width[c.key as SectionKey] - 1 : 0;
    return [
      { header: c.headers[0], key: c.key, width: c.width },
      ...Array.from({ length: more }, (_, i) => ({ header: `${c.headers[0]}（续）`, key: `${c.key}+${i + 1}`, width: c.width })),
    ];
  });
  sheet.getRow(1).font = { bold: true };
  const continued: ContinuedArticle[] = [];
  for (const [n, a] of articles.entries()) {
    const sections = Object.fromEntries(SECTION_KEYS.flatMap((key) => cells[n]![key].map((text, i) => [i === 0 ? key : `${key}+${i}`, text] as const)));
    const row = sheet.addRow({
      title: a.title,
      category: labels.category(a.category),
      tags: a.tags.join('、'),
      audience: labels.audience(a.audience),
      ...sections,
      files: a.files.map((f) => f.name).join('\n'),
      caseDemands: a.sections.caseDemands.join('\n'),
    });
    row.alignment = { wrapText: true, vertical: 'top' };
    const long = SECTION_KEYS.filter((key) => cells[n]![key].length > 1);
    if (long.length > 0) continued.push({ id: a.id, title: a.title, sections: long.map((key) => SECTION_HEADINGS[key][0]!) });
  }
  if (continued.length > 0) {
    const notes = workbook.addWorksheet('导出说明');
    notes.columns = [{ width: 40 }, { width: 30 }];
    notes.addRow([
      `Excel 的一个单元格最多容纳 ${CELL_MAX_CHARS.toLocaleString('en-US')} 个字符。以下 ${continued.length} 篇文章有部分超过这一长度，已接续写在其右侧标题带“（续）”的列中（在问答或换行处分开）。重新导入时各“（续）”列按顺序接回前一列，内容完整；请勿删除这些列或调换其顺序。`,
    ]);
    notes.mergeCells(1, 1, 1, 2);
    notes.getRow(1).alignment = { wrapText: true, vertical: 'top' };
    notes.getRow(1).height = 75;
    notes.addRow(['标题', '接续的部分']).font = { bold: true };
    for (const c of continued) notes.addRow([c.title, c.sections.join('、')]);
  }
  return { bytes: await workbookBytes(workbook), continued };
}
