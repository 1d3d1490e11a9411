// 服务计划 and 客户沟通 (issue 17): differentiated service plans, their actions,
// visits, forums and open days, visit candidates. Keys start with `plan.`,
// `plans.`, `activity.`, `activities.`, `relationAction.`.
export const zhCNRelations = {
  'plans.title': '差异化服务计划',
} as const;
