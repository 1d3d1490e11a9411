import { z } from 'zod';
import { ErrorResponse, IdParams } from '../../../shared/schemas/common.js';
import {
  AnswerTransferBody,
  CreateTransferBody,
  TransferBatch,
  TransferBatchSummary,
  TransferItem,
  TransferItemsQuery,
  TransfersQuery,
} from '../../../shared/schemas/transfers.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { versionOf } from '../../platform/versions.js';
import { sendWorkbook, XLSX_TYPE } from '../../platform/xlsx.js';
import { answerItem, createBatch, getBatch, listBatches, listItems } from './service.js';
import { transferWorkbook } from './workbook.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const tags = ['transfer'];

export async function transferRoutes(app: App, deps: Deps): Promise<void> {
  app.post(
    '/api/transfers',
    {
      config: { action: 'transfer.manage' },
      schema: {
        tags,
        summary: 'Make a month’s batch (201), or get the one made already (200)',
        body: CreateTransferBody,
        response: { 200: TransferBatch, 201: TransferBatch, ...errors },
      },
    },
    async (request, reply) => {
      const { batch, created } = await createBatch(serviceContext(request, deps), request.body.month);
      reply.code(created ? 201 : 200);
      return batch;
    },
  );
  app.get(
    '/api/transfers',
    {
      config: { action: 'transfer.read' },
      schema: {
        tags,
        summary: 'The batches, newest month first, with their counts',
        querystring: TransfersQuery,
        response: { 200: z.array(TransferBatchSummary), ...errors },
      },
    },
    async (request) => listBatches(serviceContext(request, deps), request.query.month),
  );
  app.get(
    '/api/transfers/:id',
    { config: { action: 'transfer.read' }, schema: { tags, summary: 'A batch with its items', params: IdParams, response: { 200: TransferBatch, ...errors } } },
    async (request) => getBatch(serviceContext(request, deps), request.params.id),
  );
  app.get(
    '/api/transfers/:id/export',
    { config: { action: 'transfer.read' }, schema: { tags, summary: 'A batch as an Excel workbook', produces: [XLSX_TYPE], params: IdParams } },
    async (request, reply) => {
      const ctx = serviceContext(request, deps);
      const batch = await getBatch(ctx, request.params.id);
      return sendWorkbook(reply, await transferWorkbook(batch, ctx.now(), ctx.timeZone), `transfers-${batch.month}.xlsx`, `诉求传递-${batch.month}.xlsx`);
    },
  );
  app.get(
    '/api/transfer-items',
    {
      config: { action: 'transfer.read' },
      schema: {
        tags,
        summary: 'Items raised to or from the caller’s units (all, for the centre)',
        querystring: TransferItemsQuery,
        response: { 200: z.array(TransferItem), ...errors },
      },
    },
    async (request) => listItems(serviceContext(request, deps), request.query),
  );
  app.post(
    '/api/transfer-items/:id/answer',
    {
      config: { action: 'transfer.answer' },
      schema: {
        tags,
        summary: 'The department’s answer: measures, resolved or not, expected date, owner',
        params: IdParams,
        body: AnswerTransferBody,
        response: { 200: TransferItem, ...errors },
      },
    },
    async (request) => answerItem(serviceContext(request, deps), request.params.id, request.body, versionOf(request)),
  );
}
