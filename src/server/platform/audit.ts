import type { Kysely, Transaction } from 'kysely';
import { insertItem, insertRows, type BatchItem } from '../db/statements.js';
import type { DB } from '../db/types.js';
import type { Actor } from './policy.js';

// The append-only audit trail: who changed what, when, before and after.
// Written inside the same transaction as the change it records, so that a
// change without its audit row cannot exist.

export interface AuditContext {
  actor: Actor | null;
  /** No actor because nobody signed in (a failed login), rather than the system itself acting. */
  anonymous?: boolean;
  requestId?: string | undefined;
  ip?: string | undefined;
  now: () => string;
}

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  unitId?: number | null;
  before?: unknown;
  after?: unknown;
}

/** Fields never copied into the trail. */
const SECRET_FIELDS = new Set(['password', 'password_hash', 'passwordHash', 'token', 'token_hash', 'tokenHash', 'csrf_token']);

function scrub(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (key, v) => (SECRET_FIELDS.has(key) ? '[secret]' : v));
}

const AUDIT_COLUMNS = [
  'at',
  'actor_id',
  'actor_kind',
  'action',
  'entity_type',
  'entity_id',
  'unit_id',
  'before_json',
  'after_json',
  'request_id',
  'ip',
] as const;

function auditRow(ctx: AuditContext, record: AuditRecord) {
  return {
    at: ctx.now(),
    actor_id: ctx.actor?.userId ?? null,
    actor_kind: ctx.actor ? ctx.actor.via : ctx.anonymous ? 'anonymous' : 'system',
    action: record.action,
    entity_type: record.entityType,
    entity_id: record.entityId === undefined || record.entityId === null ? null : String(record.entityId),
    unit_id: record.unitId ?? null,
    before_json: scrub(record.before),
    after_json: scrub(record.after),
    request_id: ctx.requestId ?? null,
    ip: ctx.ip ?? null,
  };
}

export async function recordAudit(db: Kysely<DB> | Transaction<DB>, ctx: AuditContext, record: AuditRecord): Promise<void> {
  await insertRows(db, 'audit_log', AUDIT_COLUMNS, [auditRow(ctx, record)]);
}

/** recordAudit as an item of a batch (db/statements.ts runBatch), in the same transaction as the change. */
export function auditItem(ctx: AuditContext, record: AuditRecord): BatchItem {
  return insertItem('audit_log', AUDIT_COLUMNS, [auditRow(ctx, record)]);
}
