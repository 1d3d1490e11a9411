import { z } from 'zod';
import { DEMAND_CATEGORIES } from '../codes.js';
import { IdParam, LocalDate, LongText, Month, Text } from './common.js';

// 传递: the monthly batch of demands raised to the departments that own their categories.

export const TRANSFER_REASONS = ['unresolved', 'overdue'] as const;
export const TRANSFER_ITEM_STATUSES = ['open', 'answered'] as const;

export const CreateTransferBody = z.strictObject({ month: Month });

export const TransferAnswer = z.object({
  measures: z.string(),
  owner: z.string().nullable(),
  resolved: z.boolean(),
  expectedBy: z.string().nullable(),
  answeredAt: z.string(),
  answeredByName: z.string().nullable(),
});

export const TransferItem = z.object({
  id: z.number().int(),
  batchId: z.number().int(),
  month: z.string(),
  demandId: z.number().int(),
  number: z.string(),
  type: z.string(),
  category: z.enum(DEMAND_CATEGORIES).nullable(),
  content: z.string(),
  customerName: z.string().nullable(),
  demandStatus: z.string(),
  fromUnitId: z.number().int(),
  fromUnitName: z.string(),
  toUnitId: z.number().int(),
  toUnitName: z.string(),
  reason: z.enum(TRANSFER_REASONS),
  /** What the first handling reported, for an unresolved one: its reason code and findings. */
  unresolvedReason: z.string().nullable(),
  /** The first handling's findings (处理情况), as its unit reported them. */
  firstFindings: z.string().nullable(),
  status: z.enum(TRANSFER_ITEM_STATUSES),
  dueAt: z.string(),
  overdue: z.boolean(),
  answer: TransferAnswer.nullable(),
  version: z.number().int(),
});
export type TransferItem = z.infer<typeof TransferItem>;

export const TransferBatchSummary = z.object({
  id: z.number().int(),
  month: z.string(),
  from: z.string(),
  to: z.string(),
  createdAt: z.string(),
  createdByName: z.string().nullable().describe('null: made by the scheduler'),
  items: z.number().int(),
  answered: z.number().int(),
  overdue: z.number().int().describe('items answered late or still open past their due date'),
  overdueOpen: z.number().int().describe('items still open past their due date'),
});
export type TransferBatchSummary = z.infer<typeof TransferBatchSummary>;

export const TransferBatch = TransferBatchSummary.omit({ items: true }).extend({ items: z.array(TransferItem) });
export type TransferBatch = z.infer<typeof TransferBatch>;

export const TransfersQuery = z.strictObject({ month: Month.optional() });

export const TransferItemsQuery = z.strictObject({
  status: z.enum(TRANSFER_ITEM_STATUSES).optional(),
  toUnitId: IdParam.optional(),
  demandId: IdParam.optional(),
});

export const AnswerTransferBody = z.strictObject({
  measures: LongText(4000),
  resolved: z.boolean(),
  expectedBy: LocalDate.optional(),
  /** 责任人: who carries the measures out. */
  owner: Text(100).optional(),
});
export type AnswerTransferBody = z.infer<typeof AnswerTransferBody>;
