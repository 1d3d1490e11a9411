import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { App, Deps } from './platform/context.js';
import { errorHandler } from './platform/http-errors.js';
import { loggerOptions, OneLinePerRequest } from './platform/logger.js';
import { registerOpenApi } from './platform/openapi.js';
import { securityHeaders, strictText } from './platform/security.js';
import { registerMetrics } from './platform/metrics.js';
import { registerReadiness, type Startup } from './platform/readiness.js';
import { demandMetrics } from './modules/demands/metrics.js';
import { schedulerMetrics } from './modules/deadlines/metrics.js';
import { auditRoutes } from './modules/audit/routes.js';
import { authenticate, authRoutes } from './modules/auth/routes.js';
import { orgRoutes } from './modules/org/routes.js';
import { customerRoutes } from './modules/customers/routes.js';
import { demandRoutes } from './modules/demands/routes.js';
import { evaluationRoutes } from './modules/evaluation/routes.js';
import { expertRoutes } from './modules/experts/routes.js';
import { hotIssueRoutes } from './modules/hot-issues/routes.js';
import { reportRoutes } from './modules/reports/routes.js';
import { meetingRoutes } from './modules/meetings/routes.js';
import { messageRoutes } from './modules/messages/routes.js';
import { knowledgeRoutes } from './modules/knowledge/routes.js';
import { notificationRoutes } from './modules/notifications/routes.js';
import { settingsRoutes } from './modules/deadlines/routes.js';
import { transferRoutes } from './modules/transfers/routes.js';
import { outageRoutes } from './modules/outages/routes.js';
import { applicationRoutes } from './modules/applications/routes.js';
import { relationRoutes } from './modules/relations/routes.js';
import { dashboardRoutes } from './modules/dashboards/routes.js';
import { satisfactionRoutes } from './modules/satisfaction/routes.js';
import { wireModules } from './wiring.js';

export const API_VERSION = '1.0.0';

export interface BuildOptions {
  config: Config;
  database: Database;
  clock?: () => Date;
  /** Override the log level (tests keep quiet). */
  logLevel?: string;
  /** Where the logs go (tests read them); stdout by default. */
  logStream?: NodeJS.WritableStream;
  /** main.ts's preparation of the database, which /readyz reports; without it the database is taken as prepared. */
  startup?: Startup;
}

/** The whole application, without listening: main.ts listens, the tests inject. */
export async function buildApp({ config, database, clock = () => new Date(), logLevel, logStream, startup }: BuildOptions): Promise<App> {
  const app = Fastify({
    logger: loggerOptions(logLevel ?? config.logLevel, logStream),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
    },
    logController: new OneLinePerRequest(),
    bodyLimit: 1024 * 1024,
    // A request must arrive whole within this time (a body trickled in a byte a minute holds a connection for nothing): 408.
    requestTimeout: config.requestTimeoutSeconds * 1000,
    // Node looks for late requests every 30 s by default: a quarter of the limit, at most that, so a short limit holds too.
    http: {
      connectionsCheckingInterval: Math.max(250, Math.min(30_000, (config.requestTimeoutSeconds * 1000) / 4)),
      headersTimeout: Math.min(60_000, config.requestTimeoutSeconds * 1000),
    },
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // CSP, frame-ancestors, nosniff, HSTS on secure requests, no-store on the API; strict UTF-8 and no control characters in any text.
  await securityHeaders(app, config);
  strictText(app);

  const deps: Deps = { database, config, clock };

  await app.register(fastifyCookie);
  await registerOpenApi(app, { version: API_VERSION });

  // Before authentication, whose hook reads the sessions table: until the database is prepared the API answers 503.
  registerReadiness(app, database, startup);
  authenticate(app, deps);
  // GET /metrics (Prometheus): requests by route, the process, and each module's own figures.
  registerMetrics(app, deps, [...demandMetrics(database.db), ...schedulerMetrics(database.db)]);

  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  // What the modules ask of each other without importing each other back (a closing demand's steps, the intake's outages).
  wireModules();

  await authRoutes(app, deps);
  await orgRoutes(app, deps);
  await auditRoutes(app, deps);
  await customerRoutes(app, deps);
  await demandRoutes(app, deps);
  await expertRoutes(app, deps);
  await knowledgeRoutes(app, deps);
  await notificationRoutes(app, deps);
  await settingsRoutes(app, deps);
  await evaluationRoutes(app, deps);
  await transferRoutes(app, deps);
  await meetingRoutes(app, deps);
  await hotIssueRoutes(app, deps);
  await reportRoutes(app, deps);
  await messageRoutes(app, deps);
  await outageRoutes(app, deps);
  await relationRoutes(app, deps);
  await applicationRoutes(app, deps);
  await dashboardRoutes(app, deps);
  await satisfactionRoutes(app, deps);

  await serveWebApp(app, config);
  return app;
}

/** The built web app, with every non-API path answered by its index.html (client-side routes). */
async function serveWebApp(app: App, config: Config): Promise<void> {
  const hasWeb = existsSync(join(config.webDir, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: config.webDir, wildcard: false, index: false, maxAge: '1h', immutable: false });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    if (request.method === 'GET' && !path.startsWith('/api/') && path !== '/api') {
      if (hasWeb) return reply.header('cache-control', 'no-cache').sendFile('index.html');
      return reply.code(404).type('text/plain; charset=utf-8').send('The web app is not built: run `npm run build`.');
    }
    return reply.code(404).send({ statusCode: 404, error: 'not_found', message: `no route ${request.method} ${path}`, requestId: request.id });
  });
}
