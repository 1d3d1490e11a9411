// 多次诉求 (DESIGN.md, "Repeated demand"), the numbers the server's rules
// (demands/rules.ts caseToJoin, the evaluation's count, the lists' filter)
// and the web's words share.

/** A call joins a case on the same matter closed within this many days (and any case still open). */
export const REPEAT_WINDOW_DAYS = 30;

/** A case is a repeated one (多次诉求) from its second call on. */
export const REPEATED_FROM_CALLS = 2;

export const isRepeated = (calls: number): boolean => calls >= REPEATED_FROM_CALLS;
