// The order in which a unit's experts are asked (DESIGN.md, "Expert seat"):
// the unit's leaders last ("passed over to the next expert of the unit, then to
// the unit's leader"), those covering the question's topic first, then the
// least busy. Shared, so that the agent's dialog proposes the expert the server
// will assign.

export interface Rankable {
  id: number;
  leader: boolean;
  topics: readonly string[];
  /** Questions in hand. */
  openCount: number;
}

const sameTopic = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export const coversTopic = (expert: Pick<Rankable, 'topics'>, topic: string | null | undefined): boolean =>
  !!topic && expert.topics.some((t) => sameTopic(t, topic));

/** Of two experts who can both answer now, which is asked first. */
export function compareExperts(a: Rankable, b: Rankable, topic: string | null | undefined): number {
  return Number(a.leader) - Number(b.leader) || Number(coversTopic(b, topic)) - Number(coversTopic(a, topic)) || a.openCount - b.openCount || a.id - b.id;
}
