// The refusal of a version for its empty sections, read back for the form to
// mark them. The rule of which sections are empty is src/shared/sections.ts.
import { SECTION_KEYS, type SectionKey } from '../../../shared/sections.js';

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
