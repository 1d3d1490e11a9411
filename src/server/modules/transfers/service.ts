import type { Kysely } from 'kysely';
import type { AnswerTransferBody, TransferBatch, TransferBatchSummary, TransferItem } from '../../../shared/schemas/transfers.js';
import type { DB } from '../../db/types.js';
import { recordAudit, type AuditContext } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { authorize, can, isCityWide, type Actor } from '../../platform/policy.js';
import { localDate } from '../../../shared/time.js';
import { deadlineRules, listRouteRows } from '../deadlines/service.js';
import { raiseToDepartment, recordDepartmentAnswer } from '../demands/raised.js';
import { allUnits, unitTree } from '../org/directory.js';
import { subtreeOf } from '../org/rules.js';
import { visibleUnitIds } from '../org/service.js';
import * as repo from './repository.js';
import { batchDueOn, monthPeriod, planTransfers } from './rules.js';

// 传递: the month's batch, made once (by the scheduler on the first working
// day of the next month, or by an analyst), and the departments' answers.

function findingsOf(reportJson: string | null): string | null {
  if (reportJson === null) return null;
  const findings = (JSON.parse(reportJson) as { findings?: unknown }).findings;
  return typeof findings === 'string' && findings.trim() !== '' ? findings : null;
}

function presentItem(r: repo.ItemRow, now: string): TransferItem {
  return {
    id: r.id,
    batchId: r.batch_id,
    month: r.month,
    demandId: r.demand_id,
    number: r.number,
    type: r.type,
    category: r.category as TransferItem['category'],
    content: r.content,
    customerName: r.customer_name,
    demandStatus: r.demand_status,
    fromUnitId: r.from_unit_id,
    fromUnitName: r.from_unit_name,
    toUnitId: r.to_unit_id,
    toUnitName: r.to_unit_name,
    reason: r.reason as TransferItem['reason'],
    unresolvedReason: r.unresolved_reason,
    firstFindings: findingsOf(r.first_report_json),
    status: r.status as TransferItem['status'],
    dueAt: r.due_at,
    overdue: (r.answered_at ?? now) > r.due_at,
    answer:
      r.status === 'answered'
        ? {
            measures: r.measures ?? '',
            owner: r.owner,
            resolved: r.resolved === 1,
            expectedBy: r.expected_by,
            answeredAt: r.answered_at!,
            answeredByName: r.answered_by_name,
          }
        : null,
    version: r.version,
  };
}

/** The centre sees every item; a unit's handlers those raised to or from their units. */
async function itemScope(ctx: ServiceContext): Promise<number[] | undefined> {
  return isCityWide(ctx.actor.roles) ? undefined : [...(await visibleUnitIds(ctx))];
}

function summarise(b: repo.BatchRow, items: TransferItem[]): TransferBatchSummary {
  return {
    id: b.id,
    month: b.month,
    from: b.period_from,
    to: b.period_to,
    createdAt: b.created_at,
    createdByName: b.created_by_name,
    items: items.length,
    answered: items.filter((i) => i.status === 'answered').length,
    overdue: items.filter((i) => i.overdue).length,
    overdueOpen: items.filter((i) => i.overdue && i.status === 'open').length,
  };
}

/**
 * Makes the month's batch: every candidate raised to its department, each
 * with its answer clock, in one transaction. A month has one batch: asked
 * again (or by two servers at once) it is the one there, and `created` says
 * which. The batch stands as made: a later report is next month's.
 */
export async function makeBatch(
  db: Kysely<DB>,
  input: { month: string; at: string; actor: Actor | null; audit: AuditContext; timeZone: string },
): Promise<{ batchId: number; created: boolean }> {
  const existing = await repo.findBatchByMonth(db, input.month);
  if (existing) return { batchId: existing.id, created: false };
  const period = monthPeriod(input.month, input.timeZone);
  const [candidates, tree, routes, rules] = await Promise.all([
    repo.candidatesOf(db, period.to),
    unitTree(db),
    listRouteRows(db),
    deadlineRules(db, input.timeZone),
  ]);
  const raised = await repo.casesRaised(db, [...new Set(candidates.map((c) => c.caseId))]);
  const units = new Map((await allUnits(db)).map((u) => [u.id, u.name]));
  const planned = planTransfers(candidates, {
    routes: new Map(routes.map((r) => [r.category, r.unit_id])),
    subtreeOf: (id) => subtreeOf(tree, id),
    casesRaised: raised,
  });
  try {
    const batchId = await db.transaction().execute(async (trx) => {
      const batchId = await repo.insertBatch(trx, {
        month: input.month,
        from: period.from,
        to: period.to,
        createdBy: input.actor?.userId ?? null,
        at: input.at,
      });
      for (const p of planned) {
        // The item first (its id goes on the timeline), then its clock, then the due date the clock set.
        const itemId = await repo.insertItem(trx, {
          batchId,
          demandId: p.demandId,
          fromUnitId: p.fromUnitId,
          toUnitId: p.toUnitId,
          reason: p.reason,
          dueAt: input.at,
        });
        const { dueAt } = await raiseToDepartment(trx, rules, {
          demandId: p.demandId,
          itemId,
          month: input.month,
          fromUnitId: p.fromUnitId,
          fromUnitName: units.get(p.fromUnitId) ?? '',
          toUnitId: p.toUnitId,
          toUnitName: units.get(p.toUnitId) ?? '',
          at: input.at,
        });
        await repo.setItemDue(trx, itemId, dueAt);
      }
      await recordAudit(trx, input.audit, {
        action: 'transfer.batch_made',
        entityType: 'transfer_batch',
        entityId: batchId,
        after: { month: input.month, items: planned.length },
      });
      return batchId;
    });
    return { batchId, created: true };
  } catch (err) {
    // Made meanwhile by another request or server: the month's one batch is that one.
    const made = await repo.findBatchByMonth(db, input.month);
    if (made) return { batchId: made.id, created: false };
    throw err;
  }
}

