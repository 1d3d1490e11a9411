import { ErrorResponse, IdParams } from '../../../shared/schemas/common.js';
import { CustomerLookup, CustomerLookupQuery, CustomerMessaging, CustomerMessagingBody, Places, PlacesQuery } from '../../../shared/schemas/demands.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { lookup, places, setCustomerMessaging } from './service.js';

export async function customerRoutes(app: App, deps: Deps): Promise<void> {
  app.get(
    '/api/customers/lookup',
    {
      config: { action: 'customer.read' },
      schema: {
        tags: ['customers'],
        summary: 'Screen pop: customers by phone, 户号 or name, with their open and recent demands',
        querystring: CustomerLookupQuery,
        response: { 200: CustomerLookup },
      },
    },
    async (request) => lookup(serviceContext(request, deps), request.query),
  );
  app.get(
    '/api/network/places',
    {
      config: { action: 'customer.read' },
      schema: {
        tags: ['customers'],
        summary: 'A fault’s place: 台区 and feeders by a part of their name, with the station a repair there goes to',
        querystring: PlacesQuery,
        response: { 200: Places },
      },
    },
    async (request) => places(serviceContext(request, deps), request.query.q),
  );
  app.put(
    '/api/customers/:id/messaging',
    {
      config: { action: 'customer.messaging' },
      schema: {
        tags: ['customers'],
        summary: 'How the customer is told: SMS or e-mail, and opting out of non-essential messages (outage notices still go)',
        params: IdParams,
        body: CustomerMessagingBody,
        response: { 200: CustomerMessaging, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => setCustomerMessaging(serviceContext(request, deps), request.params.id, request.body),
  );
}
