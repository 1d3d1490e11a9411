// The six sections of every article (DESIGN.md, "Knowledge base") and the rule
// of which are still empty: one rule for the server, which refuses a version
// for review or publication while one is empty (knowledge/articles.ts), and for
// the web's form, which shows the same list while the editor types.

export const SECTION_KEYS = ['rule', 'script', 'reminders', 'documents', 'cases', 'faq'] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

/** The sections' Chinese names, as the server's messages, the Markdown and the workbook head them. */
export const SECTION_NAMES: Record<SectionKey, string> = {
  rule: '业务规则描述',
  script: '应答步骤及话术',
  reminders: '坐席提醒',
  documents: '相关文件',
  cases: '实际案例',
  faq: '常见问题',
};

/** A version's sections, as stored or as a form holds them while it is open: anything may be missing yet. */
export interface SectionsInput {
  rule?: string | undefined;
  script?: string | undefined;
  reminders?: string | undefined;
  documents?: string | undefined;
  cases?: string | undefined;
  faq?: readonly ({ q?: string | undefined; a?: string | undefined } | undefined)[] | undefined;
  /** 相关文件: uploaded files. */
  attachments?: readonly unknown[] | undefined;
  /** 实际案例: real demands, by number. */
  caseDemands?: readonly string[] | undefined;
}

const filledText = (text: string | undefined) => (text ?? '').trim() !== '';

/**
 * The sections still empty, in the template's order. 相关文件 is filled by
 * text or an attached file, 实际案例 by text or a cited demand, 常见问题 by
 * one question with its answer.
 */
export function emptySections(s: SectionsInput | undefined): SectionKey[] {
  const v = s ?? {};
  const filled: Record<SectionKey, boolean> = {
    rule: filledText(v.rule),
    script: filledText(v.script),
    reminders: filledText(v.reminders),
    documents: filledText(v.documents) || (v.attachments?.length ?? 0) > 0,
    cases: filledText(v.cases) || (v.caseDemands?.length ?? 0) > 0,
    faq: (v.faq ?? []).some((f) => filledText(f?.q) && filledText(f?.a)),
  };
  return SECTION_KEYS.filter((key) => !filled[key]);
}