export async function createBatch(ctx: ServiceContext, month: string): Promise<{ batch: TransferBatch; created: boolean }> {
  authorize(ctx.actor, 'transfer.manage');
  const period = monthPeriod(month, ctx.timeZone);
  if (period.to > ctx.now()) throw invalid('month', `${month} has not ended; its batch is made once it is over`);
  const { batchId, created } = await makeBatch(ctx.db, { month, at: ctx.now(), actor: ctx.actor, audit: ctx, timeZone: ctx.timeZone });
  return { batch: await getBatch(ctx, batchId), created };
}

/** The scheduler's part: the previous month's batch, from this month's first working day on, once. */
export async function runMonthlyTransfer(db: Kysely<DB>, now: Date, timeZone: string): Promise<number> {
  const rules = await deadlineRules(db, timeZone);
  const month = batchDueOn(localDate(now, timeZone), rules.calendar);
  if (!month) return 0;
  const at = now.toISOString();
  const { created } = await makeBatch(db, { month, at, actor: null, audit: { actor: null, now: () => at }, timeZone });
  return created ? 1 : 0;
}

export async function getBatch(ctx: ServiceContext, id: number): Promise<TransferBatch> {
  authorize(ctx.actor, 'transfer.read');
  const batch = await repo.findBatch(ctx.db, id);
  if (!batch) throw notFound('transfer batch');
  const now = ctx.now();
  const items = (await repo.listItems(ctx.db, { batchIds: [id], unitIds: await itemScope(ctx) })).map((r) => presentItem(r, now));
  const { items: _count, ...summary } = summarise(batch, items);
  return { ...summary, items };
}

export async function listBatches(ctx: ServiceContext, month?: string): Promise<TransferBatchSummary[]> {
  authorize(ctx.actor, 'transfer.read');
  const batches = await repo.listBatches(ctx.db, month);
  const now = ctx.now();
  const items = (await repo.listItems(ctx.db, { batchIds: batches.map((b) => b.id), unitIds: await itemScope(ctx) })).map((r) => presentItem(r, now));
  return batches.map((b) =>
    summarise(
      b,
      items.filter((i) => i.batchId === b.id),
    ),
  );
}

export async function listItems(
  ctx: ServiceContext,
  query: { status?: string | undefined; toUnitId?: number | undefined; demandId?: number | undefined },
): Promise<TransferItem[]> {
  authorize(ctx.actor, 'transfer.read');
  const now = ctx.now();
  return (await repo.listItems(ctx.db, { ...query, unitIds: await itemScope(ctx) })).map((r) => presentItem(r, now));
}

/**
 * The department answers an item raised to it: measures, whether the matter
 * is resolved, by when, and who carries it out. Only its handlers (the
 * department and the 所 under it) answer, also when the demand was closed
 * meanwhile (the measures still go to the meeting); an answer may be corrected.
 */
export async function answerItem(ctx: ServiceContext, id: number, body: AnswerTransferBody, expectedVersion?: number): Promise<TransferItem> {
  authorize(ctx.actor, 'transfer.answer');
  const [item] = await repo.listItems(ctx.db, { id, unitIds: await itemScope(ctx) });
  if (!item) throw notFound('transfer item');
  if (!(await visibleUnitIds(ctx)).has(item.to_unit_id) || !can(ctx.actor, 'transfer.answer')) {
    throw new AppError('forbidden', `only ${item.to_unit_name}, to which it was raised, answers this item`);
  }
  if (expectedVersion !== undefined && expectedVersion !== item.version)
    throw conflict('the item was changed by someone else since you read it; reload it and try again');
  if (!body.resolved && !body.expectedBy) throw invalid('expectedBy', 'an unresolved matter needs the date by which it is expected to be resolved');
  if (body.expectedBy && body.expectedBy < localDate(ctx.now(), ctx.timeZone)) throw invalid('expectedBy', 'must not be in the past');
  const rules = await deadlineRules(ctx.db, ctx.timeZone);
  const at = ctx.now();
  await ctx.transact(async (trx) => {
    const answer = { measures: body.measures, owner: body.owner ?? null, resolved: body.resolved, expectedBy: body.expectedBy ?? null };
    if (!(await repo.answerItem(trx, id, item.version, { ...answer, by: ctx.actor.userId, at })))
      throw conflict('the item was changed by someone else since you read it; reload it and try again');
    await recordDepartmentAnswer(trx, rules, { demandId: item.demand_id, itemId: id, unitName: item.to_unit_name, ...answer, actorId: ctx.actor.userId, at });
    await recordAudit(trx, ctx, {
      action: item.status === 'answered' ? 'transfer.answer_corrected' : 'transfer.answered',
      entityType: 'transfer_item',
      entityId: id,
      unitId: item.to_unit_id,
      before: { status: item.status },
      after: answer,
    });
  });
  const [answered] = await repo.listItems(ctx.db, { id });
  return presentItem(answered!, ctx.now());
}
