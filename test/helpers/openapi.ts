import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import type { Client } from './app.js';

// Checks real answers against the OpenAPI document (/api/openapi.json): the
// status is one the operation lists, the content type one it names, a JSON
// body valid against the schema of that status (Ajv, JSON Schema 2020-12 as
// OpenAPI 3.1 says, strict: unknown keywords and formats are errors), the
// ETag header sent exactly where the document says so; and a JSON body sent
// valid against the operation's request body, so the document takes what the
// server takes.

// ajv-formats is CommonJS with `exports.default`: NodeNext sees the module object.
const addFormats = addFormatsPlugin as unknown as typeof addFormatsPlugin.default;

type Json = Record<string, unknown>;
export interface Operation {
  operationId: string;
  parameters?: Json[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Json }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Json }>; headers?: Record<string, Json> }>;
  security?: Record<string, string[]>[];
  'x-roles'?: string[];
}
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json>; parameters: Record<string, Json>; securitySchemes: Record<string, Json> };
  security: Record<string, string[]>[];
}
export interface Located {
  method: string;
  path: string;
  operation: Operation;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** A copy of a schema whose references to components point into components.json. */
function localRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(localRefs);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' ? value.replace('#/components/schemas/', 'components.json#/$defs/') : localRefs(value),
    ]),
  );
}

export class Conformance {
  /** Each operation's statuses seen, by operationId. */
  readonly seen = new Map<string, Set<string>>();
  /** Answers checked. */
  checks = 0;
  /** The operations whose If-Match documentation was checked against their handler. */
  readonly ifMatchChecked = new Set<string>();
  readonly operations: Located[] = [];
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly matchers: { method: string; regex: RegExp; located: Located; params: number }[] = [];

