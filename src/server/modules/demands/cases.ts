import type { Kysely, Transaction } from 'kysely';
import { isOpenOrder } from '../../../shared/work-orders.js';
import type { DB } from '../../db/types.js';
import { loadLadder } from '../deadlines/service.js';
import { notify, type NewNotification } from '../../platform/notify.js';
import { findUser } from '../org/directory.js';
import { peopleOfLevel, type Person } from '../org/service.js';
import * as repo from './repository.js';
import { DEFAULT_LADDER, type LadderRung } from './rules.js';

// 多次诉求: a case, not a call (DESIGN.md, "Repeated demand"). A call that joins
// a case starts no clock of its own; it urges the case's open work orders and
// moves the case up the escalation ladder, each level a named person who is
// told once. The rules are in rules.ts (caseToJoin, levelAfterCall); this is
// what they do to the rows.

export const LEVEL_WORDS: Record<number, string> = { 1: '班长', 2: '中心主任', 3: '责任单位负责人' };

/** The ladder as stored (the defaults when a database predates it). */
export async function ladderOf(db: Kysely<DB>): Promise<readonly LadderRung[]> {
  const rungs = await loadLadder(db);
  return rungs.length === 3 ? rungs : DEFAULT_LADDER;
}

/** A case's first call: who registered it (their centre) and its responsible unit. */
export interface CaseHead {
  id: number;
  number: string;
  unit_id: number;
  created_by: number;
}

async function centreOf(db: Kysely<DB>, userId: number): Promise<number> {
  const user = await findUser(db, userId);
  if (!user) throw new Error(`user ${userId} not found`);
  return user.unit_id;
}

/**
 * Tells the people of each level reached, by name, once each: a timeline
 * entry on the case naming them and a notification to each. A level nobody
 * holds (no centre manager, no head named for the unit) is said on the
 * timeline, and the team leads are told that nobody was reached.
 */
export async function tellLevels(
  trx: Transaction<DB>,
  head: CaseHead,
  levels: readonly number[],
  event: { at: string; actorId: number | null; reason: string; note?: string | null; callNumber?: number },
): Promise<void> {
  if (levels.length === 0) return;
  const centreUnitId = await centreOf(trx, head.created_by);
  const entries: repo.TimelineEntry[] = [];
  const notices: NewNotification[] = [];
  const because = event.callNumber !== undefined ? `客户第 ${event.callNumber} 次来电` : event.note ? event.note : '人工升级';
  for (const level of levels) {
    const people: Person[] = await peopleOfLevel(trx, level, { unitId: head.unit_id, centreUnitId });
    entries.push({
      demandId: head.id,
      at: event.at,
      actorId: event.actorId,
      kind: 'escalated',
      note: event.note ?? null,
      data: { level, reason: event.reason, callNumber: event.callNumber ?? null, notified: people },
    });
    for (const p of people)
      notices.push({ userId: p.userId, kind: 'escalated', demandId: head.id, title: `诉求升级至${LEVEL_WORDS[level]} ${head.number}：${because}` });
    if (people.length === 0)
      notices.push({
        role: 'team_lead',
        kind: 'escalated',
        demandId: head.id,
        title: `诉求升级至${LEVEL_WORDS[level]} ${head.number}：未设置${LEVEL_WORDS[level]}，无人接收`,
      });
  }
  await repo.addTimeline(trx, entries);
  await notify(trx, event.at, notices);
}

/** The team leads and the head of the unit, by name: those an over-level complaint or an important customer puts on the case from the first minute. */
export async function firstMinutePeople(
  db: Kysely<DB>,
  head: Pick<CaseHead, 'unit_id' | 'created_by'>,
  withUnitHead: boolean,
): Promise<{ teamLeads: Person[]; unitHead: Person[] }> {
  const centreUnitId = await centreOf(db, head.created_by);
  const [teamLeads, unitHead] = await Promise.all([
    peopleOfLevel(db, 1, { unitId: head.unit_id, centreUnitId }),
    withUnitHead ? peopleOfLevel(db, 3, { unitId: head.unit_id, centreUnitId }) : Promise.resolve([]),
  ]);
  return { teamLeads, unitHead };
}

/** 催办: a further call urges each open work order of the case; the unit is told the customer called again. */
export async function urgeOpenOrders(
  trx: Transaction<DB>,
  head: CaseHead,
  at: string,
  why: { callNumber?: number; actorId: number | null; note?: string | null },
): Promise<number> {
  const open = (await repo.tasksOf(trx, head.id)).filter((t) => t.kind === 'work_order' && isOpenOrder(t.status));
  const words = why.callNumber !== undefined ? `客户第 ${why.callNumber} 次来电` : (why.note ?? '班长催办');
  for (const task of open) {
    await repo.urgeTask(trx, task.id, at);
    await repo.addTimeline(trx, [
      {
        demandId: head.id,
        taskId: task.id,
        at,
        actorId: why.actorId,
        kind: 'urged',
        note: why.note ?? null,
        data: { unitId: task.unit_id, unitName: task.unit_name, callNumber: why.callNumber ?? null, urgeCount: task.urge_count + 1 },
      },
    ]);
    await notify(trx, at, [
      { role: 'handler', unitId: task.unit_id, kind: 'urged', demandId: head.id, taskId: task.id, title: `催办 ${head.number}：${words}` },
    ]);
  }
  return open.length;
}
