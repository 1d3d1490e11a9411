import type { zhCNCustomers } from './customers.zh-CN.js';

export const enCustomers: { readonly [K in keyof typeof zhCNCustomers]: string } = {
  'customers.tab.search': 'Find a customer',
  'customers.tab.desk': 'Account manager’s desk',
  'customers.tab.key-accounts': 'Key accounts',
  'customers.tab.applications': 'Green channel',
  'customers.tab.plans': 'Service plans',
  'customers.tab.activities': 'Communication',
  'customers.select.placeholder': 'Type a customer’s name, account number or phone',
  'customers.select.hint': 'Two characters of a name, or the beginning of an account number or phone',
  'customers.select.none': 'No customer found',
};
