import fastifySwagger, { type SwaggerTransform, type SwaggerTransformObject } from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../shared/codes.js';
import * as audit from '../../shared/schemas/audit.js';
import * as auth from '../../shared/schemas/auth.js';
import * as common from '../../shared/schemas/common.js';
import * as demands from '../../shared/schemas/demands.js';
import * as evaluation from '../../shared/schemas/evaluation.js';
import * as experts from '../../shared/schemas/experts.js';
import * as knowledge from '../../shared/schemas/knowledge.js';
import * as meetings from '../../shared/schemas/meetings.js';
import * as org from '../../shared/schemas/org.js';
import * as settings from '../../shared/schemas/settings.js';
import * as transfers from '../../shared/schemas/transfers.js';
import type { App } from './context.js';
import { can, type Action } from './policy.js';

// The OpenAPI document at /api/openapi.json (and its page at /api/docs), made
// from the routes' Zod schemas, so that a client generated from it works.
//
// OpenAPI 3.1: its Schema Objects are JSON Schema 2020-12, so a nullable field
// is `anyOf: [X, {type: 'null'}]` exactly as Zod means it. OpenAPI 3.0's
// `nullable: true` left `null` out of nullable enums and said nothing on an
// untyped schema, and strict validators refused real answers.
//
// What the routes' schemas cannot say is added here, once for every route:
// an operationId from the method and path, the security (public routes need
// none; a change with a session also needs the CSRF header), the headers the
// handlers read and send (If-Match, Idempotency-Key, ETag), the error answers
// every route can give, and the bodies that are files rather than JSON (the
// route declares them with @fastify/swagger's `consumes` / `produces`).

/** The cookie and header of a session (modules/auth/routes.ts); the conformance test checks them against a real login. */
const SESSION_COOKIE = 'suqiu_session';
const CSRF_HEADER = 'x-csrf-token';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The handlers that read If-Match (`versionOf` in platform/versions.ts): a stale version answers 409. */
const READS_IF_MATCH = new Set([
  'postDemandsIdAnswer',
  'postDemandsIdWorkOrders',
  'postDemandsIdCallbacks',
  'postDemandsIdEscalate',
  'postDemandsIdUnlink',
  'postDemandsIdUrge',
  'postDemandsIdVerdict',
  'postDemandsIdProgressMessages',
  'postDemandsIdHandOver',
  'postWorkOrdersIdAccept',
  'postWorkOrdersIdArrive',
  'postWorkOrdersIdHandle',
  'postWorkOrdersIdReturn',
  'postConsultationsIdAcknowledge',
  'postConsultationsIdContacted',
  'postConsultationsIdReply',
  'postConsultationsIdCallback',
  'postConsultationsIdWithdraw',
  'postActionItemsIdProgress',
  'postTransferItemsIdAnswer',
  'postApplicationsIdStagesStageComplete',
  'postApplicationsIdCancel',
]);
/** The answers that carry the record's version as an ETag (`withEtag` in demands/routes.ts), and the file download its hash. */
const SENDS_ETAG = new Set([
  'postDemands',
  'getDemandsId',
  'postDemandsIdAnswer',
  'postDemandsIdCallbacks',
  'postDemandsIdEscalate',
  'postDemandsIdUnlink',
  'postDemandsIdUrge',
  'postDemandsIdVerdict',
  'postDemandsIdProgressMessages',
  'postDemandsIdHandOver',
  'getArticlesFilesId',
]);
/** Bodies a handler parses itself, being optional (an arrival is mostly now): the schema of what it takes, by component name. */
const OPTIONAL_JSON_BODY: Record<string, string> = { postWorkOrdersIdArrive: 'ArriveBody' };

const STATUS_TEXT: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '400': 'The request is invalid: `issues` names each field',
  '401': 'No session or API token, or it has expired',
  '403': 'The role may not do this; or, with a session, the x-csrf-token header is missing or wrong',
  '404': 'Not found, or outside the caller’s units',
  '409': 'A conflict: the record changed since it was read (If-Match), or its state does not allow this',
  '413': 'The body is larger than the route accepts',
  '415': 'The body’s content type is not accepted',
  '423': 'The account is locked after repeated failed logins',
  '503': 'Unavailable',
  default: 'An unexpected error: the message names only the request id',
};

