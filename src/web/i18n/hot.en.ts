import type { zhCNHot } from './hot.zh-CN.js';

export const enHot: { readonly [K in keyof typeof zhCNHot]: string } = {
  'hot.title': 'Hot issues',
};
