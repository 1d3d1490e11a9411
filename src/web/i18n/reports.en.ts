import type { zhCNReports } from './reports.zh-CN.js';

export const enReports: { readonly [K in keyof typeof zhCNReports]: string } = {
  'report.title': 'Demand reports',
};
