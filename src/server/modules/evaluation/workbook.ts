import ExcelJS from 'exceljs';
import type { EvaluationDoc, EvaluationUnitRow } from '../../../shared/schemas/evaluation.js';
import { workbookBytes } from '../../platform/xlsx.js';

// The published table in the layout of the seed's tables 5 and 6 (000, 三.3):
// one sheet for the departments (归口部门), one for the county bureaus, each
// row a unit with every term of its score.

const COLUMNS: { header: string; key: keyof EvaluationUnitRow | 'sharePct' | 'ratePct'; width: number }[] = [
  { header: '单位', key: 'unitName', width: 18 },
  { header: '诉求宗数', key: 'demands', width: 10 },
  { header: '占全市比重', key: 'sharePct', width: 12 },
  { header: '未解决宗数', key: 'unresolved', width: 11 },
  { header: '未解决率', key: 'ratePct', width: 10 },
  { header: '客服事件', key: 'serviceEvents', width: 10 },
  { header: '多次诉求', key: 'repeated', width: 10 },
  { header: '上级通报批评', key: 'criticisms', width: 13 },
  { header: '上级表扬', key: 'praises', width: 10 },
  { header: '评价值', key: 'score', width: 10 },
  { header: '排名', key: 'rank', width: 7 },
];

export async function evaluationWorkbook(doc: EvaluationDoc, at: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'suqiu';
  book.created = new Date(at);
  const title = `${doc.year}年第${doc.quarter}季度`;
  const status = doc.status === 'draft' ? '（草稿）' : doc.revision > 1 ? `（第${doc.revision}版：${doc.reason ?? ''}）` : '';
  for (const [kind, sheetName, name] of [
    ['department', '表5', '归口部门客户诉求处理评价值'],
    ['county', '表6', '县（区）局客户诉求处理评价值'],
  ] as const) {
    const sheet = book.addWorksheet(sheetName);
    sheet.addRow([`${sheetName} ${title}${name}${status}`]).font = { bold: true, size: 13 };
    sheet.mergeCells(1, 1, 1, COLUMNS.length);
    sheet.addRow([`全市诉求总数 ${doc.total} 宗`]);
    const header = sheet.addRow(COLUMNS.map((c) => c.header));
    header.font = { bold: true };
    COLUMNS.forEach((c, i) => (sheet.getColumn(i + 1).width = c.width));
    for (const row of doc.units.filter((u) => u.kind === kind)) {
      sheet.addRow(
        COLUMNS.map((c) => {
          if (c.key === 'sharePct') return row.share;
          if (c.key === 'ratePct') return row.unresolvedRate;
          return row[c.key];
        }),
      );
    }
    for (const col of [3, 5]) sheet.getColumn(col).numFmt = '0.00%';
    sheet.getColumn(10).numFmt = '0.00';
    sheet.views = [{ state: 'frozen', ySplit: 3 }];
  }
  return workbookBytes(book);
}
