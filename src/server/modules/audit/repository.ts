import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { ListAuditQuery } from '../../../shared/schemas/audit.js';

export async function queryAudit(db: Kysely<DB>, q: ListAuditQuery & { unitIds: number[] }) {
  return (
    db
      .selectFrom('audit_log')
      .leftJoin('users', 'users.id', 'audit_log.actor_id')
      .selectAll('audit_log')
      .select('users.name as actor_name')
      // Entries about a unit the caller cannot see stay hidden; entries tied to no unit are the caller's to see.
      .where((eb) => eb.or([eb('audit_log.unit_id', 'is', null), eb('audit_log.unit_id', 'in', q.unitIds.length > 0 ? q.unitIds : [-1])]))
      .$if(q.entityType !== undefined, (qb) => qb.where('audit_log.entity_type', '=', q.entityType!))
      .$if(q.entityId !== undefined, (qb) => qb.where('audit_log.entity_id', '=', q.entityId!))
      .$if(q.actorId !== undefined, (qb) => qb.where('audit_log.actor_id', '=', q.actorId!))
      .$if(q.beforeId !== undefined, (qb) => qb.where('audit_log.id', '<', q.beforeId!))
      .orderBy('audit_log.id', 'desc')
      .limit(q.limit)
      .execute()
  );
}