const ERROR = { $ref: '#/components/schemas/ErrorResponse' };
const BINARY = { type: 'string', format: 'binary' };

/**
 * The operationId of a route: its method and the words of its path, `/api` left
 * out (`POST /api/demands/:id/urge` → `postDemandsIdUrge`). Stable while the
 * path is, and unique because the method and path are; a route may still name
 * its own with `schema.operationId`.
 */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .split('/')
    .filter((segment) => segment !== '' && segment !== 'api')
    .flatMap((segment) => segment.replace(/^:/, '').split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/** What the document needs to know of a route beyond its schema. */
interface RouteFacts {
  method: string;
  public: boolean;
  action?: Action | readonly Action[];
  hasInput: boolean;
  hasPathParams: boolean;
  bodyOptional: boolean;
  consumes?: readonly string[];
  produces?: readonly string[];
}

type Json = Record<string, unknown>;
interface ResponseObject {
  description: string;
  content?: Record<string, { schema?: unknown }>;
  headers?: Record<string, unknown>;
}
interface Operation {
  operationId?: string;
  description?: string;
  parameters?: unknown[];
  requestBody?: { required?: boolean; content: Record<string, unknown> };
  responses: Record<string, ResponseObject>;
  [extension: `x-${string}`]: unknown;
}

/** The shared schemas' objects by name: the document's components. */
function sharedObjects(): [string, z.ZodType][] {
  const found = new Map<string, z.ZodType>();
  for (const module of [audit, auth, common, demands, evaluation, experts, knowledge, meetings, org, settings, transfers]) {
    for (const [name, value] of Object.entries(module)) {
      if (!(value instanceof z.ZodObject)) continue;
      if (found.has(name) && found.get(name) !== value) throw new Error(`two shared schemas are named ${name}: the document's components need one name each`);
      found.set(name, value);
    }
  }
  return [...found];
}

let componentsRegistered = false;
/**
 * Names the shared objects in Zod's registry, so that the document refers to
 * them as components instead of repeating them in every operation. Once per
 * process (the registry is global). Those a route takes as its path or query
 * stay inline: @fastify/swagger spreads them into parameters and cannot follow
 * a reference there.
 */
function registerComponents(inParameters: ReadonlySet<unknown>): void {
  if (componentsRegistered) return;
  componentsRegistered = true;
  for (const [name, schema] of sharedObjects()) {
    if (inParameters.has(schema)) continue;
    const meta = z.globalRegistry.get(schema);
    if (meta?.id === undefined) z.globalRegistry.add(schema, { ...meta, id: name });
  }
}

/** The document and its page, for the routes registered after it; `version` is the API's (app.ts). */
export async function registerOpenApi(app: App, { version }: { version: string }): Promise<void> {
  const facts = new Map<string, RouteFacts>();
  const routeOf = new Map<string, string>();
  const inParameters = new Set<unknown>();
  app.addHook('onRoute', (route) => {
    for (const part of [route.schema?.params, route.schema?.querystring, route.schema?.headers]) if (part) inParameters.add(part);
  });

  const zodTransform = createJsonSchemaTransform({});
  const zodTransformObject = createJsonSchemaTransformObject({});

  const transform: SwaggerTransform = (input) => {
    registerComponents(inParameters);
    const { schema: transformed, url } = zodTransform(input);
    const schema = { ...(transformed as Json | undefined) };
    if (schema.hide) return { schema, url };
    const { route } = input;
    if (typeof route.method !== 'string')
      throw new Error(`${String(route.method)} ${url}: one route per method, so that each operation has its own operationId`);
    const method = route.method.toUpperCase();
    const operationId = typeof schema.operationId === 'string' ? schema.operationId : operationIdOf(method, url);
    const earlier = routeOf.get(operationId);
    if (earlier !== undefined && earlier !== `${method} ${url}`)
      throw new Error(`operationId ${operationId} of ${method} ${url} is taken by ${earlier}: name one with schema.operationId`);
    routeOf.set(operationId, `${method} ${url}`);

    // The same test as the authentication hook (modules/auth/routes.ts): outside /api, or marked public.
    const isPublic = route.config?.public === true || !url.startsWith('/api/');
    const original = input.schema ?? {};
    facts.set(operationId, {
      method,
      public: isPublic,
      action: route.config?.action,
      hasInput: Boolean(original.body ?? original.querystring ?? original.params) || original.consumes !== undefined,
      hasPathParams: url.includes(':'),
      bodyOptional: original.body instanceof z.ZodType && original.body.safeParse(undefined).success,
      ...(original.consumes && { consumes: original.consumes }),
      ...(original.produces && { produces: original.produces }),
    });
    // The file bodies and answers are written by completeDocument; @fastify/swagger would apply these to the JSON ones too.
    delete schema.consumes;
    delete schema.produces;
    schema.operationId = operationId;
    if (isPublic) schema.security = [];
    else if (UNSAFE_METHODS.has(method)) schema.security = [{ session: [], csrf: [] }, { bearer: [] }];
    return { schema, url };
  };

  const transformObject: SwaggerTransformObject = (input) => completeDocument(zodTransformObject(input) as Json, facts);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'suqiu API',
        description:
          'The 95598 customer-demand platform. See docs/API.md in the repository for the public contract. A browser signs in with POST /api/auth/login (a session cookie, and a readable csrf_token cookie whose value every change repeats in the x-csrf-token header); an integration sends `Authorization: Bearer <token>` and no CSRF header.',
        version,
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The session cookie set by POST /api/auth/login' },
          csrf: {
            type: 'apiKey',
            in: 'header',
            name: CSRF_HEADER,
            description: 'The csrf_token cookie’s value, sent with a session on every change (POST, PUT, PATCH, DELETE)',
          },
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token created by an admin (POST /api/tokens), for integrations' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform,
    transformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
}

/** The parameters of headers, referred to by the operations that take them. */
const PARAMETERS = {
  CsrfToken: {
    name: CSRF_HEADER,
    in: 'header',
    required: false,
    description: 'With a session: the value of the csrf_token cookie (required; without it the change answers 403). Not sent with a bearer token.',
    schema: { type: 'string' },
  },
  IfMatch: {
    name: 'If-Match',
    in: 'header',
    required: false,
    description: 'The `version` of the record as read (the ETag, e.g. "3"): if it changed meanwhile the change answers 409 instead of overwriting it.',
    schema: { type: 'string', pattern: '^\\s*(W/)?"?\\d{1,9}"?\\s*$' },
  },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: 'Makes a retry safe: the same key again answers the demand it registered (with Idempotent-Replayed: true) instead of registering another.',
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,128}$' },
  },
  LastEventId: {
    name: 'Last-Event-ID',
    in: 'header',
    required: false,
    description: 'The id of the last event received: the stream replays the notifications after it (as after= does).',
    schema: { type: 'string', pattern: '^\\d{1,12}$' },
  },
} as const;

