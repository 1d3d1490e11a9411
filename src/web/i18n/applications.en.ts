import type { zhCNApplications } from './applications.zh-CN.js';

export const enApplications: { readonly [K in keyof typeof zhCNApplications]: string } = {
  'applications.title': 'Green channel',
};
