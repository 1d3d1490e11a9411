import { z } from 'zod';
import { IdParam } from './common.js';

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  actorKind: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  unitId: z.number().int().nullable(),
  /** Any JSON, or null (z.unknown() takes null already: `.nullable()` made the document say null only). */
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const ListAuditQuery = z.strictObject({
  entityType: z.string().trim().max(64).optional(),
  entityId: z.string().trim().max(64).optional(),
  actorId: IdParam.optional(),
  beforeId: IdParam.optional().describe('page backwards: entries older than this id'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListAuditQuery = z.infer<typeof ListAuditQuery>;
