// 近义词表 as the editor checks it before saving: the server's own checks
// (src/shared/schemas/knowledge.ts SetSynonymsBody, knowledge/search.ts
// setSynonyms) said at the row, before the list is sent.

export const PHRASE_MAX = 50;
export const WORDS_MAX = 200;

export interface SynonymRow {
  phrase: string;
  words: string;
}

export type SynonymProblem = { index: number; field: 'phrase' | 'words' } & (
  { kind: 'required' } | { kind: 'tooLong'; max: number } | { kind: 'twice'; otherRow: number }
);

/** The list as it is sent: each text trimmed, the words one space apart. */
export const cleanSynonyms = (rows: readonly SynonymRow[]): SynonymRow[] =>
  rows.map((r) => ({ phrase: r.phrase.trim(), words: r.words.trim().split(/\s+/).filter(Boolean).join(' ') }));

/**
 * What keeps the list from being saved, by row (0-based index). A phrase
 * listed twice is marked on each of its rows, naming the other (1-based, as
 * the table numbers rows): the row just typed may be either.
 */
export function synonymProblems(rows: readonly SynonymRow[]): SynonymProblem[] {
  const problems: SynonymProblem[] = [];
  const clean = cleanSynonyms(rows);
  const rowsOf = new Map<string, number[]>();
  clean.forEach(({ phrase }, index) => rowsOf.set(phrase, [...(rowsOf.get(phrase) ?? []), index]));
  clean.forEach(({ phrase, words }, index) => {
    const same = rowsOf.get(phrase)!;
    if (!phrase) problems.push({ index, field: 'phrase', kind: 'required' });
    else if (phrase.length > PHRASE_MAX) problems.push({ index, field: 'phrase', kind: 'tooLong', max: PHRASE_MAX });
    else if (same.length > 1) problems.push({ index, field: 'phrase', kind: 'twice', otherRow: same.find((i) => i !== index)! + 1 });
    if (!words) problems.push({ index, field: 'words', kind: 'required' });
    else if (words.length > WORDS_MAX) problems.push({ index, field: 'words', kind: 'tooLong', max: WORDS_MAX });
  });
  return problems;
}

/** The row and field a server issue names (`items.3.phrase`, or `body.items.3.words` from the schema). */
export function issueRow(path: string): { index: number; field: 'phrase' | 'words' } | undefined {
  const m = /(?:^|\.)items\.(\d+)\.(phrase|words)$/.exec(path);
  return m ? { index: Number(m[1]), field: m[2] as 'phrase' | 'words' } : undefined;
}
