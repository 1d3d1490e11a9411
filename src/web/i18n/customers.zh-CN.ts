// 客户 (issue 17): the area's tabs, the customer record, consumption and key
// accounts, account managers and their desk. Keys start with `customers.`,
// `customer.`, `keyAccounts.`, `consumption.`, `desk.`.
export const zhCNCustomers = {
  'customers.tab.search': '客户查询',
  'customers.tab.desk': '客户经理工作台',
  'customers.tab.key-accounts': '核心客户',
  'customers.tab.applications': '绿色通道',
  'customers.tab.plans': '服务计划',
  'customers.tab.activities': '客户沟通',
  'customers.select.placeholder': '输入客户名称、户号或电话',
  'customers.select.hint': '输入名称的两个字以上，或户号、电话的开头',
  'customers.select.none': '没有找到客户',
} as const;
