import ExcelJS from 'exceljs';
import type { Meeting } from '../../../shared/schemas/meetings.js';
import { categoryLabel, subcategoryLabel } from '../../../shared/taxonomy.js';
import { localDate } from '../../../shared/time.js';
import { workbookBytes } from '../../platform/xlsx.js';

// The meeting's pack as a workbook: one sheet per section, in the order of
// the seed's agenda (000, 三.2(3)).

const pct = (x: number) => Math.round(x * 1000) / 10;
/** The pack as a workbook; its dates are local dates in the company's zone. */
export async function meetingWorkbook(meeting: Meeting, at: string, zone: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'suqiu';
  book.created = new Date(at);
  const sheet = (name: string, title: string, header: string[], widths: number[]) => {
    const s = book.addWorksheet(name);
    s.addRow([title]).font = { bold: true, size: 13 };
    s.mergeCells(1, 1, 1, header.length);
    s.addRow(header).font = { bold: true };
    widths.forEach((w, i) => (s.getColumn(i + 1).width = w));
    s.views = [{ state: 'frozen', ySplit: 2 }];
    return s;
  };
  const { pack } = meeting;
  const period = `${localDate(meeting.from, zone)} 至 ${localDate(Date.parse(meeting.to) - 1, zone)}`;

  const hot = sheet(
    '一、热点及解决情况',
    `${meeting.title}（${meeting.heldOn}）· 统计期 ${period} · 诉求 ${pack.hotIssues.total} 宗（上期 ${pack.hotIssues.previousTotal} 宗）`,
    ['分组', '热点', '本期宗数', '上期宗数', '增减', '解决率(%)', '示例诉求'],
    [10, 20, 10, 10, 8, 10, 48],
  );
  for (const [group, items, label] of [
    ['类别', pack.hotIssues.categories, (k: string) => categoryLabel(k, 'zh-CN')],
    ['子类', pack.hotIssues.subcategories, (k: string) => subcategoryLabel(k, 'zh-CN')],
    ['热词', pack.hotIssues.terms, (k: string) => k],
  ] as const) {
    for (const i of items)
      hot.addRow([group, label(i.key), i.count, i.previousCount, i.change, pct(i.resolvedRate), i.examples.map((e) => e.number).join('、')]);
  }

  const ev = pack.evaluation;
  const evaluation = sheet(
    '二、季度评价',
    ev ? `${ev.year}年第${ev.quarter}季度诉求处理评价（全市 ${ev.total} 宗）` : '尚无已发布的季度评价',
    ['单位', '类别', '诉求宗数', '占比(%)', '未解决', '未解决率(%)', '客服事件', '多次诉求', '通报批评', '表扬', '评价值', '排名'],
    [18, 8, 9, 9, 8, 11, 9, 9, 9, 7, 9, 6],
  );
  for (const r of ev?.units ?? []) {
    evaluation.addRow([
      r.unitName,
      r.kind === 'department' ? '归口部门' : '县区局',
      r.demands,
      pct(r.share),
      r.unresolved,
      pct(r.unresolvedRate),
      r.serviceEvents,
      r.repeated,
      r.criticisms,
      r.praises,
      r.score,
      r.rank,
    ]);
  }

  const items = sheet(
    '三、整改落实',
    '以往会商整改事项落实情况',
    ['会议', '事项', '责任单位', '责任人', '完成期限', '状态', '最新进展'],
    [24, 40, 16, 10, 12, 10, 40],
  );
  for (const i of pack.actionItems) {
    const last = [...i.progress].reverse().find((p) => p.note);
    items.addRow([
      `${i.meetingHeldOn} ${i.meetingTitle}`,
      i.text,
      i.ownerUnitName,
      i.ownerUserName ?? '',
      i.dueOn,
      i.status === 'done' ? '已完成' : i.late ? '已超期' : '进行中',
      last?.note ?? '',
    ]);
  }

  const voices = sheet('四、基层建议及共性问题', '基层人员建议与专家共性问题', ['来源', '单位', '提出人', '内容', '关联'], [10, 16, 10, 60, 18]);
  for (const s of pack.suggestions) voices.addRow(['基层建议', s.unitName, s.authorName, s.text, s.demandNumber ?? '']);
  for (const p of pack.commonProblems)
    voices.addRow([
      p.meetingMonth < meeting.heldOn.slice(0, 7) ? `专家共性问题（${p.meetingMonth} 遗留）` : '专家共性问题',
      p.unitName,
      p.filedByName,
      `${p.title}：${p.description}`,
      `${p.consultations} 次咨询`,
    ]);

  const transfers = sheet(
    '五、传递事项',
    '本期诉求传递及归口部门答复',
    ['诉求编号', '类别', '首次处理单位', '首次处理情况', '传递至', '状态', '整改措施', '是否解决', '预计解决'],
    [16, 14, 16, 30, 14, 10, 48, 9, 12],
  );
  for (const t of pack.transfers) {
    transfers.addRow([
      t.number,
      t.category ? categoryLabel(t.category, 'zh-CN') : '',
      t.fromUnitName,
      t.firstFindings ?? '',
      t.toUnitName,
      t.status === 'answered' ? '已答复' : t.overdue ? '超期未答复' : '待答复',
      t.answer?.measures ?? '',
      t.answer ? (t.answer.resolved ? '是' : '否') : '',
      t.answer?.expectedBy ?? '',
    ]);
  }

  const decided = sheet('六、本次会议决定', '本次会议确定的整改事项', ['事项', '责任单位', '责任人', '完成期限', '状态'], [48, 16, 10, 12, 10]);
  for (const i of meeting.decided)
    decided.addRow([i.text, i.ownerUnitName, i.ownerUserName ?? '', i.dueOn, i.status === 'done' ? '已完成' : i.late ? '已超期' : '进行中']);

  for (const s of book.worksheets) s.eachRow((row, n) => n > 2 && (row.alignment = { wrapText: true, vertical: 'top' }));
  return workbookBytes(book);
}
