import { CustomerLookup, CustomerLookupQuery } from '../../../shared/schemas/demands.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { lookup } from './service.js';

export async function customerRoutes(app: App, deps: Deps): Promise<void> {
  app.get(
    '/api/customers/lookup',
    {
      config: { action: 'customer.read' },
      schema: { tags: ['customers'], summary: 'Screen pop: customers by phone, 户号 or name, with their open and recent demands', querystring: CustomerLookupQuery, response: { 200: CustomerLookup } },
    },
    async (request) => lookup(serviceContext(request, deps), request.query),
  );
}
