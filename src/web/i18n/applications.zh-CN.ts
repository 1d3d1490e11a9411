// 绿色通道 (issue 17): green-channel connection applications (业扩), their
// stages and supervision. Keys start with `application.`, `applications.`,
// `stage.`.
export const zhCNApplications = {
  'applications.title': '绿色通道',
} as const;
