import { z } from 'zod';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { visibleUnitIds } from '../org/service.js';
import { NotificationHub, type Row } from './hub.js';

const Notification = z.object({
  id: z.number().int(),
  kind: z.string(),
  title: z.string(),
  demandId: z.number().int().nullable(),
  taskId: z.number().int().nullable(),
  consultationId: z.number().int().nullable(),
  createdAt: z.string(),
});

const present = (r: {
  id: number;
  kind: string;
  title: string;
  demand_id: number | null;
  task_id: number | null;
  consultation_id: number | null;
  created_at: string;
}) => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  demandId: r.demand_id,
  taskId: r.task_id,
  consultationId: r.consultation_id,
  createdAt: r.created_at,
});

export async function notificationRoutes(app: App, deps: Deps): Promise<void> {
  const hub = new NotificationHub(deps.database.db);
  app.addHook('onClose', async () => hub.close());

  const recipientOf = async (request: Parameters<typeof serviceContext>[0]) => {
    const ctx = serviceContext(request, deps);
    return { userId: ctx.actor.userId, roles: ctx.actor.roles, visibleUnits: await visibleUnitIds(ctx) };
  };

  app.get(
    '/api/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'The caller’s notifications after an id, oldest first; with after=0, their latest 50',
        querystring: z.strictObject({ after: z.coerce.number().int().min(0).default(0) }),
        response: { 200: z.array(Notification) },
      },
    },
    async (request) => {
      const recipient = await recipientOf(request);
      return (await hub.since(recipient, request.query.after > 0 ? request.query.after : undefined, 50)).map(present);
    },
  );

  app.get(
    '/api/notifications/stream',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Server-sent events: each notification for the caller as it happens; Last-Event-ID (or after=) replays what was missed',
        produces: ['text/event-stream'],
        querystring: z.strictObject({ after: z.coerce.number().int().min(0).optional() }),
      },
    },
    async (request, reply) => {
      const recipient = await recipientOf(request);
      const header = request.headers['last-event-id'];
      const lastEventId = typeof header === 'string' && /^\d{1,12}$/.test(header) ? Number(header) : request.query.after;
      // Subscribe before anything is written, holding live rows back until the replay is out,
      // so that a notification written while the stream opens is neither lost nor sent twice.
      // The hub gives each row once, but not in id order (a transaction may commit after a
      // later one's), so what is skipped is what the replay sent, not what lies below an id.
      const held: Row[] = [];
      let live = false;
      const replayed = new Set<number>();
      const write = (row: Row) => {
        if (replayed.has(row.id)) return;
        res.write(`id: ${row.id}\nevent: notification\ndata: ${JSON.stringify(present(row))}\n\n`);
      };
      const unsubscribe = await hub.subscribe(recipient, (row) => (live ? write(row) : held.push(row)));
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n\n');
      if (lastEventId !== undefined) {
        for (const row of await hub.since(recipient, lastEventId)) {
          write(row);
          replayed.add(row.id);
        }
      }
      held.forEach(write);
      live = true;
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      request.raw.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
      });
    },
  );
}