const HEADER_PARAMETERS: Record<string, (keyof typeof PARAMETERS)[]> = {
  postDemands: ['IdempotencyKey'],
  getNotificationsStream: ['LastEventId'],
  ...Object.fromEntries([...READS_IF_MATCH].map((id) => [id, ['IfMatch']])),
};

/** What the routes' schemas cannot say, added to every operation; then the components no operation uses are left out. */
function completeDocument(doc: Json, facts: ReadonlyMap<string, RouteFacts>): Json {
  const paths = doc.paths as Record<string, Record<string, Operation>>;
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item)) {
      const fact = operation.operationId === undefined ? undefined : facts.get(operation.operationId);
      if (!fact) continue;
      completeOperation(operation, operation.operationId!, fact);
    }
  }
  const components = doc.components as Json;
  components.parameters = PARAMETERS;
  components.schemas = usedSchemas(doc, components.schemas as Record<string, unknown>);
  return doc;
}

function completeOperation(operation: Operation, operationId: string, fact: RouteFacts): void {
  const headers = [...(!fact.public && UNSAFE_METHODS.has(fact.method) ? (['CsrfToken'] as const) : []), ...(HEADER_PARAMETERS[operationId] ?? [])];
  if (headers.length > 0) operation.parameters = [...(operation.parameters ?? []), ...headers.map((name) => ({ $ref: `#/components/parameters/${name}` }))];

  if (fact.consumes) operation.requestBody = { required: true, content: Object.fromEntries(fact.consumes.map((type) => [type, { schema: BINARY }])) };
  const optionalBody = OPTIONAL_JSON_BODY[operationId];
  if (optionalBody)
    operation.requestBody = { required: false, content: { 'application/json': { schema: { $ref: `#/components/schemas/${optionalBody}Input` } } } };
  if (fact.bodyOptional && operation.requestBody) operation.requestBody.required = false;

  const responses = operation.responses;
  if (fact.produces) {
    // A download or a stream: the route declares its content types. A report answered as JSON or as its
    // workbook (`format=xlsx`) keeps its JSON schema for application/json.
    const ok = responses['200'] ?? { description: STATUS_TEXT['200']! };
    const json = ok.content?.['application/json']?.schema;
    ok.content = Object.fromEntries(
      fact.produces.map((type) => [
        type,
        {
          schema:
            type === 'text/event-stream'
              ? { type: 'string', description: 'Server-sent events: `id`, `event: notification` and `data` (a notification as JSON)' }
              : type === 'application/json' && json
                ? json
                : BINARY,
        },
      ]),
    );
    responses['200'] = ok;
  }
  const errors = [
    ...(fact.hasInput || fact.consumes || operationId in OPTIONAL_JSON_BODY ? ['400'] : []),
    ...(fact.public ? [] : ['401', '403']),
    ...(fact.hasPathParams ? ['404'] : []),
    ...(READS_IF_MATCH.has(operationId) ? ['409'] : []),
    ...(fact.consumes ? ['413', '415'] : []),
    'default',
  ];
  for (const status of errors) responses[status] ??= { description: STATUS_TEXT[status]!, content: { 'application/json': { schema: ERROR } } };
  for (const [status, response] of Object.entries(responses)) {
    if (response.description === 'Default Response') response.description = STATUS_TEXT[status] ?? (status.startsWith('2') ? 'OK' : 'Error');
  }
  const success = Object.keys(responses).filter((status) => status.startsWith('2'));
  for (const status of success) {
    const response = responses[status]!;
    if (SENDS_ETAG.has(operationId))
      response.headers = { ...response.headers, ETag: { description: 'The record’s version, for If-Match (a file: its hash)', schema: { type: 'string' } } };
    if (operationId === 'postDemands')
      response.headers = {
        ...response.headers,
        'Idempotent-Replayed': {
          description: '"true" when the Idempotency-Key was seen before and this is the demand it registered',
          schema: { type: 'string', enum: ['true'] },
        },
      };
  }

  if (fact.action !== undefined) {
    // Who may call it, from the policy: a role outside the list answers 403.
    const actions = typeof fact.action === 'string' ? [fact.action] : fact.action;
    const roles = ROLES.filter((role) => actions.some((action) => can({ roles: [role] }, action)));
    operation['x-roles'] = roles;
    operation.description = [operation.description, `Roles: ${roles.join(', ')}.`].filter(Boolean).join('\n\n');
  }
}

