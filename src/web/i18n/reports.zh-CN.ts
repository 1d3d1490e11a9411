// 报表 (issue 18): the standard reports and the demand list's export. Keys start with `report.`.
export const zhCNReports = {
  'report.title': '诉求报表',
} as const;
