import { z } from 'zod';
import { DEMAND_TYPES } from '../codes.js';
import { IdParam, Month } from './common.js';
import { DEADLINE_STEPS } from './settings.js';

// The dashboards (issue 18, point 4) and the staff figures (point 5): what the
// centre manager, the team lead's wall screen, a unit and each staff member
// look at. Every count of demands comes from the day rollups (exact at any
// scheduler lag); the live figures (open work) from the open items only.

const Count = z.number().int().nonnegative();
/** A share between 0 and 1, or null when there is nothing to divide by. */
const Rate = z.number().min(0).max(1).nullable();

/** One period's figures of the centre dashboard. */
export const PeriodFigures = z.object({
  /** Local dates: from inclusive, to exclusive. */
  fromDay: z.string(),
  toDay: z.string(),
  /** Every call registered. */
  calls: Count,
  /** The cases (a case once, by its first call). */
  cases: Count,
  complaints: Count,
  /** Cases with a step past its limit. */
  overdue: Count,
  satisfied: Count,
  unsatisfied: Count,
  /** satisfied / (satisfied + unsatisfied). */
  satisfaction: Rate,
});
export type PeriodFigures = z.infer<typeof PeriodFigures>;

const TypeSeries = z.object({ type: z.enum(DEMAND_TYPES), counts: z.array(Count) });

const WorstUnit = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  /** The figure the unit is ranked by: a count (overdue) or a share (timeliness, satisfaction). */
  value: z.number(),
  /** What the share is of: the unit's cases, deadlines met or late, or callbacks. */
  of: Count,
});

export const CentreDashboard = z.object({
  now: z.string(),
  today: z.string(),
  month: z.string(),
  periods: z.object({
    today: PeriodFigures,
    yesterday: PeriodFigures,
    /** The same weekday a week before. */
    lastWeek: PeriodFigures,
    monthToDate: PeriodFigures,
    /** Last month from its first day to the same day of the month (its last day at most). */
    lastMonthToDate: PeriodFigures,
  }),
  /** Cases per day of the last 30 days (today last), by type. */
  daily: z.object({ days: z.array(z.string()), series: z.array(TypeSeries) }),
  /** Cases per month of the last 12 months (this month last), by type. */
  monthly: z.object({ months: z.array(z.string()), series: z.array(TypeSeries) }),
  /** This month's worst units, five of each at most: most overdue cases, lowest share of their own steps in time (not the centre's dispatch and callback), lowest callback satisfaction. */
  worst: z.object({ overdue: z.array(WorstUnit), timeliness: z.array(WorstUnit), satisfaction: z.array(WorstUnit) }),
});
export type CentreDashboard = z.infer<typeof CentreDashboard>;

const StepFigures = z.object({ step: z.enum(DEADLINE_STEPS), running: Count, overdue: Count });

export const Wallboard = z.object({
  now: z.string(),
  today: z.string(),
  totals: z.object({
    /** Open work orders (sent, taken, crew on site). */
    waiting: Count,
    /** Live deadlines past their limit. */
    overdue: Count,
    /** Live deadlines not yet due. */
    running: Count,
    /** Open cases at escalation level 1 or above. */
    escalated: Count,
    /** Calls registered today. */
    callsToday: Count,
  }),
  /** Per unit that holds open work: its open orders and its live steps; the most overdue first. */
  units: z.array(
    z.object({
      unitId: z.number().int(),
      unitName: z.string(),
      waiting: Count,
      overdue: Count,
      running: Count,
      steps: z.array(StepFigures),
    }),
  ),
  /** The city's live steps, each step's running and overdue deadlines. */
  steps: z.array(StepFigures),
  /** The open escalated cases, the highest level and oldest first (twenty at most; `totals.escalated` counts them all). */
  escalations: z.array(
    z.object({
      demandId: z.number().int(),
      number: z.string(),
      type: z.enum(DEMAND_TYPES),
      level: z.number().int(),
      unitName: z.string(),
      createdAt: z.string(),
      /** The nearest live deadline of the case, or null. */
      dueAt: z.string().nullable(),
    }),
  ),
  /** The experts on duty now (by their duty hours), available first. */
  experts: z.array(
    z.object({
      name: z.string(),
      unitName: z.string(),
      dutyFrom: z.string(),
      dutyTo: z.string(),
      available: z.boolean(),
      openConsultations: Count,
    }),
  ),
  /** Calls registered today per local hour, 0 to 23. */
  callsPerHour: z.array(Count).length(24),
});
export type Wallboard = z.infer<typeof Wallboard>;

