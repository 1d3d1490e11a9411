// The escalation ladder (DESIGN.md): at which call of a case each level is
// reached. The deadlines settings store it and check it, the demands apply it
// to a case's calls (demands/rules.ts), and the admin page edits it: one
// definition for all of them.

/** A rung of the escalation ladder: the case's call at which a level is reached. */
export interface LadderRung {
  level: number;
  calls: number;
}

/** The default ladder (DESIGN.md): the 3rd call to the team lead, the 5th to the centre manager, the 7th to the head of the responsible unit. */
export const DEFAULT_LADDER: readonly LadderRung[] = [
  { level: 1, calls: 3 },
  { level: 2, calls: 5 },
  { level: 3, calls: 7 },
];

/** What is wrong with a ladder: the server says it in English (ladderProblem), the web in the user's words. */
export type LadderIssue = { kind: 'levels' } | { kind: 'first' } | { kind: 'order'; level: number; previous: number };

/** Why a ladder cannot be saved, or null: one rung for each of the levels 1–3, reached at later and later calls, from the 2nd call on. */
export function ladderIssue(ladder: readonly LadderRung[]): LadderIssue | null {
  const sorted = [...ladder].sort((a, b) => a.level - b.level);
  if (sorted.map((r) => r.level).join() !== '1,2,3') return { kind: 'levels' };
  if (sorted[0]!.calls < 2) return { kind: 'first' };
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]!.calls <= sorted[i - 1]!.calls) return { kind: 'order', level: sorted[i]!.level, previous: sorted[i - 1]!.level };
  return null;
}

/** ladderIssue in the API's words (a 400's message), or null. */
export function ladderProblem(ladder: readonly LadderRung[]): string | null {
  const issue = ladderIssue(ladder);
  if (issue === null) return null;
  switch (issue.kind) {
    case 'levels':
      return 'the ladder has one rung for each of the levels 1, 2 and 3';
    case 'first':
      return 'level 1 is reached at the 2nd call at the earliest (the first call is the case itself)';
    case 'order':
      return `level ${issue.level} must be reached at a later call than level ${issue.previous}`;
  }
}
