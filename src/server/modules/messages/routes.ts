import { ListMessagesQuery, MessageList } from '../../../shared/schemas/messages.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { listMessages } from './service.js';

export async function messageRoutes(app: App, deps: Deps): Promise<void> {
  app.get(
    '/api/messages',
    {
      config: { action: 'message.read' },
      schema: {
        tags: ['messages'],
        summary: 'The outbox: messages to customers and their delivery, newest first, bounded by the caller’s units',
        description:
          'Every message to a customer (outage notices, progress messages) with its channel, status (queued, sending, sent, failed), attempts and last error. ' +
          'A phone is shown masked (138****1234). City-wide roles see every message; a unit’s people those to its customers or about its demands and outages.',
        querystring: ListMessagesQuery,
        response: { 200: MessageList },
      },
    },
    async (request) => listMessages(serviceContext(request, deps), request.query),
  );
}