  constructor(readonly doc: OpenApiDocument) {
    this.ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    // The OpenAPI 3.1 dialect's own keywords, besides JSON Schema's.
    this.ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
    // The components as one schema of $defs (the document itself is no schema: strict mode refuses its other keys).
    this.ajv.addSchema({ $id: 'components.json', $defs: localRefs(doc.components.schemas) });
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!METHODS.includes(method)) continue;
        const located = { method: method.toUpperCase(), path, operation };
        this.operations.push(located);
        const regex = new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);
        this.matchers.push({ method: located.method, regex, located, params: (path.match(/\{/g) ?? []).length });
      }
    }
    // A literal segment wins over a parameter (/api/demands/case-preview is not /api/demands/{id}).
    this.matchers.sort((a, b) => a.params - b.params);
  }

  locate(method: string, url: string): Located {
    const path = url.split('?', 1)[0]!;
    const found = this.matchers.find((m) => m.method === method && m.regex.test(path));
    assert.ok(found, `${method} ${path} is not in the document`);
    return found.located;
  }

  /** The compiled schema at a path into the document. */
  private validator(...tokens: string[]): ValidateFunction {
    const key = tokens.join(' ');
    let validate = this.validators.get(key);
    if (!validate) {
      const schema = tokens.reduce<unknown>((node, token) => (node as Json | undefined)?.[token], this.doc);
      assert.ok(schema, `no schema at ${key}`);
      validate = this.ajv.compile(localRefs(schema) as Json);
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** Checks one answer (and the JSON body sent for it) against the document. */
  check(method: string, url: string, res: LightMyRequestResponse, sent?: unknown): void {
    const { path, operation } = this.locate(method, url);
    const where = `${method} ${url.split('?', 1)[0]} → ${res.statusCode}`;
    const status = String(res.statusCode);
    assert.ok(res.statusCode < 500, `${where}: a server error: ${res.body.slice(0, 500)}`);
    const response = operation.responses[status];
    assert.ok(response, `${where} is not documented (documented: ${Object.keys(operation.responses).join(', ')}): ${res.body.slice(0, 300)}`);

    const type = String(res.headers['content-type'] ?? '')
      .split(';', 1)[0]!
      .trim();
    const content = response.content ?? {};
    const mediaType =
      type in content ? type : Object.keys(content).find((range) => range === '*/*' || (range.endsWith('/*') && type.startsWith(range.slice(0, -1))));
    assert.ok(mediaType, `${where}: content type ${type || '(none)'} is not documented (${Object.keys(content).join(', ') || 'no content'})`);
    if (mediaType === 'application/json') {
      const validate = this.validator('paths', path, method.toLowerCase(), 'responses', status, 'content', 'application/json', 'schema');
      const body = res.json();
      assert.ok(
        validate(body),
        `${where}: the body does not match the document: ${this.ajv.errorsText(validate.errors, { separator: '\n  ' })}\n  ${res.body.slice(0, 400)}`,
      );
    }
    if (res.statusCode < 300) {
      const documented = Object.keys(response.headers ?? {}).map((h) => h.toLowerCase());
      assert.equal(
        documented.includes('etag'),
        res.headers.etag !== undefined,
        `${where}: ETag ${res.headers.etag === undefined ? 'documented but not sent' : 'sent but not documented'}`,
      );
    }
    if (sent !== undefined && res.statusCode < 300) {
      assert.ok(operation.requestBody?.content['application/json'], `${where}: a JSON body was taken but none is documented`);
      const validate = this.validator('paths', path, method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema');
      assert.ok(
        validate(sent),
        `${where}: the server took a body the document refuses: ${this.ajv.errorsText(validate.errors)}\n  ${JSON.stringify(sent).slice(0, 400)}`,
      );
    }
    this.checks++;
    const statuses = this.seen.get(operation.operationId) ?? new Set<string>();
    statuses.add(status);
    this.seen.set(operation.operationId, statuses);
  }

  /** Whether the operation documents If-Match as its handler reads it (or does not). */
  checkIfMatch(method: string, url: string, reads: boolean): void {
    const { operation } = this.locate(method, url);
    const documented = (operation.parameters ?? []).some((p) => p.$ref === '#/components/parameters/IfMatch');
    assert.equal(
      documented,
      reads,
      `${method} ${url.split('?', 1)[0]}: the handler ${reads ? 'reads If-Match, the document does not say so' : 'ignores If-Match, the document says it reads it'}`,
    );
    this.ifMatchChecked.add(operation.operationId);
  }

  /** Operations answered with a 2xx so far, and those not. */
  coverage(): { succeeded: Located[]; missed: Located[]; responses: number } {
    const ok = (l: Located) => [...(this.seen.get(l.operation.operationId) ?? [])].some((s) => s.startsWith('2'));
    const responses = [...this.seen.values()].reduce((n, s) => n + s.size, 0);
    return { succeeded: this.operations.filter(ok), missed: this.operations.filter((l) => !ok(l)), responses };
  }
}

/** Whether an answer is the refusal of a malformed If-Match (platform/versions.ts), which a handler gives before it changes anything. */
const refusesIfMatch = (res: LightMyRequestResponse) =>
  res.statusCode === 400 && (res.json() as { issues?: { path: string }[] }).issues?.some((i) => i.path === 'headers.if-match') === true;

/**
 * A client whose every answer is checked against the document. A change is
 * first sent with a malformed If-Match: a handler that reads the header
 * refuses it at once (then the change is sent again without it), one that
 * does not goes on; either way the document must say so.
 */
export function checked(client: Client, conformance: Conformance) {
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const send = (extra: Record<string, string>) =>
      client.request({ method, url, ...(body !== undefined && { payload: body as object }), headers: { ...headers, ...extra } });
    let res: LightMyRequestResponse;
    if (method !== 'GET' && headers['if-match'] === undefined) {
      res = await send({ 'if-match': 'not-a-version' });
      const reads = refusesIfMatch(res);
      if (reads || res.statusCode < 300) conformance.checkIfMatch(method, url, reads);
      if (reads) res = await send({});
    } else res = await send({});
    conformance.check(method, url, res, body);
    return res;
  };
  return {
    client,
    get: (url: string, headers?: Record<string, string>) => call('GET', url, undefined, headers),
    post: (url: string, body?: unknown, headers?: Record<string, string>) => call('POST', url, body, headers),
    put: (url: string, body?: unknown, headers?: Record<string, string>) => call('PUT', url, body, headers),
    patch: (url: string, body?: unknown, headers?: Record<string, string>) => call('PATCH', url, body, headers),
    delete: (url: string, headers?: Record<string, string>) => call('DELETE', url, undefined, headers),
    /** A file as the body (uploads). */
    upload: async (url: string, bytes: Buffer) => {
      const res = await client.request({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/octet-stream', 'if-match': 'not-a-version' },
        payload: bytes,
      });
      if (res.statusCode < 300) conformance.checkIfMatch('POST', url, false);
      conformance.check('POST', url, res);
      return res;
    },
  };
}
export type Checked = ReturnType<typeof checked>;
