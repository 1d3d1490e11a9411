import { OUTAGE_KINDS, type OutageKind, type OutageRules, type OutageStatus } from '../../../shared/schemas/outages.js';

export { OutageRules } from '../../../shared/schemas/outages.js';

// The outages' rules (DESIGN.md, "Outages and communication with customers",
// and the time-limit table), as plain functions over data: when a notice is
// due, whether one is late, which moves the lifecycle allows, the notice text
// from its template, and which fault calls make a suspected outage.

export const DEFAULT_OUTAGE_RULES: OutageRules = {
  // DESIGN.md's table: planned 7 days before, temporary maintenance 24 h, fault published at once.
  // Load-shedding (有序用电) is not in the table; it is announced a day ahead like maintenance.
  noticeLeadHours: { planned: 7 * 24, maintenance: 24, load_shedding: 24, fault: 0 },
  suspected: { districtCalls: 3, feederCalls: 5, windowMinutes: 15 },
  templates: {
    planned: '【停电通知】尊敬的客户：因{cause}，{area}将于{start}至{end}计划停电，请提前做好准备。停电编号{number}，咨询请拨95598。',
    maintenance: '【停电通知】尊敬的客户：因{cause}，{area}将于{start}至{end}临时检修停电，给您带来不便，敬请谅解。停电编号{number}。',
    load_shedding: '【有序用电】尊敬的客户：因{cause}，{area}将于{start}至{end}执行有序用电，请合理安排生产生活。编号{number}。',
    fault: '【故障停电】尊敬的客户：{area}因{cause}停电，抢修人员正在处理，预计{end}恢复供电。停电编号{number}。',
  },
};

/** The latest moment the customers must have been told: the start less the kind's lead. */
export function noticeDueAt(kind: OutageKind, startsAt: string, rules: OutageRules): string {
  return new Date(Date.parse(startsAt) - rules.noticeLeadHours[kind] * 3_600_000).toISOString();
}

/** A notice given now is late when its due moment has passed; the hours short are named in the refusal. */
export function lateNotice(
  kind: OutageKind,
  startsAt: string,
  now: string,
  rules: OutageRules,
): { late: false } | { late: true; leadHours: number; hoursAhead: number } {
  const due = noticeDueAt(kind, startsAt, rules);
  if (rules.noticeLeadHours[kind] === 0 || now <= due) return { late: false };
  return { late: true, leadHours: rules.noticeLeadHours[kind], hoursAhead: Math.max(0, Math.floor((Date.parse(startsAt) - Date.parse(now)) / 3_600_000)) };
}

/** The lead in words for a refusal: 7 days, 24 h. */
export function leadInWords(hours: number): string {
  return hours % 24 === 0 && hours >= 48 ? `${hours / 24} days` : `${hours} h`;
}

export type OutageAction = 'start' | 'update' | 'restore' | 'cancel';

/** The lifecycle: announced → in progress → restored; an announced or running outage may be cancelled (a running one only before power is back). */
export function outageTransition(status: OutageStatus, action: OutageAction): OutageStatus | { refused: string } {
  switch (action) {
    case 'start':
      return status === 'announced' ? 'in_progress' : { refused: `an outage ${status} does not start` };
    case 'update':
      return status === 'announced' || status === 'in_progress' ? status : { refused: `an outage ${status} has no expected end to move` };
    case 'restore':
      return status === 'announced' || status === 'in_progress' ? 'restored' : { refused: `an outage ${status} is not restored` };
    case 'cancel':
      return status === 'announced'
        ? 'cancelled'
        : { refused: status === 'in_progress' ? 'a running outage is restored, not cancelled' : `an outage ${status} is not cancelled` };
  }
}

/** The status an outage gets when it is announced: running already when its start has come. */
export const initialStatus = (startsAt: string, now: string): OutageStatus => (startsAt <= now ? 'in_progress' : 'announced');

/** The notice's text: the kind's template with the outage's facts. */
export function renderNotice(template: string, facts: { area: string; start: string; end: string; cause: string; number: string }): string {
  return template.replace(/\{(area|start|end|cause|number)\}/g, (_, key: keyof typeof facts) => facts[key]);
}

export interface FaultCall {
  id: number;
  number: string;
  createdAt: string;
  districtId: number | null;
  feederId: number | null;
}

export interface SuspectedGroup {
  place: 'district' | 'feeder';
  placeId: number;
  calls: FaultCall[];
  firstAt: string;
  lastAt: string;
}

/**
 * The suspected outages among recent fault calls: a 台区 with at least
 * `districtCalls` calls, or a feeder with at least `feederCalls`, within any
 * window of `windowMinutes`. A feeder's group is shown only when none of its
 * 台区 alone makes one with all of its calls (the 台区 names it more exactly).
 * Calls already linked to an outage are not given to this function.
 */
export function suspectedGroups(calls: readonly FaultCall[], rules: OutageRules['suspected']): SuspectedGroup[] {
  const windowMs = rules.windowMinutes * 60_000;
  const groupsOf = (place: 'district' | 'feeder', threshold: number) => {
    const byPlace = new Map<number, FaultCall[]>();
    for (const call of calls) {
      const id = place === 'district' ? call.districtId : call.feederId;
      if (id === null) continue;
      byPlace.set(id, [...(byPlace.get(id) ?? []), call]);
    }
    const found: SuspectedGroup[] = [];
    for (const [placeId, list] of byPlace) {
      const sorted = [...list].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
      // The largest set of calls within one window (two pointers over the sorted times).
      let best: FaultCall[] = [];
      for (let start = 0, end = 0; end < sorted.length; end++) {
        while (Date.parse(sorted[end]!.createdAt) - Date.parse(sorted[start]!.createdAt) > windowMs) start++;
        if (end - start + 1 > best.length) best = sorted.slice(start, end + 1);
      }
      if (best.length >= threshold) found.push({ place, placeId, calls: best, firstAt: best[0]!.createdAt, lastAt: best[best.length - 1]!.createdAt });
    }
    return found;
  };
  const districts = groupsOf('district', rules.districtCalls);
  const feeders = groupsOf('feeder', rules.feederCalls).filter((f) => {
    const ids = new Set(f.calls.map((c) => c.id));
    return !districts.some((d) => d.calls.length >= ids.size && f.calls.every((c) => d.calls.some((x) => x.id === c.id)));
  });
  return [...districts, ...feeders].sort((a, b) => b.calls.length - a.calls.length || a.firstAt.localeCompare(b.firstAt));
}

export const isOutageKind = (kind: string): kind is OutageKind => (OUTAGE_KINDS as readonly string[]).includes(kind);

/**
 * The unit that owns an outage over places of several units: the nearest unit
 * above all of them (two stations of one county: the county bureau), the root
 * when they share nothing else.
 */
export function commonOwner(owners: readonly number[], tree: readonly { id: number; parentId: number | null }[]): number | undefined {
  const parent = new Map(tree.map((u) => [u.id, u.parentId]));
  const chain = (id: number) => {
    const up: number[] = [];
    for (let at: number | null | undefined = id; at != null && !up.includes(at); at = parent.get(at)) up.push(at);
    return up;
  };
  const [first, ...rest] = [...new Set(owners)].map(chain);
  if (!first) return undefined;
  return first.find((id) => rest.every((c) => c.includes(id)));
}
