import type { zhCNDashboards } from './dashboards.zh-CN.js';

export const enDashboards: { readonly [K in keyof typeof zhCNDashboards]: string } = {
  'dashboard.title': 'Centre dashboard',
};
