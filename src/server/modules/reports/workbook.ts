import ExcelJS from 'exceljs';
import type { Channel } from '../../../shared/codes.js';
import type { ComplaintsReport, DemandReport, RatesReport, Share, TimelinessReport } from '../../../shared/schemas/reports.js';
import { CHANNEL_WORDS, categoryLabel, typeLabel } from '../../../shared/taxonomy.js';
import { addDays } from '../../../shared/time.js';
import { STEP_WORDS } from '../deadlines/service.js';
import { workbookBytes } from '../../platform/xlsx.js';

// The standard reports as workbooks: one sheet, a title with the period, a
// row of Chinese headers, the rows in words (never codes), and a 合计 row.
// Rates are written as numbers formatted as percentages.

const channelWord = (code: string) => CHANNEL_WORDS[code as Channel] ?? code;
const UNCATEGORISED = '未分类';

type Cell = string | number | null;
interface Column {
  header: string;
  width: number;
  percent?: boolean;
}

/** The period as people say it: the last day, not the exclusive end. */
const periodWords = (from: string, to: string) => `${from} 至 ${addDays(to, -1)}`;

async function sheetBook(title: string, report: { from: string; to: string }, columns: Column[], rows: Cell[][], totals: Cell[], at: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'suqiu';
  book.created = new Date(at);
  const sheet = book.addWorksheet(title);
  sheet.addRow([`${title}（${periodWords(report.from, report.to)}）`]).font = { bold: true, size: 13 };
  sheet.mergeCells(1, 1, 1, columns.length);
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  sheet.addRow(totals).font = { bold: true };
  columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = c.width;
    if (c.percent) column.numFmt = '0.00%';
  });
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  return workbookBytes(book);
}

// ── demands ──────────────────────────────────────────────────────────────────
const GROUP_COLUMNS: Record<string, Column> = {
  unit: { header: '单位', width: 20 },
  category: { header: '诉求分类', width: 14 },
  type: { header: '诉求类型', width: 12 },
  channel: { header: '渠道', width: 14 },
  day: { header: '日期', width: 12 },
  week: { header: '周', width: 10 },
  month: { header: '月份', width: 10 },
};

export function demandReportWorkbook(report: DemandReport, at: string): Promise<Buffer> {
  const groups = report.groupBy;
  const columns: Column[] = [
    ...groups.map((g) => GROUP_COLUMNS[g]!),
    { header: '诉求宗数', width: 10 },
    { header: '已办结', width: 10 },
    { header: '超时', width: 8 },
    { header: '来电次数', width: 10 },
  ];
  const rows = report.rows.map((r) => [
    ...groups.map((g): Cell => {
      switch (g) {
        case 'unit':
          return r.unitName ?? '';
        case 'category':
          return r.category ? categoryLabel(r.category, 'zh-CN') : UNCATEGORISED;
        case 'type':
          return typeLabel(r.type!, 'zh-CN');
        case 'channel':
          return channelWord(r.channel!);
        default:
          return r[g as 'day' | 'week' | 'month'] ?? '';
      }
    }),
    r.count,
    r.closed,
    r.overdue,
    r.calls,
  ]);
  const lead: Cell[] = groups.length > 0 ? ['合计', ...groups.slice(1).map(() => '')] : [];
  const totals = [...lead, report.totals.count, report.totals.closed, report.totals.overdue, report.totals.calls];
  if (groups.length === 0) columns.unshift({ header: '范围', width: 10 });
  return sheetBook('诉求报表', report, columns, groups.length === 0 ? [] : rows, groups.length === 0 ? ['合计', ...totals] : totals, at);
}

// ── timeliness ───────────────────────────────────────────────────────────────
const stepWord = (step: string) => STEP_WORDS[step] ?? step;

export function timelinessWorkbook(report: TimelinessReport, at: string): Promise<Buffer> {
  const columns: Column[] = [
    { header: '单位', width: 20 },
    { header: '环节', width: 14 },
    { header: '总数', width: 8 },
    { header: '按时', width: 8 },
    { header: '超时', width: 8 },
    { header: '进行中', width: 8 },
    { header: '按时率', width: 10, percent: true },
  ];
  const rows = report.rows.map((r) => [r.unitName, stepWord(r.step), r.total, r.inTime, r.late, r.running, r.inTimeRate]);
  const t = report.total;
  return sheetBook('时限达标', report, columns, rows, ['合计', '', t.total, t.inTime, t.late, t.running, t.inTimeRate], at);
}

// ── rates ─────────────────────────────────────────────────────────────────────
const shareCells = (s: Share): Cell[] => [s.numerator, s.denominator, s.rate];

export function ratesWorkbook(report: RatesReport, at: string): Promise<Buffer> {
  const columns: Column[] = [
    { header: report.by === 'unit' ? '单位' : '渠道', width: 20 },
    { header: '诉求宗数', width: 10 },
    { header: '首次处理解决数', width: 14 },
    { header: '首次处理数', width: 12 },
    { header: '解决率', width: 10, percent: true },
    { header: '已办结', width: 10 },
    { header: '诉求宗数', width: 10 },
    { header: '办结率', width: 10, percent: true },
    { header: '重复诉求数', width: 12 },
    { header: '诉求宗数', width: 10 },
    { header: '重复率', width: 10, percent: true },
    { header: '满意数', width: 8 },
    { header: '满意及不满意数', width: 14 },
    { header: '回访满意率', width: 12, percent: true },
  ];
  const cells = (r: Omit<RatesReport['total'], never>) => [
    r.cases,
    ...shareCells(r.resolution),
    ...shareCells(r.closure),
    ...shareCells(r.repeat),
    ...shareCells(r.satisfaction),
  ];
  const rows = report.rows.map((r) => [report.by === 'unit' ? (r.unitName ?? '') : channelWord(r.channel ?? ''), ...cells(r)]);
  return sheetBook(
    report.by === 'unit' ? '解决率、重复率与回访满意率（按单位）' : '解决率、重复率与回访满意率（按渠道）',
    report,
    columns,
    rows,
    ['合计', ...cells(report.total)],
    at,
  );
}

// ── complaints per 10,000 customers ────────────────────────────────────────────
export function complaintsWorkbook(report: ComplaintsReport, at: string): Promise<Buffer> {
  const columns: Column[] = [
    { header: '单位', width: 20 },
    { header: '单位类型', width: 10 },
    { header: '投诉宗数', width: 10 },
    { header: '客户数', width: 10 },
    { header: '每万户投诉', width: 12 },
  ];
  const rows = report.rows.map((r) => [r.unitName, r.kind === 'county' ? '县区局' : '供电所', r.complaints, r.customers, r.per10k]);
  const t = report.total;
  return sheetBook('万户投诉率', report, columns, rows, ['合计', '', t.complaints, t.customers, t.per10k], at);
}
