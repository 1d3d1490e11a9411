import type { zhCNRelations } from './relations.zh-CN.js';

export const enRelations: { readonly [K in keyof typeof zhCNRelations]: string } = {
  'plans.title': 'Differentiated service plans',
};
