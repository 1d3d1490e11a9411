import ExcelJS from 'exceljs';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { DEMAND_CATEGORY_TAXONOMY } from '../../../shared/taxonomy.js';
import type { Issue } from '../../platform/errors.js';
import { zipExpandedSize } from './files.js';
import { SECTION_KEYS, type SectionKey, type Sections } from './rules.js';

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

const AUDIENCE_NAMES: Record<string, string> = { agents: 'agents', public: 'public', 坐席: 'agents', 内部: 'agents', 仅坐席: 'agents', 公开: 'public', 对外: 'public' };
export const audienceCode = (value: unknown): unknown => (typeof value === 'string' ? (AUDIENCE_NAMES[value.trim().toLowerCase()] ?? value.trim()) : value);

/** Tags as a list, or one text separated by commas, 、 or semicolons. */
export const tagList = (value: unknown): unknown =>
  typeof value === 'string' ? value.split(/[,，、;；\n]+/).map((t) => t.trim()).filter(Boolean) : Array.isArray(value) ? value.map((t) => (typeof t === 'string' ? t.trim() : t)) : value ?? [];

/** Demand numbers as a list, or one text separated by commas, spaces or new lines. */
export const numberList = (value: unknown): unknown =>
  typeof value === 'string' ? value.split(/[\s,，、;；]+/).filter(Boolean) : Array.isArray(value) ? value.map((n) => String(n).trim()) : value ?? [];

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
      issues.push({ path: `${source}: ## ${heading}`, message: `is not one of the six sections (${SECTION_KEYS.map((k) => SECTION_HEADINGS[k][0]).join(', ')})` });
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
  const links = a.files.filter((f) => f.path).map((f) => `- [${f.name.replace(/[[\]\\]/g, '\\$&')}](${f.path!.replace(/[ ()<>%]/g, (c) => encodeURIComponent(c))})`);
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
  const front = Object.entries(meta).map(([key, value]) => `${key}: ${stringifyYaml(value, { flowCollectionPadding: false, collectionStyle: 'flow', lineWidth: 0 }).trim()}`);
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

const cellText = (cell: ExcelJS.Cell) => (cell.value === null || cell.value === undefined ? '' : cell.text.trim());

/** A workbook unpacks to at most this much: 10,000 long articles fit in it. */
export const WORKBOOK_MAX_EXPANDED = 200 * 1024 * 1024;

/** The articles of a workbook's first sheet: row 1 names the columns, every other non-empty row is an article. */
export async function parseWorkbook(bytes: Uint8Array, fileName: string): Promise<{ items: ImportItem[]; issues: Issue[] }> {
  const expanded = zipExpandedSize(bytes);
  if (expanded === null) return { items: [], issues: [{ path: fileName, message: 'is not an Excel workbook (.xlsx)' }] };
  if (expanded > WORKBOOK_MAX_EXPANDED) return { items: [], issues: [{ path: fileName, message: `unpacks to ${Math.round(expanded / 1024 / 1024)} MB, more than a workbook of articles needs (${WORKBOOK_MAX_EXPANDED / 1024 / 1024} MB)` }] };
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    return { items: [], issues: [{ path: fileName, message: 'is not an Excel workbook (.xlsx)' }] };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { items: [], issues: [{ path: fileName, message: 'has no worksheet' }] };
  const issues: Issue[] = [];
  const columns = new Map<number, Column>();
  sheet.getRow(1).eachCell((cell, col) => {
    const header = cellText(cell);
    const key = columnOf.get(header.toLowerCase());
    if (key) columns.set(col, key);
    else if (header) issues.push({ path: `${fileName} column ${col} "${header}"`, message: `is not a known column (${COLUMNS.map((c) => c.headers[0]).join(', ')})` });
  });
  const present = new Set(columns.values());
  for (const key of ['title', 'category', 'rule', 'script'] as const) {
    if (!present.has(key)) issues.push({ path: fileName, message: `has no "${COLUMNS.find((c) => c.key === key)!.headers[0]}" column` });
  }
  const items: ImportItem[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const v: Partial<Record<Column, string>> = {};
    for (const [col, key] of columns) v[key] = cellText(row.getCell(col));
    if (Object.values(v).every((x) => !x)) return;
    const { documents, links } = splitDocuments(v.documents ?? '');
    if (links.length > 0) issues.push({ path: `${fileName} row ${number}: 相关文件`, message: 'a spreadsheet cannot carry files: name the documents, and attach the files in the article' });
    items.push({
      source: `${fileName} row ${number}`,
      body: {
        title: v.title,
        category: categoryCode(v.category),
        tags: tagList(v.tags ?? ''),
        audience: audienceCode(v.audience || 'agents'),
        sections: { rule: v.rule ?? '', script: v.script ?? '', reminders: v.reminders ?? '', documents, cases: v.cases ?? '', faq: faqFromText(v.faq ?? ''), caseDemands: numberList(v.caseDemands ?? '') },
      },
      links: [],
    });
  });
  return { items, issues };
}

/** The articles as a workbook the import reads back: one row each, the six sections as columns. */
export async function toWorkbook(articles: readonly ExportArticle[], labels: { category: (code: string) => string; audience: (code: string) => string }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'suqiu';
  const sheet = workbook.addWorksheet('知识库', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({ header: c.headers[0], key: c.key, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const a of articles) {
    const row = sheet.addRow({
      title: a.title,
      category: labels.category(a.category),
      tags: a.tags.join('、'),
      audience: labels.audience(a.audience),
      ...Object.fromEntries(SECTION_KEYS.filter((k) => k !== 'faq' && k !== 'documents').map((k) => [k, a.sections[k]])),
      documents: a.sections.documents,
      files: a.files.map((f) => f.name).join('\n'),
      faq: faqToText(a.sections.faq),
      caseDemands: a.sections.caseDemands.join('\n'),
    });
    row.alignment = { wrapText: true, vertical: 'top' };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
