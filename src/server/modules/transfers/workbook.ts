import ExcelJS from 'exceljs';
import type { TransferBatch } from '../../../shared/schemas/transfers.js';
import { categoryLabel, typeLabel } from '../../../shared/taxonomy.js';
import { localDateTime } from '../../../shared/time.js';
import { workbookBytes } from '../../platform/xlsx.js';

// A month's transfer batch as the document the departments and the meeting read:
// one row per raised demand, with the department's answer.

const REASON = { unresolved: '县区局无法解决', overdue: '月末超期未办结' } as const;
const UNRESOLVED: Record<string, string> = { investment: '需电网投资', outside_powers: '超出本级职权', policy: '政策原因', other: '其他' };

/** The batch as a workbook; its times are local times in the company's zone. */
export async function transferWorkbook(batch: TransferBatch, at: string, zone: string): Promise<Buffer> {
  const local = (iso: string | null) => (iso ? localDateTime(iso, zone) : '');
  const book = new ExcelJS.Workbook();
  book.creator = 'suqiu';
  book.created = new Date(at);
  const sheet = book.addWorksheet(`诉求传递 ${batch.month}`);
  sheet.addRow([`${batch.month} 客户诉求传递表（共 ${batch.items.length} 宗，已答复 ${batch.items.filter((i) => i.status === 'answered').length} 宗）`]).font =
    { bold: true, size: 13 };
  const columns = [
    ['诉求编号', 16],
    ['类型', 6],
    ['类别', 14],
    ['诉求内容', 40],
    ['首次处理单位', 16],
    ['首次处理情况', 30],
    ['传递原因', 14],
    ['传递至', 14],
    ['答复期限', 17],
    ['状态', 8],
    ['整改措施', 40],
    ['责任人', 10],
    ['是否解决', 9],
    ['预计解决日期', 12],
    ['答复时间', 17],
  ] as const;
  sheet.mergeCells(1, 1, 1, columns.length);
  sheet.addRow(columns.map((c) => c[0])).font = { bold: true };
  columns.forEach((c, i) => (sheet.getColumn(i + 1).width = c[1]));
  for (const item of batch.items) {
    sheet.addRow([
      item.number,
      typeLabel(item.type, 'zh-CN'),
      item.category ? categoryLabel(item.category, 'zh-CN') : '',
      item.content,
      item.fromUnitName,
      item.firstFindings ?? '',
      item.reason === 'unresolved' ? `${REASON.unresolved}（${UNRESOLVED[item.unresolvedReason ?? 'other'] ?? ''}）` : REASON.overdue,
      item.toUnitName,
      local(item.dueAt),
      item.status === 'answered' ? '已答复' : item.overdue ? '超期未答复' : '待答复',
      item.answer?.measures ?? '',
      item.answer?.owner ?? '',
      item.answer ? (item.answer.resolved ? '是' : '否') : '',
      item.answer?.expectedBy ?? '',
      local(item.answer?.answeredAt ?? null),
    ]);
  }
  for (const col of [4, 6, 11]) sheet.getColumn(col).alignment = { wrapText: true, vertical: 'top' };
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  return workbookBytes(book);
}
