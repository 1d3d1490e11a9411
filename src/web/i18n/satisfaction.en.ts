import type { zhCNSatisfaction } from './satisfaction.zh-CN.js';

export const enSatisfaction: { readonly [K in keyof typeof zhCNSatisfaction]: string } = {
  'satisfaction.title': 'Customer satisfaction',
};
