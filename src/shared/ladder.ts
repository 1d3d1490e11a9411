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

/** Why a ladder cannot be saved, or null: one rung for each of the levels 1–3, reached at later and later calls, from the 2nd call on. */
export function ladderProblem(ladder: readonly LadderRung[]): string | null {
  const sorted = [...ladder].sort((a, b) => a.level - b.level);
  if (sorted.map((r) => r.level).join() !== '1,2,3') return 'the ladder has one rung for each of the levels 1, 2 and 3';
  if (sorted[0]!.calls < 2) return 'level 1 is reached at the 2nd call at the earliest (the first call is the case itself)';
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]!.calls <= sorted[i - 1]!.calls) return `level ${sorted[i]!.level} must be reached at a later call than level ${sorted[i - 1]!.level}`;
  return null;
}