export const UnitDashboardQuery = z.strictObject({
  unitId: IdParam.optional().describe('the unit (default: the caller’s own); a unit’s handlers see their unit and those below it'),
});

export const UnitDashboard = z.object({
  now: z.string(),
  month: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  /** The unit and the units below it, whose work the page counts. */
  unitCount: Count,
  queue: z.object({
    total: Count,
    byStatus: z.array(z.object({ status: z.string(), count: Count })),
    overdue: Count,
    /** The open orders, the nearest limit first (a hundred at most). */
    items: z.array(
      z.object({
        taskId: z.number().int(),
        demandId: z.number().int(),
        number: z.string(),
        type: z.enum(DEMAND_TYPES),
        status: z.string(),
        unitName: z.string(),
        createdAt: z.string(),
        /** The order's nearest live step and its limit, or null. */
        step: z.string().nullable(),
        dueAt: z.string().nullable(),
      }),
    ),
  }),
  /** This month's steps of the unit's work, by step: in time, late, still running. */
  timeliness: z.array(z.object({ step: z.enum(DEADLINE_STEPS), total: Count, inTime: Count, late: Count, running: Count, rate: Rate })),
  /**
   * The evaluation's score for the current quarter so far (computed now by the
   * evaluation's own formula), of the evaluated unit this unit belongs to (a
   * station: its county bureau or department); null when none.
   */
  score: z
    .object({
      year: z.number().int(),
      quarter: z.number().int(),
      unitId: z.number().int(),
      unitName: z.string(),
      kind: z.enum(['department', 'county']),
      score: z.number(),
      rank: z.number().int(),
      /** How many units of its kind are ranked. */
      of: Count,
      demands: Count,
      unresolved: Count,
      unresolvedRate: z.number(),
      repeated: Count,
    })
    .nullable(),
});
export type UnitDashboard = z.infer<typeof UnitDashboard>;

export const StaffQuery = z.strictObject({ month: Month.optional().describe('YYYY-MM; this month by default') });

export const StaffRow = z.object({
  userId: z.number().int(),
  name: z.string(),
  username: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  role: z.enum(['agent', 'handler']),
  /** Agents: the calls they registered; handlers: the work orders they handled. */
  taken: Count,
  /** Agents: of those, the cases (first calls); handlers: the demands of the orders. */
  cases: Count,
  /** Their steps of the month (agents: dispatch and callback; handlers: arrival, restoration, contact, answer): met in time, late, running. */
  stepsInTime: Count,
  stepsLate: Count,
  stepsRunning: Count,
  timeliness: Rate,
  satisfied: Count,
  unsatisfied: Count,
  satisfaction: Rate,
  /** Agents only: cases closed on the call (answered, no work order, no expert), and their share of the cases; null for handlers. */
  firstCallResolved: Count.nullable(),
  firstCallResolution: Rate,
});
export type StaffRow = z.infer<typeof StaffRow>;

export const StaffFigures = z.object({
  month: z.string(),
  /** Whose figures the caller sees: everyone, a team (the agents of the lead's unit), a unit head's handlers, or themselves. */
  scope: z.enum(['all', 'team', 'unit', 'self']),
  people: z.array(StaffRow),
});
export type StaffFigures = z.infer<typeof StaffFigures>;
