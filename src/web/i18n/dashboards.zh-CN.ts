// 看板 (issue 18): the centre manager's dashboard, the wallboard, a unit's page and the staff figures.
// Keys start with `dashboard.`, `wallboard.`, `unitPage.`, `staff.`.
export const zhCNDashboards = {
  'dashboard.title': '中心看板',
} as const;
