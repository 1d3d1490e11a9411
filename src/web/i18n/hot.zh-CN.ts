// 热点 (issue 18): hot issues, their phrases, trends and stop words. Keys start with `hot.`.
export const zhCNHot = {
  'hot.title': '热点问题',
} as const;
