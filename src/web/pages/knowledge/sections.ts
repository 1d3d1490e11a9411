// The six sections of every article (DESIGN.md, "Knowledge base"), as the
// form shows them before a version goes to review.

export const SECTION_KEYS = ['rule', 'script', 'reminders', 'documents', 'cases', 'faq'] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

/** The sections as the form holds them while it is open: anything may be missing yet. */
export interface SectionsInput {
  rule?: string | undefined;
  script?: string | undefined;
  reminders?: string | undefined;
  documents?: string | undefined;
  cases?: string | undefined;
  faq?: ({ q?: string | undefined; a?: string | undefined } | undefined)[] | undefined;
  attachments?: readonly unknown[] | undefined;
  caseDemands?: readonly string[] | undefined;
}

const filledText = (text: string | undefined) => (text ?? '').trim() !== '';

/**
 * The sections still empty, in the template's order. The server's rule
 * (src/server/modules/knowledge/rules.ts, missingSections) decides; this is
 * its copy for the form to show while the editor types, and
 * test/knowledge.test.ts checks that the two agree. 相关文件 is filled by text
 * or a file, 实际案例 by text or a demand's number, 常见问题 by a question
 * with its answer.
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

/**
 * The sections a refusal names, when the server refused a submission or an
 * approval for empty sections (409, "…; empty: 注意事项 (reminders), 相关文件
 * (documents)"); undefined for any other failure.
 */
export function refusedSections(err: unknown): SectionKey[] | undefined {
  // An ApiError (api/client.ts), recognised by its shape: this file stays free of the browser's client for the tests to import.
  if (!(err instanceof Error) || (err as Error & { status?: unknown }).status !== 409) return undefined;
  const listed = /all six sections filled; empty: (.*)$/.exec(err.message)?.[1];
  if (!listed) return undefined;
  const keys = [...listed.matchAll(/\((\w+)\)/g)].map((m) => m[1]);
  const known = SECTION_KEYS.filter((key) => keys.includes(key));
  return known.length > 0 ? known : undefined;
}
