// 满意度 (issue 18): the third party's surveys, trends, elasticity and the what-if. Keys start with `satisfaction.`.
export const zhCNSatisfaction = {
  'satisfaction.title': '客户满意度',
} as const;
