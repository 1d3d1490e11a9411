import { z } from 'zod';
import { AuditEntry, ListAuditQuery } from '../../../shared/schemas/audit.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { listAudit } from './service.js';

export async function auditRoutes(app: App, deps: Deps): Promise<void> {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit trail, newest first, bounded by the caller’s units',
        querystring: ListAuditQuery,
        response: { 200: z.array(AuditEntry) },
      },
    },
    async (request) => listAudit(serviceContext(request, deps), request.query),
  );
}
