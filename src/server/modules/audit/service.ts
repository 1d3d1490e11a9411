import type { AuditEntry, ListAuditQuery } from '../../../shared/schemas/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { authorize } from '../../platform/policy.js';
import { visibleUnitIds } from '../org/service.js';
import { queryAudit } from './repository.js';

function parse(json: string | null): unknown {
  return json === null ? null : JSON.parse(json);
}

export async function listAudit(ctx: ServiceContext, query: ListAuditQuery): Promise<AuditEntry[]> {
  authorize(ctx.actor, 'audit.read');
  const rows = await queryAudit(ctx.db, { ...query, unitIds: [...(await visibleUnitIds(ctx))] });
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    actorKind: r.actor_kind,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    unitId: r.unit_id,
    before: parse(r.before_json),
    after: parse(r.after_json),
    requestId: r.request_id,
  }));
}
