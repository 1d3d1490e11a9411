import {
  APPLICATION_STAGES,
  type ApplicationStage,
  type ApplicationStageRules,
  type ApplicationSupply,
  type ApplicationTrack,
  type ApplicationVoltage,
} from '../../../shared/schemas/applications.js';
import { addWorkingDays, workingInstantAt, type BusinessCalendar } from '../deadlines/calendar.js';

// The green channel's rules (DESIGN.md, "Green channel" and the time-limit
// table): which stage set an application runs through, the stages' default
// owners and limits, and the supervision's moments (the 80 % reminder, the
// escalation when late and again after a further half of the limit).

export const STAGE_WORDS: Record<ApplicationStage, string> = {
  accept: '受理',
  survey: '现场勘查',
  scheme: '供电方案答复',
  design_review: '设计审查',
  midway_check: '中间检查',
  completion_check: '竣工检验',
  connection: '装表接电',
};

/**
 * The defaults. Their totals are the utility-side limits of DESIGN.md's table:
 * residential 5 WD, low-voltage non-residential 6 WD, high voltage single
 * supply 22 WD, double supply 32 WD. Owners: 市场营销部 (YL-YXB) takes the
 * high-voltage applications and answers the scheme, 生产设备部 (YL-SCB) checks
 * the works; the customer's county bureau surveys and connects, its station
 * takes the low-voltage ones.
 */
export const DEFAULT_STAGE_RULES: ApplicationStageRules = {
  tracks: {
    residential: [
      { stage: 'accept', owner: '@station', limitWd: 1 },
      { stage: 'survey', owner: '@station', limitWd: 2 },
      { stage: 'connection', owner: '@station', limitWd: 2 },
    ],
    low_voltage: [
      { stage: 'accept', owner: '@station', limitWd: 1 },
      { stage: 'scheme', owner: '@county', limitWd: 3 },
      { stage: 'connection', owner: '@station', limitWd: 2 },
    ],
    hv_single: [
      { stage: 'accept', owner: 'YL-YXB', limitWd: 1 },
      { stage: 'survey', owner: '@county', limitWd: 3 },
      { stage: 'scheme', owner: 'YL-YXB', limitWd: 6 },
      { stage: 'design_review', owner: 'YL-YXB', limitWd: 4 },
      { stage: 'midway_check', owner: 'YL-SCB', limitWd: 3 },
      { stage: 'completion_check', owner: 'YL-SCB', limitWd: 3 },
      { stage: 'connection', owner: '@county', limitWd: 2 },
    ],
    hv_double: [
      { stage: 'accept', owner: 'YL-YXB', limitWd: 1 },
      { stage: 'survey', owner: '@county', limitWd: 4 },
      { stage: 'scheme', owner: 'YL-YXB', limitWd: 10 },
      { stage: 'design_review', owner: 'YL-YXB', limitWd: 6 },
      { stage: 'midway_check', owner: 'YL-SCB', limitWd: 4 },
      { stage: 'completion_check', owner: 'YL-SCB', limitWd: 4 },
      { stage: 'connection', owner: '@county', limitWd: 3 },
    ],
  },
};

const LOW_VOLTAGES: ReadonlySet<ApplicationVoltage> = new Set(['0.22kV', '0.4kV']);
export const isLowVoltage = (voltage: ApplicationVoltage) => LOW_VOLTAGES.has(voltage);

/**
 * The stage set: at 0.22 / 0.4 kV a residential customer's is `residential`,
 * anyone else's `low_voltage` (and a double supply is refused there); at 10 kV
 * and above `hv_single` or `hv_double` by the supply.
 */
export function trackFor(input: { voltage: ApplicationVoltage; supply: ApplicationSupply; customerClass: string }): ApplicationTrack | { refused: string } {
  if (isLowVoltage(input.voltage)) {
    if (input.supply === 'double') return { refused: `a double supply is for 10kV and above; at ${input.voltage} the supply is single` };
    return input.customerClass === 'residential' ? 'residential' : 'low_voltage';
  }
  return input.supply === 'double' ? 'hv_double' : 'hv_single';
}

/** The utility-side total of each track, in working days. */
export function trackTotals(rules: ApplicationStageRules): Record<ApplicationTrack, number> {
  const sum = (track: ApplicationTrack) => rules.tracks[track].reduce((n, s) => n + s.limitWd, 0);
  return { residential: sum('residential'), low_voltage: sum('low_voltage'), hv_single: sum('hv_single'), hv_double: sum('hv_double') };
}

/** A stage's place in the canonical order (for sorting a track's stages and the list's chart). */
export const stageOrder = (stage: string) => APPLICATION_STAGES.indexOf(stage as ApplicationStage);

/** Share of a stage's working time after which its owner and account manager are reminded. */
export const REMIND_SHARE = 0.8;

/** A stage started at `start`: due after its limit in working days, reminded at 80 % of that working time. */
export function stageTimes(start: Date, limitWd: number, calendar: BusinessCalendar): { dueAt: string; remindAt: string } {
  const due = addWorkingDays(start, limitWd, calendar);
  const remind = workingInstantAt(start, due, REMIND_SHARE, calendar) ?? due;
  return { dueAt: due.toISOString(), remindAt: remind.toISOString() };
}

/** The second escalation (the owner unit's head): a further half of the stage's limit after it was due, at least one working day. */
export function secondEscalationAt(dueAt: string, limitWd: number, calendar: BusinessCalendar): string {
  // Counted from the due moment itself: a stage due at midnight has its next day as the first counted.
  return addWorkingDays(new Date(Date.parse(dueAt) - 1), Math.max(1, limitWd / 2), calendar).toISOString();
}

export type SupervisionStep = 'remind' | 'escalate1' | 'escalate2';

/**
 * What the supervision owes a stage under way at `now`, given what it has
 * already done: nothing, the reminder, or the next escalation level. A stage
 * past due is escalated rather than reminded (its reminder is then spent).
 */
export function supervisionDue(
  stage: { dueAt: string; remindAt: string; limitWd: number; reminded: boolean; level: number },
  now: string,
  calendar: BusinessCalendar,
): SupervisionStep | null {
  if (stage.level === 0 && stage.dueAt <= now) return 'escalate1';
  if (stage.level === 1 && secondEscalationAt(stage.dueAt, stage.limitWd, calendar) <= now) return 'escalate2';
  if (stage.level === 0 && !stage.reminded && stage.remindAt <= now) return 'remind';
  return null;
}

/** The unit owning a stage: a named unit by its code, or the customer's own county bureau or station. */
export function ownerUnitOf(owner: string, customer: { stationId: number; countyId: number }, unitsByCode: ReadonlyMap<string, number>): number | undefined {
  if (owner === '@station') return customer.stationId;
  if (owner === '@county') return customer.countyId;
  return unitsByCode.get(owner);
}

/** The application's number: YK + the local date + a sequence of the day (YK20261207001). */
export const applicationNumber = (localDate: string, sequence: number) => `YK${localDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
