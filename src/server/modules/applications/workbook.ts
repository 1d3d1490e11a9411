import ExcelJS from 'exceljs';
import type { ApplicationSummary, ApplicationTrack } from '../../../shared/schemas/applications.js';
import { localDateTime } from '../../../shared/time.js';
import { workbookBytes } from '../../platform/xlsx.js';
import { STAGE_WORDS } from './rules.js';

// The green channel's list as a workbook: one row per application, in words
// (track, stage, status), times in the company's zone, late ones marked.

export const TRACK_WORDS: Record<ApplicationTrack, string> = {
  residential: '低压居民',
  low_voltage: '低压非居民',
  hv_single: '高压单电源',
  hv_double: '高压双电源',
};
const STATUS_WORDS = { open: '办理中', completed: '已完成', cancelled: '已取消' } as const;
const KIND_WORDS = { new: '新装', increase: '增容' } as const;

export const EXPORT_HEADERS = [
  '申请编号',
  '客户名称',
  '户号',
  '类别',
  '容量(kVA)',
  '电压',
  '业扩类型',
  '状态',
  '当前环节',
  '责任单位',
  '环节时限',
  '是否超期',
  '客户经理',
  '受理时间',
] as const;

export async function applicationsWorkbook(rows: readonly ApplicationSummary[], at: string, zone: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'suqiu';
  book.created = new Date(at);
  const sheet = book.addWorksheet('绿色通道');
  const header = sheet.addRow([...EXPORT_HEADERS]);
  header.font = { bold: true };
  for (const r of rows)
    sheet.addRow([
      r.number,
      r.customerName,
      r.accountNo,
      KIND_WORDS[r.kind],
      r.capacityKva,
      r.voltage,
      TRACK_WORDS[r.track],
      STATUS_WORDS[r.status],
      r.stage ? STAGE_WORDS[r.stage] : '',
      r.stageOwnerUnitName ?? '',
      r.stageDueAt ? localDateTime(r.stageDueAt, zone) : '',
      r.late ? '超期' : '',
      r.accountManagerName ?? '',
      localDateTime(r.createdAt, zone),
    ]);
  [16, 24, 14, 8, 10, 8, 12, 8, 14, 16, 18, 8, 10, 18].forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return workbookBytes(book);
}
