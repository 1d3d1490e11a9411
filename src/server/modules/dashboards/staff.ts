import ExcelJS from 'exceljs';
import type { StaffFigures, StaffRow } from '../../../shared/schemas/dashboards.js';
import { localDate, localMonthRange } from '../../../shared/time.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { workbookBytes } from '../../platform/xlsx.js';
import { allUnits, unitTree } from '../org/directory.js';
import { subtreeOf } from '../org/rules.js';
import * as repo from './repository.js';
import { AGENT_STEPS, HANDLER_STEPS, NO_COUNTS, seesStaffMember, staffFigures, staffScope, type StaffCounts, type Viewer } from './rules.js';

// Each staff member's month (issue 18, point 5; seed 001 §4: 将客户的满意度与
// 报酬挂钩，使服务人员能看到自己的工作成效):
// - an agent's: the calls they registered in the month, the centre's steps of
//   those demands (dispatch, callback) in time, the callbacks of their cases,
//   and the cases closed on the call (first-call resolution);
// - a handler's: the work orders they handled in the month, the unit's steps
//   of those orders (arrival, restoration, contact, answer) in time, and the
//   callbacks of those orders' demands.
// Who sees whom is rules.ts staffScope: everyone their own; a team lead the
// agents of their unit; a unit's head its handlers; the centre manager and
// the analysts everyone.
//
// Cost: four grouped queries over one month — its demands (demands_created_idx),
// the deadlines of those demands (deadlines_demand_idx), the orders handled in
// it (tasks_handled_idx) and their deadlines — each a single GROUP BY per
// person in the database; nothing outside the month is read.

const refuseMonth = (message: string) => new AppError('validation', `querystring.month: ${message}`, [{ path: 'querystring.month', message }]);

type Grouped = { user_id: number | null } & Record<string, unknown>;

function byUser<T extends Grouped>(rows: readonly T[]): Map<number, T> {
  return new Map(rows.filter((r) => r.user_id !== null).map((r) => [Number(r.user_id), r]));
}

const num = (v: unknown) => Number(v ?? 0);

export async function staffFiguresOf(ctx: ServiceContext, query: { month?: string | undefined }): Promise<StaffFigures> {
  authorize(ctx.actor, 'staff.read');
  const now = ctx.now();
  const thisMonth = localDate(now, ctx.timeZone).slice(0, 7);
  const month = query.month ?? thisMonth;
  if (month > thisMonth) throw refuseMonth(`${month} has not begun (this month is ${thisMonth})`);
  const { from, to } = localMonthRange(month, ctx.timeZone);

  const [units, tree, members] = await Promise.all([allUnits(ctx.db), unitTree(ctx.db), repo.staffMembers(ctx.db)]);
  const heads = units.filter((u) => u.head_user_id === ctx.actor.userId).flatMap((u) => [...subtreeOf(tree, u.id)]);
  const viewer: Viewer = { userId: ctx.actor.userId, roles: ctx.actor.roles, unitId: ctx.actor.unitId, heads };
  const scope = staffScope(viewer);
  const shown = members.filter((m) => seesStaffMember(viewer, { userId: m.id, unitId: m.unit_id, role: m.role as 'agent' | 'handler' }));
  const ids = scope === 'all' ? null : [...new Set(shown.map((m) => m.id))];

  const [agents, agentDeadlines, handlers, handlerDeadlines] = await Promise.all([
    repo.agentCounts(ctx.db, from, to, ids),
    repo.agentSteps(ctx.db, from, to, AGENT_STEPS, now, ids),
    repo.handlerCounts(ctx.db, from, to, ids),
    repo.handlerSteps(ctx.db, from, to, HANDLER_STEPS, now, ids),
  ]);
  const counts = {
    agent: { taken: byUser(agents), steps: byUser(agentDeadlines) },
    handler: { taken: byUser(handlers), steps: byUser(handlerDeadlines) },
  };

  const people: StaffRow[] = shown.map((m) => {
    const role = m.role as 'agent' | 'handler';
    const taken = counts[role].taken.get(m.id);
    const steps = counts[role].steps.get(m.id);
    const c: StaffCounts = {
      ...NO_COUNTS,
      taken: num(taken?.taken),
      cases: num(taken?.cases),
      satisfied: num(taken?.satisfied),
      unsatisfied: num(taken?.unsatisfied),
      inTime: num(steps?.in_time),
      late: num(steps?.late),
      running: num(steps?.running),
      firstCallResolved: role === 'agent' ? num((taken as { first_call?: unknown } | undefined)?.first_call) : null,
    };
    return { userId: m.id, name: m.name, username: m.username, unitId: m.unit_id, unitName: m.unit_name, role, ...staffFigures(role, c) };
  });
  return { month, scope, people };
}

/** The month's figures as a workbook: one row a person, the shares as percentages. */
export async function staffWorkbook(figures: StaffFigures, at: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'suqiu';
  book.created = new Date(at);
  const sheet = book.addWorksheet('人员指标');
  sheet.addRow([`${figures.month} 人员服务指标`]).font = { bold: true, size: 13 };
  const header = sheet.addRow([
    '姓名',
    '单位',
    '岗位',
    '受理/处理',
    '诉求数',
    '时限内',
    '超时',
    '办理中',
    '及时率',
    '满意',
    '不满意',
    '回访满意率',
    '一次解决',
    '一次解决率',
  ]);
  header.font = { bold: true };
  for (const p of figures.people)
    sheet.addRow([
      p.name,
      p.unitName,
      p.role === 'agent' ? '坐席员' : '归口处理人员',
      p.taken,
      p.cases,
      p.stepsInTime,
      p.stepsLate,
      p.stepsRunning,
      p.timeliness,
      p.satisfied,
      p.unsatisfied,
      p.satisfaction,
      p.firstCallResolved,
      p.firstCallResolution,
    ]);
  for (const col of [9, 12, 14]) sheet.getColumn(col).numFmt = '0.0%';
  sheet.getColumn(1).width = 12;
  sheet.getColumn(2).width = 22;
  sheet.getColumn(3).width = 14;
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  return workbookBytes(book);
}