/**
 * The components an operation refers to, directly or through another. Zod's
 * registry gives each shared object an output and an input component (`X`,
 * `XInput`); a body's input is named `X` when no answer uses the output.
 */
function usedSchemas(doc: Json, schemas: Record<string, unknown>): Record<string, unknown> {
  const PREFIX = '#/components/schemas/';
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(PREFIX)) {
        const name = value.slice(PREFIX.length);
        if (!used.has(name)) {
          used.add(name);
          visit(schemas[name]);
        }
      } else visit(value);
    }
  };
  visit(doc.paths);
  visit((doc.components as Json).parameters);

  const rename = new Map<string, string>();
  for (const name of used) if (name.endsWith('Input') && !used.has(name.slice(0, -'Input'.length))) rename.set(name, name.slice(0, -'Input'.length));
  const renameRefs = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(renameRefs);
    if (node === null || typeof node !== 'object') return;
    const object = node as Json;
    for (const [key, value] of Object.entries(object)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(PREFIX))
        object.$ref = PREFIX + (rename.get(value.slice(PREFIX.length)) ?? value.slice(PREFIX.length));
      else renameRefs(value);
    }
  };
  const kept = Object.fromEntries([...used].sort().map((name) => [rename.get(name) ?? name, schemas[name]]));
  renameRefs(doc.paths);
  renameRefs(kept);
  return kept;
}
